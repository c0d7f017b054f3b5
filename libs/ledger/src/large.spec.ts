import { matchColumns } from './columns';
import { rowToHistory } from './history';
import { readLedger } from './read';
import { writeLedger, type LedgerRow } from './write';

const ROWS = 10_000;
const COUNTIES = [
  '西陵区',
  '伍家岗区',
  '点军区',
  '猇亭区',
  '夷陵区',
  '420525',
  '宜昌市远安县',
  '湖北省宜昌市兴山县',
];

function row(i: number): LedgerRow {
  const day = (n: number) =>
    `20${20 + (i % 5)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + n).padStart(2, '0')}`;
  const signed = i % 3 !== 0;
  return {
    name: `项目${i}`,
    investorName: `投资企业${i % 1_000}有限公司`,
    investorType: ['央企', '国企', '民营', '外资', '港澳台'][i % 5],
    region: COUNTIES[i % COUNTIES.length],
    industryChain: '新材料',
    industrial: i % 4 !== 0,
    plannedInvestment: `${100_000 + i * 137}.${String(i % 100).padStart(2, '0')}`,
    source: '以商招商',
    leadDate: day(0),
    contractDate: signed ? day(5) : null,
    contractInvestment: signed ? `${90_000 + i}.00` : null,
    contractNumber: signed ? `HT-${i}` : null,
    note: i % 7 === 0 ? '备注,含逗号\n与换行' : null,
  };
}

describe('a 10,000-row ledger', () => {
  it('is read and every row converted', async () => {
    const buffer = await writeLedger(Array.from({ length: ROWS }, (_, i) => row(i)));
    const sheet = await readLedger(buffer, '台账.xlsx');
    expect(sheet.rows).toHaveLength(ROWS);
    const mapping = matchColumns(sheet.headers);
    const histories = sheet.rows.map((r) =>
      rowToHistory(r, sheet.headers, mapping, { projectId: 'p', today: '2026-12-01' }),
    );
    const good = histories.filter((h) => h.ok);
    expect(good).toHaveLength(ROWS);
    expect(new Set(good.map((h) => h.key)).size).toBe(ROWS);
    const last = histories[ROWS - 1];
    expect(last.ok && last.lead.plannedInvestment).toBe(`${100_000 + (ROWS - 1) * 137}.99`);
  }, 120_000);
});
