// The 台账's columns: the canonical header the export writes, the other headers bureaus write for the
// same thing, and what kind of value each holds.

export type LedgerColumnKind =
  | 'text'
  | 'amount'
  | 'date'
  | 'month'
  | 'boolean'
  | 'investorType'
  | 'investorFlags'
  | 'region'
  | 'creditCode'
  | 'person'
  | 'status'
  | 'productionScope';

export const LEDGER_COLUMN_KEYS = [
  'name',
  'investorName',
  'investorType',
  'investorFlags',
  'region',
  'park',
  'industryChain',
  'industrial',
  'plannedInvestment',
  'source',
  'leadDate',
  'talksDate',
  'leadingOfficial',
  'contractDate',
  'contractInvestment',
  'contractNumber',
  'creditCode',
  'companyName',
  'landedDate',
  'parcelNumber',
  'leaseContractNumber',
  'startDate',
  'permitNumber',
  'constructionEvidence',
  'inStatsDate',
  'statisticsCode',
  'productionDate',
  'productionScope',
  'fundsArrived',
  'fundsMonth',
  'status',
  'droppedDate',
  'dropReason',
  'serviceOfficer',
  'note',
] as const;

export type LedgerColumnKey = (typeof LEDGER_COLUMN_KEYS)[number];

export interface LedgerColumn {
  key: LedgerColumnKey;
  /** The canonical Chinese header, as the export writes it (amounts with their unit, 万元). */
  header: string;
  /** Other headers that mean the same column, compared after normaliseHeader. */
  synonyms: string[];
  kind: LedgerColumnKind;
}

