import type { ProjectCommand } from './commands';
import { decide } from './decide';
import { makeEvent, type ProjectEvent } from './events';
import { foldEvents } from './evolve';
import { initialState } from './state';
import {
  CREDIT_CODE,
  NOW,
  OTHER_CREDIT_CODE,
  OTHER_REGION,
  REGION,
  admin,
  auditor,
  chief,
  constructionStarted,
  ctx,
  historyTo,
  leadData,
  leadRegistered,
  leader,
  officer,
  projectLanded,
  projectSigned,
  statisticsEntered,
  system,
} from './testing/fixtures';
import { specification } from './testing/specification';

const given = specification(expect, ctx());

const droppedEvent = makeEvent('ProjectDropped', NOW, {
  reason: '企业投资计划调整',
  fromStage: 'signed',
  droppedDate: '2025-03-10',
  alertsClosed: [],
});
const alertRaised = makeEvent('AlertRaised', NOW, {
  deadlineId: 'land_after_signing',
  rule: 'land_after_signing',
  step: 'land',
  dueDate: '2025-03-01',
  rung: 1,
  addressee: { kind: 'service_officer', role: 'officer', id: 'officer-1', label: '服务专员', region: REGION },
  light: 'yellow',
});

describe('decide — gates', () => {
  it('refuses an invalid now', () => {
    given([])
      .when({ type: 'RegisterLead', data: leadData() }, ctx(officer, '2025-03-10'))
      .thenRefused('INVALID_CONTEXT', 'context.now');
  });

  it('refuses a context without a valid actor', () => {
    const bad = { actor: { id: '', role: 'officer', regions: [] }, now: NOW } as never;
    given([])
      .when({ type: 'RegisterLead', data: leadData() }, bad)
      .thenRefused('INVALID_CONTEXT', 'context.actor');
  });

  it('refuses a command of unknown type', () => {
    given([])
      .when({ type: 'Teleport', data: {} } as never)
      .thenRefused('UNKNOWN_COMMAND', 'type');
  });

  it('refuses a command without data', () => {
    given([])
      .when({ type: 'StartTalks' } as never)
      .thenRefused('INVALID_COMMAND', 'data');
  });

  it('refuses every command from an auditor', () => {
    given([]).when({ type: 'RegisterLead', data: leadData() }, ctx(auditor)).thenRefused('ROLE_NOT_ALLOWED');
  });

  it('refuses business commands from the system and timer commands from people', () => {
    given(historyTo('lead'))
      .when({ type: 'StartTalks', data: { talksDate: '2025-01-20' } }, ctx(system))
      .thenRefused('ROLE_NOT_ALLOWED');
    given(historyTo('lead'))
      .when({ type: 'ChangeLight', data: { deadlineId: 'x', light: 'red' } }, ctx(officer))
      .thenRefused('ROLE_NOT_ALLOWED');
  });

  it('refuses any command but RegisterLead on a project that does not exist', () => {
    given([])
      .when({ type: 'StartTalks', data: { talksDate: '2025-01-20' } })
      .thenRefused('PROJECT_NOT_FOUND');
  });

  it('refuses an officer outside the project region', () => {
    given(historyTo('lead'))
      .when(
        { type: 'StartTalks', data: { talksDate: '2025-01-20' } },
        ctx({ ...officer, regions: [OTHER_REGION] }),
      )
      .thenRefused('REGION_NOT_IN_SCOPE');
  });

  it('lets a city leader reassign on a county project, but not move its stage', () => {
    given(historyTo('lead'))
      .when({ type: 'AssignServiceOfficer', data: { officerId: 'officer-2' } }, ctx(leader))
      .then([
        makeEvent('ServiceOfficerAssigned', NOW, {
          officerId: 'officer-2',
          previousOfficerId: 'officer-1',
          reason: null,
        }),
      ]);
    given(historyTo('lead'))
      .when({ type: 'StartTalks', data: { talksDate: '2025-01-20' } }, ctx(leader))
      .thenRefused('ROLE_NOT_ALLOWED');
  });

  it('refuses every project command from an admin, who manages policy', () => {
    given(historyTo('lead'))
      .when({ type: 'StartTalks', data: { talksDate: '2025-01-20' } }, ctx(admin))
      .thenRefused('ROLE_NOT_ALLOWED');
  });

  it('lets a chief officer act on a project assigned to them outside their regions', () => {
    const away = { ...chief, regions: [OTHER_REGION] };
    const history = [...historyTo('signed')];
    given(history)
      .when({ type: 'LogServiceVisit', data: { visitDate: '2025-03-09', summary: '回访' } }, ctx(away))
      .thenRefused('REGION_NOT_IN_SCOPE');
    const { events: assigned } = given(history)
      .when({ type: 'AssignChiefServiceOfficer', data: { chiefOfficerId: away.id } })
      .thenAccepted();
    given([...history, ...assigned])
      .when({ type: 'LogServiceVisit', data: { visitDate: '2025-03-09', summary: '回访' } }, ctx(away))
      .then([
        makeEvent('ServiceVisitLogged', '2025-03-09', {
          visitDate: '2025-03-09',
          summary: '回访',
          officerId: away.id,
        }),
      ]);
  });

  it('accepts nothing but Reopen on a dropped project', () => {
    const history = [...historyTo('signed'), droppedEvent];
    given(history)
      .when({ type: 'LogServiceVisit', data: { visitDate: '2025-03-09', summary: '回访' } })
      .thenRefused('PROJECT_DROPPED');
    given(history)
      .when({ type: 'ChangeLight', data: { deadlineId: 'x', light: 'red' } }, ctx(system))
      .thenRefused('PROJECT_DROPPED');
    given(history)
      .when({ type: 'Reopen', data: { reason: '企业重新启动投资' } }, ctx(leader))
      .then([
        makeEvent('ProjectReopened', NOW, {
          reason: '企业重新启动投资',
          toStage: 'signed',
          approvedBy: leader.id,
        }),
      ]);
  });
});

