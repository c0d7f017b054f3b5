import { worstLight, type Light } from './alerts';
import { businessDateOf, maxDate } from './dates';
import type { EventCorrected, ProjectEvent } from './events';
import { SYSTEM_EVENT_TYPES } from './events';
import { CORRECTABLE_EVENT_TYPES } from './commands';
import { formatYuan, parseYuan } from './money';
import { initialState, type ProjectState } from './state';

/**
 * The next state after one event. Total and pure: it never throws and never mutates its input,
 * so replaying a stream always gives the same state. Validation belongs to decide; evolve trusts
 * the events, which are facts.
 */
export function evolve(state: ProjectState, event: ProjectEvent): ProjectState {
  const version = state.version + 1;
  const correctable = (CORRECTABLE_EVENT_TYPES as readonly string[]).includes(event.type);
  const base: ProjectState = {
    ...state,
    version,
    ...(correctable
      ? { correctableEvents: [...(state.correctableEvents ?? []), { version, type: event.type }] }
      : {}),
  };
  const next = apply(base, event, version);
  if (SYSTEM_EVENT_TYPES.includes(event.type)) return next;
  // Where a history came from and a duplicate's confirmation are records about the project, not
  // its activity: they must not restart the stale-lead reminders.
  if (event.type === 'HistoryImported' || event.type === 'DuplicateConfirmed')
    return { ...next, revision: version };
  return {
    ...next,
    revision: version,
    lastActivityDate: maxDate(next.lastActivityDate, businessDateOf(event.businessTime)),
  };
}

/** Folds events onto a state (the initial state by default). */
export function foldEvents(events: ProjectEvent[], from: ProjectState = initialState): ProjectState {
  return events.reduce(evolve, from);
}

function withLight(state: ProjectState, lights: Record<string, Light>): ProjectState {
  return { ...state, lights, light: worstLight(Object.values(lights)) };
}

