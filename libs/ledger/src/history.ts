// One ledger row to the history RecordHistory records: the lead and its dated steps. Only what a cell
// can say about itself is checked here (a number, a date, a known region, a credit code's check
// character, a date after today); whether the steps fit together is the domain's decision, and its
// refusal is put back on a column by problemsFromRefusal.
import { createHash } from 'node:crypto';
import {
  creditCodeProblem,
  INVESTOR_FLAG_LABELS,
  INVESTOR_FLAGS,
  INVESTOR_TYPE_LABELS,
  INVESTOR_TYPES,
  type ConstructionEvidence,
  type HistoryStep,
  type InvestorFlag,
  type InvestorType,
  type IsoDate,
  type IsoMonth,
  type ProductionScope,
  type RegisterLeadData,
  type Refusal,
  type Site,
  type Yuan,
} from '@app/domain';
import { COLUMN_BY_KEY, DEFAULT_AMOUNT_UNIT, type ColumnMapping, type LedgerColumnKey } from './columns';
import type { LedgerRowCells } from './read';
import { regionCode } from './regions';
import {
  cellText,
  isBlank,
  parseAmount,
  parseBoolean,
  parseDate,
  parseMonth,
  type LedgerCell,
} from './values';

/** A problem of one cell (or of the row, when `key` is null), told in Chinese. */
export interface CellProblem {
  row: number;
  /** The header as the file writes it; the canonical header when the file lacks the column; '' for the row. */
  column: string;
  key: LedgerColumnKey | null;
  value: string;
  /** A stable code: the domain's refusal code, or one of the ledger's own (UNKNOWN_REGION, …). */
  rule: string;
  message: string;
}

/** The people directory, as the caller has it: a 服务专员 written by name or id → the person's id, or null. */
export type PeopleLookup = (nameOrId: string) => string | null;

export interface RowToHistoryOptions {
  /** The project's id, the caller's to choose (it is not part of the row's hash). */
  projectId: string;
  /** The real today in Asia/Shanghai: a later business date is refused. */
  today: IsoDate;
  people?: PeopleLookup;
}

export type RowHistory =
  | { ok: true; key: string; rowHash: string; lead: RegisterLeadData; steps: HistoryStep[] }
  | { ok: false; problems: CellProblem[] };

const INVESTOR_TYPE_WORDS: Record<string, InvestorType> = {
  ...Object.fromEntries(INVESTOR_TYPES.map((t) => [INVESTOR_TYPE_LABELS[t], t])),
  中央企业: 'central_soe',
  央属企业: 'central_soe',
  国有企业: 'local_soe',
  地方国企: 'local_soe',
  地方国有企业: 'local_soe',
  省属国企: 'local_soe',
  市属国企: 'local_soe',
  民营企业: 'private',
  民企: 'private',
  私营企业: 'private',
  私营: 'private',
  私企: 'private',
  外资企业: 'foreign',
  外商投资: 'foreign',
  外商投资企业: 'foreign',
  外企: 'foreign',
  港资: 'hk_macao_taiwan',
  澳资: 'hk_macao_taiwan',
  台资: 'hk_macao_taiwan',
  港澳台资: 'hk_macao_taiwan',
  港澳台企业: 'hk_macao_taiwan',
};

const INVESTOR_FLAG_WORDS: Record<string, InvestorFlag> = {
  ...Object.fromEntries(INVESTOR_FLAGS.map((f) => [INVESTOR_FLAG_LABELS[f], f])),
  世界五百强: 'fortune_global_500',
  财富世界500强: 'fortune_global_500',
  中国五百强: 'china_top_500',
  中国企业500强: 'china_top_500',
  中国民营500强: 'private_top_500',
  中国民营企业500强: 'private_top_500',
  民营企业500强: 'private_top_500',
  上市: 'listed',
  上市企业: 'listed',
};

const SCOPE_WORDS: Record<string, ProductionScope> = {
  部分投产: 'partial',
  部分: 'partial',
  试生产: 'partial',
  全部投产: 'full',
  全部: 'full',
  全面投产: 'full',
  建成投产: 'full',
  投产: 'full',
};

/** 项目状态 values that mean the project was given up (终止). */
const DROPPED_STATUS = /终止|中止|放弃|取消|退出|撤销/;

function word(cell: LedgerCell): string {
  return cellText(cell).normalize('NFKC').replace(/\s+/g, '');
}

/** A row's identity across imports: the region's code, the investor and the project's name, normalised. */
export function ledgerKey(region: string, investorName: string, name: string): string {
  const norm = (s: string) =>
    s
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]/gu, '');
  return createHash('sha256')
    .update(`ledger-key\u0000${norm(region)}\u0000${norm(investorName)}\u0000${norm(name)}`)
    .digest('hex');
}

