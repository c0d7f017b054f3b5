import { isQuarterCode, lastEndedQuarter, parseQuarter, previousQuarter, quarterOf } from './quarters';

describe('quarters', () => {
  it('knows the first and last day of each quarter', () => {
    expect(parseQuarter('2025Q1')).toMatchObject({ firstDay: '2025-01-01', lastDay: '2025-03-31' });
    expect(parseQuarter('2024Q1').lastDay).toBe('2024-03-31');
    expect(parseQuarter('2025Q2')).toMatchObject({ firstDay: '2025-04-01', lastDay: '2025-06-30' });
    expect(parseQuarter('2025Q3').lastDay).toBe('2025-09-30');
    expect(parseQuarter('2025Q4')).toMatchObject({ firstDay: '2025-10-01', lastDay: '2025-12-31' });
  });

  it('finds the quarter of a date, the one before, and the last one ended', () => {
    expect(quarterOf('2025-08-15').code).toBe('2025Q3');
    expect(previousQuarter('2025Q1').code).toBe('2024Q4');
    expect(lastEndedQuarter('2025-10-01').code).toBe('2025Q3');
    expect(lastEndedQuarter('2025-09-30').code).toBe('2025Q3');
    expect(lastEndedQuarter('2025-01-01').code).toBe('2024Q4');
  });

  it('accepts only codes like 2025Q3', () => {
    expect(isQuarterCode('2025Q3')).toBe(true);
    for (const bad of ['2025Q5', '2025-Q3', '25Q3', 2025, null]) expect(isQuarterCode(bad)).toBe(false);
    expect(() => parseQuarter('2025Q0')).toThrow(RangeError);
  });
});