describe('RegisterLead', () => {
  it('registers a lead, normalising money and defaulting the service officer to the registering officer', () => {
    given([]).when({ type: 'RegisterLead', data: leadData() }).then([leadRegistered]);
  });

  it('builds the state from the lead', () => {
    const state = given([]).when({ type: 'RegisterLead', data: leadData() }).then([leadRegistered]);
    expect(state).toMatchObject({
      exists: true,
      projectId: 'P-2025-001',
      version: 1,
      stage: 'lead',
      region: REGION,
      plannedInvestment: '150000000.00',
      fundsArrivedTotal: '0.00',
      serviceOfficerId: 'officer-1',
    });
  });

  it.each<[string, Partial<ReturnType<typeof leadData>>, string, string]>([
    ['a blank name', { name: ' ' }, 'REQUIRED', 'data.name'],
    [
      'an unknown investor type',
      { investor: { name: 'X', type: 'martian' as never, flags: [] } },
      'INVALID_VALUE',
      'data.investor.type',
    ],
    [
      'an unknown investor flag',
      { investor: { name: 'X', type: 'private', flags: ['famous' as never] } },
      'INVALID_VALUE',
      'data.investor.flags',
    ],
    ['a float-looking amount', { plannedInvestment: '1.5e8' }, 'INVALID_AMOUNT', 'data.plannedInvestment'],
    ['three decimals', { plannedInvestment: '100.001' }, 'INVALID_AMOUNT', 'data.plannedInvestment'],
    ['a zero amount', { plannedInvestment: '0' }, 'AMOUNT_NOT_POSITIVE', 'data.plannedInvestment'],
    ['a non-boolean industrial flag', { industrial: 'yes' as never }, 'INVALID_VALUE', 'data.industrial'],
    ['a missing source', { source: '' }, 'REQUIRED', 'data.source'],
    ['a malformed date', { leadDate: '2025-02-30' }, 'INVALID_DATE', 'data.leadDate'],
    ['a future date', { leadDate: '2025-03-11' }, 'DATE_IN_FUTURE', 'data.leadDate'],
    ['a malformed region', { region: '4205' }, 'INVALID_REGION_CODE', 'data.region'],
    ['a region outside the officer’s', { region: OTHER_REGION }, 'REGION_NOT_IN_SCOPE', 'data.region'],
  ])('refuses %s', (_name, overrides, code, field) => {
    given([])
      .when({ type: 'RegisterLead', data: leadData(overrides) })
      .thenRefused(code, field);
  });

  it('refuses a project that already exists', () => {
    given(historyTo('lead'))
      .when({ type: 'RegisterLead', data: leadData() })
      .thenRefused('PROJECT_ALREADY_EXISTS', 'data.projectId');
  });

  it('judges dates in Shanghai: 2025-03-10 begins at 16:00 UTC the day before', () => {
    given([])
      .when(
        { type: 'RegisterLead', data: leadData({ leadDate: '2025-03-10' }) },
        ctx(officer, '2025-03-09T16:00:00Z'),
      )
      .then([makeEvent('LeadRegistered', '2025-03-10', { ...leadRegistered.data, leadDate: '2025-03-10' })]);
    given([])
      .when(
        { type: 'RegisterLead', data: leadData({ leadDate: '2025-03-10' }) },
        ctx(officer, '2025-03-09T15:59:59Z'),
      )
      .thenRefused('DATE_IN_FUTURE', 'data.leadDate');
  });
});

describe('StartTalks', () => {
  it('starts talks from a lead', () => {
    given(historyTo('lead'))
      .when({ type: 'StartTalks', data: { talksDate: '2025-01-20', leadingOfficial: '张副县长' } })
      .then([
        makeEvent('TalksStarted', '2025-01-20', { talksDate: '2025-01-20', leadingOfficial: '张副县长' }),
      ]);
  });

  it('refuses when the project is past the lead stage', () => {
    given(historyTo('negotiating'))
      .when({ type: 'StartTalks', data: { talksDate: '2025-01-21' } })
      .thenRefused('TALKS_NOT_FROM_LEAD');
  });

  it('refuses a talks date before the lead date', () => {
    given(historyTo('lead'))
      .when({ type: 'StartTalks', data: { talksDate: '2025-01-05' } })
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.talksDate');
  });

  it('refuses a talks date in the future', () => {
    given(historyTo('lead'))
      .when({ type: 'StartTalks', data: { talksDate: '2025-04-01' } })
      .thenRefused('DATE_IN_FUTURE', 'data.talksDate');
  });
});

describe('Sign', () => {
  const sign = (data: Partial<Extract<ProjectCommand, { type: 'Sign' }>['data']> = {}): ProjectCommand => ({
    type: 'Sign',
    data: {
      contractDate: '2025-02-10',
      contractInvestment: '200000000',
      contractNumber: 'HT-2025-001',
      ...data,
    },
  });

  it('signs after talks; the business time is the contract date', () => {
    given(historyTo('negotiating')).when(sign()).then([projectSigned]);
  });

  it('signs a lead directly at a 集中签约, with its batch id', () => {
    const state = given(historyTo('lead'))
      .when(sign({ signingBatchId: 'JZQY-2025-02' }))
      .then([{ ...projectSigned, data: { ...projectSigned.data, signingBatchId: 'JZQY-2025-02' } }]);
    expect(state.stage).toBe('signed');
    expect(state.talksDate).toBeNull();
  });

  it('refuses a second signing', () => {
    given(historyTo('signed')).when(sign()).thenRefused('ALREADY_SIGNED');
  });

  it('refuses a contract date before the talks date', () => {
    given(historyTo('negotiating'))
      .when(sign({ contractDate: '2025-01-19' }))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.contractDate');
  });

  it('refuses a contract date in the future', () => {
    given(historyTo('negotiating'))
      .when(sign({ contractDate: '2025-03-11' }))
      .thenRefused('DATE_IN_FUTURE', 'data.contractDate');
  });

  it('refuses a non-positive or inexact contract investment', () => {
    given(historyTo('negotiating'))
      .when(sign({ contractInvestment: '-5' }))
      .thenRefused('AMOUNT_NOT_POSITIVE', 'data.contractInvestment');
    given(historyTo('negotiating'))
      .when(sign({ contractInvestment: '2e8' }))
      .thenRefused('INVALID_AMOUNT', 'data.contractInvestment');
  });

  it('refuses a missing contract number', () => {
    given(historyTo('negotiating'))
      .when(sign({ contractNumber: '' }))
      .thenRefused('REQUIRED', 'data.contractNumber');
  });

  it('refuses a planned production date before the contract date', () => {
    given(historyTo('negotiating'))
      .when(sign({ plannedProductionDate: '2025-02-01' }))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.plannedProductionDate');
  });
});