function apply(s: ProjectState, event: ProjectEvent, version: number): ProjectState {
  switch (event.type) {
    case 'LeadRegistered': {
      const d = event.data;
      return {
        ...s,
        exists: true,
        projectId: d.projectId,
        stage: 'lead',
        name: d.name,
        investor: d.investor,
        industryChain: d.industryChain,
        region: d.region,
        park: d.park,
        industrial: d.industrial,
        plannedInvestment: d.plannedInvestment,
        source: d.source,
        leadDate: d.leadDate,
        serviceOfficerId: d.serviceOfficerId,
        stageVersions: { ...s.stageVersions, lead: version },
      };
    }
    case 'TalksStarted':
      return {
        ...s,
        stage: 'negotiating',
        talksDate: event.data.talksDate,
        leadingOfficial: event.data.leadingOfficial,
        stageVersions: { ...s.stageVersions, talks: version },
      };
    case 'ProjectSigned': {
      const d = event.data;
      return {
        ...s,
        stage: 'signed',
        signedDate: d.contractDate,
        contractInvestment: d.contractInvestment,
        contractNumber: d.contractNumber,
        signingBatchId: d.signingBatchId,
        plannedProductionDate: d.plannedProductionDate,
        stageVersions: { ...s.stageVersions, signed: version },
      };
    }
    case 'ProjectLanded': {
      const d = event.data;
      return {
        ...s,
        stage: 'landed',
        landedDate: d.landedDate,
        creditCode: d.creditCode,
        companyName: d.companyName,
        site: d.site,
        stageVersions: { ...s.stageVersions, landed: version },
      };
    }
    case 'ConstructionStarted':
      return {
        ...s,
        stage: 'started',
        startedDate: event.data.startDate,
        constructionEvidence: event.data.evidence,
        stageVersions: { ...s.stageVersions, started: version },
      };
    case 'StatisticsEntered':
      return {
        ...s,
        // Production may come first; entering the statistics then leaves the stage at producing.
        stage: s.stage === 'producing' ? 'producing' : 'in_stats',
        inStatsDate: event.data.inStatsDate,
        statisticsCode: event.data.statisticsCode,
        anomalies: s.anomalies.filter((a) => !event.data.anomaliesResolved.includes(a.code)),
        stageVersions: { ...s.stageVersions, in_stats: version },
      };
    case 'ProductionStarted': {
      const d = event.data;
      const opened = d.anomaliesOpened
        .filter((code) => !s.anomalies.some((a) => a.code === code))
        .map((code) => ({ code, since: d.productionDate }));
      return withProductions({ ...s, stage: 'producing', anomalies: [...s.anomalies, ...opened] }, [
        ...s.productions,
        { version, date: d.productionDate, scope: d.scope },
      ]);
    }
    case 'FundsArrivedRecorded': {
      const entry = { version, month: event.data.month, amount: event.data.amount };
      const fundsArrived = [...s.fundsArrived, entry];
      return { ...s, fundsArrived, fundsArrivedTotal: totalOf(fundsArrived) };
    }
    case 'BlockerRaised': {
      const { blockerId, category, description, responsibleDepartment, departmentRole, raisedDate, dueDate } =
        event.data;
      return {
        ...s,
        openBlockers: [
          ...s.openBlockers,
          { blockerId, category, description, responsibleDepartment, departmentRole, raisedDate, dueDate },
        ],
      };
    }
    case 'BlockerResolved': {
      const blocker = s.openBlockers.find((b) => b.blockerId === event.data.blockerId);
      if (!blocker) return s;
      return {
        ...s,
        openBlockers: s.openBlockers.filter((b) => b.blockerId !== event.data.blockerId),
        resolvedBlockers: [
          ...s.resolvedBlockers,
          { ...blocker, resolution: event.data.resolution, resolvedDate: event.data.resolvedDate },
        ],
      };
    }
    case 'ServiceVisitLogged':
      return {
        ...s,
        serviceVisits: s.serviceVisits + 1,
        lastVisitDate: maxDate(s.lastVisitDate, event.data.visitDate),
      };
    case 'ServiceOfficerAssigned':
      return { ...s, serviceOfficerId: event.data.officerId };
    case 'ChiefServiceOfficerAssigned':
      return {
        ...s,
        chiefServiceOfficerId: event.data.chiefOfficerId,
        guaranteeLeaderId: event.data.guaranteeLeaderId ?? s.guaranteeLeaderId,
      };
    case 'DeadlineExtended': {
      const { deadlineId, newDueDate, reason, approvedBy } = event.data;
      return { ...s, extensions: [...s.extensions, { deadlineId, newDueDate, reason, approvedBy }] };
    }
    case 'ProjectDropped':
      // Dropping closes every alert and light: nothing is due on a dropped project.
      return withLight(
        {
          ...s,
          stage: 'dropped',
          stageBeforeDrop: event.data.fromStage,
          droppedDate: event.data.droppedDate,
          dropReason: event.data.reason,
          alerts: s.alerts.filter((a) => !event.data.alertsClosed.includes(a.deadlineId)),
        },
        {},
      );
    case 'ProjectReopened':
      return { ...s, stage: event.data.toStage, stageBeforeDrop: null, droppedDate: null, dropReason: null };
    case 'EventCorrected':
      return applyCorrection(s, event);
    case 'AlertRaised': {
      const d = event.data;
      const alert = {
        deadlineId: d.deadlineId,
        rule: d.rule,
        step: d.step,
        dueDate: d.dueDate,
        rung: d.rung,
        addressee: d.addressee,
        light: d.light,
        raisedAt: event.businessTime,
      };
      return withLight(
        { ...s, alerts: [...s.alerts.filter((a) => a.deadlineId !== d.deadlineId), alert] },
        setLight(s.lights, d.deadlineId, d.light),
      );
    }
    case 'AlertEscalated': {
      const d = event.data;
      return {
        ...s,
        alerts: s.alerts.map((a) =>
          a.deadlineId === d.deadlineId ? { ...a, rung: d.rung, addressee: d.addressee } : a,
        ),
      };
    }
    case 'LightChanged': {
      const d = event.data;
      return withLight(
        { ...s, alerts: s.alerts.map((a) => (a.deadlineId === d.deadlineId ? { ...a, light: d.to } : a)) },
        setLight(s.lights, d.deadlineId, d.to),
      );
    }
    case 'AlertResolved':
      // The light is left to its own LightChanged event: a resolved alert may still be near its due date.
      return { ...s, alerts: s.alerts.filter((a) => a.deadlineId !== event.data.deadlineId) };
    case 'HistoryImported':
      return { ...s, importKey: event.data.key, importedRowHash: event.data.rowHash };
    case 'DuplicateConfirmed':
      return s;
    default: {
      const _exhaustive: never = event;
      void _exhaustive;
      // Unknown events from a newer writer are counted but otherwise ignored.
      return s;
    }
  }
}

