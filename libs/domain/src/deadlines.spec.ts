import { WorkingDayCalendar, chinaCalendar } from './calendar';
import { deadlineCommands, openDeadlines, type OpenDeadline } from './deadlines';
import { decide } from './decide';
import { makeEvent, type ProjectEvent } from './events';
import { evolve, foldEvents } from './evolve';
import { DEFAULT_POLICY, type ProjectPolicy } from './policy';
import type { ProjectState } from './state';
import {
  CITY,
  constructionStarted,
  historyTo,
  leadRegistered,
  leader,
  projectLanded,
  system,
} from './testing/fixtures';

const at = (date: string, time = '10:00'): string => {
  // Shanghai wall-clock time to a UTC instant, by hand: UTC+8.
  const [h, m] = time.split(':').map(Number);
  const ms = Date.parse(`${date}T00:00:00Z`) + (h - 8) * 3_600_000 + m * 60_000;
  return new Date(ms).toISOString();
};

const find = (deadlines: OpenDeadline[], id: string): OpenDeadline => {
  const d = deadlines.find((x) => x.id === id);
  if (!d) throw new Error(`no deadline ${id} among ${deadlines.map((x) => x.id).join(', ')}`);
  return d;
};

const signed = (): ProjectState => foldEvents(historyTo('signed'));
const chiefAssigned = makeEvent('ChiefServiceOfficerAssigned', '2025-02-11T02:00:00.000Z', {
  chiefOfficerId: 'chief-1',
  previousChiefOfficerId: null,
  guaranteeLeaderId: null,
});