export type AmountUnit = 'yuan' | 'wan' | 'yi';

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'name', header: '项目名称', synonyms: ['项目', '项目名'], kind: 'text' },
  {
    key: 'investorName',
    header: '投资方',
    synonyms: [
      '投资主体',
      '企业名称',
      '投资方名称',
      '投资企业',
      '投资单位',
      '签约企业',
      '投资商',
      '客商名称',
    ],
    kind: 'text',
  },
  {
    key: 'investorType',
    header: '投资方类型',
    synonyms: ['投资主体类型', '投资方性质', '企业类型', '企业性质', '投资主体性质'],
    kind: 'investorType',
  },
  {
    key: 'investorFlags',
    header: '投资方标签',
    synonyms: ['企业标签', '投资方类别', '500强及上市公司', '是否500强'],
    kind: 'investorFlags',
  },
  {
    key: 'region',
    header: '所属县市区',
    synonyms: [
      '县市区',
      '所属区域',
      '区域',
      '所属地区',
      '地区',
      '行政区划',
      '行政区划代码',
      '所属县区',
      '县区',
      '所属县(市、区)',
      '县(市、区)',
      '县(市区)',
      '所属县(市区)',
      '属地',
    ],
    kind: 'region',
  },
  { key: 'park', header: '园区', synonyms: ['所属园区', '落户园区', '入驻园区'], kind: 'text' },
  {
    key: 'industryChain',
    header: '产业链',
    synonyms: ['所属产业', '所属产业链', '产业类别', '产业', '行业', '所属行业', '行业类别'],
    kind: 'text',
  },
  { key: 'industrial', header: '是否工业项目', synonyms: ['工业项目', '是否工业'], kind: 'boolean' },
  {
    key: 'plannedInvestment',
    header: '计划总投资',
    synonyms: ['总投资', '计划投资', '投资总额', '项目总投资', '计划投资额'],
    kind: 'amount',
  },
  { key: 'source', header: '线索来源', synonyms: ['来源', '招商方式', '信息来源', '项目来源'], kind: 'text' },
  {
    key: 'leadDate',
    header: '线索时间',
    synonyms: ['线索日期', '登记时间', '登记日期', '获取时间', '收集时间'],
    kind: 'date',
  },
  {
    key: 'talksDate',
    header: '在谈时间',
    synonyms: ['洽谈时间', '在谈日期', '洽谈日期', '接洽时间'],
    kind: 'date',
  },
  { key: 'leadingOfficial', header: '领衔领导', synonyms: ['包联领导', '牵头领导'], kind: 'text' },
  {
    key: 'contractDate',
    header: '签约时间',
    synonyms: ['签约日期', '签订时间', '签订日期', '合同签订时间', '合同签订日期'],
    kind: 'date',
  },
  {
    key: 'contractInvestment',
    header: '合同投资',
    synonyms: ['协议投资', '签约投资', '合同投资额', '协议投资额', '签约金额', '合同金额', '协议金额'],
    kind: 'amount',
  },
  { key: 'contractNumber', header: '合同编号', synonyms: ['协议编号', '合同号', '协议号'], kind: 'text' },
  {
    key: 'creditCode',
    header: '统一社会信用代码',
    synonyms: ['信用代码', '社会信用代码', '统一信用代码'],
    kind: 'creditCode',
  },
  {
    key: 'companyName',
    header: '项目公司',
    synonyms: ['落地企业', '注册企业', '落地企业名称', '注册企业名称', '项目公司名称'],
    kind: 'text',
  },
  { key: 'landedDate', header: '落地时间', synonyms: ['落地日期', '注册时间', '注册日期'], kind: 'date' },
  {
    key: 'parcelNumber',
    header: '宗地编号',
    synonyms: ['地块编号', '土地编号', '不动产权证号'],
    kind: 'text',
  },
  {
    key: 'leaseContractNumber',
    header: '租赁合同编号',
    synonyms: ['厂房租赁合同编号', '租赁合同号'],
    kind: 'text',
  },
  { key: 'startDate', header: '开工时间', synonyms: ['开工日期', '实际开工时间'], kind: 'date' },
  {
    key: 'permitNumber',
    header: '施工许可证号',
    synonyms: ['施工许可证编号', '施工许可证', '施工许可'],
    kind: 'text',
  },
  { key: 'constructionEvidence', header: '开工佐证', synonyms: ['开工依据', '开工证明'], kind: 'text' },
  {
    key: 'inStatsDate',
    header: '入统时间',
    synonyms: ['入库时间', '入统日期', '入库日期', '纳统时间', '纳统日期'],
    kind: 'date',
  },
  {
    key: 'statisticsCode',
    header: '项目统计代码',
    synonyms: ['统计代码', '入库代码', '入统代码', '项目入库代码'],
    kind: 'text',
  },
  { key: 'productionDate', header: '投产时间', synonyms: ['投产日期', '实际投产时间'], kind: 'date' },
  { key: 'productionScope', header: '投产情况', synonyms: ['投产类型', '投产方式'], kind: 'productionScope' },
  {
    key: 'fundsArrived',
    header: '到位资金',
    synonyms: ['累计到位资金', '实际到位资金', '到位资金累计', '资金到位', '累计到资'],
    kind: 'amount',
  },
  { key: 'fundsMonth', header: '到位资金月份', synonyms: ['资金到位月份', '填报月份'], kind: 'month' },
  {
    key: 'status',
    header: '项目状态',
    synonyms: ['状态', '当前状态', '项目进度', '当前阶段'],
    kind: 'status',
  },
  { key: 'droppedDate', header: '终止时间', synonyms: ['终止日期'], kind: 'date' },
  { key: 'dropReason', header: '终止原因', synonyms: ['终止说明'], kind: 'text' },
  {
    key: 'serviceOfficer',
    header: '服务专员',
    synonyms: ['服务专员姓名', '包联专员', '责任人', '专员'],
    kind: 'person',
  },
  { key: 'note', header: '备注', synonyms: ['说明'], kind: 'text' },
];

export const COLUMN_BY_KEY: Readonly<Record<LedgerColumnKey, LedgerColumn>> = Object.fromEntries(
  LEDGER_COLUMNS.map((c) => [c.key, c]),
) as Record<LedgerColumnKey, LedgerColumn>;

