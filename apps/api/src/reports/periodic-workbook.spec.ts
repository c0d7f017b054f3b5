import ExcelJS from 'exceljs';
import type { PeriodicReportView } from './periodic-report.dto';
import { periodicWorkbook } from './periodic-workbook';

const project = {
  projectId: '00000000-0000-4000-8000-000000000001',
  name: '年产5万吨锂电池正极材料项目',
  region: '420506',
  investorName: '湖北某某新材料有限公司',
  stage: 'signed',
  serviceOfficerId: 'officer-1',
  serviceOfficerName: '王专员',
};
const empty = { count: 0, amount: '0.00', items: [] };

const report: PeriodicReportView = {
  kind: 'monthly',
  period: '2026-11',
  label: '2026年11月',
  firstDay: '2026-11-01',
  lastDay: '2026-11-30',
  region: '420500',
  asOf: '2026-12-02',
  staleAfterDays: 30,
  progress: {
    signed: {
      count: 1,
      amount: '123456789.01',
      items: [{ ...project, date: '2026-11-20', amount: '123456789.01' }],
    },
    landed: empty,
    started: empty,
    inStats: empty,
    producing: empty,
  },
  funds: { total: '30000000.00', items: [{ ...project, amount: '30000000.00' }] },
  redLights: [
    {
      ...project,
      serviceOfficerName: null,
      reasons: [
        {
          deadlineId: 'land:1',
          rule: 'land_within_3_months',
          ruleLabel: '签约后3个月内落地',
          step: 'land',
          dueDate: '2026-08-20',
          rung: 4,
          addressedTo: '主要领导',
          light: 'red',
        },
      ],
    },
  ],
  stale: [{ ...project, lastActivityDate: '2026-10-01', daysWithoutUpdate: 62 }],
};

async function sheets(buffer: Buffer): Promise<Record<string, unknown[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  const out: Record<string, unknown[][]> = {};
  for (const ws of book.worksheets) {
    out[ws.name] = [];
    ws.eachRow((row) => out[ws.name].push((row.values as unknown[]).slice(1)));
  }
  return out;
}

describe('periodicWorkbook', () => {
  it('writes the three sheets, amounts in 万元 to the fen, divisions by name, the officer by name or else id', async () => {
    const book = await sheets(await periodicWorkbook(report));
    expect(Object.keys(book)).toEqual(['本期进展', '红灯项目', '30日未更新']);
    const progress = book['本期进展'];
    expect(progress[0][0]).toBe('2026年11月招商引资项目月报(宜昌市,2026-11-01 至 2026-11-30)');
    expect(progress).toContainEqual([
      '新签约',
      project.name,
      '夷陵区',
      project.investorName,
      '签约',
      '王专员',
      '2026-11-20',
      12345.678901,
    ]);
    expect(progress).toContainEqual([
      '新签约小计',
      '1 个',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      12345.678901,
    ]);
    expect(progress).toContainEqual([
      '新投产小计',
      '0 个',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      0,
    ]);
    expect(progress).toContainEqual([
      '到位资金小计',
      '1 个',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      3000,
    ]);
    expect(book['红灯项目'][2]).toEqual([
      project.name,
      '夷陵区',
      project.investorName,
      '签约',
      'officer-1',
      '签约后3个月内落地',
      '2026-08-20',
      '第4级',
      '主要领导',
      '红灯',
    ]);
    expect(book['30日未更新'][2]).toEqual([
      project.name,
      '夷陵区',
      project.investorName,
      '签约',
      '王专员',
      '2026-10-01',
      62,
    ]);
  });
});
