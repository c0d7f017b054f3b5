import { foldEvents } from './evolve';
import { makeEvent } from './events';
import { lightChangesOf, lightOn, touchesLights } from './light-history';
import { leadRegistered } from './testing/fixtures';

const addressee = {
  kind: 'service_officer',
  role: 'officer',
  id: 'o-1',
  label: '服务专员',
  region: '420500',
} as const;
const raised = (at: string, deadlineId: string, light: 'yellow' | 'red') =>
  makeEvent('AlertRaised', at, {
    deadlineId,
    rule: deadlineId,
    step: 'land',
    dueDate: '2025-03-01',
    rung: 1,
    addressee,
    light,
  });
const changed = (
  at: string,
  deadlineId: string,
  from: 'green' | 'yellow' | 'red',
  to: 'green' | 'yellow' | 'red',
) => makeEvent('LightChanged', at, { deadlineId, from, to });

describe('light history', () => {
  it('records each business day on which the project’s light changed, with the light at its end', () => {
    // Given a registered project, when alerts raise and lift its deadlines' lights on their days
    // (Shanghai days: 16:00Z is the next morning there).
    const registered = foldEvents([leadRegistered]);
    const changes = lightChangesOf(registered, [
      raised('2025-02-10T01:00:00.000Z', 'land', 'yellow'),
      changed('2025-03-01T16:30:00.000Z', 'land', 'yellow', 'red'),
      // A second deadline turning yellow under a red one leaves the project red: no change.
      raised('2025-03-05T02:00:00.000Z', 'start', 'yellow'),
      // The red one lifting leaves the other's yellow; a second change that day is the day's end.
      changed('2025-04-01T01:00:00.000Z', 'land', 'red', 'green'),
      raised('2025-04-01T03:00:00.000Z', 'land', 'red'),
      changed('2025-04-01T05:00:00.000Z', 'land', 'red', 'green'),
      changed('2025-04-02T03:00:00.000Z', 'start', 'yellow', 'green'),
    ]);
    // Then the days are the business days, in order, each with the light it ended on.
    expect(changes).toEqual([
      { day: '2025-02-10', light: 'yellow' },
      { day: '2025-03-02', light: 'red' },
      { day: '2025-04-01', light: 'yellow' },
      { day: '2025-04-02', light: 'green' },
    ]);
    expect(lightOn(changes, '2025-02-09')).toBe('green');
    expect(lightOn(changes, '2025-03-01')).toBe('yellow');
    expect(lightOn(changes, '2025-03-31')).toBe('red');
    expect(lightOn(changes, '2025-04-01')).toBe('yellow');
    expect(lightOn(changes, '2026-01-01')).toBe('green');
  });

  it('gives the same changes appended one command at a time as for the whole stream at once', () => {
    const events = [
      leadRegistered,
      raised('2025-02-10T01:00:00.000Z', 'land', 'red'),
      makeEvent('ProjectDropped', '2025-02-20T01:00:00.000Z', {
        reason: '企业投资计划调整',
        fromStage: 'lead',
        droppedDate: '2025-02-20',
        alertsClosed: ['land'],
      }),
    ];
    const whole = lightChangesOf(foldEvents([]), events);
    const byAppend = [
      ...lightChangesOf(foldEvents([]), events.slice(0, 2)),
      ...lightChangesOf(foldEvents(events.slice(0, 2)), events.slice(2)),
    ];
    expect(byAppend).toEqual(whole);
    // Dropping closes every light.
    expect(whole).toEqual([
      { day: '2025-02-10', light: 'red' },
      { day: '2025-02-20', light: 'green' },
    ]);
  });

  it('needs a look only for the events that move a light', () => {
    expect(touchesLights(['FundsArrivedRecorded', 'AlertEscalated', 'AlertResolved'])).toBe(false);
    expect(touchesLights(['ProjectLanded', 'LightChanged'])).toBe(true);
    expect(touchesLights(['ProjectDropped'])).toBe(true);
  });
});
