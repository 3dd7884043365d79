/** Who may take a seat, and with which role: the handshake's checks in PROTOCOL.md's order. */
import {
  admissionRefusal,
  type CircleState,
  type Decision,
  type Effect,
  JOIN_REFUSALS,
  type JoinAuth,
  joinAuthSchema,
  type JoinErrorCode,
  nameSchema,
  seatsHeld,
  type SystemCommand,
} from '@spiral/shared';
import { hashSecret, newParticipantId, newSessionToken, secretMatches } from './secrets.js';
import type { CircleRecord } from './store/circle-store.js';

export type JoinRefusal = Exclude<JoinErrorCode, 'rate_limited' | 'forbidden'>;

export type JoinResult =
  | { ok: true; circleId: string; participantId: string; sessionToken: string; resumed: boolean }
  | { ok: false; code: JoinRefusal; message: string };

export const refuse = (code: JoinRefusal): JoinResult => ({ ok: false, code, message: JOIN_REFUSALS[code].message });

/**
 * The handshake `auth`, read by its one schema. A bad `circleId` (or no object at all) is `not_found`,
 * any other bad field `invalid`; the name is judged later (a returning member's token ignores it).
 */
export type ParsedJoinAuth =
  | { ok: true; auth: JoinAuth }
  /** `circleId` names no possible circle: `not_found` whatever else is wrong. */
  | { ok: false; circleId: null }
  /** A possible circle, but another field is malformed: `invalid` once the circle is known to exist. */
  | { ok: false; circleId: string };

/**
 * The handshake `auth`, read by its one schema. PROTOCOL.md checks `not_found` before `invalid`, so a
 * malformed field other than the circle id is reported with the circle id, for the caller to look
 * the circle up first.
 */
export function parseJoinAuth(auth: unknown): ParsedJoinAuth {
  const parsed = joinAuthSchema.safeParse(auth);
  if (parsed.success) return { ok: true, auth: parsed.data };
  const circleId = joinAuthSchema.shape.circleId.safeParse(typeof auth === 'object' && auth !== null ? (auth as { circleId?: unknown }).circleId : undefined);
  return { ok: false, circleId: circleId.success ? circleId.data : null };
}

export interface Admission {
  result: JoinResult;
  /** The record to save, or null when nothing changes. */
  record: CircleRecord | null;
  effects: Effect[];
}

type DecideSystem = (state: CircleState, command: SystemCommand) => Decision;

const refused = (code: JoinRefusal): Admission => ({ result: refuse(code), record: null, effects: [] });

