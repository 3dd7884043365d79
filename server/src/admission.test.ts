import { describe, expect, it } from 'vitest';
import { MAX_REMOVED_TOKENS, parseJoinAuth, revokeRemoved } from './admission.js';
import type { CircleRecord } from './store/circle-store.js';

/** What the handshake answers for this auth when the circle exists. */
const codeOf = (auth: unknown) => {
  const parsed = parseJoinAuth(auth);
  return parsed.ok ? 'ok' : parsed.circleId === null ? 'not_found' : 'invalid';
};

describe('the handshake auth, read by joinAuthSchema', () => {
  it('a missing or malformed circle id is not_found, before any other bad field', () => {
    expect(codeOf(undefined)).toBe('not_found');
    expect(codeOf({ name: 'A' })).toBe('not_found');
    expect(codeOf({ circleId: '', name: 'A' })).toBe('not_found');
    expect(codeOf({ circleId: 'x'.repeat(65), name: 'A' })).toBe('not_found');
    expect(codeOf({ circleId: 12, name: 'A', facilitatorKey: 5 })).toBe('not_found');
  });

  it('any other bad field is invalid (once the circle is known to exist)', () => {
    expect(codeOf({ circleId: 'c1', name: 'A', facilitatorKey: 5 })).toBe('invalid');
    expect(codeOf({ circleId: 'c1', sessionToken: null })).toBe('invalid');
    // The circle id is kept, so the circle can be looked up first (not_found comes before invalid).
    expect(parseJoinAuth({ circleId: 'c1', sessionToken: 5 })).toEqual({ ok: false, circleId: 'c1' });
  });

  it('the name is left to be judged later, and unknown fields are dropped', () => {
    expect(parseJoinAuth({ circleId: 'c1', name: { first: 'A' }, role: 'facilitator' })).toEqual({ ok: true, auth: { circleId: 'c1', name: { first: 'A' } } });
    expect(parseJoinAuth({ circleId: 'c1', sessionToken: 'tok' })).toEqual({ ok: true, auth: { circleId: 'c1', sessionToken: 'tok' } });
  });
});

describe('revokeRemoved: the removed-token list stays bounded', () => {
  it('keeps only the newest MAX_REMOVED_TOKENS hashes', () => {
    const old = Array.from({ length: MAX_REMOVED_TOKENS }, (_, i) => `old-${i}`);
    const record = {
      state: {} as never,
      secrets: { facilitatorKeyHash: 'k', sessionTokens: { newest: 'p1', kept: 'p2' }, removedTokens: old },
    } as unknown as CircleRecord;
    const secrets = revokeRemoved(record, [{ type: 'disconnect', participantId: 'p1', reason: 'removed' } as never]);
    expect(secrets.removedTokens).toHaveLength(MAX_REMOVED_TOKENS);
    expect(secrets.removedTokens.at(-1)).toBe('newest');
    expect(secrets.removedTokens).not.toContain('old-0');
    expect(secrets.sessionTokens).toEqual({ kept: 'p2' });
  });
});