export function isLedgerColumnKey(value: unknown): value is LedgerColumnKey {
  return typeof value === 'string' && (LEDGER_COLUMN_KEYS as readonly string[]).includes(value);
}

/** The unit an amount column is in when its header names none: ledgers count in 万元. */
export const DEFAULT_AMOUNT_UNIT: AmountUnit = 'wan';

function unitIn(text: string): AmountUnit | null {
  if (/亿/.test(text)) return 'yi';
  if (/万/.test(text)) return 'wan';
  if (/元/.test(text)) return 'yuan';
  return null;
}

/**
 * A header as compared: full-width forms folded (NFKC), spaces and line breaks removed, a trailing
 * bracket ("（万元）", "(单位:亿元)", "(年月日)") or a bare trailing unit ("万元") taken off, its unit
 * returned apart.
 */
export function normaliseHeader(header: string): { text: string; unit: AmountUnit | null } {
  let text = header
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[【〔［]/g, '[')
    .replace(/[】〕］]/g, ']')
    .replace(/^[*※]+|[*※]+$/g, '');
  let unit: AmountUnit | null = null;
  const bracket = /[([]([^()[\]]*)[)\]]$/.exec(text);
  if (bracket && bracket.index > 0) {
    unit = unitIn(bracket[1]);
    text = text.slice(0, bracket.index);
  } else {
    const bare = /(亿元|万元|元)$/.exec(text);
    if (bare && bare.index > 0 && /(投资|资金|金额|额)$/.test(text.slice(0, bare.index))) {
      unit = unitIn(bare[1]);
      text = text.slice(0, bare.index);
    }
  }
  return { text, unit };
}

/** A header as written, only folded (for headers whose brackets are part of the name: 县(市、区)). */
function foldHeader(header: string): string {
  return header.normalize('NFKC').replace(/\s+/g, '');
}

const BY_HEADER: ReadonlyMap<string, LedgerColumnKey> = (() => {
  const map = new Map<string, LedgerColumnKey>();
  for (const c of LEDGER_COLUMNS) {
    for (const h of [c.header, ...c.synonyms]) {
      for (const text of [foldHeader(h), normaliseHeader(h).text]) if (!map.has(text)) map.set(text, c.key);
    }
  }
  return map;
})();

/** The column a header names, or null. */
export function columnForHeader(header: string): LedgerColumnKey | null {
  return BY_HEADER.get(foldHeader(header)) ?? BY_HEADER.get(normaliseHeader(header).text) ?? null;
}

export type ColumnMapping = {
  [header: string]: { key: LedgerColumnKey | null; unit: AmountUnit | null };
};

/**
 * Each header's column. A saved mapping (header → key, or null for a column to ignore) wins over the
 * catalogue; a key named by two headers stays with the first. Amount columns get the unit their header
 * names, else 万元.
 */
export function matchColumns(
  headers: string[],
  saved?: Record<string, LedgerColumnKey | null>,
): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<LedgerColumnKey>();
  for (const header of headers) {
    let key: LedgerColumnKey | null;
    if (saved && Object.prototype.hasOwnProperty.call(saved, header)) {
      const s = saved[header];
      key = isLedgerColumnKey(s) ? s : null;
    } else {
      key = columnForHeader(header);
    }
    if (key && taken.has(key)) key = null;
    if (key) taken.add(key);
    const unit =
      key && COLUMN_BY_KEY[key].kind === 'amount'
        ? (normaliseHeader(header).unit ?? DEFAULT_AMOUNT_UNIT)
        : null;
    mapping[header] = { key, unit };
  }
  return mapping;
}

/** The header of the file that holds a key, if any. */
export function headerForKey(mapping: ColumnMapping, key: LedgerColumnKey): string | null {
  for (const [header, m] of Object.entries(mapping)) if (m.key === key) return header;
  return null;
}
