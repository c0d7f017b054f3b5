import { makeEvent } from './events';
import {
  DEFAULT_DUPLICATE_WINDOW_DAYS,
  DUPLICATE_MATCH_LABELS,
  duplicateAsSeenBy,
  likelyDuplicate,
  normaliseName,
  projectNameSimilarity,
  UNREADABLE_PROJECT_NAME,
  type DuplicateCandidate,
} from './duplicates';
import { NOW, REGION, OTHER_REGION, ctx, historyTo, leadData, leader, officer } from './testing/fixtures';
import { specification } from './testing/specification';

const earlier: DuplicateCandidate = {
  projectId: 'P-1',
  name: '年产10万吨锂电池正极材料项目(一期)',
  region: REGION,
  investorName: '湖北某某新材料有限公司',
  creditCode: '914403001922038216',
  contractNumber: 'HT-2025-001',
  date: '2025-03-01',
};
const candidate = (overrides: Partial<DuplicateCandidate>): DuplicateCandidate => ({
  ...earlier,
  projectId: 'P-2',
  contractNumber: 'HT-2025-999',
  date: '2025-09-01',
  ...overrides,
});

describe('the duplicate rule', () => {
  it('normalises names: width, case, spaces, punctuation and generic words', () => {
    expect(normaliseName('  湖北某某新材料 有限公司 ')).toBe('湖北某某新材料');
    expect(normaliseName('ＡＢＣ锂电池项目（一期）')).toBe('abc锂电池');
    expect(normaliseName('某某集团股份有限公司')).toBe('某某');
  });

  it('scores name similarity from 0 to 1', () => {
    expect(projectNameSimilarity('锂电池正极材料项目', '锂电池正极材料项目(二期)')).toBe(1);
    expect(projectNameSimilarity('年产10万吨锂电池正极材料项目', '10万吨锂电池正极材料')).toBeGreaterThan(
      0.8,
    );
    expect(projectNameSimilarity('锂电池正极材料项目', '生物医药产业园')).toBe(0);
    expect(projectNameSimilarity('项目', '项目')).toBe(0);
  });

  it('flags the same contract number anywhere, whatever else differs', () => {
    expect(
      likelyDuplicate(
        candidate({
          contractNumber: ' ht-2025-001 ',
          region: OTHER_REGION,
          name: '别的项目',
          date: '2029-01-01',
        }),
        earlier,
        DEFAULT_DUPLICATE_WINDOW_DAYS,
      ),
    ).toBe('contract_number');
  });

  it('flags the same credit code, or the same investor name, with a similar name in the region within the window', () => {
    expect(likelyDuplicate(candidate({ name: '年产10万吨锂电池正极材料项目' }), earlier, 365)).toBe(
      'credit_code',
    );
    expect(
      likelyDuplicate(
        candidate({
          name: '10万吨锂电池正极材料项目',
          creditCode: null,
          investorName: '湖北某某新材料有限责任公司',
        }),
        earlier,
        365,
      ),
    ).toBe('investor_name');
  });

  it('does not flag another region, another name, another investor, a date outside the window, or itself', () => {
    expect(likelyDuplicate(candidate({ region: OTHER_REGION }), earlier, 365)).toBeNull();
    expect(likelyDuplicate(candidate({ name: '生物医药产业园项目' }), earlier, 365)).toBeNull();
    expect(
      likelyDuplicate(candidate({ creditCode: null, investorName: '另一家公司' }), earlier, 365),
    ).toBeNull();
    expect(likelyDuplicate(candidate({ date: '2026-03-02' }), earlier, 365)).toBeNull();
    expect(likelyDuplicate(candidate({ date: '2026-03-01' }), earlier, 365)).toBe('credit_code');
    expect(likelyDuplicate({ ...earlier }, earlier, 365)).toBeNull();
  });

  it('labels each match in Chinese', () => {
    expect(DUPLICATE_MATCH_LABELS).toEqual({
      contract_number: '合同编号相同',
      credit_code: '统一社会信用代码相同',
      investor_name: '投资方相同且项目名称相近',
    });
  });
});

describe('an earlier project named as a likely duplicate, as a person sees it', () => {
  const elsewhere = { ...earlier, region: OTHER_REGION };

  it('is named in full where the person reads: their county, their city, or everywhere for an auditor', () => {
    expect(duplicateAsSeenBy(officer, earlier)).toEqual(earlier);
    expect(duplicateAsSeenBy(leader, earlier)).toEqual(earlier);
    expect(duplicateAsSeenBy({ id: 'a', role: 'auditor', regions: [] }, elsewhere)).toEqual(elsewhere);
  });

  it('elsewhere keeps its id, region, date and match but not its name', () => {
    expect(duplicateAsSeenBy(officer, { ...elsewhere, match: 'contract_number' })).toEqual({
      ...elsewhere,
      match: 'contract_number',
      name: UNREADABLE_PROJECT_NAME,
    });
  });
});

