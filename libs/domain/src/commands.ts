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
import type { DuplicateConfirmation } from './duplicates';
import type { EvidenceFile } from './evidence';
import type { RecordHistoryData } from './history';
import type { StageCode } from './stages';
import type { Yuan } from './money';

export interface RegisterLeadData {
  projectId: string;
  name: string;
  investor: Investor;
  industryChain: string;
  /** 6-digit administrative division code. */
  region: string;
  park?: string | null;
  industrial: boolean;
  plannedInvestment: Yuan;
  source: string;
  leadDate: IsoDate;
  /** Defaults to the registering officer. */
  serviceOfficerId?: string;
  /** The person's word that a flagged likely duplicate is another project (recorded as DuplicateConfirmed). */
  duplicateConfirmation?: DuplicateConfirmation | null;
}

export interface StartTalksData {
  talksDate: IsoDate;
  /** 领衔领导, if any. */
  leadingOfficial?: string | null;
}

export interface SignData {
  contractDate: IsoDate;
  contractInvestment: Yuan;
  contractNumber: string;
  /** Id of the 集中签约 event, if signed at one. */
  signingBatchId?: string | null;
  /** Production date the contract plans, if it names one. */
  plannedProductionDate?: IsoDate | null;
  duplicateConfirmation?: DuplicateConfirmation | null;
}

export interface LandData {
  /** 统一社会信用代码 of the registered company. */
  creditCode: string;
  companyName?: string | null;
  landedDate: IsoDate;
  site: Site;
  /** Evidence files, uploaded first and resolved by the API (what the policy asks for, and more). */
  files?: EvidenceFile[];
}

export interface StartConstructionData {
  startDate: IsoDate;
  evidence: ConstructionEvidence;
  /** Evidence files, uploaded first and resolved by the API (what the policy asks for, and more). */
  files?: EvidenceFile[];
}

export interface EnterStatisticsData {
  /** 项目统计代码. */
  statisticsCode: string;
  inStatsDate: IsoDate;
  /** Evidence files, uploaded first and resolved by the API (what the policy asks for, and more). */
  files?: EvidenceFile[];
}

export interface StartProductionData {
  productionDate: IsoDate;
  scope: ProductionScope;
  /** Evidence files, uploaded first and resolved by the API (what the policy asks for, and more). */
  files?: EvidenceFile[];
}

export interface RecordFundsArrivedData {
  month: IsoMonth;
  /** May be negative to adjust an earlier month; the running total never goes below zero. */
  amount: Yuan;
  note?: string | null;
  /** Evidence files, uploaded first and resolved by the API (what the policy asks for, and more). */
  files?: EvidenceFile[];
}

export interface RaiseBlockerData {
  blockerId: string;
  category: BlockerCategory;
  description: string;
  responsibleDepartment: string;
  departmentRole?: DepartmentRole;
  dueDate: IsoDate;
  /** When the blocker was raised, if before today (a backdated entry); defaults to today. */
  raisedDate?: IsoDate;
}

export interface ResolveBlockerData {
  blockerId: string;
  resolution: string;
  /** When it was resolved, if before today; defaults to today. */
  resolvedDate?: IsoDate;
  /** Evidence files, uploaded first and resolved by the API (what the policy asks for, and more). */
  files?: EvidenceFile[];
}

export interface LogServiceVisitData {
  visitDate: IsoDate;
  summary: string;
  /** Defaults to the actor. */
  officerId?: string;
  /** Evidence files, uploaded first and resolved by the API (what the policy asks for, and more). */
  files?: EvidenceFile[];
}

export interface AssignServiceOfficerData {
  officerId: string;
  reason?: string | null;
}

export interface AssignChiefServiceOfficerData {
  chiefOfficerId: string;
  /** 包保领导, if named with the chief officer. */
  guaranteeLeaderId?: string | null;
}

export interface ExtendDeadlineData {
  /** An OpenDeadline id, e.g. 'start_after_signing' or 'blocker_due:B-1'. */
  deadlineId: string;
  newDueDate: IsoDate;
  reason: string;
}

export interface DropData {
  reason: string;
  /** When the project was dropped, if before today; defaults to today. */
  droppedDate?: IsoDate;
}

export interface ReopenData {
  reason: string;
}

