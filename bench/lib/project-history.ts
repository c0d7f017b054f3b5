import { randomUUID } from 'node:crypto';
import { addDays, formatYuan, makeEvent, monthOf, shanghaiStartOfDay, type ProjectEvent } from '@app/domain';
import { eventHash, GENESIS_HASH, type EventRow, type HashedEventFields } from '@app/persistence';
import { random } from '../../test/support/portfolio';

const REGIONS = ['420502', '420503', '420504', '420505', '420506', '420525', '420526', '420527'];
const CHAINS = ['新材料', '生物医药', '食品饮料', '先进装备制造', '电子信息', '新能源'];
const AMOUNTS = ['30000000.00', '80000000.00', '150000000.00', '600000000.00', '1200000000.00'];
const DEPARTMENTS = ['自然资源和规划局', '生态环境局', '住房和城乡建设局', '发展和改革局', '供电公司'];
const CATEGORIES = ['land', 'planning', 'environment', 'approval', 'utilities'] as const;
const DEADLINES = [
  { id: 'land_after_signing', rule: 'land_after_signing', step: 'land' },
  { id: 'start_after_signing', rule: 'start_after_signing', step: 'start' },
  { id: 'in_stats_after_start', rule: 'in_stats_after_start', step: 'in_stats' },
];

/**
 * One project's history as the workflows would record it: a lead, assignments, the stage
 * transitions up to a stage drawn at random, and between them visits, blockers raised and resolved,
 * funds arrived (once construction has started), deadline extensions and alerts that are raised,
 * turn red, escalate and are resolved. Exactly `length` events (at least 10), folding without error.
 */
