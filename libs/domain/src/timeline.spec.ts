import { makeEvent, PROJECT_EVENT_TYPES, type ProjectEvent, type ProjectEventType } from './events';
import {
  amountPhrase,
  describeAcknowledgements,
  describeEvent,
  describeTimeline,
  peopleNamedIn,
  type TimelineEvent,
} from './timeline';

const NAMES: Record<string, string> = {
  'officer-1': '张三',
  'officer-2': '李四',
  'chief-1': '王五',
  'leader-1': '赵六',
};
const names = (id: string): string | undefined => NAMES[id];
/** 2025-05-19T16:30Z is already 2025-05-20 in Asia/Shanghai. */
const AT = '2025-05-19T16:30:00.000Z';
const by = (event: ProjectEvent, actorId = 'officer-1'): TimelineEvent => ({ ...event, actorId });
const addressee = { kind: 'service_officer', role: 'officer', id: 'officer-1', label: '服务专员' } as const;

/** One event of every type and its exact sentence. */
const CASES: Record<ProjectEventType, [TimelineEvent, string]> = {
  LeadRegistered: [
    by(
      makeEvent('LeadRegistered', AT, {
        projectId: 'p1',
        serviceOfficerId: 'officer-1',
        name: '锂电池正极材料项目',
        investor: { name: '湖北某某新材料有限公司', type: 'private', flags: [] },
        industryChain: '新材料',
        region: '420506',
        park: null,
        industrial: true,
        plannedInvestment: '200000000.00',
        source: null,
        leadDate: '2025-05-20',
      } as never),
    ),
    '2025-05-20 登记线索「锂电池正极材料项目」,计划投资 2 亿元,张三 录入',
  ],
  TalksStarted: [
    by(makeEvent('TalksStarted', AT, { talksDate: '2025-05-20', leadingOfficial: '张副市长' })),
    '2025-05-20 进入在谈,牵头领导 张副市长,张三 录入',
  ],
  ProjectSigned: [
    by(
      makeEvent('ProjectSigned', AT, {
        contractDate: '2025-05-20',
        contractInvestment: '150000000.00',
        contractNumber: 'HT-2025-088',
        signingBatchId: null,
        plannedProductionDate: null,
      }),
    ),
    '2025-05-20 签约,合同投资 1.5 亿元,张三 录入',
  ],
  ProjectLanded: [
    by(
      makeEvent('ProjectLanded', AT, {
        creditCode: '914403001922038216',
        companyName: '宜昌某某新材料有限公司',
        landedDate: '2025-05-20',
        site: { kind: 'land_parcel', parcelNumber: 'YC-2025-17' },
      }),
    ),
    '2025-05-20 落地,项目公司 宜昌某某新材料有限公司,统一社会信用代码 914403001922038216,地块 YC-2025-17,张三 录入',
  ],
  ConstructionStarted: [
    by(
      makeEvent('ConstructionStarted', AT, {
        startDate: '2025-05-20',
        evidence: { kind: 'construction_permit', permitNumber: '420500202501010101' },
      }),
    ),
    '2025-05-20 开工,施工许可证 420500202501010101,张三 录入',
  ],
  StatisticsEntered: [
    by(
      makeEvent('StatisticsEntered', AT, {
        statisticsCode: 'TJ-420506-0001',
        inStatsDate: '2025-05-20',
        anomaliesResolved: [],
      }),
    ),
    '2025-05-20 入统,统计代码 TJ-420506-0001,张三 录入',
  ],
  ProductionStarted: [
    by(
      makeEvent('ProductionStarted', AT, {
        productionDate: '2025-05-20',
        scope: 'partial',
        anomaliesOpened: [],
      }),
    ),
    '2025-05-20 投产(部分投产),张三 录入',
  ],
  FundsArrivedRecorded: [
    by(
      makeEvent('FundsArrivedRecorded', AT, {
        month: '2025-05',
        amount: '30000000.00',
        runningTotal: '125000000.00',
        note: null,
      }),
    ),
    '2025-05-20 到位资金 3000 万元(2025-05),累计 1.25 亿元,张三 录入',
  ],
  BlockerRaised: [
    by(
      makeEvent('BlockerRaised', AT, {
        blockerId: 'B-1',
        category: 'land',
        description: '用地指标未落实',
        responsibleDepartment: '自然资源和规划局',
        departmentRole: 'lead',
        raisedDate: '2025-05-20',
        dueDate: '2025-06-20',
      }),
    ),
    '2025-05-20 反映堵点(用地):用地指标未落实,牵头部门 自然资源和规划局,2025-06-20 前办结,张三 录入',
  ],
  BlockerResolved: [
    by(
      makeEvent('BlockerResolved', AT, {
        blockerId: 'B-1',
        resolution: '已调剂指标',
        resolvedDate: '2025-05-20',
      }),
    ),
    '2025-05-20 堵点 B-1 已解决:已调剂指标,张三 录入',
  ],
  ServiceVisitLogged: [
    by(
      makeEvent('ServiceVisitLogged', AT, {
        visitDate: '2025-05-20',
        summary: '了解用工需求',
        officerId: 'officer-2',
      }),
    ),
    '2025-05-20 李四 走访服务:了解用工需求,张三 录入',
  ],
  ServiceOfficerAssigned: [
    by(
      makeEvent('ServiceOfficerAssigned', AT, {
        officerId: 'officer-2',
        previousOfficerId: 'officer-1',
        reason: '岗位调整',
      }),
    ),
    '2025-05-20 服务专员由 张三 改为 李四,原因:岗位调整,张三 录入',
  ],
  ChiefServiceOfficerAssigned: [
    by(
      makeEvent('ChiefServiceOfficerAssigned', AT, {
        chiefOfficerId: 'chief-1',
        previousChiefOfficerId: null,
        guaranteeLeaderId: 'leader-1',
      }),
    ),
    '2025-05-20 确定首席服务官 王五,包保领导 赵六,张三 录入',
  ],
  DeadlineExtended: [
    by(
      makeEvent('DeadlineExtended', AT, {
        deadlineId: 'land_after_signing',
        newDueDate: '2025-09-30',
        reason: '土地挂牌延后',
        approvedBy: 'leader-1',
      }),
      'leader-1',
    ),
    '2025-05-20 落地时限延期至 2025-09-30,理由:土地挂牌延后,赵六 批准,赵六 录入',
  ],
  ProjectDropped: [
    by(
      makeEvent('ProjectDropped', AT, {
        reason: '企业战略调整',
        fromStage: 'negotiating',
        droppedDate: '2025-05-20',
        alertsClosed: [],
      }),
      'leader-1',
    ),
    '2025-05-20 终止(原处于在谈阶段),原因:企业战略调整,赵六 录入',
  ],
  ProjectReopened: [
    by(
      makeEvent('ProjectReopened', AT, {
        reason: '企业重新确认投资',
        toStage: 'negotiating',
        approvedBy: 'leader-1',
      }),
      'leader-1',
    ),
    '2025-05-20 重新启动,恢复至在谈阶段,原因:企业重新确认投资,赵六 批准,赵六 录入',
  ],
  EventCorrected: [
    by(
      makeEvent('EventCorrected', AT, {
        correctsVersion: 3,
        correctsType: 'ProjectSigned',
        reason: '合同金额录入错误',
        changes: { eventType: 'ProjectSigned', contractInvestment: '160000000.00' },
        previous: { contractInvestment: '150000000.00' },
      }),
    ),
    '2025-05-20 更正第 3 条记录(签约),原因:合同金额录入错误,张三 录入',
  ],
  AlertRaised: [
    by(
      makeEvent('AlertRaised', '2025-05-31T16:00:00.000Z', {
        deadlineId: 'land_after_signing',
        rule: 'land_after_signing',
        step: 'land',
        dueDate: '2025-06-30',
        rung: 0,
        addressee,
        light: 'yellow',
      }),
      'system',
    ),
    '2025-06-01 黄灯:落地时限将于 2025-06-30 到期',
  ],
  AlertEscalated: [
    by(
      makeEvent('AlertEscalated', AT, {
        deadlineId: 'start_after_signing',
        fromRung: 1,
        rung: 2,
        addressee: {
          kind: 'chief_service_officer',
          role: 'chief_officer',
          id: 'chief-1',
          label: '首席服务官',
        },
      }),
      'system',
    ),
    '2025-05-20 开工时限逾期升级至第 2 级督办,提醒首席服务官 王五',
  ],
  LightChanged: [
    by(
      makeEvent('LightChanged', AT, { deadlineId: 'land_after_signing', from: 'yellow', to: 'red' }),
      'system',
    ),
    '2025-05-20 落地时限由黄灯转为红灯',
  ],
  AlertResolved: [
    by(
      makeEvent('AlertResolved', AT, { deadlineId: 'land_after_signing', resolution: 'met', rung: 1 }),
      'system',
    ),
    '2025-05-20 落地时限提醒解除:已按时办结',
  ],
  HistoryImported: [
    by(
      makeEvent('HistoryImported', AT, {
        importId: 'imp-1',
        fileName: '2020年招商台账.xlsx',
        fileSha256: 'ab'.repeat(32),
        sheet: '签约项目',
        row: 12,
        key: '420506|某某新材料|正极材料',
        rowHash: 'cd'.repeat(32),
      }),
    ),
    '2025-05-20 由 张三 从《2020年招商台账.xlsx》「签约项目」第 12 行导入',
  ],
  DuplicateConfirmed: [
    by(
      makeEvent('DuplicateConfirmed', AT, {
        of: 'p0',
        match: 'investor_name',
        reason: '同一投资方的二期项目',
        at: 'signing',
      }),
    ),
    '2025-05-20 签约时确认与项目 p0 并非重复(投资方相同且项目名称相近),理由:同一投资方的二期项目,张三 录入',
  ],
};