/** A copy with every object's keys in sorted order and undefined values left out. */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedKeys);
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record).sort()) if (record[k] !== undefined) out[k] = sortedKeys(record[k]);
  return out;
}

/** JSON with keys sorted and undefined left out: the same history always hashes the same. */
function stableJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value)) ?? 'null';
}

/** The hash of a parsed history (without the caller's project id): what changed since the last import. */
export function rowHash(lead: RegisterLeadData, steps: HistoryStep[]): string {
  const { projectId: _projectId, ...rest } = lead;
  return createHash('sha256')
    .update(stableJson({ lead: rest, steps }))
    .digest('hex');
}

/** Reads a row's cells by column key, collecting every cell's problem. */
class RowReader {
  readonly problems: CellProblem[] = [];
  private readonly byKey = new Map<
    LedgerColumnKey,
    { header: string; cell: LedgerCell; unit: string | null }
  >();

  constructor(
    private readonly row: LedgerRowCells,
    headers: string[],
    mapping: ColumnMapping,
    private readonly today: IsoDate,
  ) {
    headers.forEach((header, i) => {
      const m = mapping[header];
      if (m?.key && !this.byKey.has(m.key))
        this.byKey.set(m.key, { header, cell: row.cells[i] ?? null, unit: m.unit });
    });
  }

  has(key: LedgerColumnKey): boolean {
    const c = this.byKey.get(key);
    return c !== undefined && !isBlank(c.cell);
  }

  problem(key: LedgerColumnKey, rule: string, message: string): void {
    const c = this.byKey.get(key);
    this.problems.push({
      row: this.row.rowNumber,
      column: c?.header ?? COLUMN_BY_KEY[key].header,
      key,
      value: c ? cellText(c.cell) : '',
      rule,
      message,
    });
  }

  text(key: LedgerColumnKey): string | null {
    const c = this.byKey.get(key);
    if (!c || isBlank(c.cell)) return null;
    return cellText(c.cell);
  }

  amount(key: LedgerColumnKey): Yuan | null {
    const c = this.byKey.get(key);
    if (!c || isBlank(c.cell)) return null;
    const unit = (c.unit as 'yuan' | 'wan' | 'yi' | null) ?? DEFAULT_AMOUNT_UNIT;
    const yuan = parseAmount(c.cell, unit);
    if (yuan === null) {
      const unitName = unit === 'yi' ? '亿元' : unit === 'wan' ? '万元' : '元';
      this.problem(key, 'INVALID_AMOUNT', `「${cellText(c.cell)}」不是金额数字(本列单位:${unitName})`);
    }
    return yuan;
  }

  date(key: LedgerColumnKey): IsoDate | null {
    const c = this.byKey.get(key);
    if (!c || isBlank(c.cell)) return null;
    const date = parseDate(c.cell);
    if (date === null) {
      this.problem(
        key,
        'INVALID_DATE',
        `「${cellText(c.cell)}」不是有效日期(可写作 2025-03-01、2025/3/1、2025.3.1 或 2025年3月1日)`,
      );
      return null;
    }
    if (date > this.today) {
      this.problem(key, 'DATE_IN_FUTURE', `${date} 晚于今天(${this.today}),业务日期不能晚于当前日期`);
      return null;
    }
    return date;
  }

  month(key: LedgerColumnKey): IsoMonth | null {
    const c = this.byKey.get(key);
    if (!c || isBlank(c.cell)) return null;
    const month = parseMonth(c.cell);
    if (month === null) this.problem(key, 'INVALID_MONTH', `「${cellText(c.cell)}」不是有效月份(如 2025-03)`);
    else if (month > this.today.slice(0, 7)) {
      this.problem(key, 'DATE_IN_FUTURE', `${month} 晚于本月,业务日期不能晚于当前日期`);
      return null;
    }
    return month;
  }

  boolean(key: LedgerColumnKey): boolean | null {
    const c = this.byKey.get(key);
    if (!c || isBlank(c.cell)) return null;
    const b = parseBoolean(c.cell);
    if (b === null) this.problem(key, 'INVALID_VALUE', `「${cellText(c.cell)}」应为"是"或"否"`);
    return b;
  }

  cell(key: LedgerColumnKey): LedgerCell {
    return this.byKey.get(key)?.cell ?? null;
  }
}

function earliest(dates: (IsoDate | null)[]): IsoDate | null {
  const known = dates.filter((d): d is IsoDate => d !== null).sort();
  return known[0] ?? null;
}

