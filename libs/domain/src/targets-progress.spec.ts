import {
  aheadSentence,
  metricProgress,
  progressAgainstTarget,
  rankRegions,
  timeProgress,
  type MetricProgress,
  type RegionProgress,
} from './targets-progress';

describe('时序进度 and progress against a target', () => {
  it('counts the share of the year gone by the end of the day', () => {
    expect(timeProgress('2025-06-30')).toBe('49.59'); // 181 / 365
    expect(timeProgress('2024-02-29')).toBe('16.39'); // 60 / 366
    expect(timeProgress('2024-12-31')).toBe('100.00');
    expect(timeProgress('2025-01-01')).toBe('0.27'); // 1 / 365
  });

  it('takes completion minus 时序进度 exactly before rounding', () => {
    // 12 of 20 by 30 Jun: 60% against 49.59%: "超时序进度 10.41 个百分点" (60 − 49.5890… = 10.4109…).
    expect(progressAgainstTarget(12, 20, '2025-06-30')).toEqual({
      completionPercent: '60.00',
      timeProgressPercent: '49.59',
      aheadByPoints: '10.41',
      ahead: true,
    });
    // 到位资金 in yuan: 4亿 of a 10亿 target → 40%, behind by 9.59 points.
    expect(progressAgainstTarget('400000000', '1000000000', '2025-06-30')).toMatchObject({
      completionPercent: '40.00',
      aheadByPoints: '-9.59',
      ahead: false,
    });
    expect(() => progressAgainstTarget(1, 0, '2025-06-30')).toThrow(RangeError);
  });

  it('says it in words: ahead, behind, or level', () => {
    expect(aheadSentence('3.21')).toBe('超时序进度 3.21 个百分点');
    expect(aheadSentence('-5.00')).toBe('落后时序进度 5.00 个百分点');
    expect(aheadSentence('0.00')).toBe('与时序进度持平');
    expect(aheadSentence('-0.00')).toBe('与时序进度持平');
  });

  it('gives a metric its rate, points and sentences; a zero target none', () => {
    expect(metricProgress('signed_projects', 10, 6, '2025-06-30')).toEqual({
      metric: 'signed_projects',
      label: '签约项目数',
      target: 10,
      actual: 6,
      completionPercent: '60.00',
      timeProgressPercent: '49.59',
      aheadByPoints: '10.41',
      assessment: '超时序进度 10.41 个百分点',
      summary: '签约项目数完成 6 个,目标 10 个,完成率 60.00%,超时序进度 10.41 个百分点',
    });
    expect(metricProgress('funds_arrived', '0.00', '5000000.00', '2025-06-30')).toEqual({
      metric: 'funds_arrived',
      label: '到位资金',
      target: '0.00',
      actual: '5000000.00',
      completionPercent: null,
      timeProgressPercent: '49.59',
      aheadByPoints: null,
      assessment: '目标为 0,不计进度',
      summary: '到位资金完成 500.00 万元,目标 0.00 万元,目标为 0,不计进度',
    });
  });
});

describe('the bulletin’s ranking', () => {
  const points = (...ahead: (string | null)[]): MetricProgress[] =>
    ahead.map((aheadByPoints) => ({
      metric: 'signed_projects',
      label: '签约项目数',
      target: 1,
      actual: 1,
      completionPercent: aheadByPoints === null ? null : '100.00',
      timeProgressPercent: '49.59',
      aheadByPoints,
      assessment: '',
      summary: '',
    }));
  const region = (code: string, ...ahead: (string | null)[]): RegionProgress => ({
    region: code,
    metrics: points(...ahead),
  });

  it('ranks by the mean of the printed points, ties by region code, the unscored last and unranked', () => {
    const ranked = rankRegions([
      region('420506', null),
      region('420503', '1.00', '2.00'), // 1.50
      region('420502', '3.00', '0.00'), // 1.50: ahead of 420503 by code
      region('420525', '-2.01', '-1.00'), // −1.505 → −1.51 (half away from zero)
      region('420504', '10.00', null), // 10.00: the zero target is left out of the mean
    ]);
    expect(ranked.map((r) => [r.region, r.rank, r.scorePoints, r.assessment])).toEqual([
      ['420504', 1, '10.00', '超时序进度 10.00 个百分点'],
      ['420502', 2, '1.50', '超时序进度 1.50 个百分点'],
      ['420503', 3, '1.50', '超时序进度 1.50 个百分点'],
      ['420525', 4, '-1.51', '落后时序进度 1.51 个百分点'],
      ['420506', null, null, '无可比指标,不排名'],
    ]);
    expect(ranked[0].metrics).toHaveLength(2);
  });

  it('ranks nothing of nothing', () => {
    expect(rankRegions([])).toEqual([]);
  });
});
