import type { Addressee, Light } from '../alerts';
import { accepted, refused, type Decision, type DecisionInput } from '../decision';
import { makeEvent } from '../events';
import { firstOf } from '../field-checks';
import { refusal } from '../refusals';
import { commandShape, type DataOf } from './command-shape';

/** The commands only the deadline timers send: 预警, 升级, 亮灯 and closing an alert. */

export function raiseAlert(d: DataOf<'RaiseAlert'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const shape = commandShape.RaiseAlert(d);
  const problem = firstOf(
    shape.deadlineId,
    () =>
      state.alerts.some((a) => a.deadlineId === d.deadlineId)
        ? refusal('ALERT_ALREADY_OPEN', 'data.deadlineId')
        : null,
    shape.rule,
    shape.step,
    shape.dueDate,
    shape.rung,
    shape.addressee,
    shape.light,
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('AlertRaised', now, {
      deadlineId: d.deadlineId,
      rule: d.rule,
      step: d.step,
      dueDate: d.dueDate,
      rung: d.rung,
      addressee: cleanAddressee(d.addressee),
      light: d.light,
    }),
  );
}

export function escalate(d: DataOf<'Escalate'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const alert = state.alerts.find((a) => a.deadlineId === d.deadlineId);
  if (!alert) return refused(refusal('ALERT_NOT_OPEN', 'data.deadlineId'));
  const shape = commandShape.Escalate(d);
  const problem = firstOf(
    shape.rung,
    () => (d.rung > alert.rung ? null : refusal('RUNG_NOT_HIGHER', 'data.rung')),
    shape.addressee,
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('AlertEscalated', now, {
      deadlineId: d.deadlineId,
      fromRung: alert.rung,
      rung: d.rung,
      addressee: cleanAddressee(d.addressee),
    }),
  );
}

export function changeLight(d: DataOf<'ChangeLight'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const shape = commandShape.ChangeLight(d);
  const problem = firstOf(shape.deadlineId, shape.light);
  if (problem) return refused(problem);
  const from: Light = state.lights[d.deadlineId] ?? 'green';
  if (from === d.light) return refused(refusal('LIGHT_UNCHANGED', 'data.light'));
  return accepted(makeEvent('LightChanged', now, { deadlineId: d.deadlineId, from, to: d.light }));
}

export function resolveAlert(d: DataOf<'ResolveAlert'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const alert = state.alerts.find((a) => a.deadlineId === d.deadlineId);
  if (!alert) return refused(refusal('ALERT_NOT_OPEN', 'data.deadlineId'));
  const problem = commandShape.ResolveAlert(d).resolution();
  if (problem) return refused(problem);
  return accepted(
    makeEvent('AlertResolved', now, { deadlineId: d.deadlineId, resolution: d.resolution, rung: alert.rung }),
  );
}

/** The addressee as recorded: only the fields it has, so that absent and undefined read the same. */
function cleanAddressee(a: Addressee): Addressee {
  const out: Addressee = { kind: a.kind, role: a.role, label: a.label };
  if (a.id) out.id = a.id;
  if (a.region) out.region = a.region;
  if (a.bulletin) out.bulletin = true;
  return out;
}