function latest(dates: (IsoDate | null)[]): IsoDate | null {
  const known = dates.filter((d): d is IsoDate => d !== null).sort();
  return known[known.length - 1] ?? null;
}

/**
 * One row to the lead and steps of RecordHistory, or every problem its cells have. A value the domain
 * needs but the row lacks is sent empty, so that the decision refuses it on its field (and
 * problemsFromRefusal on its column): what is required is the domain's to say.
 */
export function rowToHistory(
  row: LedgerRowCells,
  headers: string[],
  mapping: ColumnMapping,
  options: RowToHistoryOptions,
): RowHistory {
  const r = new RowReader(row, headers, mapping, options.today);

  const name = r.text('name') ?? '';
  const investorName = r.text('investorName') ?? '';

  let investorType = '' as InvestorType;
  if (r.has('investorType')) {
    const t = INVESTOR_TYPE_WORDS[word(r.cell('investorType'))];
    if (t) investorType = t;
    else {
      r.problem(
        'investorType',
        'INVALID_VALUE',
        `「${r.text('investorType')}」不是投资方类型,应为 ${INVESTOR_TYPES.map((x) => INVESTOR_TYPE_LABELS[x]).join('、')}`,
      );
    }
  }

  const flags: InvestorFlag[] = [];
  if (r.has('investorFlags')) {
    const parts = (r.text('investorFlags') ?? '')
      .normalize('NFKC')
      .split(/[、,;/|\s]+/)
      .filter((p) => p !== '' && p !== '无' && p !== '否');
    for (const p of parts) {
      const f = INVESTOR_FLAG_WORDS[p];
      if (f) {
        if (!flags.includes(f)) flags.push(f);
      } else {
        r.problem(
          'investorFlags',
          'INVALID_VALUE',
          `「${p}」不是投资方标签,应为 ${INVESTOR_FLAGS.map((x) => INVESTOR_FLAG_LABELS[x]).join('、')}`,
        );
      }
    }
  }

  let region = '';
  if (r.has('region')) {
    const code = regionCode(r.text('region') ?? '');
    if (code) region = code;
    else {
      r.problem(
        'region',
        'UNKNOWN_REGION',
        `「${r.text('region')}」不是已知的行政区划名称或代码(同名区县请写上所属市,如"长春市朝阳区")`,
      );
    }
  }

  const industrial = r.boolean('industrial');
  const plannedInvestment = r.amount('plannedInvestment');

  let serviceOfficerId: string | undefined;
  if (r.has('serviceOfficer') && options.people) {
    const id = options.people(r.text('serviceOfficer') ?? '');
    if (id) serviceOfficerId = id;
    else
      r.problem('serviceOfficer', 'UNKNOWN_PERSON', `人员名录中没有「${r.text('serviceOfficer')}」,或有重名`);
  }

  let creditCode: string | null = null;
  if (r.has('creditCode')) {
    creditCode = (r.text('creditCode') ?? '').normalize('NFKC').replace(/\s+/g, '').toUpperCase();
    const problem = creditCodeProblem(creditCode);
    if (problem === 'check_character') {
      r.problem('creditCode', 'CREDIT_CODE_CHECK_FAILED', `统一社会信用代码「${creditCode}」的校验位不符`);
    } else if (problem) {
      const why =
        problem === 'length'
          ? `应为18位,实为${creditCode.length}位`
          : problem === 'characters'
            ? '含有不允许的字符(不含 I、O、Z、S、V)'
            : '第3至8位应为行政区划代码';
      r.problem('creditCode', 'INVALID_CREDIT_CODE', `统一社会信用代码「${creditCode}」无效:${why}`);
    }
  }

  const talksDate = r.date('talksDate');
  const contractDate = r.date('contractDate');
  const contractInvestment = r.amount('contractInvestment');
  const landedDate = r.date('landedDate');
  const startDate = r.date('startDate');
  const inStatsDate = r.date('inStatsDate');
  const productionDate = r.date('productionDate');
  const droppedDate = r.date('droppedDate');
  const fundsArrived = r.amount('fundsArrived');
  const fundsMonth = r.month('fundsMonth');
  const leadDateCell = r.date('leadDate');

  // Ledgers write 投产 for 建成投产: without a 投产情况 column, a 投产时间 is a full production start.
  let scope: ProductionScope = 'full';
  if (r.has('productionScope')) {
    const s = SCOPE_WORDS[word(r.cell('productionScope'))];
    if (s) scope = s;
    else
      r.problem(
        'productionScope',
        'INVALID_VALUE',
        `「${r.text('productionScope')}」应为"部分投产"或"全部投产"`,
      );
  }

  if (r.problems.length > 0) return { ok: false, problems: r.problems };

  const stageDates = [talksDate, contractDate, landedDate, startDate, inStatsDate, productionDate];
  // A ledger that names no 线索时间 had the lead by its first recorded step at the latest.
  const leadDate = leadDateCell ?? earliest(stageDates) ?? '';

  const lead: RegisterLeadData = {
    projectId: options.projectId,
    name,
    investor: { name: investorName, type: investorType, flags },
    industryChain: r.text('industryChain') ?? '',
    region,
    park: r.text('park'),
    // Sent as missing when the row has no 是/否, for the domain to refuse on its field.
    industrial: industrial ?? (undefined as unknown as boolean),
    plannedInvestment: plannedInvestment ?? '',
    source: r.text('source') ?? '台账导入',
    leadDate,
    ...(serviceOfficerId ? { serviceOfficerId } : {}),
  };

  const steps: HistoryStep[] = [];
  if (r.has('talksDate') || r.has('leadingOfficial')) {
    steps.push({
      type: 'StartTalks',
      data: {
        talksDate: talksDate ?? '',
        ...(r.has('leadingOfficial') ? { leadingOfficial: r.text('leadingOfficial') } : {}),
      },
    });
  }
  if (r.has('contractDate') || r.has('contractInvestment') || r.has('contractNumber')) {
    steps.push({
      type: 'Sign',
      data: {
        contractDate: contractDate ?? '',
        contractInvestment: contractInvestment ?? '',
        contractNumber: r.text('contractNumber') ?? '',
      },
    });
  }
  // A credit code alone is often the investor's, written on a lead: it lands nothing by itself.
  if (r.has('landedDate') || r.has('parcelNumber') || r.has('leaseContractNumber') || r.has('companyName')) {
    const site: Site =
      !r.has('parcelNumber') && r.has('leaseContractNumber')
        ? { kind: 'lease', leaseContractNumber: r.text('leaseContractNumber') ?? '' }
        : { kind: 'land_parcel', parcelNumber: r.text('parcelNumber') ?? '' };
    steps.push({
      type: 'Land',
      data: {
        creditCode: creditCode ?? '',
        ...(r.has('companyName') ? { companyName: r.text('companyName') } : {}),
        landedDate: landedDate ?? '',
        site,
      },
    });
  }
  if (r.has('startDate') || r.has('permitNumber') || r.has('constructionEvidence')) {
    // A 施工许可证号 is the evidence of real construction; without one, what the ledger says instead.
    const evidence: ConstructionEvidence =
      !r.has('permitNumber') && r.has('constructionEvidence')
        ? { kind: 'other', description: r.text('constructionEvidence') ?? '' }
        : { kind: 'construction_permit', permitNumber: r.text('permitNumber') ?? '' };
    steps.push({ type: 'StartConstruction', data: { startDate: startDate ?? '', evidence } });
  }
  if (r.has('inStatsDate') || r.has('statisticsCode')) {
    steps.push({
      type: 'EnterStatistics',
      data: { statisticsCode: r.text('statisticsCode') ?? '', inStatsDate: inStatsDate ?? '' },
    });
  }
  if (r.has('productionDate')) {
    steps.push({ type: 'StartProduction', data: { productionDate: productionDate ?? '', scope } });
  }
  if (fundsArrived !== null && fundsArrived !== '0.00') {
    // The ledger's running total, as of its latest step's month unless it names the month.
    const month = fundsMonth ?? (latest([leadDate || null, ...stageDates]) ?? '').slice(0, 7);
    steps.push({ type: 'RecordFundsArrived', data: { month, amount: fundsArrived } });
  }
  const status = r.text('status');
  if (status && DROPPED_STATUS.test(status)) {
    steps.push({
      type: 'Drop',
      data: {
        reason: r.text('dropReason') ?? `台账项目状态:${status}`,
        ...(droppedDate ? { droppedDate } : {}),
      },
    });
  }

  return {
    ok: true,
    key: ledgerKey(region, investorName, name),
    rowHash: rowHash(lead, steps),
    lead,
    steps,
  };
}

