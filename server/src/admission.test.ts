import { JOIN_REFUSALS } from '@spiral/shared';
import { describe, expect, it } from 'vitest';
import { parseJoinAuth } from './admission.js';

const codeOf = (auth: unknown) => {
  const parsed = parseJoinAuth(auth);
  return parsed.ok ? 'ok' : parsed.result.ok ? 'ok' : parsed.result.code;
};

describe('the handshake auth, read by joinAuthSchema', () => {
  it('a missing or malformed circle id is not_found, before any other bad field', () => {
    expect(codeOf(undefined)).toBe('not_found');
    expect(codeOf({ name: 'A' })).toBe('not_found');
    expect(codeOf({ circleId: '', name: 'A' })).toBe('not_found');
    expect(codeOf({ circleId: 'x'.repeat(65), name: 'A' })).toBe('not_found');
    expect(codeOf({ circleId: 12, name: 'A', facilitatorKey: 5 })).toBe('not_found');
  });

  it('any other bad field is invalid, with the catalogue\'s words', () => {
    expect(codeOf({ circleId: 'c1', name: 'A', facilitatorKey: 5 })).toBe('invalid');
    expect(codeOf({ circleId: 'c1', sessionToken: null })).toBe('invalid');
    expect(parseJoinAuth({ circleId: 'c1', sessionToken: 5 })).toMatchObject({ result: { code: 'invalid', message: JOIN_REFUSALS.invalid.message } });
  });

  it('the name is left to be judged later, and unknown fields are dropped', () => {
    expect(parseJoinAuth({ circleId: 'c1', name: { first: 'A' }, role: 'facilitator' })).toEqual({ ok: true, auth: { circleId: 'c1', name: { first: 'A' } } });
    expect(parseJoinAuth({ circleId: 'c1', sessionToken: 'tok' })).toEqual({ ok: true, auth: { circleId: 'c1', sessionToken: 'tok' } });
  });
});
