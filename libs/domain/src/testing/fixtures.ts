import type { Actor, DecisionContext } from '../actor';
import type { ProjectCommand, RegisterLeadData } from '../commands';
import { decide } from '../decide';
import { makeEvent, type ProjectEvent } from '../events';
import { foldEvents } from '../evolve';
import type { ProjectState } from '../state';

/** 宜昌市夷陵区 and its city, 宜昌市. */
export const REGION = '420506';
export const CITY = '420500';
export const OTHER_REGION = '110105';

/** 华为技术有限公司 and 深圳市腾讯计算机系统有限公司: real codes with valid check characters. */
export const CREDIT_CODE = '914403001922038216';
export const OTHER_CREDIT_CODE = '9144030071526726XG';

/** 2025-03-10 10:00 in Shanghai. */
export const NOW = '2025-03-10T02:00:00.000Z';

export const officer: Actor = { id: 'officer-1', role: 'officer', regions: [REGION] };
export const chief: Actor = { id: 'chief-1', role: 'chief_officer', regions: [REGION] };
export const leader: Actor = { id: 'leader-1', role: 'leader', regions: [CITY] };
export const auditor: Actor = { id: 'auditor-1', role: 'auditor', regions: [CITY] };
export const admin: Actor = { id: 'admin-1', role: 'admin', regions: [] };
export const system: Actor = { id: 'system', role: 'system', regions: [] };

export const ctx = (actor: Actor = officer, now: string = NOW): DecisionContext => ({ actor, now });

export const leadData = (overrides: Partial<RegisterLeadData> = {}): RegisterLeadData => ({
  projectId: 'P-2025-001',
  name: '宜昌生物医药产业园项目',
  investor: { name: '某某药业股份有限公司', type: 'private', flags: ['listed'] },
  industryChain: '生物医药',
  region: REGION,
  park: '宜昌高新区',
  industrial: true,
  plannedInvestment: '150000000',
  source: '以商招商',
  leadDate: '2025-01-06',
  ...overrides,
});

export const leadRegistered = makeEvent('LeadRegistered', '2025-01-06', {
  projectId: 'P-2025-001',
  name: '宜昌生物医药产业园项目',
  investor: { name: '某某药业股份有限公司', type: 'private', flags: ['listed'] },
  industryChain: '生物医药',
  region: REGION,
  park: '宜昌高新区',
  industrial: true,
  plannedInvestment: '150000000.00',
  source: '以商招商',
  leadDate: '2025-01-06',
  serviceOfficerId: 'officer-1',
});
export const talksStarted = makeEvent('TalksStarted', '2025-01-20', {
  talksDate: '2025-01-20',
  leadingOfficial: null,
});
export const projectSigned = makeEvent('ProjectSigned', '2025-02-10', {
  contractDate: '2025-02-10',
  contractInvestment: '200000000.00',
  contractNumber: 'HT-2025-001',
  signingBatchId: null,
  plannedProductionDate: null,
});
export const projectLanded = makeEvent('ProjectLanded', '2025-02-20', {
  creditCode: CREDIT_CODE,
  companyName: null,
  landedDate: '2025-02-20',
  site: { kind: 'land_parcel', parcelNumber: '宜市夷陵[2025]05号' },
});
export const constructionStarted = makeEvent('ConstructionStarted', '2025-03-01', {
  startDate: '2025-03-01',
  evidence: { kind: 'construction_permit', permitNumber: '420506202503010101' },
});
export const statisticsEntered = makeEvent('StatisticsEntered', '2025-03-05', {
  statisticsCode: '4205062025000123',
  inStatsDate: '2025-03-05',
  anomaliesResolved: [],
});

/** The history of a project up to and including a stage. */
export function historyTo(
  stage: 'lead' | 'negotiating' | 'signed' | 'landed' | 'started' | 'in_stats',
): ProjectEvent[] {
  const all: ProjectEvent[] = [
    leadRegistered,
    talksStarted,
    projectSigned,
    projectLanded,
    constructionStarted,
    statisticsEntered,
  ];
  const upTo = { lead: 1, negotiating: 2, signed: 3, landed: 4, started: 5, in_stats: 6 }[stage];
  return all.slice(0, upTo);
}

/** Runs commands through decide and evolve; throws on the first refusal. */
export function run(
  commands: ProjectCommand[],
  context: DecisionContext = ctx(),
  from: ProjectEvent[] = [],
): { events: ProjectEvent[]; state: ProjectState } {
  const events = [...from];
  let state = foldEvents(events);
  for (const command of commands) {
    const decision = decide(command, state, context);
    if (decision.outcome === 'refused') {
      throw new Error(`${command.type} refused: ${decision.refusal.code} ${decision.refusal.field ?? ''}`);
    }
    events.push(...decision.events);
    state = foldEvents(decision.events, state);
  }
  return { events, state };
}