describe('a confirmed likely duplicate', () => {
  const given = specification(expect, ctx());
  const confirmation = { of: 'P-2024-009', match: 'investor_name', reason: '同一投资方的新项目' } as const;

  it('is recorded on registration', () => {
    const { events } = given([])
      .when({ type: 'RegisterLead', data: leadData({ duplicateConfirmation: confirmation }) })
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['LeadRegistered', 'DuplicateConfirmed']);
    expect(events[1]).toEqual(makeEvent('DuplicateConfirmed', NOW, { ...confirmation, at: 'registration' }));
  });

  it('is recorded on signing', () => {
    const { events } = given(historyTo('negotiating'))
      .when({
        type: 'Sign',
        data: {
          contractDate: '2025-02-10',
          contractInvestment: '200000000',
          contractNumber: 'HT-2025-002',
          duplicateConfirmation: { ...confirmation, match: 'contract_number' },
        },
      })
      .thenAccepted();
    expect(events[1]).toEqual(
      makeEvent('DuplicateConfirmed', NOW, { ...confirmation, match: 'contract_number', at: 'signing' }),
    );
  });

  it('is refused without a reason, of itself, with an unknown match, or a reason too long', () => {
    given([])
      .when({
        type: 'RegisterLead',
        data: leadData({ duplicateConfirmation: { ...confirmation, reason: ' ' } }),
      })
      .thenRefused('REQUIRED', 'data.duplicateConfirmation.reason');
    given([])
      .when({
        type: 'RegisterLead',
        data: leadData({ duplicateConfirmation: { ...confirmation, of: 'P-2025-001' } }),
      })
      .thenRefused('DUPLICATE_OF_ITSELF', 'data.duplicateConfirmation.of');
    given([])
      .when({
        type: 'RegisterLead',
        data: leadData({ duplicateConfirmation: { ...confirmation, match: 'same_name' as never } }),
      })
      .thenRefused('INVALID_VALUE', 'data.duplicateConfirmation.match');
    given([])
      .when({
        type: 'RegisterLead',
        data: leadData({ duplicateConfirmation: { ...confirmation, reason: '理'.repeat(501) } }),
      })
      .thenRefused('INVALID_VALUE', 'data.duplicateConfirmation.reason');
  });

  it('without one, nothing more is recorded', () => {
    const { events } = given([])
      .when({ type: 'RegisterLead', data: leadData({ duplicateConfirmation: null }) })
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['LeadRegistered']);
  });
});

describe('past dates for 终止 and 堵点', () => {
  const given = specification(expect, ctx());
  const blocker = {
    blockerId: 'B-1',
    category: 'land',
    description: '用地指标未落实',
    responsibleDepartment: '自然资源局',
    dueDate: '2025-02-28',
  } as const;

  it('a blocker raised and resolved in the past carries its dates', () => {
    const raised = given(historyTo('signed'))
      .when({ type: 'RaiseBlocker', data: { ...blocker, raisedDate: '2025-02-12' } })
      .thenAccepted();
    expect(raised.events[0]).toMatchObject({
      businessTime: '2025-02-12',
      data: { raisedDate: '2025-02-12' },
    });
    const resolved = given([...historyTo('signed'), ...raised.events])
      .when({
        type: 'ResolveBlocker',
        data: { blockerId: 'B-1', resolution: '已落实', resolvedDate: '2025-03-01' },
      })
      .thenAccepted();
    expect(resolved.events[0]).toMatchObject({
      businessTime: '2025-03-01',
      data: { resolvedDate: '2025-03-01' },
    });
    given([...historyTo('signed'), ...raised.events])
      .when({
        type: 'ResolveBlocker',
        data: { blockerId: 'B-1', resolution: '已落实', resolvedDate: '2025-02-11' },
      })
      .thenRefused('DATE_BEFORE_RAISED', 'data.resolvedDate');
    given([...historyTo('signed'), ...raised.events])
      .when({
        type: 'ResolveBlocker',
        data: { blockerId: 'B-1', resolution: '已落实', resolvedDate: '2025-03-11' },
      })
      .thenRefused('DATE_IN_FUTURE', 'data.resolvedDate');
  });

  it('a past blocker is due after its raising, not after today; it is not raised before the lead', () => {
    given(historyTo('signed'))
      .when({ type: 'RaiseBlocker', data: { ...blocker, raisedDate: '2025-02-12', dueDate: '2025-02-11' } })
      .thenRefused('DATE_DUE_BEFORE_RAISED', 'data.dueDate');
    given(historyTo('signed'))
      .when({ type: 'RaiseBlocker', data: { ...blocker, raisedDate: '2024-12-31' } })
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.raisedDate');
    given(historyTo('signed'))
      .when({ type: 'RaiseBlocker', data: blocker })
      .thenRefused('DATE_IN_PAST', 'data.dueDate');
  });

  it('a drop in the past carries its date, not before the last stage and not after today', () => {
    const { events } = given(historyTo('signed'))
      .when({ type: 'Drop', data: { reason: '企业投资计划调整', droppedDate: '2025-03-01' } }, ctx(leader))
      .thenAccepted();
    expect(events[0]).toMatchObject({ businessTime: '2025-03-01', data: { droppedDate: '2025-03-01' } });
    given(historyTo('signed'))
      .when({ type: 'Drop', data: { reason: '企业投资计划调整', droppedDate: '2025-02-09' } }, ctx(leader))
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.droppedDate');
    given(historyTo('signed'))
      .when({ type: 'Drop', data: { reason: '企业投资计划调整', droppedDate: '2025-03-11' } }, ctx(leader))
      .thenRefused('DATE_IN_FUTURE', 'data.droppedDate');
  });
});