describe('Land', () => {
  const landCmd = (
    data: Partial<Extract<ProjectCommand, { type: 'Land' }>['data']> = {},
  ): ProjectCommand => ({
    type: 'Land',
    data: {
      creditCode: CREDIT_CODE,
      landedDate: '2025-02-20',
      site: { kind: 'land_parcel', parcelNumber: '宜市夷陵[2025]05号' },
      ...data,
    },
  });

  it('lands a signed project', () => {
    given(historyTo('signed')).when(landCmd()).then([projectLanded]);
  });

  it('accepts a lease and a lower-case credit code, stored upper-case', () => {
    const { events } = given(historyTo('signed'))
      .when(
        landCmd({
          creditCode: OTHER_CREDIT_CODE.toLowerCase(),
          site: { kind: 'lease', leaseContractNumber: 'ZL-01' },
        }),
      )
      .thenAccepted();
    expect(events[0].data).toMatchObject({
      creditCode: OTHER_CREDIT_CODE,
      site: { kind: 'lease', leaseContractNumber: 'ZL-01' },
    });
  });

  it('refuses before signing', () => {
    given(historyTo('negotiating')).when(landCmd()).thenRefused('NOT_SIGNED');
  });

  it('refuses a second landing', () => {
    given(historyTo('landed')).when(landCmd()).thenRefused('ALREADY_LANDED');
  });

  it('refuses a credit code of the wrong length or alphabet', () => {
    given(historyTo('signed'))
      .when(landCmd({ creditCode: '91440300192203821' }))
      .thenRefused('INVALID_CREDIT_CODE', 'data.creditCode');
    given(historyTo('signed'))
      .when(landCmd({ creditCode: '9144030019220382I6' }))
      .thenRefused('INVALID_CREDIT_CODE', 'data.creditCode');
  });

  it('refuses a credit code whose check character does not match', () => {
    given(historyTo('signed'))
      .when(landCmd({ creditCode: '914403001922038217' }))
      .thenRefused('CREDIT_CODE_CHECK_FAILED', 'data.creditCode');
  });

  it('refuses a landing date before the contract date', () => {
    given(historyTo('signed'))
      .when(landCmd({ landedDate: '2025-02-09' }))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.landedDate');
  });

  it('refuses a site that is neither a parcel nor a lease, or lacks its number', () => {
    given(historyTo('signed'))
      .when(landCmd({ site: { kind: 'tent' } as never }))
      .thenRefused('INVALID_VALUE', 'data.site.kind');
    given(historyTo('signed'))
      .when(landCmd({ site: { kind: 'land_parcel', parcelNumber: '' } }))
      .thenRefused('REQUIRED', 'data.site.parcelNumber');
  });
});

describe('StartConstruction', () => {
  const start = (
    data: Partial<Extract<ProjectCommand, { type: 'StartConstruction' }>['data']> = {},
  ): ProjectCommand => ({
    type: 'StartConstruction',
    data: {
      startDate: '2025-03-01',
      evidence: { kind: 'construction_permit', permitNumber: '420506202503010101' },
      ...data,
    },
  });

  it('starts construction on a landed project', () => {
    given(historyTo('landed')).when(start()).then([constructionStarted]);
  });

  it('refuses before landing, in both languages', () => {
    const { decision } = given(historyTo('signed')).when(start());
    expect(decision).toEqual({
      outcome: 'refused',
      refusal: {
        code: 'NOT_LANDED',
        message: {
          zh: '不能开工:项目尚未落地',
          en: 'cannot start construction before the project has landed',
        },
      },
    });
  });

  it('refuses a second start', () => {
    given(historyTo('started')).when(start()).thenRefused('ALREADY_STARTED');
  });

  it('refuses a start date before the landing date', () => {
    given(historyTo('landed'))
      .when(start({ startDate: '2025-02-19' }))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.startDate');
  });

  it('refuses a start date in the future', () => {
    given(historyTo('landed'))
      .when(start({ startDate: '2025-03-11' }))
      .thenRefused('DATE_IN_FUTURE', 'data.startDate');
  });

  it('refuses missing evidence', () => {
    given(historyTo('landed'))
      .when(start({ evidence: { kind: 'other', description: '' } }))
      .thenRefused('REQUIRED', 'data.evidence.description');
    given(historyTo('landed'))
      .when(start({ evidence: { kind: 'photo' } as never }))
      .thenRefused('INVALID_VALUE', 'data.evidence.kind');
  });
});

describe('EnterStatistics', () => {
  const enter = (inStatsDate = '2025-03-05'): ProjectCommand => ({
    type: 'EnterStatistics',
    data: { statisticsCode: '4205062025000123', inStatsDate },
  });

  it('enters a started project in the statistics', () => {
    given(historyTo('started')).when(enter()).then([statisticsEntered]);
  });

  it('refuses before construction started', () => {
    given(historyTo('landed')).when(enter()).thenRefused('NOT_STARTED');
  });

  it('refuses a second entry', () => {
    given(historyTo('in_stats')).when(enter()).thenRefused('ALREADY_IN_STATS');
  });

  it('refuses a project under 500万元 planned investment', () => {
    const small = { ...leadRegistered, data: { ...leadRegistered.data, plannedInvestment: '4999999.99' } };
    given([small, ...historyTo('started').slice(1)])
      .when(enter())
      .thenRefused('BELOW_STATISTICS_THRESHOLD');
  });

  it('accepts exactly 500万元', () => {
    const edge = { ...leadRegistered, data: { ...leadRegistered.data, plannedInvestment: '5000000.00' } };
    given([edge, ...historyTo('started').slice(1)])
      .when(enter())
      .then([statisticsEntered]);
  });

  it('refuses a missing statistics code and a date before the start', () => {
    given(historyTo('started'))
      .when({ type: 'EnterStatistics', data: { statisticsCode: '', inStatsDate: '2025-03-05' } })
      .thenRefused('REQUIRED', 'data.statisticsCode');
    given(historyTo('started'))
      .when(enter('2025-02-28'))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.inStatsDate');
  });
});