const LEAD_FIELDS: Record<string, LedgerColumnKey | null> = {
  projectId: null,
  name: 'name',
  investor: 'investorName',
  'investor.name': 'investorName',
  'investor.type': 'investorType',
  'investor.flags': 'investorFlags',
  industryChain: 'industryChain',
  region: 'region',
  park: 'park',
  industrial: 'industrial',
  plannedInvestment: 'plannedInvestment',
  source: 'source',
  leadDate: 'leadDate',
  serviceOfficerId: 'serviceOfficer',
};

/** Each step's column by its field, and the column that stands for the step as a whole. */
const STEP_FIELDS: Record<
  HistoryStep['type'],
  { fields: Record<string, LedgerColumnKey>; step: LedgerColumnKey | null }
> = {
  StartTalks: { fields: { talksDate: 'talksDate', leadingOfficial: 'leadingOfficial' }, step: 'talksDate' },
  Sign: {
    fields: {
      contractDate: 'contractDate',
      contractInvestment: 'contractInvestment',
      contractNumber: 'contractNumber',
    },
    step: 'contractDate',
  },
  Land: {
    fields: {
      creditCode: 'creditCode',
      companyName: 'companyName',
      landedDate: 'landedDate',
      'site.leaseContractNumber': 'leaseContractNumber',
      'site.parcelNumber': 'parcelNumber',
    },
    step: 'landedDate',
  },
  StartConstruction: {
    fields: {
      startDate: 'startDate',
      'evidence.permitNumber': 'permitNumber',
      'evidence.description': 'constructionEvidence',
    },
    step: 'startDate',
  },
  EnterStatistics: {
    fields: { statisticsCode: 'statisticsCode', inStatsDate: 'inStatsDate' },
    step: 'inStatsDate',
  },
  StartProduction: {
    fields: { productionDate: 'productionDate', scope: 'productionScope' },
    step: 'productionDate',
  },
  RecordFundsArrived: { fields: { amount: 'fundsArrived', month: 'fundsMonth' }, step: 'fundsArrived' },
  Drop: { fields: { reason: 'dropReason', droppedDate: 'droppedDate' }, step: 'status' },
  LogServiceVisit: { fields: {}, step: null },
  RaiseBlocker: { fields: {}, step: null },
  ResolveBlocker: { fields: {}, step: null },
};

