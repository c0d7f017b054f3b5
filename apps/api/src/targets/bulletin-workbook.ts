import ExcelJS from 'exceljs';
import { TARGET_METRICS, toWanYuan, type TargetMetricDefinition } from '@app/domain';

import type { BulletinView, MetricProgressView } from './targets.dto';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The header row: fixed columns, then 目标/完成/完成率 for each metric any region has a target on. */
export function bulletinHeaders(metrics: readonly TargetMetricDefinition[]): string[] {
  return [
    '排名',
    '地区',
    ...metrics.flatMap(({ label, kind }) => {
      const name = kind === 'amount' ? `${label}(万元)` : label;
      return [`${name} 目标`, `${name} 完成`, `${name} 完成率(%)`];
    }),
    '时序进度(%)',
    '超/落后时序进度(百分点)',
  ];
}

/** Amounts go in as 万元 with every 分 kept (six decimals), counts and percentages as numbers. */
function figure(metric: MetricProgressView | undefined, which: 'target' | 'actual'): number | null {
  if (!metric) return null;
  const value = metric[which];
  return typeof value === 'number' ? value : Number(toWanYuan(value, 6));
}

/** The monthly bulletin (通报) as a spreadsheet: a title row, the headers, one row per region, the rule. */
export async function bulletinWorkbook(bulletin: BulletinView): Promise<Buffer> {
  const present = new Set(bulletin.regions.flatMap((r) => r.metrics.map((m) => m.metric)));
  const metrics = TARGET_METRICS.filter((m) => present.has(m.metric));
  const headers = bulletinHeaders(metrics);

  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(`${bulletin.asOf}T00:00:00+08:00`);
  const sheet = workbook.addWorksheet(`${bulletin.month} 通报`);
  const [year, month] = bulletin.month.split('-').map(Number);
  sheet.addRow([
    `${year}年${month}月招商引资目标任务完成情况通报(截至 ${bulletin.asOf},时序进度 ${bulletin.timeProgressPercent}%)`,
  ]);
  sheet.mergeCells(1, 1, 1, headers.length);
  sheet.getRow(1).font = { bold: true, size: 14 };
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };

  for (const region of bulletin.regions) {
    const byMetric = new Map(region.metrics.map((m) => [m.metric, m]));
    sheet.addRow([
      region.rank,
      region.region,
      ...metrics.flatMap(({ metric }) => {
        const m = byMetric.get(metric);
        const rate = m?.completionPercent;
        return [
          figure(m, 'target'),
          figure(m, 'actual'),
          rate === null || rate === undefined ? null : Number(rate),
        ];
      }),
      Number(bulletin.timeProgressPercent),
      region.scorePoints === null ? null : Number(region.scorePoints),
    ]);
  }
  sheet.addRow([]);
  sheet.addRow([`排名规则:${bulletin.rankingRule}`]);

  sheet.getColumn(2).numFmt = '@';
  metrics.forEach(({ kind }, i) => {
    const first = 3 + i * 3;
    const format = kind === 'amount' ? '#,##0.00' : '0';
    sheet.getColumn(first).numFmt = format;
    sheet.getColumn(first + 1).numFmt = format;
    sheet.getColumn(first + 2).numFmt = '0.00';
  });
  sheet.getColumn(headers.length - 1).numFmt = '0.00';
  sheet.getColumn(headers.length).numFmt = '0.00';
  headers.forEach((_, i) => (sheet.getColumn(i + 1).width = i < 2 ? 10 : 16));
  sheet.views = [{ state: 'frozen', xSplit: 2, ySplit: 2 }];

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