it("tells an imported history's alerts as nobody's entry", () => {
  const alert = by(
    makeEvent('AlertEscalated', AT, {
      deadlineId: 'land_after_signing',
      fromRung: 1,
      rung: 2,
      addressee: { kind: 'chief_service_officer', role: 'chief_officer', label: '首席服务官' },
    }),
    'officer-1',
  );
  expect(describeEvent(alert, names)).not.toContain('录入');
});

describe('describeEvent', () => {
  it('has a case for every event type', () => {
    expect(Object.keys(CASES).sort()).toEqual([...PROJECT_EVENT_TYPES].sort());
  });

  it.each(Object.entries(CASES))('tells %s in one Chinese sentence', (_type, [event, sentence]) => {
    expect(describeEvent(event, names)).toBe(sentence);
  });

  it('tells an overdue alert with its rung and addressee, by name', () => {
    const event = by(
      makeEvent('AlertRaised', AT, {
        deadlineId: 'start_after_signing',
        rule: 'start_after_signing',
        step: 'start_construction',
        dueDate: '2025-05-10',
        rung: 1,
        addressee,
        light: 'red',
      }),
      'system',
    );
    expect(describeEvent(event, names)).toBe(
      '2025-05-20 红灯:开工时限已于 2025-05-10 到期,第 1 级督办,提醒服务专员 张三',
    );
  });

  it('shows the id of a person not in the directory', () => {
    const [event] = CASES.ProjectSigned;
    expect(describeEvent({ ...event, actorId: 'officer-9' }, names)).toBe(
      '2025-05-20 签约,合同投资 1.5 亿元,officer-9 录入',
    );
  });
});