describe('StartProduction', () => {
  const produce = (scope: 'partial' | 'full', productionDate = '2025-03-08'): ProjectCommand => ({
    type: 'StartProduction',
    data: { productionDate, scope },
  });

  it('records production after 入统', () => {
    const state = given(historyTo('in_stats'))
      .when(produce('full'))
      .then([
        makeEvent('ProductionStarted', '2025-03-08', {
          productionDate: '2025-03-08',
          scope: 'full',
          anomaliesOpened: [],
        }),
      ]);
    expect(state).toMatchObject({ stage: 'producing', productionScope: 'full', anomalies: [] });
  });

  it('accepts production before 入统 but opens a "not in statistics" anomaly, closed by 入统', () => {
    const state = given(historyTo('started'))
      .when(produce('partial', '2025-03-04'))
      .then([
        makeEvent('ProductionStarted', '2025-03-04', {
          productionDate: '2025-03-04',
          scope: 'partial',
          anomaliesOpened: ['not_in_statistics'],
        }),
      ]);
    expect(state.anomalies).toEqual([{ code: 'not_in_statistics', since: '2025-03-04' }]);
    const decision = decide(
      { type: 'EnterStatistics', data: { statisticsCode: 'S-1', inStatsDate: '2025-03-09' } },
      state,
      ctx(),
    );
    expect(decision).toMatchObject({
      outcome: 'accepted',
      events: [{ data: { anomaliesResolved: ['not_in_statistics'] } }],
    });
    const after = foldEvents(decision.outcome === 'accepted' ? decision.events : [], state);
    expect(after).toMatchObject({ stage: 'producing', anomalies: [], inStatsDate: '2025-03-09' });
  });

  it('opens no anomaly for a project too small for the statistics', () => {
    const small = { ...leadRegistered, data: { ...leadRegistered.data, plannedInvestment: '3000000' } };
    const { events } = given([small, ...historyTo('started').slice(1)])
      .when(produce('full'))
      .thenAccepted();
    expect(events[0].data).toMatchObject({ anomaliesOpened: [] });
  });

  it('records partial then full production', () => {
    const state = given([
      ...historyTo('in_stats'),
      makeEvent('ProductionStarted', '2025-03-06', {
        productionDate: '2025-03-06',
        scope: 'partial',
        anomaliesOpened: [],
      }),
    ])
      .when(produce('full'))
      .then([
        makeEvent('ProductionStarted', '2025-03-08', {
          productionDate: '2025-03-08',
          scope: 'full',
          anomaliesOpened: [],
        }),
      ]);
    expect(state).toMatchObject({
      productionDate: '2025-03-06',
      fullProductionDate: '2025-03-08',
      productionScope: 'full',
    });
  });

  it('refuses before construction started', () => {
    given(historyTo('landed')).when(produce('full')).thenRefused('NOT_STARTED');
  });

  it('refuses a production already recorded', () => {
    const partial = makeEvent('ProductionStarted', '2025-03-06', {
      productionDate: '2025-03-06',
      scope: 'partial',
      anomaliesOpened: [],
    });
    given([...historyTo('in_stats'), partial])
      .when(produce('partial'))
      .thenRefused('ALREADY_PRODUCING', 'data.scope');
    const full = { ...partial, data: { ...partial.data, scope: 'full' as const } };
    given([...historyTo('in_stats'), full])
      .when(produce('full'))
      .thenRefused('ALREADY_PRODUCING', 'data.scope');
  });

  it('refuses an unknown scope and a date before the start', () => {
    given(historyTo('started'))
      .when({ type: 'StartProduction', data: { productionDate: '2025-03-08', scope: 'most' as never } })
      .thenRefused('INVALID_VALUE', 'data.scope');
    given(historyTo('started'))
      .when(produce('full', '2025-02-28'))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.productionDate');
  });
});

describe('RecordFundsArrived', () => {
  const funds = (amount: string, month = '2025-03'): ProjectCommand => ({
    type: 'RecordFundsArrived',
    data: { month, amount },
  });

  it('records funds with a running total; the business time is within the month and not after now', () => {
    given(historyTo('started'))
      .when(funds('30000000.50', '2025-02'))
      .then([
        makeEvent('FundsArrivedRecorded', '2025-02-28', {
          month: '2025-02',
          amount: '30000000.50',
          runningTotal: '30000000.50',
          note: null,
        }),
      ]);
    const { events } = given(historyTo('started')).when(funds('1')).thenAccepted();
    expect(events[0].businessTime).toBe('2025-03-10');
  });

  it('accepts a negative adjustment that keeps the total at or above zero', () => {
    const first = makeEvent('FundsArrivedRecorded', '2025-02-28', {
      month: '2025-02',
      amount: '100.00',
      runningTotal: '100.00',
      note: null,
    });
    const state = given([...historyTo('started'), first])
      .when(funds('-100'))
      .then([
        makeEvent('FundsArrivedRecorded', '2025-03-10', {
          month: '2025-03',
          amount: '-100.00',
          runningTotal: '0.00',
          note: null,
        }),
      ]);
    expect(state.fundsArrivedTotal).toBe('0.00');
  });

  it('refuses an adjustment that would make the total negative', () => {
    given(historyTo('started')).when(funds('-0.01')).thenRefused('FUNDS_TOTAL_NEGATIVE', 'data.amount');
  });

  it('refuses a zero or malformed amount', () => {
    given(historyTo('started')).when(funds('0.00')).thenRefused('AMOUNT_ZERO', 'data.amount');
    given(historyTo('started')).when(funds('1,000')).thenRefused('INVALID_AMOUNT', 'data.amount');
  });

  it('refuses a malformed month, a future month and a month before signing', () => {
    given(historyTo('started')).when(funds('1', '2025-13')).thenRefused('INVALID_MONTH', 'data.month');
    given(historyTo('started')).when(funds('1', '2025-04')).thenRefused('DATE_IN_FUTURE', 'data.month');
    given(historyTo('started'))
      .when(funds('1', '2025-01'))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.month');
  });

  it('refuses funds before signing', () => {
    given(historyTo('negotiating')).when(funds('1')).thenRefused('NOT_SIGNED');
  });
});

