import type { Actor } from './actor';
import { availableCommands } from './available-commands';
import {
  PROJECT_COMMAND_TYPES,
  SYSTEM_COMMAND_TYPES,
  type ProjectCommand,
  type ProjectCommandType,
} from './commands';
import { decide } from './decide';
import type { ProjectEvent } from './events';
import type { ProjectState } from './state';
import {
  CITY,
  CREDIT_CODE,
  OTHER_REGION,
  admin,
  auditor,
  chief,
  ctx,
  historyTo,
  leader,
  officer,
  run,
} from './testing/fixtures';

const TODAY = '2025-03-10';

/** Valid data for each command a person sends, dated today (after every stage date of the fixtures). */
function validCommand(type: ProjectCommandType, state: ProjectState): ProjectCommand {
  const reason = '企业重新确认投资计划';
  const commands: Partial<Record<ProjectCommandType, ProjectCommand>> = {
    StartTalks: { type: 'StartTalks', data: { talksDate: TODAY } },
    Sign: {
      type: 'Sign',
      data: { contractDate: TODAY, contractInvestment: '200000000', contractNumber: 'HT-2025-009' },
    },
    Land: {
      type: 'Land',
      data: {
        creditCode: CREDIT_CODE,
        landedDate: TODAY,
        site: { kind: 'land_parcel', parcelNumber: 'YC-2025-17' },
      },
    },
    StartConstruction: {
      type: 'StartConstruction',
      data: { startDate: TODAY, evidence: { kind: 'construction_permit', permitNumber: '4205062025' } },
    },
    EnterStatistics: { type: 'EnterStatistics', data: { statisticsCode: 'TJ-0001', inStatsDate: TODAY } },
    StartProduction: { type: 'StartProduction', data: { productionDate: TODAY, scope: 'full' } },
    RecordFundsArrived: { type: 'RecordFundsArrived', data: { month: '2025-03', amount: '1000000' } },
    RaiseBlocker: {
      type: 'RaiseBlocker',
      data: {
        blockerId: 'B-NEW',
        category: 'land',
        description: '用地指标未落实',
        responsibleDepartment: '自然资源和规划局',
        dueDate: '2025-04-10',
      },
    },
    ResolveBlocker: {
      type: 'ResolveBlocker',
      data: { blockerId: state.openBlockers[0]?.blockerId ?? 'B-NONE', resolution: '已协调解决' },
    },
    LogServiceVisit: { type: 'LogServiceVisit', data: { visitDate: TODAY, summary: '走访企业' } },
    AssignServiceOfficer: { type: 'AssignServiceOfficer', data: { officerId: 'officer-new' } },
    AssignChiefServiceOfficer: { type: 'AssignChiefServiceOfficer', data: { chiefOfficerId: 'chief-new' } },
    ExtendDeadline: {
      type: 'ExtendDeadline',
      data: { deadlineId: 'start_after_signing', newDueDate: '2025-06-30', reason },
    },
    Drop: { type: 'Drop', data: { reason: '企业战略调整' } },
    Reopen: { type: 'Reopen', data: { reason } },
    CorrectEvent: {
      type: 'CorrectEvent',
      data: {
        correctsVersion: 1,
        reason: '名称录入有误',
        changes: { eventType: 'LeadRegistered', name: '更正后的项目' },
      },
    },
  };
  return commands[type]!;
}

const raised = validCommand('RaiseBlocker', run([]).state) as Extract<
  ProjectCommand,
  { type: 'RaiseBlocker' }
>;
const blocker: ProjectCommand = { ...raised, data: { ...raised.data, blockerId: 'B-OPEN' } };
const byLeader = ctx(leader);

