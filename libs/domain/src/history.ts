import type {
  DropData,
  EnterStatisticsData,
  LandData,
  LogServiceVisitData,
  RaiseBlockerData,
  RecordFundsArrivedData,
  RegisterLeadData,
  ResolveBlockerData,
  SignData,
  StartConstructionData,
  StartProductionData,
  StartTalksData,
} from './commands';
import type { DuplicateConfirmation } from './duplicates';

/**
 * A project's history as a ledger row tells it: the lead and the steps after it, each with its own
 * business date, recorded in one command (RecordHistory) and decided by the same rules as the
 * commands one by one.
 */
export type HistoryStep =
  | { type: 'StartTalks'; data: StartTalksData }
  | { type: 'Sign'; data: SignData }
  | { type: 'Land'; data: LandData }
  | { type: 'StartConstruction'; data: StartConstructionData }
  | { type: 'EnterStatistics'; data: EnterStatisticsData }
  | { type: 'StartProduction'; data: StartProductionData }
  | { type: 'RecordFundsArrived'; data: RecordFundsArrivedData }
  | { type: 'LogServiceVisit'; data: LogServiceVisitData }
  | { type: 'RaiseBlocker'; data: RaiseBlockerData }
  | { type: 'ResolveBlocker'; data: ResolveBlockerData }
  | { type: 'Drop'; data: DropData };

export type HistoryStepType = HistoryStep['type'];

export const HISTORY_STEP_TYPES: readonly HistoryStepType[] = [
  'StartTalks',
  'Sign',
  'Land',
  'StartConstruction',
  'EnterStatistics',
  'StartProduction',
  'RecordFundsArrived',
  'LogServiceVisit',
  'RaiseBlocker',
  'ResolveBlocker',
  'Drop',
];

/** Where an imported history comes from: the audit trail names the file and row. */
export interface HistorySource {
  importId: string;
  fileName: string;
  fileSha256: string;
  sheet: string | null;
  row: number;
  key: string;
  rowHash: string;
}

export interface RecordHistoryData {
  lead: RegisterLeadData;
  steps: HistoryStep[];
  source: HistorySource;
  duplicateConfirmation?: DuplicateConfirmation | null;
}
