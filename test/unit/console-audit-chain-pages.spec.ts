import {
  chainRows,
  GENESIS_HASH,
  type HistoryEvent,
  type VerifyReport,
} from '../../apps/web/src/pages/audit/audit-chain';

const hash = (n: number) => String(n % 10).repeat(64);
const event = (version: number, brokenLink: HistoryEvent['brokenLink'] = null): HistoryEvent => ({
  globalPosition: String(version),
  eventId: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`,
  projectId: 'p',
  schemaVersion: 1,
  workflowId: 'project-p',
  runId: 'run-1',
  version,
  type: 'AlertRaised',
  businessTime: '2025-03-01T02:00:00.000Z',
  recordedAt: '2025-03-01T02:00:00.000Z',
  actorId: 'system',
  actorRole: 'system',
  commandId: `c-${version}`,
  hash: hash(version),
  previousHash: version === 1 ? GENESIS_HASH : hash(version - 1),
  data: {},
  brokenLink,
});
const report = (broken: VerifyReport['broken'] = []): VerifyReport => ({
  ok: broken.length === 0,
  projects: 1,
  events: 60,
  broken,
  files: { checked: 0, broken: [] },
});
const verdicts = (rows: ReturnType<typeof chainRows>) =>
  rows.map((r) => (r.broken ? 'broken' : r.unchecked ? 'unchecked' : 'verified'));
/** The second page of a history of sixty events, twenty a page: versions 21 to 23 shown. */
const secondPage = [event(21), event(22), event(23)];

describe('a page of the hash chain after the first', () => {
  it('takes the API’s verdict on its first link, whose predecessor is on the page before', () => {
    expect(verdicts(chainRows(secondPage, report(), { last: false }))).toEqual([
      'verified',
      'verified',
      'verified',
    ]);
    const link = { projectId: 'p', version: 21, problem: 'hash_mismatch', detail: '', expected: hash(1) };
    const rows = chainRows([event(21, link), event(22), event(23)], report(), { last: false });
    expect(verdicts(rows)).toEqual(['broken', 'unchecked', 'unchecked']);
    expect(rows[0].broken).toBe(link);
  });

  it('leaves every link unchecked after a break verification named on an earlier page', () => {
    const link = { projectId: 'p', version: 7, problem: 'previous_hash_mismatch', detail: '' };
    expect(verdicts(chainRows(secondPage, report([link]), { last: false }))).toEqual([
      'unchecked',
      'unchecked',
      'unchecked',
    ]);
  });

  it('puts a stream head beyond the events on the last event of the last page only', () => {
    const link = { projectId: 'p', version: 61, problem: 'missing_events', detail: '' };
    expect(verdicts(chainRows(secondPage, report([link]), { last: false }))).toEqual([
      'verified',
      'verified',
      'verified',
    ]);
    expect(verdicts(chainRows(secondPage, report([link]), { last: true }))).toEqual([
      'verified',
      'verified',
      'broken',
    ]);
  });
});
