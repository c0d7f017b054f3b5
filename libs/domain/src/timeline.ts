import { SYSTEM_ACTOR } from './actor';
import { LIGHT_LABELS, type Addressee } from './alerts';
import {
  BLOCKER_CATEGORY_LABELS,
  PRODUCTION_SCOPE_LABELS,
  type ConstructionEvidence,
  type Site,
} from './attributes';
import type { AlertResolution, CorrectableEventType } from './commands';
import { shanghaiDate } from './dates';
import { DUPLICATE_MATCH_LABELS } from './duplicates';
import { SYSTEM_EVENT_TYPES, type DuplicateConfirmationPoint, type ProjectEvent } from './events';
import { toWanYuan, toYiYuan, tryParseYuan, YI_YUAN, type Yuan } from './money';
import { DEFAULT_POLICY, STEP_LABELS, type DeadlineStep } from './policy';
import { STAGE_LABELS } from './stages';

/**
 * The project's history told in Chinese, one sentence an event, for every reader of the project
 * ("2025-05-20 签约,合同投资 1.5 亿元,张三 录入").
 */

/** An event as the timeline reads it: the event and who recorded it. */
export type TimelineEvent = ProjectEvent & { actorId: string };

/** A person's name by id; undefined when the person is not in the directory (the id is shown). */
export type NameOf = (personId: string) => string | undefined;

/**
 * What earlier events tell about later ones: an escalation names only its deadline, a resolution
 * only its blocker. describeTimeline gathers it as it goes.
 */
export interface TimelineContext {
  deadlineSteps: ReadonlyMap<string, DeadlineStep>;
  blockerDescriptions: ReadonlyMap<string, string>;
}

export const EMPTY_TIMELINE_CONTEXT: TimelineContext = {
  deadlineSteps: new Map(),
  blockerDescriptions: new Map(),
};

export const ALERT_RESOLUTION_LABELS: Record<AlertResolution, string> = {
  met: '已按时办结',
  extended: '已延期',
  no_longer_applies: '不再适用',
};

const DUPLICATE_CONFIRMATION_POINT_LABELS: Record<DuplicateConfirmationPoint, string> = {
  registration: '登记',
  signing: '签约',
  import: '导入',
};

/** An amount as a sentence writes it: 亿元 from 1亿 up, else 万元, without trailing zeros (1.5 亿元). */
export function amountPhrase(yuan: Yuan): string {
  const fen = tryParseYuan(yuan);
  if (fen === null) return `${yuan} 元`;
  const abs = fen < 0n ? -fen : fen;
  const [figure, unit] = abs >= YI_YUAN ? [toYiYuan(fen, 4), '亿元'] : [toWanYuan(fen, 2), '万元'];
  return `${figure.replace(/\.?0+$/, '')} ${unit}`;
}

/** The event a correction names, as officers call it. */
const CORRECTED_EVENT_LABELS: Record<CorrectableEventType, string> = {
  LeadRegistered: '线索登记',
  TalksStarted: '在谈',
  ProjectSigned: '签约',
  ProjectLanded: '落地',
  ConstructionStarted: '开工',
  StatisticsEntered: '入统',
  ProductionStarted: '投产',
  FundsArrivedRecorded: '到位资金',
};

function siteText(site: Site): string {
  return site.kind === 'land_parcel' ? `地块 ${site.parcelNumber}` : `租赁合同 ${site.leaseContractNumber}`;
}

function constructionText(evidence: ConstructionEvidence): string {
  return evidence.kind === 'construction_permit'
    ? `施工许可证 ${evidence.permitNumber}`
    : `开工佐证:${evidence.description}`;
}

/** The step a deadline id names: from the alert that opened it, else the default rule of that id. */
function deadlineText(deadlineId: string, context: TimelineContext): string {
  const ruleId = deadlineId.split(':')[0];
  const step =
    context.deadlineSteps.get(deadlineId) ?? DEFAULT_POLICY.rules.find((r) => r.id === ruleId)?.step;
  return step ? `${STEP_LABELS[step]}时限` : `时限 ${deadlineId}`;
}

function personText(id: string, names: NameOf): string {
  return names(id) ?? id;
}

function addresseeText(addressee: Addressee, names: NameOf): string {
  return addressee.id ? `${addressee.label} ${personText(addressee.id, names)}` : addressee.label;
}

