import ExcelJS from 'exceljs';
import type { CountRatio, AmountRatio } from '@app/domain';
import type { ReviewRates, StalledEntry, SupervisionSummary } from '@app/quarterly-review';
import type { ReviewReportView } from './review-scope';

const RATE_COLUMNS: [string, (r: ReviewRates) => CountRatio | AmountRatio | number][] = [
  ['项目数', (r) => r.projects],
  ['上年度签约项目开工率', (r) => r.startRate.previousYear.all],
  ['上年度签约工业项目开工率', (r) => r.startRate.previousYear.industrial],
  ['当年签约项目开工率', (r) => r.startRate.currentYear.all],
  ['当年签约工业项目开工率', (r) => r.startRate.currentYear.industrial],
  ['新开工项目到资率', (r) => r.fundsArrivalRate],
  ['新开工项目入统率', (r) => r.statisticsRate],
  ['上年度签约项目落地率', (r) => r.landingRate.previousYear],
  ['当年签约项目落地率', (r) => r.landingRate.currentYear],
  ['上年度签约项目履约率', (r) => r.performanceRate.previousYear],
  ['当年签约项目履约率', (r) => r.performanceRate.currentYear],
  ['工业项目占比', (r) => r.industrialShare],
  ['民营投资项目占比', (r) => r.privateShare],
];

const STALLED_COLUMNS: [string, (s: StalledEntry) => string | number][] = [
  ['项目编号', (s) => s.projectId],
  ['项目名称', (s) => s.name],
  ['地区', (s) => s.region],
  ['产业链', (s) => s.industryChain],
  ['问题类型', (s) => (s.kind === 'deadline' ? '逾期未完成' : '红灯预警')],
  ['规则', (s) => s.rule],
  ['规则说明', (s) => s.ruleLabel],
  ['应完成日期', (s) => s.dueDate ?? ''],
  ['督办层级', (s) => s.rung],
];

const ITEM_COLUMNS: [string, (i: SupervisionSummary & { outcome: string }) => string | number][] = [
  ['督办编号', (i) => i.itemId],
  ['项目编号', (i) => i.projectId],
  ['地区', (i) => i.region],
  ['规则说明', (i) => i.ruleLabel],
  ['本次结果', (i) => i.outcome],
  ['下发季度', (i) => i.openedIn],
  ['责任人', (i) => i.ownerId ?? i.ownerRole],
  ['督办层级', (i) => i.rung],
  ['办结期限', (i) => i.dueDate],
  ['是否未整改', (i) => (i.unrectified ? '未整改' : '')],
];

/** "75.00% (3/4)"; "—" when nothing was counted. */
function cell(value: CountRatio | AmountRatio | number): string | number {
  if (typeof value === 'number') return value;
  return value.percent === null ? '—' : `${value.percent}% (${value.numerator}/${value.denominator})`;
}

function rateRows(report: ReviewReportView): (string | number)[][] {
  const { overall, scope } = report.rates;
  return [
    // Figures over a reader's regions say so; a revision without their counts shows none.
    ...(overall
      ? [[scope ? '全部(可查看地区)' : '全部', ...RATE_COLUMNS.map(([, f]) => cell(f(overall)))]]
      : []),
    ...report.rates.byRegion.map((g) => [
      `地区 ${g.region}`,
      ...RATE_COLUMNS.map(([, f]) => cell(f(g.rates))),
    ]),
    ...report.rates.byIndustryChain.map((g) => [
      `产业链 ${g.industryChain}`,
      ...RATE_COLUMNS.map(([, f]) => cell(f(g.rates))),
    ]),
    ...(scope ? [[`说明: ${scope.note}`]] : []),
  ];
}

function items(report: ReviewReportView): (SupervisionSummary & { outcome: string })[] {
  return [
    ...report.supervision.opened.map((i) => ({ ...i, outcome: '下发' })),
    ...report.supervision.escalated.map((i) => ({ ...i, outcome: '未整改，升级督办' })),
    ...report.supervision.resolved.map((i) => ({ ...i, outcome: '已整改' })),
  ];
}

/** The report as the workbook an officer expects: rates, stalled projects, 督办 items. */
export async function reviewWorkbook(report: ReviewReportView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '招商引资项目全周期引擎';
  const sheet = (name: string, headers: string[], rows: (string | number)[][]) => {
    const ws = book.addWorksheet(name);
    ws.addRow(headers).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    ws.columns.forEach((c) => (c.width = 18));
  };
  sheet(`${report.quarter}回头看指标`, ['范围', ...RATE_COLUMNS.map(([h]) => h)], rateRows(report));
  sheet(
    '停滞项目',
    STALLED_COLUMNS.map(([h]) => h),
    report.stalled.map((s) => STALLED_COLUMNS.map(([, f]) => f(s))),
  );
  sheet(
    '督办事项',
    ITEM_COLUMNS.map(([h]) => h),
    items(report).map((i) => ITEM_COLUMNS.map(([, f]) => f(i))),
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The stalled projects as CSV, UTF-8 with a byte-order mark so Excel reads the Chinese headers. */
export function stalledCsv(report: ReviewReportView): string {
  const lines = [
    STALLED_COLUMNS.map(([h]) => h),
    ...report.stalled.map((s) => STALLED_COLUMNS.map(([, f]) => f(s))),
  ].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
