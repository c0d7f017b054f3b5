import type { Addressee, Light, Rung } from './alerts';
import type {
  BlockerCategory,
  ConstructionEvidence,
  DepartmentRole,
  ProjectAttributes,
  ProductionScope,
  Site,
} from './attributes';
import type { AlertResolution, CorrectableEventType, EventCorrection } from './commands';
import type { IsoDate, IsoMonth } from './dates';
import type { DuplicateMatch } from './duplicates';
import type { EvidenceFile } from './evidence';
import type { Yuan } from './money';
import type { StageCode } from './stages';

/** Open anomalies a project can carry; 'not_in_statistics' is production recorded before 入统. */
export type AnomalyCode = 'not_in_statistics';
export const ANOMALY_LABELS: Record<AnomalyCode, string> = { not_in_statistics: '已投产未入统' };

/**
 * Every event: its type, the version of its data's schema, the business time it claims
 * (a contract date for a signing; the decision's `now` for events without their own date) and its data.
 * Plain JSON throughout: it crosses Temporal and PostgreSQL as JSON.
 */
export interface DomainEvent<T extends string, D> {
  type: T;
  schemaVersion: number;
  businessTime: string;
  data: D;
}

export type LeadRegistered = DomainEvent<
  'LeadRegistered',
  ProjectAttributes & { projectId: string; serviceOfficerId: string | null }
>;
export type TalksStarted = DomainEvent<
  'TalksStarted',
  { talksDate: IsoDate; leadingOfficial: string | null }
>;
export type ProjectSigned = DomainEvent<
  'ProjectSigned',
  {
    contractDate: IsoDate;
    contractInvestment: Yuan;
    contractNumber: string;
    signingBatchId: string | null;
    plannedProductionDate: IsoDate | null;
  }
>;
export type ProjectLanded = DomainEvent<
  'ProjectLanded',
  {
    creditCode: string;
    companyName: string | null;
    landedDate: IsoDate;
    site: Site;
    files?: EvidenceFile[];
  }
>;
export type ConstructionStarted = DomainEvent<
  'ConstructionStarted',
  { startDate: IsoDate; evidence: ConstructionEvidence; files?: EvidenceFile[] }
>;
export type StatisticsEntered = DomainEvent<
  'StatisticsEntered',
  {
    statisticsCode: string;
    inStatsDate: IsoDate;
    anomaliesResolved: AnomalyCode[];
    files?: EvidenceFile[];
  }
>;
export type ProductionStarted = DomainEvent<
  'ProductionStarted',
  {
    productionDate: IsoDate;
    scope: ProductionScope;
    anomaliesOpened: AnomalyCode[];
    files?: EvidenceFile[];
  }
>;
export type FundsArrivedRecorded = DomainEvent<
  'FundsArrivedRecorded',
  { month: IsoMonth; amount: Yuan; runningTotal: Yuan; note: string | null; files?: EvidenceFile[] }
>;
export type BlockerRaised = DomainEvent<
  'BlockerRaised',
  {
    blockerId: string;
    category: BlockerCategory;
    description: string;
    responsibleDepartment: string;
    departmentRole: DepartmentRole;
    raisedDate: IsoDate;
    dueDate: IsoDate;
  }
>;
export type BlockerResolved = DomainEvent<
  'BlockerResolved',
  { blockerId: string; resolution: string; resolvedDate: IsoDate; files?: EvidenceFile[] }
>;
export type ServiceVisitLogged = DomainEvent<
  'ServiceVisitLogged',
  { visitDate: IsoDate; summary: string; officerId: string; files?: EvidenceFile[] }
>;
export type ServiceOfficerAssigned = DomainEvent<
  'ServiceOfficerAssigned',
  { officerId: string; previousOfficerId: string | null; reason: string | null }
>;
export type ChiefServiceOfficerAssigned = DomainEvent<
  'ChiefServiceOfficerAssigned',
  { chiefOfficerId: string; previousChiefOfficerId: string | null; guaranteeLeaderId: string | null }
>;
export type DeadlineExtended = DomainEvent<
  'DeadlineExtended',
  { deadlineId: string; newDueDate: IsoDate; reason: string; approvedBy: string }
>;
export type ProjectDropped = DomainEvent<
  'ProjectDropped',
  { reason: string; fromStage: StageCode; droppedDate: IsoDate; alertsClosed: string[] }