describe('describeTimeline', () => {
  it('names a resolved blocker and an escalated deadline by what earlier events said of them', () => {
    const raised = CASES.BlockerRaised[0];
    const resolved = CASES.BlockerResolved[0];
    const alert = by(
      makeEvent('AlertRaised', AT, {
        deadlineId: 'blocker_due:B-1',
        rule: 'blocker_due',
        step: 'resolve_blocker',
        dueDate: '2025-05-10',
        rung: 1,
        addressee,
        light: 'red',
      }),
      'system',
    );
    const escalated = by(
      makeEvent('AlertEscalated', AT, { deadlineId: 'blocker_due:B-1', fromRung: 1, rung: 2, addressee }),
      'system',
    );
    const sentences = describeTimeline([raised, alert, escalated, resolved], names);
    expect(sentences[2]).toBe('2025-05-20 堵点办结时限逾期升级至第 2 级督办,提醒服务专员 张三');
    expect(sentences[3]).toBe('2025-05-20 堵点「用地指标未落实」已解决:已调剂指标,张三 录入');
  });

  it('lists the people a timeline names, without the system', () => {
    const events = [CASES.ServiceOfficerAssigned[0], CASES.AlertEscalated[0], CASES.DeadlineExtended[0]];
    expect(peopleNamedIn(events).sort()).toEqual(['chief-1', 'leader-1', 'officer-1', 'officer-2']);
  });
});

describe('amountPhrase', () => {
  it.each([
    ['150000000.00', '1.5 亿元'],
    ['100000000.00', '1 亿元'],
    ['99990000.00', '9999 万元'],
    ['55000.00', '5.5 万元'],
    ['0.00', '0 万元'],
  ])('%s → %s', (yuan, text) => {
    expect(amountPhrase(yuan)).toBe(text);
  });
});

describe('describeAcknowledgements', () => {
  it('tells who acknowledged which deadline at which rung, with their note', () => {
    const alert = by(
      makeEvent('AlertRaised', AT, {
        deadlineId: 'lead_follow_up',
        rule: 'lead_follow_up',
        step: 'follow_up_lead',
        dueDate: '2025-05-10',
        rung: 1,
        addressee,
        light: 'yellow',
      }),
      'system',
    );
    const acks = [
      { acknowledgedAt: AT, userId: 'officer-1', deadlineId: 'lead_follow_up', rung: 1, note: '本周内走访' },
      { acknowledgedAt: AT, userId: 'officer-9', deadlineId: 'lead_follow_up', rung: 1, note: null },
    ];
    expect(describeAcknowledgements([alert], acks, names)).toEqual([
      '2025-05-20 张三 签收线索跟进时限提醒(第 1 级督办),备注:本周内走访',
      '2025-05-20 officer-9 签收线索跟进时限提醒(第 1 级督办)',
    ]);
  });
});