/** A single event as a sentence: its business date in Asia/Shanghai, what happened, who recorded it. */
export function describeEvent(
  event: TimelineEvent,
  names: NameOf,
  context: TimelineContext = EMPTY_TIMELINE_CONTEXT,
): string {
  const date = shanghaiDate(event.businessTime);
  // The timers' events are nobody's entry, also when they came with an imported history.
  const by =
    event.actorId === SYSTEM_ACTOR.id || SYSTEM_EVENT_TYPES.includes(event.type)
      ? ''
      : `,${personText(event.actorId, names)} 录入`;
  const said = (what: string): string => `${date} ${what}${by}`;
  switch (event.type) {
    case 'LeadRegistered':
      return said(`登记线索「${event.data.name}」,计划投资 ${amountPhrase(event.data.plannedInvestment)}`);
    case 'TalksStarted':
      return said(
        event.data.leadingOfficial ? `进入在谈,牵头领导 ${event.data.leadingOfficial}` : '进入在谈',
      );
    case 'ProjectSigned':
      return said(`签约,合同投资 ${amountPhrase(event.data.contractInvestment)}`);
    case 'ProjectLanded':
      return said(
        `落地,${event.data.companyName ? `项目公司 ${event.data.companyName},` : ''}统一社会信用代码 ${event.data.creditCode},${siteText(event.data.site)}`,
      );
    case 'ConstructionStarted':
      return said(`开工,${constructionText(event.data.evidence)}`);
    case 'StatisticsEntered':
      return said(`入统,统计代码 ${event.data.statisticsCode}`);
    case 'ProductionStarted':
      return said(`投产(${PRODUCTION_SCOPE_LABELS[event.data.scope]})`);
    case 'FundsArrivedRecorded':
      return said(
        `到位资金 ${amountPhrase(event.data.amount)}(${event.data.month}),累计 ${amountPhrase(event.data.runningTotal)}`,
      );
    case 'BlockerRaised':
      return said(
        `反映堵点(${BLOCKER_CATEGORY_LABELS[event.data.category]}):${event.data.description},${event.data.departmentRole === 'lead' ? '牵头' : '协办'}部门 ${event.data.responsibleDepartment},${event.data.dueDate} 前办结`,
      );
    case 'BlockerResolved': {
      const blocker = context.blockerDescriptions.get(event.data.blockerId);
      return said(
        `堵点${blocker ? `「${blocker}」` : ` ${event.data.blockerId} `}已解决:${event.data.resolution}`,
      );
    }
    case 'ServiceVisitLogged':
      return said(`${personText(event.data.officerId, names)} 走访服务:${event.data.summary}`);
    case 'ServiceOfficerAssigned': {
      const { officerId, previousOfficerId, reason } = event.data;
      const change = previousOfficerId
        ? `服务专员由 ${personText(previousOfficerId, names)} 改为 ${personText(officerId, names)}`
        : `确定服务专员 ${personText(officerId, names)}`;
      return said(reason ? `${change},原因:${reason}` : change);
    }
    case 'ChiefServiceOfficerAssigned': {
      const { chiefOfficerId, previousChiefOfficerId, guaranteeLeaderId } = event.data;
      const change = previousChiefOfficerId
        ? `首席服务官由 ${personText(previousChiefOfficerId, names)} 改为 ${personText(chiefOfficerId, names)}`
        : `确定首席服务官 ${personText(chiefOfficerId, names)}`;
      return said(guaranteeLeaderId ? `${change},包保领导 ${personText(guaranteeLeaderId, names)}` : change);
    }
    case 'DeadlineExtended':
      return said(
        `${deadlineText(event.data.deadlineId, context)}延期至 ${event.data.newDueDate},理由:${event.data.reason},${personText(event.data.approvedBy, names)} 批准`,
      );
    case 'ProjectDropped':
      return said(`终止(原处于${STAGE_LABELS[event.data.fromStage]}阶段),原因:${event.data.reason}`);
    case 'ProjectReopened':
      return said(
        `重新启动,恢复至${STAGE_LABELS[event.data.toStage]}阶段,原因:${event.data.reason},${personText(event.data.approvedBy, names)} 批准`,
      );
    case 'EventCorrected':
      return said(
        `更正第 ${event.data.correctsVersion} 条记录(${CORRECTED_EVENT_LABELS[event.data.correctsType]}),原因:${event.data.reason}`,
      );
    case 'AlertRaised': {
      const { step, dueDate, rung, addressee, light } = event.data;
      const what = `${LIGHT_LABELS[light]}:${STEP_LABELS[step as DeadlineStep] ?? step}时限`;
      return rung === 0
        ? said(`${what}将于 ${dueDate} 到期`)
        : said(`${what}已于 ${dueDate} 到期,第 ${rung} 级督办,提醒${addresseeText(addressee, names)}`);
    }
    case 'AlertEscalated':
      return said(
        `${deadlineText(event.data.deadlineId, context)}逾期升级至第 ${event.data.rung} 级督办,提醒${addresseeText(event.data.addressee, names)}`,
      );
    case 'LightChanged':
      return said(
        `${deadlineText(event.data.deadlineId, context)}由${LIGHT_LABELS[event.data.from]}转为${LIGHT_LABELS[event.data.to]}`,
      );
    case 'AlertResolved':
      return said(
        `${deadlineText(event.data.deadlineId, context)}提醒解除:${ALERT_RESOLUTION_LABELS[event.data.resolution]}`,
      );
    case 'HistoryImported':
      return `${date} 由 ${personText(event.actorId, names)} 从《${event.data.fileName}》${event.data.sheet ? `「${event.data.sheet}」` : ''}第 ${event.data.row} 行导入`;
    case 'DuplicateConfirmed':
      return said(
        `${DUPLICATE_CONFIRMATION_POINT_LABELS[event.data.at]}时确认与项目 ${event.data.of} 并非重复(${DUPLICATE_MATCH_LABELS[event.data.match]}),理由:${event.data.reason}`,
      );
    default:
      return unreachable(event);
  }
}