/** A project in every stage, and the variants a stage's rules tell apart. */
const PROJECTS: Record<string, ProjectEvent[]> = {
  lead: historyTo('lead'),
  negotiating: historyTo('negotiating'),
  signed: historyTo('signed'),
  landed: historyTo('landed'),
  started: historyTo('started'),
  in_stats: historyTo('in_stats'),
  'started, below the statistics threshold': historyTo('started').map((e) =>
    e.type === 'LeadRegistered' ? { ...e, data: { ...e.data, plannedInvestment: '3000000.00' } } : e,
  ),
  'producing in part': run(
    [{ type: 'StartProduction', data: { productionDate: '2025-03-08', scope: 'partial' } }],
    ctx(),
    historyTo('in_stats'),
  ).events,
  'producing in full': run(
    [{ type: 'StartProduction', data: { productionDate: '2025-03-08', scope: 'full' } }],
    ctx(),
    historyTo('in_stats'),
  ).events,
  'lead with an open blocker': run([blocker], ctx(), historyTo('lead')).events,
  'dropped from lead': run([{ type: 'Drop', data: { reason: '企业战略调整' } }], byLeader, historyTo('lead'))
    .events,
  'dropped after signing': run(
    [{ type: 'Drop', data: { reason: '企业战略调整' } }],
    byLeader,
    historyTo('signed'),
  ).events,
  // Served by a chief officer whose own regions do not reach it.
  'signed, with a chief officer from elsewhere': run(
    [{ type: 'AssignChiefServiceOfficer', data: { chiefOfficerId: 'chief-far' } }],
    ctx(),
    historyTo('signed'),
  ).events,
};

const ACTORS: Record<string, Actor> = {
  officer,
  'officer of another county': { id: 'officer-far', role: 'officer', regions: [OTHER_REGION] },
  'chief officer': chief,
  'chief officer from elsewhere': { id: 'chief-far', role: 'chief_officer', regions: [OTHER_REGION] },
  leader,
  'leader of another city': { id: 'leader-far', role: 'leader', regions: [OTHER_REGION] },
  auditor,
  admin,
};

/** With the deadlines open unknown, none open, and one open. */
const DEADLINE_KNOWLEDGE: { name: string; openDeadlineIds?: string[] }[] = [
  { name: 'open deadlines unknown' },
  { name: 'no deadline open', openDeadlineIds: [] },
  { name: 'a deadline open', openDeadlineIds: ['start_after_signing'] },
];

const stateOf = (events: ProjectEvent[]): ProjectState => run([], ctx(), events).state;

describe('availableCommands: what a page offers is what the decider accepts', () => {
  const cases = Object.entries(PROJECTS).flatMap(([project, events]) =>
    Object.entries(ACTORS).flatMap(([actorName, actor]) =>
      DEADLINE_KNOWLEDGE.map((k) => [project, actorName, k.name, events, actor, k.openDeadlineIds] as const),
    ),
  );

  it.each(cases)(
    'given a project %s, for the %s (%s): each listed command is accepted, each left out refused',
    (_project, _actorName, _knowledge, events, actor, openDeadlineIds) => {
      const state = stateOf(events);
      const listed = availableCommands(actor, state, { openDeadlineIds });
      const context = { ...ctx(actor), ...(openDeadlineIds ? { openDeadlineIds } : {}) };
      const judged = PROJECT_COMMAND_TYPES.filter(
        (t) => !SYSTEM_COMMAND_TYPES.includes(t) && t !== 'RegisterLead',
      ).map((type) => {
        const decision = decide(validCommand(type, state), state, context);
        return { type, accepted: decision.outcome === 'accepted', listed: listed.includes(type) };
      });
      // The decider is the oracle: listed exactly when accepted.
      expect(judged.filter((j) => j.accepted !== j.listed)).toEqual([]);
      // A lead is registered, never sent to a project; the timers' commands are never offered.
      expect(listed).not.toContain('RegisterLead');
      expect(listed.filter((t) => SYSTEM_COMMAND_TYPES.includes(t))).toEqual([]);
    },
  );

  it('given no project, offers nothing', () => {
    expect(availableCommands(officer, run([]).state)).toEqual([]);
  });
});