describe('openDeadlines', () => {
  it('opens nothing for a project that does not exist or is dropped', () => {
    expect(openDeadlines(foldEvents([]), DEFAULT_POLICY, chinaCalendar, at('2025-03-10'))).toEqual({
      deadlines: [],
      nextChangeAt: null,
    });
    const dropped = foldEvents([
      ...historyTo('signed'),
      makeEvent('ProjectDropped', at('2025-03-01'), {
        reason: 'x',
        fromStage: 'signed',
        droppedDate: '2025-03-01',
        alertsClosed: [],
      }),
    ]);
    expect(openDeadlines(dropped, DEFAULT_POLICY, chinaCalendar, at('2025-03-10')).deadlines).toEqual([]);
  });

  it('gives a signed 2亿元 project its landing, start and 首席服务官 deadlines', () => {
    const { deadlines, nextChangeAt } = openDeadlines(
      signed(),
      DEFAULT_POLICY,
      chinaCalendar,
      at('2025-03-10'),
    );
    expect(deadlines.map((d) => d.id).sort()).toEqual([
      'chief_officer_after_signing',
      'land_after_signing',
      'start_after_signing',
    ]);

    // Signed 2025-02-10: land within 3 months, start within 6.
    expect(find(deadlines, 'land_after_signing')).toMatchObject({
      dueDate: '2025-05-10',
      light: 'green',
      rung: 0,
      overdue: false,
      provisional: false,
      addressee: { kind: 'service_officer', role: 'officer', id: 'officer-1', label: '服务专员' },
    });
    expect(find(deadlines, 'start_after_signing')).toMatchObject({ dueDate: '2025-08-10', light: 'green' });

    // 5 working days after Mon 10 Feb is Mon 17 Feb; overdue (and alerted) from the 18th. Rung 2 five
    // working days after the alert (19, 20, 21, 24, 25 Feb): the 25th; rung 3 ten more (26 Feb … 11 Mar): 11 Mar.
    expect(find(deadlines, 'chief_officer_after_signing')).toMatchObject({
      dueDate: '2025-02-17',
      overdue: true,
      daysOverdue: 21,
      rung: 2,
      light: 'red',
      // No 首席服务官 yet, so rung 2 goes to the region's 分管领导.
      addressee: { kind: 'deputy_leader', role: 'leader', label: '分管领导', region: '420506' },
      nextChangeAt: '2025-03-10T16:00:00.000Z',
    });
    expect(nextChangeAt).toBe('2025-03-10T16:00:00.000Z');
  });

  it('climbs the ladder over working days and turns the light as it goes', () => {
    const state = foldEvents([...historyTo('signed'), chiefAssigned]);
    const on = (date: string): OpenDeadline =>
      find(openDeadlines(state, DEFAULT_POLICY, chinaCalendar, at(date)).deadlines, 'land_after_signing');

    expect(on('2025-05-02')).toMatchObject({
      light: 'green',
      rung: 0,
      nextChangeAt: at('2025-05-03', '00:00'),
    });
    expect(on('2025-05-03')).toMatchObject({ light: 'yellow', rung: 0 }); // a week before the due date
    expect(on('2025-05-10')).toMatchObject({ light: 'yellow', rung: 0, overdue: false });
    // Due Sat 10 May; overdue from Sun 11 May: the officer is alerted at once.
    expect(on('2025-05-11')).toMatchObject({
      light: 'yellow',
      rung: 1,
      overdue: true,
      addressee: { id: 'officer-1' },
    });
    // 5 working days after the alert (Sun 11 May): 12–16 May; the 首席服务官 from Fri 16 May, light red.
    expect(on('2025-05-15')).toMatchObject({ rung: 1, nextChangeAt: at('2025-05-16', '00:00') });
    expect(on('2025-05-16')).toMatchObject({
      rung: 2,
      light: 'red',
      addressee: { kind: 'chief_service_officer', role: 'chief_officer', id: 'chief-1', label: '首席服务官' },
    });
    // 10 more working days: 19 May – 30 May; 分管领导 from 30 May.
    expect(on('2025-05-29')).toMatchObject({ rung: 2 });
    expect(on('2025-05-30')).toMatchObject({ rung: 3, addressee: { kind: 'deputy_leader' } });
    // 20 more, past the Dragon Boat holiday (31 May – 2 Jun): 3 Jun – 30 Jun; 主要领导 and the bulletin on 30 Jun.
    expect(on('2025-06-27')).toMatchObject({ rung: 3 });
    expect(on('2025-06-30')).toMatchObject({
      rung: 4,
      addressee: { kind: 'principal_leader', label: '主要领导', bulletin: true },
      nextChangeAt: null,
    });
  });

  it('honours a leader’s extension, and closes the deadline when the step is done', () => {
    const extended = foldEvents([
      ...historyTo('signed'),
      chiefAssigned,
      makeEvent('DeadlineExtended', at('2025-05-12'), {
        deadlineId: 'land_after_signing',
        newDueDate: '2025-06-30',
        reason: '土地挂牌延期',
        approvedBy: 'leader-1',
      }),
    ]);
    const land = find(
      openDeadlines(extended, DEFAULT_POLICY, chinaCalendar, at('2025-05-20')).deadlines,
      'land_after_signing',
    );
    expect(land).toMatchObject({
      dueDate: '2025-06-30',
      ruleDueDate: '2025-05-10',
      extended: true,
      overdue: false,
      light: 'green',
    });

    const landed = foldEvents([...historyTo('landed'), chiefAssigned]);
    const ids = openDeadlines(landed, DEFAULT_POLICY, chinaCalendar, at('2025-05-20')).deadlines.map(
      (d) => d.id,
    );
    expect(ids).toEqual(['start_after_signing']);
  });

  it('marks a working-day deadline provisional when it runs into a year not yet announced', () => {
    const lateSigning = foldEvents([
      leadRegistered,
      makeEvent('ProjectSigned', '2025-12-26', {
        contractDate: '2025-12-26',
        contractInvestment: '300000000.00',
        contractNumber: 'HT-9',
        signingBatchId: null,
        plannedProductionDate: null,
      }),
    ]);
    const pinned = new WorkingDayCalendar({ announcedYears: [2025] });
    const provisional = find(
      openDeadlines(lateSigning, DEFAULT_POLICY, pinned, at('2025-12-27')).deadlines,
      'chief_officer_after_signing',
    );
    expect(provisional).toMatchObject({ provisional: true });
    const known = find(
      openDeadlines(lateSigning, DEFAULT_POLICY, chinaCalendar, at('2025-12-27')).deadlines,
      'chief_officer_after_signing',
    );
    // 2026 is announced: 1–3 Jan holiday, Sun 4 Jan a working day: 29, 30, 31 Dec, 4 and 5 Jan.
    expect(known).toMatchObject({ provisional: false, dueDate: '2026-01-05' });
    // Month deadlines never depend on the holiday calendar.
    expect(
      find(
        openDeadlines(lateSigning, DEFAULT_POLICY, pinned, at('2025-12-27')).deadlines,
        'land_after_signing',
      ).provisional,
    ).toBe(false);
  });

  it('asks for 入统 a month after the start, yellow once missed and red when escalated (银川)', () => {
    const started = foldEvents([...historyTo('started'), chiefAssigned]);
    const on = (date: string): OpenDeadline =>
      find(
        openDeadlines(started, DEFAULT_POLICY, chinaCalendar, at(date)).deadlines,
        'statistics_after_start',
      );
    expect(on('2025-04-01')).toMatchObject({ dueDate: '2025-04-01', light: 'green', rung: 0 });
    expect(on('2025-04-02')).toMatchObject({ light: 'yellow', rung: 1 });
    // 5 working days after 1 Apr: 2, 3, 7, 8, 9 Apr (清明 4–6 Apr); rung 2 and red from the 10th.
    expect(on('2025-04-09')).toMatchObject({ light: 'yellow', rung: 1 });
    expect(on('2025-04-10')).toMatchObject({ light: 'red', rung: 2 });
  });

  it('keeps a "not in statistics" deadline open from the day production was recorded', () => {
    const producing = foldEvents([
      ...historyTo('started'),
      makeEvent('ProductionStarted', '2025-03-04', {
        productionDate: '2025-03-04',
        scope: 'partial',
        anomaliesOpened: ['not_in_statistics'],
      }),
    ]);
    const { deadlines } = openDeadlines(producing, DEFAULT_POLICY, chinaCalendar, at('2025-03-10'));
    expect(deadlines.map((d) => d.id)).not.toContain('statistics_after_start');
    // Due at once: overdue from 5 Mar; rung 2 after 5, 6, 7, 10, 11 Mar, from the 12th.
    expect(find(deadlines, 'statistics_after_production')).toMatchObject({
      dueDate: '2025-03-04',
      overdue: true,
      rung: 1,
      nextChangeAt: at('2025-03-12', '00:00'),
    });
  });

  it('reminds about a lead with no activity for 30 days, without climbing the ladder', () => {
    const lead = foldEvents([leadRegistered]);
    const reminder = find(
      openDeadlines(lead, DEFAULT_POLICY, chinaCalendar, at('2025-03-10')).deadlines,
      'lead_follow_up',
    );
    // Lead on 6 Jan: due 5 Feb; red 30 days later, from 8 Mar.
    expect(reminder).toMatchObject({
      dueDate: '2025-02-05',
      rung: 1,
      light: 'red',
      addressee: { kind: 'service_officer' },
    });
    const visited = evolve(
      lead,
      makeEvent('ServiceVisitLogged', '2025-03-01', {
        visitDate: '2025-03-01',
        summary: '洽谈',
        officerId: 'officer-1',
      }),
    );
    expect(
      find(
        openDeadlines(visited, DEFAULT_POLICY, chinaCalendar, at('2025-03-10')).deadlines,
        'lead_follow_up',
      ),
    ).toMatchObject({
      dueDate: '2025-03-31',
      light: 'green',
      rung: 0,
    });
  });

  it('gives each open blocker its own deadline by its due date', () => {
    const state = foldEvents([
      ...historyTo('landed'),
      makeEvent('BlockerRaised', at('2025-03-03'), {
        blockerId: 'B-1',
        category: 'utilities',
        description: '电力增容未批复',
        responsibleDepartment: '供电公司',
        departmentRole: 'co_handling',
        raisedDate: '2025-03-03',
        dueDate: '2025-03-06',
      }),
    ]);
    const blocker = find(
      openDeadlines(state, DEFAULT_POLICY, chinaCalendar, at('2025-03-10')).deadlines,
      'blocker_due:B-1',
    );
    expect(blocker).toMatchObject({
      subject: 'B-1',
      dueDate: '2025-03-06',
      overdue: true,
      rung: 1,
      light: 'yellow',
    });
  });

  it('applies regional overrides, a city covering its counties', () => {
    const policy: ProjectPolicy = {
      ...DEFAULT_POLICY,
      regionalOverrides: {
        [CITY]: { rules: { land_after_signing: { limit: { amount: 2, unit: 'month' } } } },
      },
    };
    const land = find(
      openDeadlines(signed(), policy, chinaCalendar, at('2025-03-10')).deadlines,
      'land_after_signing',
    );
    expect(land.dueDate).toBe('2025-04-10');
  });

  it('is deterministic', () => {
    const a = openDeadlines(signed(), DEFAULT_POLICY, chinaCalendar, at('2025-03-10'));
    const b = openDeadlines(signed(), DEFAULT_POLICY, new WorkingDayCalendar(), at('2025-03-10'));
    expect(a).toEqual(b);
  });
});

