import { eventHash, GENESIS_HASH, type StoredEvent } from '@app/persistence';
import { brokenLinkOf } from './chain-links';

/** A stored event chained to `previousHash`, its hash computed from its content. */
function stored(version: number, previousHash: string, summary = '走访'): StoredEvent {
  const fields = {
    eventId: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`,
    projectId: 'p',
    version,
    type: 'ServiceVisitLogged',
    schemaVersion: 1,
    data: { summary },
    businessTime: '2025-03-01T02:00:00.000Z',
    recordedAt: '2025-03-01T02:00:00.000Z',
    actorId: 'officer-1',
    actorRole: 'officer',
    commandId: `c-${version}`,
    workflowId: 'project-p',
    runId: 'run-1',
    previousHash,
  };
  return { ...fields, globalPosition: String(version), hash: eventHash(fields) };
}

describe('one link of a chain, judged against the event before it', () => {
  const first = stored(1, GENESIS_HASH);
  const second = stored(2, first.hash);

  it('holds for the first event on the genesis and for a later one on the hash before it', () => {
    expect(brokenLinkOf(first, null)).toBeNull();
    expect(brokenLinkOf(second, { version: 1, hash: first.hash })).toBeNull();
  });

  it('names a gap in the versions before anything else', () => {
    const third = stored(3, first.hash);
    expect(brokenLinkOf(third, { version: 1, hash: first.hash })).toMatchObject({
      problem: 'version_gap',
      version: 3,
      expected: '2',
      found: '3',
    });
    expect(brokenLinkOf(second, null)).toMatchObject({ problem: 'version_gap', expected: '1' });
  });

  it('names a link that does not point at the hash before it', () => {
    const other = stored(1, GENESIS_HASH, '改写');
    expect(brokenLinkOf(second, { version: 1, hash: other.hash })).toMatchObject({
      problem: 'previous_hash_mismatch',
      expected: other.hash,
      found: first.hash,
    });
  });

  it('names content that no longer gives the stored hash', () => {
    const rewritten = { ...second, data: { summary: '改写' } };
    expect(brokenLinkOf(rewritten, { version: 1, hash: first.hash })).toMatchObject({
      problem: 'hash_mismatch',
      expected: second.hash,
      found: eventHash(rewritten),
    });
  });
});
