import { lastEnded, percentText, quarterRefusal } from '../../apps/web/src/pages/reviews/review-model';

describe('the quarter a review is run for', () => {
  const today = '2026-12-02';

  it('is refused, in Chinese, unless it is a quarter from 2000Q1 that has ended', () => {
    expect(quarterRefusal('', today)).toBe('请填写季度');
    expect(quarterRefusal('2025Q5', today)).toBe('请按 2025Q3 的格式填写季度');
    expect(quarterRefusal('1999Q4', today)).toBe('季度不能早于 2000Q1');
    expect(quarterRefusal('2026Q4', today)).toBe('2026Q4 尚未结束(2026-12-31 结束),不能回头看');
    expect(quarterRefusal('2999Q1', today)).toMatch(/尚未结束/);
    expect(quarterRefusal(' 2026Q3 ', today)).toBeNull();
    // The quarter's last day is still inside it: reviewed from the day after.
    expect(quarterRefusal('2026Q3', '2026-09-30')).toMatch(/尚未结束/);
    expect(quarterRefusal('2026Q3', '2026-10-01')).toBeNull();
  });

  it('is suggested as the last quarter that has ended', () => {
    expect(lastEnded('2026-12-02')).toBe('2026Q3');
    expect(lastEnded('2026-01-01')).toBe('2025Q4');
  });

  it('shows a share as its percent, or — over nothing', () => {
    expect(percentText({ numerator: 1, denominator: 4, percent: '25.00' })).toBe('25.00%');
    expect(percentText({ numerator: 0, denominator: 0, percent: null })).toBe('—');
  });
});
