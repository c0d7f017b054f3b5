import ExcelJS from 'exceljs';
import {
  LIGHT_LABELS,
  REPORT_PERIOD_KIND_LABELS,
  STAGE_LABELS,
  toWanYuan,
  type Light,
  type StageCode,
} from '@app/domain';
import { regionLabel } from '@app/ledger';
import type { PeriodicProjectView, PeriodicReportView, ProgressGroupView } from './periodic-report.dto';

/** Amounts in 万元 with every 分 kept (six decimals), shown with two and more where there are more. */
const WAN_FORMAT = '#,##0.00####';

const PROGRESS_LABELS: Record<keyof PeriodicReportView['progress'], string> = {
  signed: '新签约',
  landed: '新落地',
  started: '新开工',
  inStats: '新入统',
  producing: '新投产',
};

const wan = (yuan: string): number => Number(toWanYuan(yuan, 6));
const stage = (code: string): string => STAGE_LABELS[code as StageCode] ?? code;

function projectCells(p: PeriodicProjectView): (string | null)[] {
  return [
    p.name,
    regionLabel(p.region) ?? p.region,
    p.investorName,
    stage(p.stage),
    p.serviceOfficerName ?? p.serviceOfficerId,
  ];
}

function sheetWithTitle(
  workbook: ExcelJS.Workbook,
  name: string,
  title: string,
  headers: string[],
  widths: number[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name);
  sheet.addRow([title]);
  sheet.mergeCells(1, 1, 1, headers.length);
  sheet.getRow(1).font = { bold: true, size: 14 };
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return sheet;
}

/**
 * The weekly or monthly form as a workbook: 本期进展 (each step taken in the period and the funds
 * arrived, with subtotals), 红灯项目 (each open alert of a red project) and 30日未更新.
 */
export async function periodicWorkbook(report: PeriodicReportView): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(`${report.asOf}T00:00:00+08:00`);
  // Divisions by the name the 台账 reads back (the code where the table has none).
  const where = report.region ? (regionLabel(report.region) ?? report.region) : '全部地区';
  const form = REPORT_PERIOD_KIND_LABELS[report.kind];

  const progress = sheetWithTitle(
    workbook,
    '本期进展',
    `${report.label}招商引资项目${form}(${where},${report.firstDay} 至 ${report.lastDay})`,
    ['类别', '项目名称', '地区', '投资方', '当前阶段', '服务专员', '日期', '金额(万元)'],
    [10, 36, 10, 30, 10, 12, 12, 16],
  );
  const subtotal = (label: string, count: number, amount: string) => {
    const row = progress.addRow([`${label}小计`, `${count} 个`, null, null, null, null, null, wan(amount)]);
    row.font = { bold: true };
  };
  for (const [key, label] of Object.entries(PROGRESS_LABELS)) {
    const group: ProgressGroupView = report.progress[key as keyof typeof PROGRESS_LABELS];
    for (const item of group.items)
      progress.addRow([label, ...projectCells(item), item.date, wan(item.amount)]);
    subtotal(label, group.count, group.amount);
  }
  for (const item of report.funds.items) {
    progress.addRow(['到位资金', ...projectCells(item), null, wan(item.amount)]);
  }
  subtotal('到位资金', report.funds.items.length, report.funds.total);
  progress.getColumn(3).numFmt = '@';
  progress.getColumn(8).numFmt = WAN_FORMAT;

  const red = sheetWithTitle(
    workbook,
    '红灯项目',
    `红灯项目(截至 ${report.asOf},${where})`,
    [
      '项目名称',
      '地区',
      '投资方',
      '当前阶段',
      '服务专员',
      '亮灯原因',
      '应完成日期',
      '督办层级',
      '送达',
      '灯色',
    ],
    [36, 10, 30, 10, 12, 36, 12, 10, 14, 8],
  );
  for (const entry of report.redLights) {
    const reasons = entry.reasons.length ? entry.reasons : [null];
    for (const reason of reasons) {
      red.addRow([
        ...projectCells(entry),
        reason?.ruleLabel ?? null,
        reason?.dueDate ?? null,
        reason ? `第${reason.rung}级` : null,
        reason?.addressedTo ?? null,
        reason ? (LIGHT_LABELS[reason.light as Light] ?? reason.light) : null,
      ]);
    }
  }
  red.getColumn(2).numFmt = '@';

  const stale = sheetWithTitle(
    workbook,
    '30日未更新',
    `${report.staleAfterDays}日未更新项目(截至 ${report.asOf},${where})`,
    ['项目名称', '地区', '投资方', '当前阶段', '服务专员', '最近更新日期', '未更新天数'],
    [36, 10, 30, 10, 12, 14, 12],
  );
  for (const entry of report.stale) {
    stale.addRow([...projectCells(entry), entry.lastActivityDate, entry.daysWithoutUpdate]);
  }
  stale.getColumn(2).numFmt = '@';

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
