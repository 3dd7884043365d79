import { maySpeakInGroup, placeOf } from './breakouts.js';
import type { CircleState, Participant } from './state.js';

/**
 * Who may speak now, and so may publish a microphone in the media room: during silence, nobody; in a
 * breakout group, by the group's rule (`maySpeakInGroup`); otherwise, in the main circle, everyone in
 * `open` mode, or the holder, and facilitators while `settings.facilitatorsMaySpeak` is true.
 */
export function maySpeak(state: CircleState, participant: Participant): boolean {
  if (state.silence !== null) return false;
  if (state.breakouts !== null) {
    const place = placeOf(state, participant.id);
    if (place.kind === 'group') return maySpeakInGroup(state.breakouts, place, participant.id);
  }
  if (state.piece.mode === 'open') return true;
  if (state.piece.holderId === participant.id) return true;
  return participant.role === 'facilitator' && state.settings.facilitatorsMaySpeak;
}

export function maySpeakById(state: CircleState, participantId: string): boolean {
  const participant = state.participants.find((p) => p.id === participantId);
  return participant ? maySpeak(state, participant) : false;
}

/** The members whose audio `listenerId` should hear now: those who may speak, never oneself. */
export function audibleTo(state: CircleState, listenerId: string): Set<string> {
  return new Set(state.participants.filter((p) => p.id !== listenerId && maySpeak(state, p)).map((p) => p.id));
}

export interface SpeakingRightChange {
  participantId: string;
  maySpeak: boolean;
}

/** Members present before and after whose right to speak differs between the two states. */
export function speakingRightChanges(before: CircleState, after: CircleState): SpeakingRightChange[] {
  const changes: SpeakingRightChange[] = [];
  for (const participant of after.participants) {
    const previous = before.participants.find((p) => p.id === participant.id);
    if (!previous) continue;
    const was = maySpeak(before, previous);
    const is = maySpeak(after, participant);
    if (was !== is) changes.push({ participantId: participant.id, maySpeak: is });
  }
  return changes;
}
