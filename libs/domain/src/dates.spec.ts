import {
  addMonths,
  businessDateOf,
  isIsoDate,
  isIsoInstant,
  shanghaiDate,
  shanghaiStartOfDay,
  weekday,
} from './dates';

describe('dates in Asia/Shanghai, by arithmetic', () => {
  it('maps instants to Shanghai dates at UTC+8', () => {
    expect(shanghaiDate('2025-03-09T15:59:59.999Z')).toBe('2025-03-09');
    expect(shanghaiDate('2025-03-09T16:00:00.000Z')).toBe('2025-03-10');
    expect(shanghaiDate('2025-03-10T08:00:00+08:00')).toBe('2025-03-10');
    expect(shanghaiDate('2024-12-31T16:00:00Z')).toBe('2025-01-01');
  });

  it('gives the UTC instant a Shanghai day begins at', () => {
    expect(shanghaiStartOfDay('2025-10-01')).toBe('2025-09-30T16:00:00.000Z');
  });

  it('adds months clamped to the month end', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2025-03-15', -3)).toBe('2024-12-15');
  });

  it('validates dates and instants strictly', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-3-1')).toBe(false);
    expect(isIsoInstant('2025-03-10T02:00:00.000Z')).toBe(true);
    expect(isIsoInstant('2025-03-10T02:00:00')).toBe(false); // no offset: would depend on the reader
    expect(isIsoInstant('2025-03-10')).toBe(false);
  });

  it('knows weekdays without the host clock', () => {
    expect(weekday('2025-10-01')).toBe(3);
    expect(weekday('2024-02-04')).toBe(0);
  });

  it('reads the business date of a businessTime', () => {
    expect(businessDateOf('2025-02-10')).toBe('2025-02-10');
    expect(businessDateOf('2025-02-09T17:00:00.000Z')).toBe('2025-02-10');
  });
});
