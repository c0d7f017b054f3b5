import {
  actorFromClaims,
  bearerTokenOf,
  isReservedSubject,
  isTokenRefusal,
  subjectRefusal,
} from './token-rules';

const NOW = 1_760_000_000;
const DAY = 24 * 3600;
const options = { now: NOW, maxLifetimeSeconds: DAY };
const claims = (over: Record<string, unknown> = {}) => ({
  sub: 'officer-1',
  role: 'officer',
  regions: ['420500'],
  iat: NOW,
  exp: NOW + 3600,
  ...over,
});
const ruleOf = (value: unknown) => (isTokenRefusal(value) ? `${value.field}:${value.rule}` : 'accepted');

describe('bearerTokenOf', () => {
  const jws = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

  it('takes the token of "Bearer <token>"', () => {
    expect(bearerTokenOf(`Bearer ${jws}`)).toBe(jws);
  });

  it.each([
    ['nothing', undefined, 'required'],
    ['an empty header', '', 'required'],
    ['trailing garbage', `Bearer ${jws} junk`, 'bearer_format'],
    ['two spaces', `Bearer  ${jws}`, 'bearer_format'],
    ['a trailing space', `Bearer ${jws} `, 'bearer_format'],
    ['another scheme', `Basic ${jws}`, 'bearer_format'],
    ['no token', 'Bearer', 'bearer_format'],
    ['not a JWS', 'Bearer abc', 'bearer_format'],
    ['a fourth part', `Bearer ${jws}.x`, 'bearer_format'],
    ['a tab after it', `Bearer ${jws}\tjunk`, 'bearer_format'],
  ])('refuses %s', (_, header, rule) => {
    expect(ruleOf(bearerTokenOf(header))).toBe(`Authorization:${rule}`);
  });
});

describe('actorFromClaims', () => {
  it('accepts a well-formed token within its lifetime', () => {
    expect(actorFromClaims(claims(), options)).toEqual({
      id: 'officer-1',
      role: 'officer',
      regions: ['420500'],
    });
    expect(ruleOf(actorFromClaims(claims({ exp: NOW + DAY }), options))).toBe('accepted');
  });

  it('refuses a token without exp, or with one that is not a number', () => {
    expect(ruleOf(actorFromClaims(claims({ exp: undefined }), options))).toBe('exp:required');
    expect(ruleOf(actorFromClaims(claims({ exp: '9999999999' }), options))).toBe('exp:required');
    expect(ruleOf(actorFromClaims(claims({ exp: Infinity }), options))).toBe('exp:required');
  });

  it('caps the lifetime at exp − iat, or exp − now without iat', () => {
    expect(ruleOf(actorFromClaims(claims({ exp: NOW + DAY + 1 }), options))).toBe('exp:max_lifetime');
    expect(ruleOf(actorFromClaims(claims({ exp: NOW + 100 * 365 * DAY }), options))).toBe('exp:max_lifetime');
    // Issued long ago for a long life, with little of it left: still a token nobody should hold.
    expect(ruleOf(actorFromClaims(claims({ iat: NOW - 30 * DAY, exp: NOW + 60 }), options))).toBe(
      'exp:max_lifetime',
    );
    expect(ruleOf(actorFromClaims(claims({ iat: undefined, exp: NOW + DAY }), options))).toBe('accepted');
    expect(ruleOf(actorFromClaims(claims({ iat: undefined, exp: NOW + DAY + 60 }), options))).toBe(
      'exp:max_lifetime',
    );
  });

  it('refuses an issue time in the future, which would let exp run as far as it likes', () => {
    const far = NOW + 100 * 365 * DAY;
    expect(ruleOf(actorFromClaims(claims({ iat: far - 3600, exp: far }), options))).toBe('iat:not_in_future');
    expect(ruleOf(actorFromClaims(claims({ iat: NOW + 30, exp: NOW + 3600 }), options))).toBe('accepted');
    expect(ruleOf(actorFromClaims(claims({ iat: 'now' }), options))).toBe('iat:format');
  });

  it.each([
    ['missing', undefined, 'required'],
    ['empty', '', 'required'],
    ['not a string', 42, 'required'],
    ['overlong', 'a'.repeat(129), 'max_length'],
    ['with a space', 'officer 1', 'format'],
    ['with a NUL', 'officer\u00001', 'format'],
    ['with a lone surrogate', 'officer\ud800', 'format'],
    ['with a zero-width space', 'officer\u200b', 'format'],
    ['the system', 'system', 'reserved'],
    ['the system in capitals', 'SYSTEM', 'reserved'],
    ['under the system prefix', 'system:review-schedule', 'reserved'],
    ['the system in full-width letters', 'ｓｙｓｔｅｍ', 'reserved'],
  ])('refuses a subject %s', (_, sub, rule) => {
    expect(ruleOf(actorFromClaims(claims({ sub }), options))).toBe(`sub:${rule}`);
  });

  it('accepts subjects that only look like the system', () => {
    expect(isReservedSubject('systems-office-1')).toBe(false);
    expect(isReservedSubject('officer-system')).toBe(false);
    expect(subjectRefusal('a'.repeat(128))).toBeNull();
    expect(subjectRefusal('张三-420500')).toBeNull();
  });

  it('refuses the system role and malformed regions', () => {
    expect(ruleOf(actorFromClaims(claims({ role: 'system' }), options))).toBe('role:enum');
    expect(ruleOf(actorFromClaims(claims({ regions: ['4205'] }), options))).toBe('regions:format');
    expect(ruleOf(actorFromClaims(claims({ regions: '420500' }), options))).toBe('regions:format');
  });
});