describe('RaiseBlocker and ResolveBlocker', () => {
  const raise = (
    data: Partial<Extract<ProjectCommand, { type: 'RaiseBlocker' }>['data']> = {},
  ): ProjectCommand => ({
    type: 'RaiseBlocker',
    data: {
      blockerId: 'B-1',
      category: 'land',
      description: '土地指标未落实',
      responsibleDepartment: '自然资源和规划局',
      departmentRole: 'lead',
      dueDate: '2025-03-19',
      ...data,
    },
  });
  const blockerRaised = makeEvent('BlockerRaised', NOW, {
    blockerId: 'B-1',
    category: 'land',
    description: '土地指标未落实',
    responsibleDepartment: '自然资源和规划局',
    departmentRole: 'lead',
    raisedDate: '2025-03-10',
    dueDate: '2025-03-19',
  });

  it('raises a blocker', () => {
    const state = given(historyTo('signed')).when(raise()).then([blockerRaised]);
    expect(state.openBlockers).toHaveLength(1);
  });

  it('refuses a duplicate id, an unknown category, a missing department, a due date in the past', () => {
    given([...historyTo('signed'), blockerRaised])
      .when(raise())
      .thenRefused('BLOCKER_ALREADY_EXISTS', 'data.blockerId');
    given(historyTo('signed'))
      .when(raise({ category: 'weather' as never }))
      .thenRefused('INVALID_VALUE', 'data.category');
    given(historyTo('signed'))
      .when(raise({ responsibleDepartment: '' }))
      .thenRefused('REQUIRED', 'data.responsibleDepartment');
    given(historyTo('signed'))
      .when(raise({ dueDate: '2025-03-09' }))
      .thenRefused('DATE_IN_PAST', 'data.dueDate');
    given(historyTo('signed'))
      .when(raise({ dueDate: 'soon' }))
      .thenRefused('INVALID_DATE', 'data.dueDate');
  });

  it('resolves a blocker', () => {
    const state = given([...historyTo('signed'), blockerRaised])
      .when({ type: 'ResolveBlocker', data: { blockerId: 'B-1', resolution: '已调剂用地指标' } })
      .then([
        makeEvent('BlockerResolved', NOW, {
          blockerId: 'B-1',
          resolution: '已调剂用地指标',
          resolvedDate: '2025-03-10',
        }),
      ]);
    expect(state.openBlockers).toEqual([]);
    expect(state.resolvedBlockers[0]).toMatchObject({ blockerId: 'B-1', resolution: '已调剂用地指标' });
  });

  it('refuses an unknown blocker, a resolved one, and a missing resolution', () => {
    const resolved = makeEvent('BlockerResolved', NOW, {
      blockerId: 'B-1',
      resolution: '已解决',
      resolvedDate: '2025-03-10',
    });
    given(historyTo('signed'))
      .when({ type: 'ResolveBlocker', data: { blockerId: 'B-9', resolution: 'x' } })
      .thenRefused('BLOCKER_NOT_FOUND', 'data.blockerId');
    given([...historyTo('signed'), blockerRaised, resolved])
      .when({ type: 'ResolveBlocker', data: { blockerId: 'B-1', resolution: 'x' } })
      .thenRefused('BLOCKER_ALREADY_RESOLVED', 'data.blockerId');
    given([...historyTo('signed'), blockerRaised])
      .when({ type: 'ResolveBlocker', data: { blockerId: 'B-1', resolution: ' ' } })
      .thenRefused('REQUIRED', 'data.resolution');
  });
});

describe('LogServiceVisit', () => {
  it('logs a visit by the acting officer', () => {
    const state = given(historyTo('signed'))
      .when({ type: 'LogServiceVisit', data: { visitDate: '2025-03-07', summary: '现场协调水电接入' } })
      .then([
        makeEvent('ServiceVisitLogged', '2025-03-07', {
          visitDate: '2025-03-07',
          summary: '现场协调水电接入',
          officerId: 'officer-1',
        }),
      ]);
    expect(state).toMatchObject({
      serviceVisits: 1,
      lastVisitDate: '2025-03-07',
      lastActivityDate: '2025-03-07',
    });
  });

  it('refuses a future date, a date before the lead, and a missing summary', () => {
    given(historyTo('signed'))
      .when({ type: 'LogServiceVisit', data: { visitDate: '2025-03-11', summary: 'x' } })
      .thenRefused('DATE_IN_FUTURE', 'data.visitDate');
    given(historyTo('signed'))
      .when({ type: 'LogServiceVisit', data: { visitDate: '2025-01-01', summary: 'x' } })
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.visitDate');
    given(historyTo('signed'))
      .when({ type: 'LogServiceVisit', data: { visitDate: '2025-03-07', summary: '' } })
      .thenRefused('REQUIRED', 'data.summary');
  });
});

describe('AssignServiceOfficer and AssignChiefServiceOfficer', () => {
  it('re-assigns the service officer', () => {
    const state = given(historyTo('signed'))
      .when(
        { type: 'AssignServiceOfficer', data: { officerId: 'officer-2', reason: '工作调整' } },
        ctx(leader),
      )
      .then([
        makeEvent('ServiceOfficerAssigned', NOW, {
          officerId: 'officer-2',
          previousOfficerId: 'officer-1',
          reason: '工作调整',
        }),
      ]);
    expect(state.serviceOfficerId).toBe('officer-2');
  });

  it('refuses assigning the officer already assigned, or nobody', () => {
    given(historyTo('signed'))
      .when({ type: 'AssignServiceOfficer', data: { officerId: 'officer-1' } })
      .thenRefused('ALREADY_ASSIGNED', 'data.officerId');
    given(historyTo('signed'))
      .when({ type: 'AssignServiceOfficer', data: { officerId: '' } })
      .thenRefused('REQUIRED', 'data.officerId');
  });

  it('assigns the 首席服务官 and 包保领导', () => {
    const state = given(historyTo('signed'))
      .when(
        {
          type: 'AssignChiefServiceOfficer',
          data: { chiefOfficerId: 'chief-1', guaranteeLeaderId: 'leader-1' },
        },
        ctx(leader),
      )
      .then([
        makeEvent('ChiefServiceOfficerAssigned', NOW, {
          chiefOfficerId: 'chief-1',
          previousChiefOfficerId: null,
          guaranteeLeaderId: 'leader-1',
        }),
      ]);
    expect(state).toMatchObject({ chiefServiceOfficerId: 'chief-1', guaranteeLeaderId: 'leader-1' });
  });

  it('refuses re-assigning the same 首席服务官, or nobody', () => {
    const assigned = makeEvent('ChiefServiceOfficerAssigned', NOW, {
      chiefOfficerId: 'chief-1',
      previousChiefOfficerId: null,
      guaranteeLeaderId: null,
    });
    given([...historyTo('signed'), assigned])
      .when({ type: 'AssignChiefServiceOfficer', data: { chiefOfficerId: 'chief-1' } }, ctx(chief))
      .thenRefused('ALREADY_ASSIGNED', 'data.chiefOfficerId');
    given(historyTo('signed'))
      .when({ type: 'AssignChiefServiceOfficer', data: { chiefOfficerId: ' ' } })
      .thenRefused('REQUIRED', 'data.chiefOfficerId');
  });
});

