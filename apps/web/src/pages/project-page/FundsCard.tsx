import { Card, Spin } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { sumYuan, toWanYuan } from '../../../../../libs/domain/src/money';
import { amountText } from '../../format';
import { Amount } from '../ProjectList';
import type { ChartOption } from './EChart';
import { SCREEN_READER_ONLY, type FundsEntry } from './types';

// ECharts loads with the first chart, not with the console.
const EChart = lazy(() => import('./EChart'));

/** The funds recorded for each month, months in order. */
export function fundsByMonth(entries: FundsEntry[]): { month: string; amount: string }[] {
  const months = new Map<string, string[]>();
  for (const e of entries) months.set(e.month, [...(months.get(e.month) ?? []), e.amount]);
  return [...months.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, amounts]) => ({ month, amount: sumYuan(amounts) }));
}

/** 到位资金 by month: a bar chart in 万元, and the same figures as a table for screen readers. */
export function FundsCard({ entries, total }: { entries: FundsEntry[]; total: string }) {
  const months = useMemo(() => fundsByMonth(entries), [entries]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 16, top: 24, bottom: 32 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)} 万元` },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: { type: 'value', name: '万元' },
      series: [
        {
          type: 'bar',
          name: '到位资金',
          data: months.map((m) => Number(toWanYuan(m.amount))),
          itemStyle: { color: '#0958d9' },
        },
      ],
    }),
    [months],
  );
  const summary = `到位资金按月:${months.map((m) => `${m.month} ${amountText(m.amount)}`).join(',')};累计 ${amountText(total)}`;
  return (
    <Card title="到位资金" style={{ marginBottom: 16 }} data-testid="project-funds">
      <div style={{ marginBottom: 8 }}>
        累计 <Amount yuan={total} />
      </div>
      {months.length === 0 ? (
        <div>暂无到位资金记录</div>
      ) : (
        <figure aria-label={summary} style={{ margin: 0 }} data-testid="funds-figure">
          <Suspense fallback={<Spin />}>
            <EChart option={option} height={240} testId="funds-chart" />
          </Suspense>
          <table style={SCREEN_READER_ONLY}>
            <caption>到位资金按月</caption>
            <thead>
              <tr>
                <th scope="col">月份</th>
                <th scope="col">到位资金</th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <td>{m.month}</td>
                  <td>{amountText(m.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      )}
    </Card>
  );
}