/** Closes the switch: a new event type fails to compile until it has its sentence. */
function unreachable(event: never): never {
  throw new Error(`no sentence for event ${(event as { type: string }).type}`);
}

/** What a later event may need to know of this one. */
function learn(context: TimelineContext, event: TimelineEvent): TimelineContext {
  if (event.type === 'AlertRaised') {
    const deadlineSteps = new Map(context.deadlineSteps);
    deadlineSteps.set(event.data.deadlineId, event.data.step as DeadlineStep);
    return { ...context, deadlineSteps };
  }
  if (event.type === 'BlockerRaised') {
    const blockerDescriptions = new Map(context.blockerDescriptions);
    blockerDescriptions.set(event.data.blockerId, event.data.description);
    return { ...context, blockerDescriptions };
  }
  return context;
}

/** Every event's sentence, in stream order, each told with what the events before it said. */
export function describeTimeline(events: readonly TimelineEvent[], names: NameOf): string[] {
  let context = EMPTY_TIMELINE_CONTEXT;
  return events.map((event) => {
    const sentence = describeEvent(event, names, context);
    context = learn(context, event);
    return sentence;
  });
}

/** The people a timeline names, for looking their names up in one go. */
export function peopleNamedIn(events: readonly TimelineEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    ids.add(event.actorId);
    const d = event.data as Record<string, unknown>;
    for (const key of [
      'officerId',
      'previousOfficerId',
      'chiefOfficerId',
      'previousChiefOfficerId',
      'guaranteeLeaderId',
      'approvedBy',
    ]) {
      if (typeof d[key] === 'string') ids.add(d[key]);
    }
    const addressee = d.addressee as Addressee | undefined;
    if (addressee?.id) ids.add(addressee.id);
  }
  ids.delete(SYSTEM_ACTOR.id);
  return [...ids];
}

/** An officer's acknowledgement (签收) of an alert addressed to them; kept beside the events, not in them. */
export interface AlertAcknowledgement {
  /** ISO instant. */
  acknowledgedAt: string;
  userId: string;
  deadlineId: string;
  rung: number;
  note: string | null;
}

/** One acknowledgement as a sentence, the deadline named by what the events said of it. */
export function describeAcknowledgement(
  ack: AlertAcknowledgement,
  names: NameOf,
  context: TimelineContext = EMPTY_TIMELINE_CONTEXT,
): string {
  const what = `${shanghaiDate(ack.acknowledgedAt)} ${personText(ack.userId, names)} 签收${deadlineText(ack.deadlineId, context)}提醒(第 ${ack.rung} 级督办)`;
  return ack.note ? `${what},备注:${ack.note}` : what;
}

/** The acknowledgements' sentences, told with what the project's events said of their deadlines. */
export function describeAcknowledgements(
  events: readonly TimelineEvent[],
  acks: readonly AlertAcknowledgement[],
  names: NameOf,
): string[] {
  const context = events.reduce(learn, EMPTY_TIMELINE_CONTEXT);
  return acks.map((ack) => describeAcknowledgement(ack, names, context));
}