function valueAt(root: unknown, path: string[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return JSON.stringify(value);
}

/** Which column a refusal's field path ("data.lead.region", "data.steps[2].data.startDate") names. */
function columnOfField(
  field: string | undefined,
  history: { lead: RegisterLeadData; steps: HistoryStep[] },
): { key: LedgerColumnKey | null; value: unknown } {
  if (!field) return { key: null, value: undefined };
  const lead = /^data\.lead\.(.+)$/.exec(field);
  if (lead) {
    const path = lead[1];
    const key = LEAD_FIELDS[path] ?? LEAD_FIELDS[path.split('.')[0]] ?? null;
    return { key, value: valueAt(history.lead, path.split('.')) };
  }
  const step = /^data\.steps\[(\d+)\](?:\.data(?:\.(.+))?)?$/.exec(field);
  if (step) {
    const s = history.steps[Number(step[1])];
    if (!s) return { key: null, value: undefined };
    const table = STEP_FIELDS[s.type];
    const path = step[2];
    if (!path) return { key: table.step, value: undefined };
    let key: LedgerColumnKey | null = table.fields[path] ?? table.fields[path.split('.')[0]] ?? null;
    // A site or evidence refused as a whole (or by its kind) is told on the column that would hold it.
    if (!key && path.startsWith('site')) {
      key = (s.data as { site?: Site }).site?.kind === 'lease' ? 'leaseContractNumber' : 'parcelNumber';
    } else if (!key && path.startsWith('evidence')) {
      key =
        (s.data as { evidence?: ConstructionEvidence }).evidence?.kind === 'other'
          ? 'constructionEvidence'
          : 'permitNumber';
    }
    return { key: key ?? table.step, value: valueAt(s.data, path.split('.')) };
  }
  return { key: null, value: undefined };
}

/**
 * The domain's refusal of a row's history, on the column it names: the file's header for it, or the
 * canonical header when the file has no such column (the row lacks what the domain requires).
 */
export function problemsFromRefusal(
  refusal: Refusal,
  history: { lead: RegisterLeadData; steps: HistoryStep[] },
  headers: string[],
  mapping: ColumnMapping,
  rowNumber: number,
): CellProblem[] {
  const found = columnOfField(refusal.field, history);
  const value = found.value;
  let key = found.key;
  // A step's own column the file lacks (终止原因) falls back to the one that made the step (项目状态).
  if (key === 'dropReason' || key === 'droppedDate' || key === 'fundsMonth') {
    const fallback = key === 'fundsMonth' ? 'fundsArrived' : 'status';
    if (!headers.some((h) => mapping[h]?.key === key)) key = fallback;
  }
  const column = key ? (headers.find((h) => mapping[h]?.key === key) ?? COLUMN_BY_KEY[key].header) : '';
  return [
    { row: rowNumber, column, key, value: shown(value), rule: refusal.code, message: refusal.message.zh },
  ];
}
