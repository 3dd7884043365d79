import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** URL-safe random string carrying `bytes * 8` bits. */
export function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** 128 random bits: the circle's public, unguessable id. */
export const newCircleId = () => randomId(16);
/** 192 random bits: the facilitator's secret. */
export const newFacilitatorKey = () => randomId(24);
/** 192 random bits: a member's secret for resuming their seat. */
export const newSessionToken = () => randomId(24);
/** Participant ids are public (they appear in snapshots) but must not collide. */
export const newParticipantId = () => `p_${randomId(9)}`;

/** Secrets are high-entropy random strings, so one SHA-256 is enough to store them safely. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret));
  const expected = Buffer.from(expectedHash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
