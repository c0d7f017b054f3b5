import { ROLES, type Actor, type Role } from './actor';
import {
  decideStep,
  isSupervisionStep,
  nextStatus,
  SUPERVISION_OWNER_ROLE,
  SUPERVISION_STATUS_LABELS,
  SUPERVISION_STATUSES,
  SUPERVISION_STEPS,
  supervisionStepsFor,
  type StepDecision,
  type SupervisionStatus,
  type SupervisionStep,
} from './supervision';

const REGION = '420506';

/** given(an item at a status).when(an actor takes a step).then…: the 督办 course as a specification. */
function given(status: SupervisionStatus, region = REGION) {
  return {
    when(actor: Actor, step: SupervisionStep) {
      const decision: StepDecision = decideStep({ status, region }, step, actor);
      return {
        thenMovesTo(to: SupervisionStep): void {
          expect(decision).toEqual({ outcome: 'accepted', from: status, to });
        },
        thenRefused(code: string, zh?: string, en?: string): void {
          expect(decision.outcome).toBe('refused');
          if (decision.outcome !== 'refused') return;
          expect(decision.refusal.code).toBe(code);
          if (zh !== undefined) expect(decision.refusal.message).toEqual({ zh, en });
          expect(decision.refusal.message.zh.length).toBeGreaterThan(0);
          expect(decision.refusal.message.en.length).toBeGreaterThan(0);
        },
      };
    },
  };
}

const person = (role: Role, regions: string[] = [REGION]): Actor => ({ id: `${role}-1`, role, regions });

/** Who owns each step, and the status it follows. */
const COURSE: [SupervisionStep, SupervisionStatus, Role[]][] = [
  ['acknowledged', 'issued', ['officer', 'chief_officer']],
  ['in_hand', 'acknowledged', ['officer', 'chief_officer']],
  ['reported', 'in_hand', ['officer', 'chief_officer']],
  ['checked', 'reported', ['leader']],
  ['closed', 'checked', ['leader']],
];

describe('督办 items: 下发 → 签收 → 办理 → 反馈 by the officers → 复核 → 办结 by a leader', () => {
  it('has six statuses, each with its label, and every one but 下发 is a step', () => {
    expect(SUPERVISION_STATUSES).toEqual([
      'issued',
      'acknowledged',
      'in_hand',
      'reported',
      'checked',
      'closed',
    ]);
    expect(SUPERVISION_STATUSES.map((s) => SUPERVISION_STATUS_LABELS[s])).toEqual([
      '下发',
      '签收',
      '办理',
      '反馈',
      '复核',
      '办结',
    ]);
    expect(SUPERVISION_STEPS).toEqual(SUPERVISION_STATUSES.slice(1));
    expect(isSupervisionStep('issued')).toBe(false);
    expect(isSupervisionStep('closed')).toBe(true);
    expect(isSupervisionStep(3)).toBe(false);
  });

  it('goes through its course in one order, ending at 办结', () => {
    expect(nextStatus('issued')).toBe('acknowledged');
    expect(nextStatus('acknowledged')).toBe('in_hand');
    expect(nextStatus('in_hand')).toBe('reported');
    expect(nextStatus('reported')).toBe('checked');
    expect(nextStatus('checked')).toBe('closed');
    expect(nextStatus('closed')).toBeNull();
  });

  it('is issued to the 服务专员, who takes it on (签收) in the region', () => {
    expect(SUPERVISION_OWNER_ROLE).toBe('officer');
    given('issued').when(person(SUPERVISION_OWNER_ROLE), 'acknowledged').thenMovesTo('acknowledged');
  });

  describe.each(COURSE)('the step to %s (from %s)', (step, from, owners) => {
    it.each(ROLES.map((role) => [role, owners.includes(role) ? 'accepted' : 'refused'] as const))(
      'by %s in the item’s region: %s',
      (role, outcome) => {
        const when = given(from).when(person(role), step);
        if (outcome === 'accepted') when.thenMovesTo(step);
        else when.thenRefused('ROLE_NOT_ALLOWED');
      },
    );

    it('is refused to its owners outside the item’s region, and allowed from the city above it', () => {
      for (const role of owners) {
        given(from)
          .when(person(role, ['420502']), step)
          .thenRefused('ROLE_NOT_ALLOWED');
        given(from).when(person(role, []), step).thenRefused('ROLE_NOT_ALLOWED');
        given(from)
          .when(person(role, ['420500']), step)
          .thenMovesTo(step);
        given(from)
          .when(person(role, ['420000']), step)
          .thenMovesTo(step);
      }
    });

    it('is out of order from every other status, for its owners', () => {
      for (const status of SUPERVISION_STATUSES.filter((s) => s !== from)) {
        for (const role of owners) {
          given(status).when(person(role), step).thenRefused('SUPERVISION_STEP_OUT_OF_ORDER');
        }
      }
    });

    it('judges rights before order: others are refused for their role whatever the status', () => {
      for (const status of SUPERVISION_STATUSES) {
        for (const role of ROLES.filter((r) => !owners.includes(r))) {
          given(status).when(person(role), step).thenRefused('ROLE_NOT_ALLOWED');
        }
      }
    });
  });

  it('explains a refusal in both languages', () => {
    given('reported')
      .when(person('officer'), 'checked')
      .thenRefused('ROLE_NOT_ALLOWED', '复核由领导办理', "only leader in the item's region may checked it");
    given('issued')
      .when(person('leader'), 'acknowledged')
      .thenRefused(
        'ROLE_NOT_ALLOWED',
        '签收由责任单位办理',
        "only officer or chief_officer in the item's region may acknowledged it",
      );
    given('acknowledged')
      .when(person('officer'), 'reported')
      .thenRefused(
        'SUPERVISION_STEP_OUT_OF_ORDER',
        '督办事项当前为「签收」,不能直接「反馈」',
        'the item is acknowledged; reported follows in_hand',
      );
  });

  it('does not give a chief officer anywhere the items of the projects assigned to them', () => {
    // Items are bounded by region alone: the item does not carry the project's chief officer.
    given('issued')
      .when({ id: 'c1', role: 'chief_officer', regions: ['430100'] }, 'acknowledged')
      .thenRefused('ROLE_NOT_ALLOWED');
  });
});

describe('the steps a person may take now (supervisionStepsFor)', () => {
  it('is the next step of the course for its owners in the region, and nothing for anyone else', () => {
    for (const [step, from, roles] of COURSE) {
      for (const role of ROLES) {
        const expected = roles.includes(role) ? [step] : [];
        expect(supervisionStepsFor({ status: from, region: REGION }, person(role))).toEqual(expected);
        // Exactly the steps decideStep accepts: the screen cannot offer what the API refuses.
        for (const other of SUPERVISION_STEPS) {
          const accepted =
            decideStep({ status: from, region: REGION }, other, person(role)).outcome === 'accepted';
          expect(supervisionStepsFor({ status: from, region: REGION }, person(role)).includes(other)).toBe(
            accepted,
          );
        }
      }
      expect(supervisionStepsFor({ status: from, region: REGION }, person(roles[0], ['110105']))).toEqual([]);
    }
    for (const role of ROLES) {
      expect(supervisionStepsFor({ status: 'closed', region: REGION }, person(role))).toEqual([]);
    }
  });
});