/** The fields a correction may change, by the type of the event it corrects. */
export type EventCorrection =
  | {
      eventType: 'LeadRegistered';
      name?: string;
      investor?: Investor;
      industryChain?: string;
      region?: string;
      park?: string | null;
      industrial?: boolean;
      plannedInvestment?: Yuan;
      source?: string;
      leadDate?: IsoDate;
    }
  | { eventType: 'TalksStarted'; talksDate?: IsoDate; leadingOfficial?: string | null }
  | {
      eventType: 'ProjectSigned';
      contractDate?: IsoDate;
      contractInvestment?: Yuan;
      contractNumber?: string;
      signingBatchId?: string | null;
      plannedProductionDate?: IsoDate | null;
    }
  | {
      eventType: 'ProjectLanded';
      creditCode?: string;
      companyName?: string | null;
      landedDate?: IsoDate;
      site?: Site;
    }
  | { eventType: 'ConstructionStarted'; startDate?: IsoDate; evidence?: ConstructionEvidence }
  | { eventType: 'StatisticsEntered'; statisticsCode?: string; inStatsDate?: IsoDate }
  | { eventType: 'ProductionStarted'; productionDate?: IsoDate }
  | { eventType: 'FundsArrivedRecorded'; month?: IsoMonth; amount?: Yuan };

export type CorrectableEventType = EventCorrection['eventType'];
export const CORRECTABLE_EVENT_TYPES: readonly CorrectableEventType[] = [
  'LeadRegistered',
  'TalksStarted',
  'ProjectSigned',
  'ProjectLanded',
  'ConstructionStarted',
  'StatisticsEntered',
  'ProductionStarted',
  'FundsArrivedRecorded',
];

export interface CorrectEventData {
  /** Version (position in the project's stream, from 1) of the event being corrected. */
  correctsVersion: number;
  reason: string;
  changes: EventCorrection;
}

/** Timer commands (actor role 'system'), built from openDeadlines by deadlineCommands. */
export interface RaiseAlertData {
  deadlineId: string;
  rule: string;
  step: string;
  dueDate: IsoDate;
  rung: Rung;
  addressee: Addressee;
  light: Light;
}

export interface EscalateData {
  deadlineId: string;
  rung: Rung;
  addressee: Addressee;
}

export interface ChangeLightData {
  deadlineId: string;
  light: Light;
}

export type AlertResolution = 'met' | 'extended' | 'no_longer_applies';

export interface ResolveAlertData {
  deadlineId: string;
  resolution: AlertResolution;
}

export type ProjectCommand =
  | { type: 'RegisterLead'; data: RegisterLeadData }
  | { type: 'StartTalks'; data: StartTalksData }
  | { type: 'Sign'; data: SignData }
  | { type: 'Land'; data: LandData }
  | { type: 'StartConstruction'; data: StartConstructionData }
  | { type: 'EnterStatistics'; data: EnterStatisticsData }
  | { type: 'StartProduction'; data: StartProductionData }
  | { type: 'RecordFundsArrived'; data: RecordFundsArrivedData }
  | { type: 'RaiseBlocker'; data: RaiseBlockerData }
  | { type: 'ResolveBlocker'; data: ResolveBlockerData }
  | { type: 'LogServiceVisit'; data: LogServiceVisitData }
  | { type: 'AssignServiceOfficer'; data: AssignServiceOfficerData }
  | { type: 'AssignChiefServiceOfficer'; data: AssignChiefServiceOfficerData }
  | { type: 'ExtendDeadline'; data: ExtendDeadlineData }
  | { type: 'Drop'; data: DropData }
  | { type: 'Reopen'; data: ReopenData }
  | { type: 'CorrectEvent'; data: CorrectEventData }
  | { type: 'RaiseAlert'; data: RaiseAlertData }
  | { type: 'Escalate'; data: EscalateData }
  | { type: 'ChangeLight'; data: ChangeLightData }
  | { type: 'ResolveAlert'; data: ResolveAlertData }
  | { type: 'RecordHistory'; data: RecordHistoryData };

export type ProjectCommandType = ProjectCommand['type'];

export const PROJECT_COMMAND_TYPES: readonly ProjectCommandType[] = [
  'RegisterLead',
  'StartTalks',
  'Sign',
  'Land',
  'StartConstruction',
  'EnterStatistics',
  'StartProduction',
  'RecordFundsArrived',
  'RaiseBlocker',
  'ResolveBlocker',
  'LogServiceVisit',
  'AssignServiceOfficer',
  'AssignChiefServiceOfficer',
  'ExtendDeadline',
  'Drop',
  'Reopen',
  'CorrectEvent',
  'RaiseAlert',
  'Escalate',
  'ChangeLight',
  'ResolveAlert',
  'RecordHistory',
];

/** Commands only the system's timers send. */
export const SYSTEM_COMMAND_TYPES: readonly ProjectCommandType[] = [
  'RaiseAlert',
  'Escalate',
  'ChangeLight',
  'ResolveAlert',
];

/** The command that moves a project to each stage after 线索, and Reopen for a dropped one. */
export const TRANSITION_COMMANDS = {
  negotiating: 'StartTalks',
  signed: 'Sign',
  landed: 'Land',
  started: 'StartConstruction',
  in_stats: 'EnterStatistics',
  producing: 'StartProduction',
  dropped: 'Drop',
  reopen: 'Reopen',
} as const satisfies Record<Exclude<StageCode, 'lead'> | 'reopen', ProjectCommandType>;
