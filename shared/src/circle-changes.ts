/** Pure rules for moving the piece and seating members, shared by members' commands and the server's own changes. */
import { withoutFromGroups } from './breakouts.js';
import type { CircleState, Participant, PieceMode } from './state.js';

/** The member with this id, if seated. */
export function member(state: CircleState, id: string): Participant | undefined {
  return state.participants.find((p) => p.id === id);
}

/** Members in seat order. */
export function bySeat(state: CircleState): Participant[] {
  return [...state.participants].sort((a, b) => a.seat - b.seat);
}

/** The piece moves to `holderId` (or the centre); a new holder leaves the queue. */
export function withHolder(state: CircleState, holderId: string | null, now: number): CircleState {
  if (state.piece.holderId === holderId) return state;
  const queue = holderId === null ? state.piece.queue : state.piece.queue.filter((id) => id !== holderId);
  return { ...state, piece: { ...state.piece, holderId, since: holderId === null ? null : now, queue } };
}

export function withMode(state: CircleState, mode: PieceMode): CircleState {
  if (mode === state.piece.mode) return state;
  const piece = { ...state.piece, mode };
  if (mode === 'open' || state.piece.mode === 'open') {
    // Into open: nobody holds the piece; out of open: it waits in the centre.
    return { ...state, piece: { ...piece, holderId: null, since: null } };
  }
  return { ...state, piece };
}

export function withoutFromQueue(state: CircleState, participantId: string): CircleState {
  if (!state.piece.queue.includes(participantId)) return state;
  return { ...state, piece: { ...state.piece, queue: state.piece.queue.filter((id) => id !== participantId) } };
}

export function removeMember(state: CircleState, participantId: string, now: number): CircleState {
  const centred = state.piece.holderId === participantId ? withHolder(state, null, now) : state;
  const dequeued = withoutFromGroups(withoutFromQueue(centred, participantId), participantId);
  return {
    ...dequeued,
    participants: dequeued.participants.filter((p) => p.id !== participantId),
    intentions: dequeued.intentions.filter((i) => i.participantId !== participantId),
  };
}

export function updateMember(state: CircleState, id: string, change: Partial<Participant>): CircleState {
  return { ...state, participants: state.participants.map((p) => (p.id === id ? { ...p, ...change } : p)) };
}