/** Resume a member or seat a newcomer (new id and session token), or say why not. */
export function admit(record: CircleRecord, auth: JoinAuth, decideSystem: DecideSystem, now: number, holderGraceMs?: number): Admission {
  const { circleId, name, facilitatorKey, sessionToken } = auth;
  const tokenHash = sessionToken === undefined ? undefined : hashSecret(sessionToken);
  const memberId = tokenHash === undefined ? undefined : record.secrets.sessionTokens[tokenHash];
  const resuming = memberId !== undefined && record.state.participants.some((p) => p.id === memberId);
  const removedToken = tokenHash !== undefined && record.secrets.removedTokens.includes(tokenHash);
  // A token-bearing return (resume, or a removed member) ignores the name, as on resume.
  const parsedName = nameSchema.safeParse(name);
  if (!resuming && !removedToken && !parsedName.success) return refused('invalid');
  const keyValid = facilitatorKey !== undefined && secretMatches(facilitatorKey, record.secrets.facilitatorKeyHash);
  if (facilitatorKey !== undefined && !keyValid) return refused('bad_key');
  if (removedToken) return refused('removed');
  const role = keyValid ? 'facilitator' : 'participant';

  if (resuming && memberId !== undefined && sessionToken !== undefined) {
    // A member away past their grace period gave up their seat: they take a free one, or the circle is full.
    const returning = record.state.participants.find((p) => p.id === memberId);
    const released = returning !== undefined && !returning.connected && returning.awaySince !== null && holderGraceMs !== undefined && now >= returning.awaySince + holderGraceMs;
    if (released && !keyValid && returning.role !== 'facilitator' && seatsHeld(record.state, { now, holderGraceMs }) >= record.state.settings.maxParticipants) {
      return refused('full');
    }
    const decision = decideSystem(record.state, { type: 'member.return', participantId: memberId, role });
    if (!decision.ok) return refused('not_found');
    return {
      result: { ok: true, circleId, participantId: memberId, sessionToken, resumed: true },
      record: decision.changed ? { ...record, state: decision.state } : null,
      effects: decision.effects,
    };
  }

  // A newcomer: not before joining opens (gatherings), not into a locked or full circle.
  const refusal = admissionRefusal(record.state, { facilitator: keyValid, now, holderGraceMs });
  if (refusal) return refused(refusal);
  const participantId = newParticipantId();
  const token = newSessionToken();
  const decision = decideSystem(record.state, {
    type: 'member.join',
    participant: { id: participantId, name: parsedName.success ? parsedName.data : '', role },
  });
  if (!decision.ok) return refused('invalid');
  const secrets = { ...record.secrets, sessionTokens: { ...record.secrets.sessionTokens, [hashSecret(token)]: participantId } };
  return {
    result: { ok: true, circleId, participantId, sessionToken: token, resumed: false },
    record: { state: decision.state, secrets },
    effects: decision.effects,
  };
}

/** How many removed members' token hashes a circle remembers (the newest; an older one is simply unknown). */
export const MAX_REMOVED_TOKENS = 500;

/**
 * A removed member's session token stops working: it moves to the removed list, which keeps only the
 * newest MAX_REMOVED_TOKENS (a forgotten one no longer names a member, so it cannot resume: `invalid`
 * without a name, or a newcomer with one).
 */
export function revokeRemoved(record: CircleRecord, effects: Effect[]): CircleRecord['secrets'] {
  const removed = new Set(effects.flatMap((e) => (e.type === 'disconnect' ? [e.participantId] : [])));
  if (removed.size === 0) return record.secrets;
  const sessionTokens: Record<string, string> = {};
  const removedTokens = [...record.secrets.removedTokens];
  for (const [hash, participantId] of Object.entries(record.secrets.sessionTokens)) {
    if (removed.has(participantId)) removedTokens.push(hash);
    else sessionTokens[hash] = participantId;
  }
  return { ...record.secrets, sessionTokens, removedTokens: removedTokens.slice(-MAX_REMOVED_TOKENS) };
}

/**
 * The seated member's connection is `connectionId` from now on, written with the admission's change
 * (so compare-and-set orders it against any departure decided elsewhere). A resume that changes
 * nothing else still bumps the version: every process must see the new owner before it decides.
 */
export function seatConnection(record: CircleRecord, admission: Admission, connectionId: string): Admission {
  const { result } = admission;
  if (!result.ok) return admission;
  const base = admission.record ?? record;
  if (base.secrets.connections?.[result.participantId] === connectionId) return admission;
  const members = new Set(base.state.participants.map((p) => p.id));
  const connections: Record<string, string> = {};
  for (const [id, connection] of Object.entries(base.secrets.connections ?? {})) if (members.has(id)) connections[id] = connection;
  connections[result.participantId] = connectionId;
  const state = admission.record ? base.state : { ...base.state, version: base.state.version + 1 };
  return { ...admission, record: { state, secrets: { ...base.secrets, connections } } };
}

/** Whether `connectionId` still holds the member's seat (always, for a record saved before connections were kept). */
export function holdsSeat(record: CircleRecord, participantId: string, connectionId: string | undefined): boolean {
  const holder = record.secrets.connections?.[participantId];
  return connectionId === undefined || holder === undefined || holder === connectionId;
}