describe('ExtendDeadline', () => {
  const extend = (
    data: Partial<Extract<ProjectCommand, { type: 'ExtendDeadline' }>['data']> = {},
  ): ProjectCommand => ({
    type: 'ExtendDeadline',
    data: { deadlineId: 'land_after_signing', newDueDate: '2025-06-30', reason: '土地挂牌延期', ...data },
  });

  it('lets a leader extend a deadline, with a reason', () => {
    const state = given(historyTo('signed'))
      .when(extend(), ctx(leader))
      .then([
        makeEvent('DeadlineExtended', NOW, {
          deadlineId: 'land_after_signing',
          newDueDate: '2025-06-30',
          reason: '土地挂牌延期',
          approvedBy: 'leader-1',
        }),
      ]);
    expect(state.extensions).toHaveLength(1);
  });

  it('refuses anyone but a leader', () => {
    given(historyTo('signed')).when(extend(), ctx(officer)).thenRefused('ROLE_NOT_ALLOWED');
    given(historyTo('signed')).when(extend(), ctx(admin)).thenRefused('ROLE_NOT_ALLOWED');
  });

  it('refuses a missing reason, a date in the past, a malformed date', () => {
    given(historyTo('signed'))
      .when(extend({ reason: '' }), ctx(leader))
      .thenRefused('REQUIRED', 'data.reason');
    given(historyTo('signed'))
      .when(extend({ newDueDate: '2025-03-09' }), ctx(leader))
      .thenRefused('DATE_IN_PAST', 'data.newDueDate');
    given(historyTo('signed'))
      .when(extend({ newDueDate: '2025/06/30' }), ctx(leader))
      .thenRefused('INVALID_DATE', 'data.newDueDate');
  });
});

describe('ExtendDeadline — only an open deadline', () => {
  const extend: ProjectCommand = {
    type: 'ExtendDeadline',
    data: { deadlineId: 'no_such_deadline', newDueDate: '2025-06-30', reason: '土地挂牌延期' },
  };

  it('refuses a deadline the watcher does not have open', () => {
    given(historyTo('signed'))
      .when(extend, { ...ctx(leader), openDeadlineIds: ['land_after_signing'] })
      .thenRefused('DEADLINE_NOT_OPEN', 'data.deadlineId');
  });

  it('accepts one it has open', () => {
    given(historyTo('signed'))
      .when(
        { ...extend, data: { ...extend.data, deadlineId: 'land_after_signing' } },
        { ...ctx(leader), openDeadlineIds: ['land_after_signing'] },
      )
      .then([
        makeEvent('DeadlineExtended', NOW, {
          deadlineId: 'land_after_signing',
          newDueDate: '2025-06-30',
          reason: '土地挂牌延期',
          approvedBy: 'leader-1',
        }),
      ]);
  });
});

describe('text the log cannot hold', () => {
  const lead = (name: string) => ({ type: 'RegisterLead', data: { ...leadData(), name } }) as ProjectCommand;

  it.each([
    ['a NUL', '锂电池\u0000项目'],
    ['a lone high surrogate', '锂电池\ud800项目'],
    ['a lone low surrogate', '\udc00锂电池项目'],
    ['a C0 control', '锂电池\u0007项目'],
    ['a C1 control', '锂电池\u0085项目'],
    ['a carriage return alone', '锂电池\r项目'],
  ])('refuses %s in any text field, naming it', (_, name) => {
    given([]).when(lead(name)).thenRefused('INVALID_TEXT', 'data.name');
  });

  it('refuses it nested, and in fields no other rule reads', () => {
    given([])
      .when({
        type: 'RegisterLead',
        data: { ...leadData(), investor: { name: '某公司\u0000', type: 'private', flags: [] } },
      })
      .thenRefused('INVALID_TEXT', 'data.investor.name');
    given(historyTo('signed'))
      .when({ type: 'LogServiceVisit', data: { visitDate: '2025-03-01', extra: '\u0000' } } as never)
      .thenRefused('INVALID_TEXT', 'data.extra');
  });

  it('keeps tab, newline, CRLF and emoji', () => {
    const { state } = given([]).when(lead('锂电池\t项目\r\n二期 🔋')).thenAccepted();
    expect(state.name).toBe('锂电池\t项目\r\n二期 🔋');
  });

  it('treats a name of invisible characters as blank', () => {
    given([]).when(lead('\u200b\ufeff\u2060 ')).thenRefused('REQUIRED', 'data.name');
  });

  it('refuses an actor whose id cannot be recorded', () => {
    given([])
      .when(lead('锂电池项目'), { ...ctx(officer), actor: { ...officer, id: 'a\u0000b' } })
      .thenRefused('INVALID_CONTEXT', 'context.actor');
  });
});

describe('Drop and Reopen', () => {
  it('drops a project with a reason, closing its alerts and lights', () => {
    const state = given([...historyTo('signed'), alertRaised])
      .when({ type: 'Drop', data: { reason: '企业投资计划调整' } })
      .then([{ ...droppedEvent, data: { ...droppedEvent.data, alertsClosed: ['land_after_signing'] } }]);
    expect(state).toMatchObject({
      stage: 'dropped',
      stageBeforeDrop: 'signed',
      alerts: [],
      lights: {},
      light: 'green',
    });
  });

  it('refuses dropping without a reason, a dropped project, or one in full production', () => {
    given(historyTo('signed'))
      .when({ type: 'Drop', data: { reason: '' } })
      .thenRefused('REQUIRED', 'data.reason');
    given([...historyTo('signed'), droppedEvent])
      .when({ type: 'Drop', data: { reason: 'again' } })
      .thenRefused('PROJECT_DROPPED');
    const full = makeEvent('ProductionStarted', '2025-03-08', {
      productionDate: '2025-03-08',
      scope: 'full',
      anomaliesOpened: [],
    });
    given([...historyTo('in_stats'), full])
      .when({ type: 'Drop', data: { reason: '关停' } })
      .thenRefused('PROJECT_COMPLETED');
  });

  it('lets a leader reopen a dropped project at the stage it left', () => {
    const state = given([...historyTo('signed'), droppedEvent])
      .when({ type: 'Reopen', data: { reason: '企业重新启动投资' } }, ctx(leader))
      .then([
        makeEvent('ProjectReopened', NOW, {
          reason: '企业重新启动投资',
          toStage: 'signed',
          approvedBy: 'leader-1',
        }),
      ]);
    expect(state).toMatchObject({ stage: 'signed', droppedDate: null, dropReason: null });
  });

  it('refuses reopening by anyone but a leader, a project not dropped, or without a reason', () => {
    given([...historyTo('signed'), droppedEvent])
      .when({ type: 'Reopen', data: { reason: 'x' } }, ctx(officer))
      .thenRefused('ROLE_NOT_ALLOWED');
    given(historyTo('signed'))
      .when({ type: 'Reopen', data: { reason: 'x' } }, ctx(leader))
      .thenRefused('PROJECT_NOT_DROPPED');
    given([...historyTo('signed'), droppedEvent])
      .when({ type: 'Reopen', data: { reason: '' } }, ctx(leader))
      .thenRefused('REQUIRED', 'data.reason');
  });
});

