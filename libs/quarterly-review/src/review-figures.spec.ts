import { ratesFromCounts, sumCounts, type ReviewCounts } from './review-figures';

const counts = (over: Partial<ReviewCounts>): ReviewCounts => ({
  ...sumCounts([]),
  ...over,
});

describe('sumCounts and ratesFromCounts', () => {
  it('add counts and amounts exactly, and derive rates with the report rounding', () => {
    const a = counts({ projects: 2, currentYearSigned: 3, currentYearStarted: 1, newStartedFunds: '0.10' });
    const b = counts({
      projects: 1,
      currentYearSigned: 0,
      newStartedFunds: '0.20',
      newStartedContracted: '0.30',
    });
    const total = sumCounts([a, b]);
    expect(total).toMatchObject({ projects: 3, currentYearSigned: 3, currentYearStarted: 1 });
    // 0.1 + 0.2 in floating point is 0.30000000000000004: in 分 it is 0.30.
    expect(total.newStartedFunds).toBe('0.30');
    const rates = ratesFromCounts(total);
    expect(rates.startRate.currentYear.all).toEqual({ numerator: 1, denominator: 3, percent: '33.33' });
    expect(rates.fundsArrivalRate).toEqual({ numerator: '0.30', denominator: '0.30', percent: '100.00' });
    expect(rates.statisticsRate.percent).toBeNull();
  });

  it('of nothing is zero everywhere, with no rate', () => {
    const rates = ratesFromCounts(sumCounts([]));
    expect(rates.projects).toBe(0);
    expect(rates.privateShare).toEqual({ numerator: 0, denominator: 0, percent: null });
  });
});
