import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { eventHash, GENESIS_HASH } from './hash';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps strings exact, Chinese included', () => {
    expect(canonicalJson({ label: '签约', amount: '150000000.00' })).toBe(
      '{"amount":"150000000.00","label":"签约"}',
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('non-finite');
    expect(() => canonicalJson({ n: BigInt(1) })).toThrow('bigint');
  });
});

describe('eventHash', () => {
  const fields = {
    eventId: '00000000-0000-4000-8000-000000000001',
    projectId: 'p-1',
    version: 1,
    type: 'LeadRegistered',
    schemaVersion: 1,
    data: { name: '示例项目' },
    businessTime: '2025-03-01',
    recordedAt: '2025-03-01T02:00:00.000Z',
    actorId: 'u-1',
    actorRole: 'officer',
    commandId: 'c-1',
    workflowId: 'project-p-1',
    runId: 'r-1',
    previousHash: GENESIS_HASH,
  };

  it('does not depend on the order fields were built in', () => {
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as typeof fields;
    expect(eventHash(reordered)).toBe(eventHash(fields));
  });

  it('changes when any field or the previous hash changes', () => {
    const base = eventHash(fields);
    expect(eventHash({ ...fields, data: { name: '示例项目 ' } })).not.toBe(base);
    expect(eventHash({ ...fields, previousHash: 'f'.repeat(64) })).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the hash every stored chain was written with: SHA-256 of the canonical JSON of the hashed fields', () => {
    // Verification hashes stored rows directly; escapes, emoji, lone surrogates and undefined
    // members must still serialise exactly as before, and the row's own hash is not hashed.
    const tricky = {
      ...fields,
      data: {
        name: '示例项目 "引号" \\ \n\u0001 😀 \ud800',
        amount: '150000000.00',
        list: [1, null, { b: true, a: undefined }],
        z: undefined,
      },
    };
    expect(eventHash(tricky)).toBe('c96ce25c25e49cc6668f89483d4c374202e77687c7f6654a14a5b6a3b2680066');
    expect(eventHash(tricky)).toBe(createHash('sha256').update(canonicalJson(tricky)).digest('hex'));
    expect(eventHash({ ...tricky, hash: 'a'.repeat(64), globalPosition: '7' } as typeof tricky)).toBe(
      eventHash(tricky),
    );
  });
});