describe('CorrectEvent', () => {
  const correct = (
    data: Partial<Extract<ProjectCommand, { type: 'CorrectEvent' }>['data']>,
  ): ProjectCommand => ({
    type: 'CorrectEvent',
    data: {
      correctsVersion: 3,
      reason: '合同金额录入错误',
      changes: { eventType: 'ProjectSigned', contractInvestment: '210000000' },
      ...data,
    },
  });

  it('corrects the contract investment with a new event naming the one it corrects', () => {
    const state = given(historyTo('landed'))
      .when(correct({}))
      .then([
        makeEvent('EventCorrected', NOW, {
          correctsVersion: 3,
          correctsType: 'ProjectSigned',
          reason: '合同金额录入错误',
          changes: { eventType: 'ProjectSigned', contractInvestment: '210000000.00' },
          previous: { contractInvestment: '200000000.00' },
        }),
      ]);
    expect(state).toMatchObject({ contractInvestment: '210000000.00', version: 5, signedDate: '2025-02-10' });
  });

  it('corrects an amount of funds arrived and the running total follows', () => {
    const f1 = makeEvent('FundsArrivedRecorded', '2025-02-28', {
      month: '2025-02',
      amount: '100.00',
      runningTotal: '100.00',
      note: null,
    });
    const f2 = makeEvent('FundsArrivedRecorded', '2025-03-10', {
      month: '2025-03',
      amount: '50.00',
      runningTotal: '150.00',
      note: null,
    });
    const state = given([...historyTo('signed'), f1, f2])
      .when(correct({ correctsVersion: 4, changes: { eventType: 'FundsArrivedRecorded', amount: '10' } }))
      .then([
        makeEvent('EventCorrected', NOW, {
          correctsVersion: 4,
          correctsType: 'FundsArrivedRecorded',
          reason: '合同金额录入错误',
          changes: { eventType: 'FundsArrivedRecorded', amount: '10.00' },
          previous: { amount: '100.00' },
        }),
      ]);
    expect(state.fundsArrivedTotal).toBe('60.00');
    given([...historyTo('signed'), f1, f2])
      .when(correct({ correctsVersion: 4, changes: { eventType: 'FundsArrivedRecorded', amount: '-60' } }))
      .thenRefused('FUNDS_TOTAL_NEGATIVE', 'data.changes.amount');
  });

  it('refuses an unknown version, an uncorrectable event, a mismatched type, an empty change, no reason', () => {
    const visit = makeEvent('ServiceVisitLogged', '2025-03-01', {
      visitDate: '2025-03-01',
      summary: 'x',
      officerId: 'officer-1',
    });
    given(historyTo('signed'))
      .when(correct({ correctsVersion: 9 }))
      .thenRefused('EVENT_NOT_FOUND', 'data.correctsVersion');
    given([...historyTo('signed'), visit])
      .when(correct({ correctsVersion: 4 }))
      .thenRefused('EVENT_NOT_CORRECTABLE', 'data.correctsVersion');
    given(historyTo('signed'))
      .when(correct({ correctsVersion: 2, changes: { eventType: 'ProjectSigned', contractNumber: 'X' } }))
      .thenRefused('CORRECTION_TYPE_MISMATCH', 'data.changes.eventType');
    given(historyTo('signed'))
      .when(correct({ changes: { eventType: 'ProjectSigned' } }))
      .thenRefused('CORRECTION_EMPTY', 'data.changes');
    given(historyTo('signed'))
      .when(correct({ reason: '' }))
      .thenRefused('REQUIRED', 'data.reason');
    given(historyTo('signed'))
      .when(correct({ changes: { eventType: 'ProjectSigned', colour: 'red' } as never }))
      .thenRefused('INVALID_VALUE', 'data.changes.colour');
  });

  it('keeps the corrected dates in lifecycle order', () => {
    given(historyTo('landed'))
      .when(correct({ changes: { eventType: 'ProjectSigned', contractDate: '2025-01-10' } }))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.changes.contractDate');
    given(historyTo('landed'))
      .when(correct({ changes: { eventType: 'ProjectSigned', contractDate: '2025-02-25' } }))
      .thenRefused('DATE_AFTER_NEXT_STAGE', 'data.changes.contractDate');
    given(historyTo('landed'))
      .when(correct({ changes: { eventType: 'ProjectSigned', contractDate: '2025-03-11' } }))
      .thenRefused('DATE_IN_FUTURE', 'data.changes.contractDate');
    const state = given(historyTo('landed'))
      .when(correct({ changes: { eventType: 'ProjectSigned', contractDate: '2025-02-15' } }))
      .then([
        makeEvent('EventCorrected', NOW, {
          correctsVersion: 3,
          correctsType: 'ProjectSigned',
          reason: '合同金额录入错误',
          changes: { eventType: 'ProjectSigned', contractDate: '2025-02-15' },
          previous: { contractDate: '2025-02-10' },
        }),
      ]);
    expect(state.signedDate).toBe('2025-02-15');
  });

  it('checks corrected values like the original command', () => {
    given(historyTo('landed'))
      .when(
        correct({
          correctsVersion: 4,
          changes: { eventType: 'ProjectLanded', creditCode: '914403001922038210' },
        }),
      )
      .thenRefused('CREDIT_CODE_CHECK_FAILED', 'data.changes.creditCode');
    given(historyTo('landed'))
      .when(correct({ correctsVersion: 1, changes: { eventType: 'LeadRegistered', region: OTHER_REGION } }))
      .thenRefused('REGION_NOT_IN_SCOPE', 'data.changes.region');
    const state = given(historyTo('landed'))
      .when(
        correct({
          correctsVersion: 1,
          changes: { eventType: 'LeadRegistered', industrial: false, park: null },
        }),
      )
      .then([
        makeEvent('EventCorrected', NOW, {
          correctsVersion: 1,
          correctsType: 'LeadRegistered',
          reason: '合同金额录入错误',
          changes: { eventType: 'LeadRegistered', industrial: false, park: null },
          previous: { industrial: true, park: '宜昌高新区' },
        }),
      ]);
    expect(state).toMatchObject({ industrial: false, park: null });
  });
});

