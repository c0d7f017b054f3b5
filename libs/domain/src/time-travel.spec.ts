import { makeEvent, type ProjectEvent } from './events';
import { eventsFor, stateAt, type LoggedEvent } from './time-travel';
import { foldEvents } from './evolve';
import { historyTo } from './testing/fixtures';

/** The fixture's history, recorded a day apart from 1 March, business times as the fixture has them. */
function logged(events: ProjectEvent[], recordedFrom = Date.parse('2025-03-01T02:00:00Z')): LoggedEvent[] {
  return events.map((event, i) => ({
    version: i + 1,
    recordedAt: new Date(recordedFrom + i * 86_400_000).toISOString(),
    event,
  }));
}

describe('the state as in effect on a date, and as known at an instant', () => {
  const history = historyTo('signed');
  const log = logged(history);

  it('folds every event when asked nothing', () => {
    expect(stateAt(log, {})).toEqual(foldEvents(history));
  });

  it('knows only what was recorded by knownAt', () => {
    const firstTwo = stateAt(log, { knownAt: log[1].recordedAt });
    expect(firstTwo).toEqual(foldEvents(history.slice(0, 2)));
    expect(stateAt(log, { knownAt: '2000-01-01T00:00:00Z' }).exists).toBe(false);
  });

  it('leaves out what takes effect after asOf, but applies a later correction to what it corrects', () => {
    const signed = history[history.length - 1];
    const signedOn = signed.businessTime.slice(0, 10);
    const correction = makeEvent('EventCorrected', '2025-12-01T02:00:00.000Z', {
      correctsVersion: history.length,
      correctsType: 'ProjectSigned',
      reason: '合同金额录入错误',
      changes: { eventType: 'ProjectSigned', contractInvestment: '99000000.00' },
      previous: {},
    });
    const withCorrection = logged([...history, correction]);
    const beforeSigning = stateAt(withCorrection, { asOf: '2000-01-01' });
    expect(beforeSigning.exists).toBe(false);
    const onSigning = stateAt(withCorrection, { asOf: signedOn });
    expect(onSigning.stage).toBe('signed');
    // The correction was made in December but says what the contract was on the signing day.
    expect(onSigning.contractInvestment).toBe('99000000.00');
    // What the system knew before the correction was recorded: the original amount.
    const knownBefore = stateAt(withCorrection, {
      asOf: signedOn,
      knownAt: withCorrection[withCorrection.length - 2].recordedAt,
    });
    expect(knownBefore.contractInvestment).toBe(foldEvents(history).contractInvestment);
    expect(eventsFor(withCorrection, { asOf: signedOn }).map((e) => e.version)).toEqual(
      withCorrection.map((e) => e.version),
    );
  });
});
