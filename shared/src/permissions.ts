/** Who may send which command: the role checks, written once for `decide` and for what the UI offers. */
import type { CircleCommand, CircleCommandType } from './commands.js';
import type { Rejection } from './errors.js';
import { RULE_REFUSALS } from './refusals.js';
import type { CircleState, Participant } from './state.js';

/** Commands only a facilitator may send. */
export const FACILITATOR_COMMANDS: ReadonlySet<CircleCommandType> = new Set<CircleCommandType>([
  'stage.advance',
  'stage.set',
  'piece.take',
  'piece.mode',
  'timer.start',
  'timer.pause',
  'timer.resume',
  'timer.reset',
  'participant.remove',
  'participants.remove',
  'circle.lock',
  'plan.set',
  'plan.go',
  'plan.next',
  'bell.ring',
  'silence.start',
  'silence.end',
  'seats.order',
  'timer.add',
  'participant.role',
  'breakout.open',
  'breakout.swap',
  'breakout.broadcast',
  'breakout.visit',
  'breakout.close',
]);

export const isFacilitator = (participant: Participant | undefined): boolean => participant?.role === 'facilitator';

/** The holder, or a facilitator: who may pass the piece or lay it in the centre. */
export function mayMovePiece(state: CircleState, participant: Participant): boolean {
  return isFacilitator(participant) || state.piece.holderId === participant.id;
}

/**
 * Who may send `piece.pass`: the holder or a facilitator — or the holder as they saw it (`from`
 * themselves): when their pass crossed another, they hear that the piece moved on (`conflict`), not
 * that they may not pass.
 */
export function mayPassFrom(state: CircleState, participant: Participant, from: string | null | undefined): boolean {
  return mayMovePiece(state, participant) || from === participant.id;
}

/**
 * Why `actor`'s role does not allow `command` (`forbidden`), or null when it does. The first check
 * `decide` makes after membership, before any `not_found` or `conflict`.
 */
export function roleRefusal(state: CircleState, actor: Participant, command: CircleCommand): Rejection | null {
  if (FACILITATOR_COMMANDS.has(command.type) && !isFacilitator(actor)) return RULE_REFUSALS.facilitatorOnly;
  switch (command.type) {
    case 'piece.pass':
      return mayPassFrom(state, actor, command.from) ? null : RULE_REFUSALS.passNotHolder;
    case 'piece.release':
      return mayMovePiece(state, actor) ? null : RULE_REFUSALS.releaseNotHolder;
    case 'hand.lower': {
      const target = command.participantId ?? actor.id;
      return target === actor.id || isFacilitator(actor) ? null : RULE_REFUSALS.lowerOthersHand;
    }
    default:
      return null;
  }
}