describe('timer commands', () => {
  const raise: ProjectCommand = { type: 'RaiseAlert', data: { ...alertRaised.data } };

  it('raises an alert and lights the deadline', () => {
    const state = given(historyTo('signed')).when(raise, ctx(system)).then([alertRaised]);
    expect(state).toMatchObject({ light: 'yellow', lights: { land_after_signing: 'yellow' } });
    expect(state.alerts[0]).toMatchObject({ deadlineId: 'land_after_signing', rung: 1, raisedAt: NOW });
  });

  it('refuses a second alert for the same deadline, or a rung of 0', () => {
    given([...historyTo('signed'), alertRaised])
      .when(raise, ctx(system))
      .thenRefused('ALERT_ALREADY_OPEN', 'data.deadlineId');
    given(historyTo('signed'))
      .when({ type: 'RaiseAlert', data: { ...alertRaised.data, rung: 0 } }, ctx(system))
      .thenRefused('INVALID_VALUE', 'data.rung');
  });

  const toChief = {
    kind: 'chief_service_officer',
    role: 'chief_officer',
    id: 'chief-1',
    label: '首席服务官',
  } as const;

  it('escalates an open alert to a higher rung', () => {
    const state = given([...historyTo('signed'), alertRaised])
      .when(
        { type: 'Escalate', data: { deadlineId: 'land_after_signing', rung: 2, addressee: toChief } },
        ctx(system),
      )
      .then([
        makeEvent('AlertEscalated', NOW, {
          deadlineId: 'land_after_signing',
          fromRung: 1,
          rung: 2,
          addressee: toChief,
        }),
      ]);
    expect(state.alerts[0]).toMatchObject({ rung: 2, addressee: toChief });
  });

  it('refuses escalating no alert, or not upwards', () => {
    given(historyTo('signed'))
      .when(
        { type: 'Escalate', data: { deadlineId: 'land_after_signing', rung: 2, addressee: toChief } },
        ctx(system),
      )
      .thenRefused('ALERT_NOT_OPEN', 'data.deadlineId');
    given([...historyTo('signed'), alertRaised])
      .when(
        { type: 'Escalate', data: { deadlineId: 'land_after_signing', rung: 1, addressee: toChief } },
        ctx(system),
      )
      .thenRefused('RUNG_NOT_HIGHER', 'data.rung');
  });

  it('changes a light, and refuses an unchanged or unknown one', () => {
    const state = given([...historyTo('signed'), alertRaised])
      .when({ type: 'ChangeLight', data: { deadlineId: 'land_after_signing', light: 'red' } }, ctx(system))
      .then([
        makeEvent('LightChanged', NOW, { deadlineId: 'land_after_signing', from: 'yellow', to: 'red' }),
      ]);
    expect(state.light).toBe('red');
    given([...historyTo('signed'), alertRaised])
      .when({ type: 'ChangeLight', data: { deadlineId: 'land_after_signing', light: 'yellow' } }, ctx(system))
      .thenRefused('LIGHT_UNCHANGED', 'data.light');
    given(historyTo('signed'))
      .when({ type: 'ChangeLight', data: { deadlineId: 'x', light: 'blue' as never } }, ctx(system))
      .thenRefused('INVALID_VALUE', 'data.light');
  });

  it('resolves an open alert, and refuses one that is not open', () => {
    const state = given([...historyTo('signed'), alertRaised])
      .when(
        { type: 'ResolveAlert', data: { deadlineId: 'land_after_signing', resolution: 'met' } },
        ctx(system),
      )
      .then([
        makeEvent('AlertResolved', NOW, { deadlineId: 'land_after_signing', resolution: 'met', rung: 1 }),
      ]);
    expect(state.alerts).toEqual([]);
    given(historyTo('signed'))
      .when(
        { type: 'ResolveAlert', data: { deadlineId: 'land_after_signing', resolution: 'met' } },
        ctx(system),
      )
      .thenRefused('ALERT_NOT_OPEN', 'data.deadlineId');
    given([...historyTo('signed'), alertRaised])
      .when(
        {
          type: 'ResolveAlert',
          data: { deadlineId: 'land_after_signing', resolution: 'forgotten' as never },
        },
        ctx(system),
      )
      .thenRefused('INVALID_VALUE', 'data.resolution');
  });

  it('does not count timer events as project activity', () => {
    const state = foldEvents([
      ...historyTo('signed'),
      { ...alertRaised, businessTime: '2025-03-20T00:00:00.000Z' },
    ]);
    expect(state.lastActivityDate).toBe('2025-02-10');
  });
});

describe('the whole lifecycle', () => {
  it('carries a project from lead to production with every stage date', () => {
    const events: ProjectEvent[] = [
      ...historyTo('in_stats'),
      makeEvent('ProductionStarted', '2025-03-08', {
        productionDate: '2025-03-08',
        scope: 'full',
        anomaliesOpened: [],
      }),
    ];
    const state = foldEvents(events, initialState);
    expect(state).toMatchObject({
      version: 7,
      stage: 'producing',
      leadDate: '2025-01-06',
      talksDate: '2025-01-20',
      signedDate: '2025-02-10',
      landedDate: '2025-02-20',
      startedDate: '2025-03-01',
      inStatsDate: '2025-03-05',
      productionDate: '2025-03-08',
      creditCode: CREDIT_CODE,
    });
    expect(initialState).toMatchObject({ exists: false, version: 0 });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