describe('availableCommands by stage', () => {
  const transitions = (actor: Actor, project: string, openDeadlineIds?: string[]) =>
    availableCommands(actor, stateOf(PROJECTS[project]), { openDeadlineIds }).filter((t) =>
      [
        'StartTalks',
        'Sign',
        'Land',
        'StartConstruction',
        'EnterStatistics',
        'StartProduction',
        'Drop',
        'Reopen',
      ].includes(t),
    );

  it('offers an officer talks, signing or its drop on a lead, and a leader its drop', () => {
    expect(transitions(officer, 'lead')).toEqual(['StartTalks', 'Sign', 'Drop']);
    expect(transitions(leader, 'lead')).toEqual(['Drop']);
    expect(availableCommands(leader, stateOf(PROJECTS.lead), { openDeadlineIds: [] })).toEqual([
      'AssignServiceOfficer',
      'AssignChiefServiceOfficer',
      'Drop',
    ]);
  });

  it('offers each stage its next one, and 入统 only to a project above the statistics threshold', () => {
    expect(transitions(officer, 'negotiating')).toEqual(['Sign', 'Drop']);
    expect(transitions(officer, 'signed')).toEqual(['Land', 'Drop']);
    expect(transitions(officer, 'landed')).toEqual(['StartConstruction', 'Drop']);
    expect(transitions(officer, 'started')).toEqual(['EnterStatistics', 'StartProduction', 'Drop']);
    expect(transitions(officer, 'started, below the statistics threshold')).toEqual([
      'StartProduction',
      'Drop',
    ]);
    expect(transitions(officer, 'in_stats')).toEqual(['StartProduction', 'Drop']);
    expect(transitions(officer, 'producing in part')).toEqual(['StartProduction', 'Drop']);
  });

  it('offers a project producing in full no transition, not even its drop', () => {
    expect(transitions(officer, 'producing in full')).toEqual([]);
    expect(transitions(leader, 'producing in full')).toEqual([]);
  });

  it('offers a dropped project its reopening, to a leader only, and nothing else to anyone', () => {
    expect(availableCommands(leader, stateOf(PROJECTS['dropped after signing']))).toEqual(['Reopen']);
    expect(availableCommands(officer, stateOf(PROJECTS['dropped after signing']))).toEqual([]);
    expect(availableCommands(chief, stateOf(PROJECTS['dropped from lead']))).toEqual([]);
  });

  it('offers nothing outside the actor’s regions, except a chief officer’s own projects', () => {
    const signed = stateOf(PROJECTS['signed, with a chief officer from elsewhere']);
    expect(
      availableCommands({ id: 'officer-far', role: 'officer', regions: [OTHER_REGION] }, signed),
    ).toEqual([]);
    expect(
      availableCommands({ id: 'chief-far', role: 'chief_officer', regions: [OTHER_REGION] }, signed),
    ).toContain('Land');
    expect(availableCommands({ id: 'leader-city', role: 'leader', regions: [CITY] }, signed)).toContain(
      'Drop',
    );
    expect(availableCommands(auditor, signed)).toEqual([]);
    expect(availableCommands(admin, signed)).toEqual([]);
  });

  it('offers funds from signing on, a resolution only with a blocker open, an extension only with a deadline open', () => {
    expect(availableCommands(officer, stateOf(PROJECTS.lead))).not.toContain('RecordFundsArrived');
    expect(availableCommands(officer, stateOf(PROJECTS.signed))).toContain('RecordFundsArrived');
    expect(availableCommands(officer, stateOf(PROJECTS.lead))).not.toContain('ResolveBlocker');
    expect(availableCommands(officer, stateOf(PROJECTS['lead with an open blocker']))).toContain(
      'ResolveBlocker',
    );
    expect(transitions(leader, 'signed', [])).toEqual(['Drop']);
    expect(
      availableCommands(leader, stateOf(PROJECTS.signed), { openDeadlineIds: ['start_after_signing'] }),
    ).toContain('ExtendDeadline');
  });
});