describe('deadlineCommands', () => {
  const apply = (state: ProjectState, now: string): { state: ProjectState; events: ProjectEvent[] } => {
    const commands = deadlineCommands(state, openDeadlines(state, DEFAULT_POLICY, chinaCalendar, now), now);
    const events: ProjectEvent[] = [];
    let s = state;
    for (const command of commands) {
      const decision = decide(command, s, { actor: system, now });
      if (decision.outcome !== 'accepted')
        throw new Error(`${command.type} refused: ${decision.refusal.code}`);
      events.push(...decision.events);
      s = foldEvents(decision.events, s);
    }
    return { state: s, events };
  };

  it('turns overdue deadlines into alerts, escalations and light changes, once', () => {
    const first = apply(signed(), at('2025-03-10'));
    expect(first.events.map((e) => e.type)).toEqual(['AlertRaised']);
    expect(first.events[0].data).toMatchObject({
      deadlineId: 'chief_officer_after_signing',
      rung: 2,
      light: 'red',
    });
    expect(first.state.light).toBe('red');
    expect(apply(first.state, at('2025-03-10')).events).toEqual([]);

    const next = apply(first.state, at('2025-03-11'));
    expect(next.events.map((e) => e.type)).toEqual(['AlertEscalated']);
    expect(next.events[0].data).toMatchObject({ fromRung: 2, rung: 3 });
  });

  it('resolves the alert and turns the light back when the step is done', () => {
    const alerted = apply(signed(), at('2025-03-10')).state;
    const assigned = foldEvents(
      [
        makeEvent('ChiefServiceOfficerAssigned', at('2025-03-10'), {
          chiefOfficerId: 'chief-1',
          previousChiefOfficerId: null,
          guaranteeLeaderId: null,
        }),
      ],
      alerted,
    );
    const { state, events } = apply(assigned, at('2025-03-10', '11:00'));
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['AlertResolved', { deadlineId: 'chief_officer_after_signing', resolution: 'met', rung: 2 }],
      ['LightChanged', { deadlineId: 'chief_officer_after_signing', from: 'red', to: 'green' }],
    ]);
    expect(state).toMatchObject({ alerts: [], lights: {}, light: 'green' });
  });

  it('resolves as extended when a leader moves the due date', () => {
    const withChief = foldEvents([...historyTo('signed'), chiefAssigned]);
    const alerted = apply(withChief, at('2025-05-12')).state;
    expect(alerted.alerts.map((a) => a.deadlineId)).toEqual(['land_after_signing']);
    const extension = decide(
      {
        type: 'ExtendDeadline',
        data: { deadlineId: 'land_after_signing', newDueDate: '2025-06-30', reason: '土地挂牌延期' },
      },
      alerted,
      { actor: leader, now: at('2025-05-12', '11:00') },
    );
    const extended = foldEvents(extension.outcome === 'accepted' ? extension.events : [], alerted);
    const { events } = apply(extended, at('2025-05-12', '12:00'));
    expect(events.map((e) => e.type)).toEqual(['AlertResolved', 'LightChanged']);
    expect(events[0].data).toMatchObject({ resolution: 'extended' });
  });

  it('carries a project through landing without leaving stale alerts', () => {
    const withChief = foldEvents([...historyTo('signed'), chiefAssigned]);
    const alerted = apply(withChief, at('2025-05-12')).state;
    const landed = foldEvents([projectLanded, constructionStarted].slice(0, 1), alerted);
    const { state } = apply(landed, at('2025-05-13'));
    expect(state.alerts).toEqual([]);
  });
});