>;
export type ProjectReopened = DomainEvent<
  'ProjectReopened',
  { reason: string; toStage: StageCode; approvedBy: string }
>;
export type EventCorrected = DomainEvent<
  'EventCorrected',
  {
    correctsVersion: number;
    correctsType: CorrectableEventType;
    reason: string;
    changes: EventCorrection;
    /** The values the correction replaces, for the audit trail. */
    previous: Record<string, unknown>;
  }
>;
export type AlertRaised = DomainEvent<
  'AlertRaised',
  {
    deadlineId: string;
    rule: string;
    step: string;
    dueDate: IsoDate;
    rung: Rung;
    addressee: Addressee;
    light: Light;
  }
>;
export type AlertEscalated = DomainEvent<
  'AlertEscalated',
  { deadlineId: string; fromRung: Rung; rung: Rung; addressee: Addressee }
>;
export type LightChanged = DomainEvent<'LightChanged', { deadlineId: string; from: Light; to: Light }>;
export type AlertResolved = DomainEvent<
  'AlertResolved',
  { deadlineId: string; resolution: AlertResolution; rung: Rung }
>;

/** The project's history was recorded from a ledger's row: which import, file and row. */
export type HistoryImported = DomainEvent<
  'HistoryImported',
  {
    importId: string;
    fileName: string;
    fileSha256: string;
    sheet: string | null;
    row: number;
    key: string;
    rowHash: string;
  }
>;

/** Where a person confirmed that a likely duplicate is another project. */
export type DuplicateConfirmationPoint = 'registration' | 'signing' | 'import';

export type DuplicateConfirmed = DomainEvent<
  'DuplicateConfirmed',
  { of: string; match: DuplicateMatch; reason: string; at: DuplicateConfirmationPoint }
>;

export type ProjectEvent =
  | LeadRegistered
  | TalksStarted
  | ProjectSigned
  | ProjectLanded
  | ConstructionStarted
  | StatisticsEntered
  | ProductionStarted
  | FundsArrivedRecorded
  | BlockerRaised
  | BlockerResolved
  | ServiceVisitLogged
  | ServiceOfficerAssigned
  | ChiefServiceOfficerAssigned
  | DeadlineExtended
  | ProjectDropped
  | ProjectReopened
  | EventCorrected
  | AlertRaised
  | AlertEscalated
  | LightChanged
  | AlertResolved
  | HistoryImported
  | DuplicateConfirmed;

export type ProjectEventType = ProjectEvent['type'];
export type EventOfType<T extends ProjectEventType> = Extract<ProjectEvent, { type: T }>;

/** Current schema version of each event type's data; bump when a data shape changes. */
export const EVENT_SCHEMA_VERSIONS: Record<ProjectEventType, number> = {
  LeadRegistered: 1,
  TalksStarted: 1,
  ProjectSigned: 1,
  ProjectLanded: 1,
  ConstructionStarted: 1,
  StatisticsEntered: 1,
  ProductionStarted: 1,
  FundsArrivedRecorded: 1,
  BlockerRaised: 1,
  BlockerResolved: 1,
  ServiceVisitLogged: 1,
  ServiceOfficerAssigned: 1,
  ChiefServiceOfficerAssigned: 1,
  DeadlineExtended: 1,
  ProjectDropped: 1,
  ProjectReopened: 1,
  EventCorrected: 1,
  AlertRaised: 1,
  AlertEscalated: 1,
  LightChanged: 1,
  AlertResolved: 1,
  HistoryImported: 1,
  DuplicateConfirmed: 1,
};

export const PROJECT_EVENT_TYPES = Object.keys(EVENT_SCHEMA_VERSIONS) as ProjectEventType[];

/** Events the timers write; they are not project activity. */
export const SYSTEM_EVENT_TYPES: readonly ProjectEventType[] = [
  'AlertRaised',
  'AlertEscalated',
  'LightChanged',
  'AlertResolved',
];

export function makeEvent<T extends ProjectEventType>(
  type: T,
  businessTime: string,
  data: EventOfType<T>['data'],
): EventOfType<T> {
  return { type, schemaVersion: EVENT_SCHEMA_VERSIONS[type], businessTime, data } as EventOfType<T>;
}
