/** Where the talking piece goes: the one place that answers it, for `decide`, the server's own changes and the UI. */
import { bySeat, member } from './circle-changes.js';
import type { Rejection } from './errors.js';
import { mayPassFrom } from './permissions.js';
import { memberAway, RULE_REFUSALS } from './refusals.js';
import type { CircleState } from './state.js';

/** Round order: the next connected member after `fromId` in seat order (wrapping), or the lowest seat from the centre. */
export function nextInRound(state: CircleState, fromId: string | null): string | null {
  const fromSeat = fromId === null ? undefined : member(state, fromId)?.seat;
  const connected = bySeat(state).filter((p) => p.connected);
  if (connected.length === 0) return null;
  if (fromSeat === undefined) return connected[0]!.id;
  const after = connected.find((p) => p.seat > fromSeat);
  return (after ?? connected[0]!).id;
}

/** The first connected member of the raised-hand queue, other than `except`. */
export function firstConnectedInQueue(state: CircleState, except: string | null = null): string | null {
  return state.piece.queue.find((id) => id !== except && member(state, id)?.connected) ?? null;
}

/** Where a pass without `to` sends the piece by the mode's rule: a member, or null for the centre. */
export function nextByMode(state: CircleState): string | null {
  const { mode, holderId } = state.piece;
  if (mode === 'round') return nextInRound(state, holderId);
  // Popcorn skips the holder's own raised hand: passing is never a pass to oneself.
  if (mode === 'popcorn') return firstConnectedInQueue(state, holderId);
  return null;
}

export type PassTarget = { ok: true; to: string | null } | { ok: false; rejection: Rejection };

const refused = (rejection: Rejection): PassTarget => ({ ok: false, rejection });

/**
 * Where `piece.pass` by `actorId` (with an optional `to`, and `from` as the sender saw the holder) sends the piece — a member's id, or null
 * for the centre — or why it is refused, in the protocol's order of checks. `decide` moves the piece
 * by this, and the UI names the next speaker by it.
 */
export function passTarget(state: CircleState, actorId: string, to?: string, from?: string | null): PassTarget {
  const actor = member(state, actorId);
  if (!actor) return refused(RULE_REFUSALS.notMember);
  if (!mayPassFrom(state, actor, from)) return refused(RULE_REFUSALS.passNotHolder);
  const target = to === undefined ? undefined : member(state, to);
  if (to !== undefined && !target) return refused(RULE_REFUSALS.noSuchMember);
  if (state.piece.mode === 'open') return refused(RULE_REFUSALS.noPieceInOpen);
  // Two people pressing "pass" at once: the second pass was meant for a holder who has passed already.
  if (from !== undefined && from !== state.piece.holderId) return refused(RULE_REFUSALS.pieceMoved);
  if (target) return target.connected ? { ok: true, to: target.id } : refused(memberAway(target.name));
  return { ok: true, to: nextByMode(state) };
}

/** Who takes the piece when its holder's grace period ends: by the mode's rule, never the one who left. */
export function successorOf(state: CircleState, leaverId: string): string | null {
  const { mode } = state.piece;
  const successor = mode === 'round' ? nextInRound(state, leaverId) : mode === 'popcorn' ? firstConnectedInQueue(state) : null;
  return successor === leaverId ? null : successor;
}