export function projectHistory(
  projectId: string,
  index: number,
  length: number,
  seed: number,
): ProjectEvent[] {
  const r = random(seed);
  let day = addDays('2023-01-02', r.int(0, 500));
  const at = () => shanghaiStartOfDay(day);
  const officer = `officer-${index % 50}`;
  const planned = r.pick(AMOUNTS);
  const events: ProjectEvent[] = [
    makeEvent('LeadRegistered', day, {
      projectId,
      name: `年产${(index % 90) + 10}万吨新材料项目${index}`,
      investor: {
        name: `湖北某某科技有限公司${index}`,
        type: r.pick(['private', 'local_soe', 'foreign'] as const),
        flags: [],
      },
      industryChain: r.pick(CHAINS),
      region: r.pick(REGIONS),
      park: r.chance(0.5) ? '宜昌高新区' : null,
      industrial: r.chance(0.7),
      plannedInvestment: planned,
      source: '以商招商',
      leadDate: day,
      serviceOfficerId: officer,
    }),
    makeEvent('ChiefServiceOfficerAssigned', day, {
      chiefOfficerId: `chief-${index % 10}`,
      previousChiefOfficerId: null,
      guaranteeLeaderId: `leader-${index % 4}`,
    }),
  ];
  // How far the project gets: 1 = negotiating … 6 = producing.
  const reach = r.int(1, 6);
  const stageAt = Array.from({ length: reach }, (_, s) => Math.floor(((s + 1) * length) / (reach + 2)));
  let stage = 0;
  let blockers = 0;
  const openBlockers: string[] = [];
  let alert: { id: string; rule: string; step: string; phase: number } | null = null;
  let funds = 0n;

  const stageEvent = (s: number): ProjectEvent => {
    switch (s) {
      case 1:
        return makeEvent('TalksStarted', day, { talksDate: day, leadingOfficial: null });
      case 2:
        return makeEvent('ProjectSigned', day, {
          contractDate: day,
          contractInvestment: r.chance(0.8) ? r.pick(AMOUNTS) : planned,
          contractNumber: `HT-${day.slice(0, 4)}-${String(index).padStart(5, '0')}`,
          signingBatchId: null,
          plannedProductionDate: addDays(day, 540),
        });
      case 3:
        return makeEvent('ProjectLanded', day, {
          creditCode: '914403001922038216',
          companyName: `宜昌某某科技有限公司${index}`,
          landedDate: day,
          site: { kind: 'land_parcel', parcelNumber: `宜市夷陵[${day.slice(0, 4)}]${index % 100}号` },
        });
      case 4:
        return makeEvent('ConstructionStarted', day, {
          startDate: day,
          evidence: {
            kind: 'construction_permit',
            permitNumber: `4205062025${String(index).padStart(8, '0')}`,
          },
        });
      case 5:
        return makeEvent('StatisticsEntered', day, {
          statisticsCode: `42050620${String(index).padStart(8, '0')}`,
          inStatsDate: day,
          anomaliesResolved: [],
        });
      default:
        return makeEvent('ProductionStarted', day, {
          productionDate: day,
          scope: 'partial',
          anomaliesOpened: [],
        });
    }
  };

  const filler = (): ProjectEvent => {
    if (alert) {
      const a = alert;
      a.phase++;
      if (a.phase === 1)
        return makeEvent('LightChanged', at(), { deadlineId: a.id, from: 'yellow', to: 'red' });
      if (a.phase === 2)
        return makeEvent('AlertEscalated', at(), {
          deadlineId: a.id,
          fromRung: 1,
          rung: 2,
          addressee: {
            kind: 'chief_service_officer',
            role: 'chief_officer',
            id: `chief-${index % 10}`,
            label: '首席服务官',
          },
        });
      alert = null;
      return makeEvent('AlertResolved', at(), { deadlineId: a.id, resolution: 'met', rung: 2 });
    }
    const roll = r.next();
    if (stage >= 4 && roll < 0.35) {
      const amount = BigInt(r.int(1, 3000)) * 1_000_000n;
      funds += amount;
      return makeEvent('FundsArrivedRecorded', day, {
        month: monthOf(day),
        amount: formatYuan(amount),
        runningTotal: formatYuan(funds),
        note: null,
      });
    }
    if (roll < 0.5 && openBlockers.length > 0) {
      const blockerId = openBlockers.shift()!;
      return makeEvent('BlockerResolved', day, { blockerId, resolution: '已协调解决', resolvedDate: day });
    }
    if (roll < 0.58 && openBlockers.length < 3) {
      const blockerId = `B-${++blockers}`;
      openBlockers.push(blockerId);
      return makeEvent('BlockerRaised', day, {
        blockerId,
        category: r.pick(CATEGORIES),
        description: '用地指标未落实，需协调土地报批',
        responsibleDepartment: r.pick(DEPARTMENTS),
        departmentRole: 'lead',
        raisedDate: day,
        dueDate: addDays(day, 15),
      });
    }
    if (roll < 0.66 && stage >= 2) {
      const d = r.pick(DEADLINES);
      alert = { ...d, phase: 0 };
      return makeEvent('AlertRaised', at(), {
        deadlineId: d.id,
        rule: d.rule,
        step: d.step,
        dueDate: addDays(day, -1),
        rung: 1,
        addressee: { kind: 'service_officer', role: 'officer', id: officer, label: '服务专员' },
        light: 'yellow',
      });
    }
    if (roll < 0.68 && stage >= 2) {
      return makeEvent('DeadlineExtended', day, {
        deadlineId: 'land_after_signing',
        newDueDate: addDays(day, 90),
        reason: '规划调整，延期落地',
        approvedBy: `leader-${index % 4}`,
      });
    }
    return makeEvent('ServiceVisitLogged', day, {
      visitDate: day,
      summary: '走访企业，了解项目进展和用地、用电需求',
      officerId: officer,
    });
  };

  while (events.length < length) {
    day = addDays(day, r.int(0, 3));
    if (stage < reach && events.length >= stageAt[stage] && !alert) events.push(stageEvent(++stage));
    else events.push(filler());
  }
  return events;
}

/** An event row exactly as appendEvents writes it, the hash chained to the one before. */

/**
 * The rows appendEvents would write for a history appended one command at a time (each event its
 * own command), recorded a minute apart: hashes computed here, so the rows can be loaded in bulk.
 */
export function chainedRows(projectId: string, history: ProjectEvent[], recordedFrom: number): EventRow[] {
  let previousHash = GENESIS_HASH;
  return history.map((event, i) => {
    const fields: HashedEventFields = {
      eventId: randomUUID(),
      projectId,
      version: i + 1,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      businessTime: event.businessTime,
      recordedAt: new Date(recordedFrom + i * 60_000).toISOString(),
      actorId: i === 0 ? 'officer-1' : 'system',
      actorRole: i === 0 ? 'officer' : 'system',
      commandId: `cmd-${projectId}-${i + 1}`,
      workflowId: `project-${projectId}`,
      runId: '4f8c2a10-0000-4000-8000-000000000001',
      previousHash,
    };
    const hash = eventHash(fields);
    previousHash = hash;
    return { ...fields, hash };
  });
}
