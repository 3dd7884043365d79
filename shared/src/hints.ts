/**
 * "What happens if I press this": the words the UI shows beside a control, worked out from the same
 * rules `decide` applies, so a hint can never name someone the server would not choose.
 */
import { member } from './circle-changes.js';
import { passTarget } from './piece.js';
import type { CircleState, PieceMode } from './state.js';

/**
 * Beside "Pass the piece": who receives it; null when `actorId` may not pass now, or when a pass
 * would leave the piece where it is (nobody else to give it to), so the button is not offered.
 */
export function passHint(state: CircleState, actorId: string): string | null {
  const target = passTarget(state, actorId);
  if (!target.ok || target.to === state.piece.holderId) return null;
  if (target.to === null) {
    return state.piece.mode === 'popcorn' ? 'Nobody is waiting: the piece will go to the centre.' : 'Nobody is here to take it: the piece will go to the centre.';
  }
  return target.to === actorId ? 'Next: you.' : `Next: ${nameOf(state, target.to)}.`;
}

/** Each piece mode in a few words, for the facilitator's choice. */
export const PIECE_MODE_INFO: Readonly<Record<PieceMode, { label: string; hint: string }>> = {
  round: { label: 'Round', hint: 'the piece goes round the circle' },
  popcorn: { label: 'Popcorn', hint: 'the piece goes to raised hands, in order' },
  open: { label: 'Open', hint: 'no piece; everyone may speak' },
};

/** What the circle's lock means for newcomers, now. */
export function lockHint(locked: boolean): string {
  return locked ? 'Nobody new can join; people already seated can come back.' : 'Anyone with the invite link can join.';
}

function nameOf(state: CircleState, id: string): string {
  return member(state, id)?.name ?? 'someone';
}
