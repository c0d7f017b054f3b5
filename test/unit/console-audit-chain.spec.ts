import {
  chainRows,
  GENESIS_HASH,
  type HistoryEvent,
  type VerifyReport,
} from '../../apps/web/src/pages/audit/audit-chain';

const hash = (n: number) => String(n).repeat(64).slice(0, 64);
const event = (version: number, previousHash: string): HistoryEvent => ({
  globalPosition: String(version),
  eventId: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`,
  projectId: 'p',
  schemaVersion: 1,
  workflowId: 'project-p',
  runId: 'run-1',
  version,
  type: 'ServiceVisitLogged',
  businessTime: '2025-03-01T02:00:00.000Z',
  recordedAt: '2025-03-01T02:00:00.000Z',
  actorId: 'officer-1',
  actorRole: 'officer',
  commandId: `c-${version}`,
  hash: hash(version),
  previousHash,
  data: {},
});
const intact = [event(1, GENESIS_HASH), event(2, hash(1)), event(3, hash(2))];
const report = (broken: VerifyReport['broken'] = []): VerifyReport => ({
  ok: broken.length === 0,
  projects: 1,
  events: 3,
  broken,
  files: { checked: 0, broken: [] },
});
const verdicts = (rows: ReturnType<typeof chainRows>) =>
  rows.map((r) => (r.broken ? 'broken' : r.unchecked ? 'unchecked' : 'verified'));

describe('the hash chain as the history page draws it', () => {
  it('verifies every link of an intact chain, and none before verification has answered', () => {
    expect(verdicts(chainRows(intact, report()))).toEqual(['verified', 'verified', 'verified']);
    expect(verdicts(chainRows(intact, null))).toEqual(['unchecked', 'unchecked', 'unchecked']);
  });

  it('names the link verification found broken, and leaves the links after it unchecked', () => {
    const link = {
      projectId: 'p',
      version: 2,
      problem: 'hash_mismatch',
      detail: 'its content hashes to …',
      expected: hash(2),
      found: hash(9),
    };
    const rows = chainRows(intact, report([link]));
    expect(verdicts(rows)).toEqual(['verified', 'broken', 'unchecked']);
    expect(rows[1].broken).toBe(link);
  });

  it('puts a stream head beyond the events on the last event', () => {
    const link = { projectId: 'p', version: 5, problem: 'head_mismatch', detail: '' };
    expect(verdicts(chainRows(intact, report([link])))).toEqual(['verified', 'verified', 'broken']);
  });

  it('breaks a link that does not point at the hash before it, whatever the report says', () => {
    const rows = chainRows([intact[0], event(2, hash(7)), intact[2]], report());
    expect(verdicts(rows)).toEqual(['verified', 'broken', 'unchecked']);
    expect(rows[1].broken).toMatchObject({
      problem: 'previous_hash_mismatch',
      expected: hash(1),
      found: hash(7),
    });
  });
});
