import { EARLIEST_YEAR, latestYear, monthProblem, quarterProblem, yearProblem } from './calendar-bounds';

const TODAY = '2025-08-15';

describe('calendar bounds', () => {
  it('start in 2000 and reach next year', () => {
    expect(EARLIEST_YEAR).toBe(2000);
    expect(latestYear(TODAY)).toBe(2026);
  });

  it.each([
    [2000, null],
    [2026, null],
    [1999, 'earliest'],
    [0, 'earliest'],
    [2027, 'latest'],
    [1e20, 'latest'],
    [2025.5, 'format'],
    [Number.NaN, 'format'],
    ['2025', 'format'],
  ])('year %p: %p', (year, rule) => {
    expect(yearProblem(year, TODAY)?.rule ?? null).toBe(rule);
  });

  it.each([
    ['2000-01', null],
    ['2026-12', null],
    ['1999-12', 'earliest'],
    ['0000-01', 'earliest'],
    ['2027-01', 'latest'],
    ['2025-13', 'format'],
    ['2025-6', 'format'],
  ])('month %p: %p', (month, rule) => {
    expect(monthProblem(month, TODAY)?.rule ?? null).toBe(rule);
  });

  it.each([
    ['2000Q1', null],
    ['2026Q4', null],
    ['1899Q4', 'earliest'],
    ['0000Q1', 'earliest'],
    ['9999Q1', 'latest'],
    ['2025Q5', 'format'],
    [undefined, 'format'],
  ])('quarter %p: %p', (quarter, rule) => {
    expect(quarterProblem(quarter, TODAY)?.rule ?? null).toBe(rule);
  });

  it('messages name the bound', () => {
    expect(quarterProblem('1899Q4', TODAY)?.message).toBe('must be a quarter of 2000 or later');
    expect(yearProblem(2030, TODAY)?.message).toBe('must be a year of 2026 or earlier');
  });
});