function setLight(lights: Record<string, Light>, deadlineId: string, light: Light): Record<string, Light> {
  const next = { ...lights };
  if (light === 'green') delete next[deadlineId];
  else next[deadlineId] = light;
  return next;
}

function withProductions(s: ProjectState, productions: ProjectState['productions']): ProjectState {
  const full = productions.find((p) => p.scope === 'full');
  return {
    ...s,
    productions,
    productionDate: productions[0]?.date ?? null,
    fullProductionDate: full?.date ?? null,
    productionScope: full ? 'full' : productions.length > 0 ? 'partial' : null,
  };
}

function totalOf(entries: { amount: string }[]): string {
  return formatYuan(entries.reduce((acc, e) => acc + parseYuan(e.amount), 0n));
}

function applyCorrection(s: ProjectState, event: EventCorrected): ProjectState {
  const c = event.data.changes;
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(c, key);
  switch (c.eventType) {
    case 'LeadRegistered':
      return {
        ...s,
        name: c.name ?? s.name,
        investor: c.investor ?? s.investor,
        industryChain: c.industryChain ?? s.industryChain,
        region: c.region ?? s.region,
        park: has('park') ? (c.park ?? null) : s.park,
        industrial: c.industrial ?? s.industrial,
        plannedInvestment: c.plannedInvestment ?? s.plannedInvestment,
        source: c.source ?? s.source,
        leadDate: c.leadDate ?? s.leadDate,
      };
    case 'TalksStarted':
      return {
        ...s,
        talksDate: c.talksDate ?? s.talksDate,
        leadingOfficial: has('leadingOfficial') ? (c.leadingOfficial ?? null) : s.leadingOfficial,
      };
    case 'ProjectSigned':
      return {
        ...s,
        signedDate: c.contractDate ?? s.signedDate,
        contractInvestment: c.contractInvestment ?? s.contractInvestment,
        contractNumber: c.contractNumber ?? s.contractNumber,
        signingBatchId: has('signingBatchId') ? (c.signingBatchId ?? null) : s.signingBatchId,
        plannedProductionDate: has('plannedProductionDate')
          ? (c.plannedProductionDate ?? null)
          : s.plannedProductionDate,
      };
    case 'ProjectLanded':
      return {
        ...s,
        creditCode: c.creditCode ?? s.creditCode,
        companyName: has('companyName') ? (c.companyName ?? null) : s.companyName,
        landedDate: c.landedDate ?? s.landedDate,
        site: c.site ?? s.site,
      };
    case 'ConstructionStarted':
      return {
        ...s,
        startedDate: c.startDate ?? s.startedDate,
        constructionEvidence: c.evidence ?? s.constructionEvidence,
      };
    case 'StatisticsEntered':
      return {
        ...s,
        statisticsCode: c.statisticsCode ?? s.statisticsCode,
        inStatsDate: c.inStatsDate ?? s.inStatsDate,
      };
    case 'ProductionStarted': {
      const date = c.productionDate;
      if (date === undefined) return s;
      const target = event.data.correctsVersion;
      const isFirst = s.productions[0]?.version === target;
      return withProductions(
        {
          ...s,
          anomalies: s.anomalies.map((a) =>
            isFirst && a.code === 'not_in_statistics' ? { ...a, since: date } : a,
          ),
        },
        s.productions.map((p) => (p.version === target ? { ...p, date } : p)),
      );
    }
    case 'FundsArrivedRecorded': {
      const fundsArrived = s.fundsArrived.map((e) =>
        e.version === event.data.correctsVersion
          ? { ...e, month: c.month ?? e.month, amount: c.amount ?? e.amount }
          : e,
      );
      return { ...s, fundsArrived, fundsArrivedTotal: totalOf(fundsArrived) };
    }
    default: {
      const _exhaustive: never = c;
      void _exhaustive;
      return s;
    }
  }
}
