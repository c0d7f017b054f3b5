import type { Addressee, Light, Rung } from './alerts';
import type {
  BlockerCategory,
  ConstructionEvidence,
  DepartmentRole,
  Investor,
  ProductionScope,
  Site,
} from './attributes';
import type { IsoDate, IsoMonth } from './dates';
import type { AnomalyCode, ProjectEventType } from './events';
import type { Yuan } from './money';
import type { StageCode } from './stages';

export interface FundsEntry {
  /** Version of the FundsArrivedRecorded event, so a correction can find it. */
  version: number;
  month: IsoMonth;
  amount: Yuan;
}

export interface ProductionEntry {
  version: number;
  date: IsoDate;
  scope: ProductionScope;
}

export interface Blocker {
  blockerId: string;
  category: BlockerCategory;
  description: string;
  responsibleDepartment: string;
  departmentRole: DepartmentRole;
  raisedDate: IsoDate;
  dueDate: IsoDate;
}

export interface ResolvedBlocker extends Blocker {
  resolution: string;
  resolvedDate: IsoDate;
}

export interface Anomaly {
  code: AnomalyCode;
  since: IsoDate;
}

export interface Extension {
  deadlineId: string;
  newDueDate: IsoDate;
  reason: string;
  approvedBy: string;
}

export interface OpenAlert {
  deadlineId: string;
  rule: string;
  step: string;
  dueDate: IsoDate;
  rung: Rung;
  addressee: Addressee;
  light: Light;
  raisedAt: string;
}

/** An event a correction may name: its version and type (the only events a correction needs to find). */
export interface CorrectableEntry {
  version: number;
  type: ProjectEventType;
}

/** Versions of the events that moved the project into each stage (for corrections). */
export type StageVersions = Partial<
  Record<'lead' | 'talks' | 'signed' | 'landed' | 'started' | 'in_stats', number>
>;

export interface ProjectState {
  exists: boolean;
  projectId: string | null;
  /** Number of events applied. */
  version: number;
  stage: StageCode | null;
  /** The stage a dropped project returns to when reopened. */
  stageBeforeDrop: StageCode | null;

  name: string | null;
  investor: Investor | null;
  industryChain: string | null;
  region: string | null;
  park: string | null;
  industrial: boolean | null;
  plannedInvestment: Yuan | null;
  source: string | null;

  leadingOfficial: string | null;
  contractInvestment: Yuan | null;
  contractNumber: string | null;
  signingBatchId: string | null;
  plannedProductionDate: IsoDate | null;
  creditCode: string | null;
  companyName: string | null;
  site: Site | null;
  constructionEvidence: ConstructionEvidence | null;
  statisticsCode: string | null;
  productionScope: ProductionScope | null;

  leadDate: IsoDate | null;
  talksDate: IsoDate | null;
  signedDate: IsoDate | null;
  landedDate: IsoDate | null;
  startedDate: IsoDate | null;
  inStatsDate: IsoDate | null;
  /** First production (partial or full). */
  productionDate: IsoDate | null;
  fullProductionDate: IsoDate | null;
  droppedDate: IsoDate | null;
  dropReason: string | null;

  fundsArrivedTotal: Yuan;
  fundsArrived: FundsEntry[];

  serviceOfficerId: string | null;
  chiefServiceOfficerId: string | null;
  guaranteeLeaderId: string | null;

  openBlockers: Blocker[];
  resolvedBlockers: ResolvedBlocker[];
  anomalies: Anomaly[];
  extensions: Extension[];
  alerts: OpenAlert[];
  /** Light of every deadline that is not green, by deadline id. */
  lights: Record<string, Light>;
  /** The project's light: the worst of its deadlines'. */
  light: Light;

  serviceVisits: number;
  lastVisitDate: IsoDate | null;
  /** Latest business date of anything but the timers' events; drives the stale-lead reminders. */
  lastActivityDate: IsoDate | null;

  stageVersions: StageVersions;
  /** Every production start (partial, then perhaps full), in order. */
  productions: ProductionEntry[];
  /**
   * The version of the last event a person recorded: what an ETag names. The system's own alerts,
   * escalations and light changes move `version` but not this, so they never make a reader stale.
   */
  revision: number;
  /**
   * The business events a correction may name. Bounded by what people record, never by the timers'
   * events, so the state stays small however long the project lives.
   */
  correctableEvents: CorrectableEntry[];
  /** The ledger key of the row the project was imported from (HistoryImported), if it was. */
  importKey: string | null;
  /** The hash of that row's history as last imported: an unchanged row imports as nothing. */
  importedRowHash: string | null;
}

export const initialState: ProjectState = Object.freeze({
  exists: false,
  projectId: null,
  version: 0,
  stage: null,
  stageBeforeDrop: null,
  name: null,
  investor: null,
  industryChain: null,
  region: null,
  park: null,
  industrial: null,
  plannedInvestment: null,
  source: null,
  leadingOfficial: null,
  contractInvestment: null,
  contractNumber: null,
  signingBatchId: null,
  plannedProductionDate: null,
  creditCode: null,
  companyName: null,
  site: null,
  constructionEvidence: null,
  statisticsCode: null,
  productionScope: null,
  leadDate: null,
  talksDate: null,
  signedDate: null,
  landedDate: null,
  startedDate: null,
  inStatsDate: null,
  productionDate: null,
  fullProductionDate: null,
  droppedDate: null,
  dropReason: null,
  fundsArrivedTotal: '0.00',
  fundsArrived: [],
  serviceOfficerId: null,
  chiefServiceOfficerId: null,
  guaranteeLeaderId: null,
  openBlockers: [],
  resolvedBlockers: [],
  anomalies: [],
  extensions: [],
  alerts: [],
  lights: {},
  light: 'green',
  serviceVisits: 0,
  lastVisitDate: null,
  lastActivityDate: null,
  stageVersions: {},
  productions: [],
  revision: 0,
  correctableEvents: [],
  importKey: null,
  importedRowHash: null,
});

/** The revision an ETag names; states recorded before revisions existed name their version. */
export function revisionOf(state: { version: number; revision?: number }): number {
  return typeof state.revision === 'number' ? state.revision : state.version;
}

/** The investment that sizes a project: the contract's once signed, the plan's before. */
export function effectiveInvestment(state: ProjectState): Yuan | null {
  return state.contractInvestment ?? state.plannedInvestment;
}

/** The effective due date of a deadline after any extension (the latest one wins). */
export function extensionFor(state: ProjectState, deadlineId: string): Extension | null {
  for (let i = state.extensions.length - 1; i >= 0; i--) {
    if (state.extensions[i].deadlineId === deadlineId) return state.extensions[i];
  }
  return null;
}

export function openAlert(state: ProjectState, deadlineId: string): OpenAlert | null {
  return state.alerts.find((a) => a.deadlineId === deadlineId) ?? null;
}
