/** Who may take a seat, and with which role: the handshake's checks in PROTOCOL.md's order. */
import { admissionRefusal, type Decision, type Effect, type JoinErrorCode, nameSchema, type SystemCommand, type CircleState } from '@spiral/shared';
import { hashSecret, newParticipantId, newSessionToken, secretMatches } from './secrets.js';
import type { CircleRecord } from './store/circle-store.js';

export type JoinRefusal = Exclude<JoinErrorCode, 'rate_limited' | 'forbidden'>;

export type JoinResult =
  | { ok: true; circleId: string; participantId: string; sessionToken: string; resumed: boolean }
  | { ok: false; code: JoinRefusal; message: string };

const JOIN_MESSAGES: Record<JoinRefusal, string> = {
  not_found: 'There is no such circle.',
  invalid: 'Please give a name of 1 to 60 characters.',
  bad_key: 'This facilitator link is not valid for this circle.',
  removed: 'A facilitator removed you from this circle.',
  locked: 'This circle is locked: no new participants can join.',
  full: 'This circle is full.',
};

export const refuse = (code: JoinRefusal): JoinResult => ({ ok: false, code, message: JOIN_MESSAGES[code] });

export interface JoinRequest {
  circleId: string;
  name: unknown;
  facilitatorKey?: string;
  sessionToken?: string;
}

/** The handshake `auth`, checked for shape (its name is judged later: a returning token ignores it). */
export function parseJoinAuth(auth: unknown): { ok: true; request: JoinRequest } | { ok: false; result: JoinResult } {
  const fields = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : {};
  const { circleId, name, facilitatorKey, sessionToken } = fields;
  if (typeof circleId !== 'string' || circleId.length === 0 || circleId.length > 64) return { ok: false, result: refuse('not_found') };
  if (facilitatorKey !== undefined && typeof facilitatorKey !== 'string') return { ok: false, result: refuse('invalid') };
  if (sessionToken !== undefined && typeof sessionToken !== 'string') return { ok: false, result: refuse('invalid') };
  return {
    ok: true,
    request: {
      circleId,
      name,
      ...(facilitatorKey === undefined ? {} : { facilitatorKey }),
      ...(sessionToken === undefined ? {} : { sessionToken }),
    },
  };
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
export function admit(record: CircleRecord, request: JoinRequest, decideSystem: DecideSystem): Admission {
  const { circleId, name, facilitatorKey, sessionToken } = request;
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
    const decision = decideSystem(record.state, { type: 'member.return', participantId: memberId, role });
    if (!decision.ok) return refused('not_found');
    return {
      result: { ok: true, circleId, participantId: memberId, sessionToken, resumed: true },
      record: decision.changed ? { ...record, state: decision.state } : null,
      effects: decision.effects,
    };
  }

  const refusal = admissionRefusal(record.state, { facilitator: keyValid });
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

/** A removed member's session token stops working: it moves to the removed list. */
export function revokeRemoved(record: CircleRecord, effects: Effect[]): CircleRecord['secrets'] {
  const removed = new Set(effects.flatMap((e) => (e.type === 'disconnect' ? [e.participantId] : [])));
  if (removed.size === 0) return record.secrets;
  const sessionTokens: Record<string, string> = {};
  const removedTokens = [...record.secrets.removedTokens];
  for (const [hash, participantId] of Object.entries(record.secrets.sessionTokens)) {
    if (removed.has(participantId)) removedTokens.push(hash);
    else sessionTokens[hash] = participantId;
  }
  return { ...record.secrets, sessionTokens, removedTokens };
}
