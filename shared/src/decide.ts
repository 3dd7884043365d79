import { dequal } from 'dequal';
import type { Command } from './commands.js';
import type { Rejection } from './errors.js';
import { speakingRightChanges, type SpeakingRightChange } from './speaking.js';
import { nextStage } from './stages.js';
import type { CircleState, Participant, Role } from './state.js';
import { timerRemainingAt } from './timer.js';
import { firstConnectedInQueue, member, nextInRound, removeMember, withHolder, withMode, withoutFromQueue } from './circle-changes.js';
import { isRejection, reject, type Outcome } from './outcome.js';
import { applySystem, isSystemCommand } from './system-changes.js';

export { nextInRound } from './circle-changes.js';

/** Changes that come from the server itself rather than from a member's command. */
export type SystemCommand =
  | { type: 'member.join'; participant: { id: string; name: string; role: Role } }
  | { type: 'member.return'; participantId: string; role: Role }
  | { type: 'member.leave'; participantId: string }
  | { type: 'presence.grace-end'; participantId: string; awaySince: number }
  | { type: 'timer.finish'; endsAt: number }
  | { type: 'server.restart' };

export type Actor = { kind: 'member'; id: string } | { kind: 'system' };

export interface DecideContext {
  actor: Actor;
  now: number;
  /** How long a dropped member keeps the piece and their queue place (`HOLDER_GRACE_MS`). */
  holderGraceMs: number;
}

/** Side effects as data, run by the server after the new state is saved and broadcast. */
export type Effect =
  | { type: 'schedule'; at: number; command: SystemCommand }
  | { type: 'disconnect'; participantId: string; reason: 'removed' }
  | { type: 'media.permissions'; changes: SpeakingRightChange[] };

export type Decision =
  | { ok: true; changed: boolean; state: CircleState; effects: Effect[] }
  | { ok: false; rejection: Rejection };


/**
 * The one pure transition of a circle: the state after `command` by `ctx.actor` at `ctx.now`, with the
 * effects to run, or the reason it is refused. No clock, no I/O, no randomness.
 */
export function decide(state: CircleState, command: Command | SystemCommand, ctx: DecideContext): Decision {
  const outcome = apply(state, command, ctx);
  if (isRejection(outcome)) return { ok: false, rejection: outcome };
  // An unchanged state is acked with the current version and no snapshot; its effects (wake-ups
  // re-armed after a restart) still run.
  if (dequal(outcome.state, state)) return { ok: true, changed: false, state, effects: outcome.effects ?? [] };
  const next: CircleState = { ...outcome.state, version: state.version + 1 };
  const effects = [...(outcome.effects ?? [])];
  const rights = speakingRightChanges(state, next);
  if (rights.length > 0) effects.push({ type: 'media.permissions', changes: rights });
  return { ok: true, changed: true, state: next, effects };
}

function apply(state: CircleState, command: Command | SystemCommand, ctx: DecideContext): Outcome {
  if (ctx.actor.kind === 'system') return applySystem(state, command, ctx);
  const actor = member(state, ctx.actor.id);
  if (!actor) return reject('forbidden', 'You are not a member of this circle.');
  if (isSystemCommand(command)) return reject('forbidden', 'Only the server may do that.');
  return applyMember(state, command, actor, ctx.now);
}

const isFacilitator = (p: Participant) => p.role === 'facilitator';
const facilitatorOnly = () => reject('forbidden', 'Only a facilitator can do that.');

function applyMember(state: CircleState, command: Command, actor: Participant, now: number): Outcome {
  switch (command.type) {
    case 'stage.advance': {
      if (!isFacilitator(actor)) return facilitatorOnly();
      const next = nextStage(state.stage.key);
      return {
        state: {
          ...state,
          stage: { key: next.key, cycle: state.stage.cycle + (next.wrapped ? 1 : 0), since: now },
        },
      };
    }
    case 'stage.set': {
      if (!isFacilitator(actor)) return facilitatorOnly();
      if (command.stage === state.stage.key) return { state };
      return { state: { ...state, stage: { ...state.stage, key: command.stage, since: now } } };
    }
    case 'piece.pass':
      return passPiece(state, actor, command.to, now);
    case 'piece.release': {
      const mayRelease = isFacilitator(actor) || state.piece.holderId === actor.id;
      if (!mayRelease) return reject('forbidden', 'Only the holder or a facilitator can release the piece.');
      if (state.piece.mode === 'open') return reject('conflict', 'There is no talking piece in an open circle.');
      return { state: withHolder(state, null, now) };
    }
    case 'piece.take': {
      if (!isFacilitator(actor)) return facilitatorOnly();
      if (state.piece.mode === 'open') return reject('conflict', 'There is no talking piece in an open circle.');
      if (state.piece.holderId === actor.id) return { state };
      return { state: withHolder(state, actor.id, now) };
    }
    case 'piece.mode':
      if (!isFacilitator(actor)) return facilitatorOnly();
      return { state: withMode(state, command.mode) };
    case 'hand.raise':
      if (state.piece.queue.includes(actor.id)) return { state };
      return { state: { ...state, piece: { ...state.piece, queue: [...state.piece.queue, actor.id] } } };
    case 'hand.lower': {
      const target = command.participantId ?? actor.id;
      if (target !== actor.id && !isFacilitator(actor)) {
        return reject('forbidden', "Only a facilitator can lower someone else's hand.");
      }
      if (!member(state, target)) return reject('not_found', 'No such participant in this circle.');
      return { state: withoutFromQueue(state, target) };
    }
    case 'timer.start': {
      if (!isFacilitator(actor)) return facilitatorOnly();
      const endsAt = now + command.durationMs;
      const timer = {
        label: command.label ?? '',
        durationMs: command.durationMs,
        running: true,
        endsAt,
        remainingMs: command.durationMs,
      };
      return { state: { ...state, timer }, effects: [{ type: 'schedule', at: endsAt, command: { type: 'timer.finish', endsAt } }] };
    }
    case 'timer.pause': {
      if (!isFacilitator(actor)) return facilitatorOnly();
      if (!state.timer.running) return reject('conflict', 'The timer is not running.');
      const remainingMs = timerRemainingAt(state.timer, now);
      return { state: { ...state, timer: { ...state.timer, running: false, endsAt: null, remainingMs } } };
    }
    case 'timer.resume': {
      if (!isFacilitator(actor)) return facilitatorOnly();
      if (state.timer.running) return reject('conflict', 'The timer is already running.');
      if (state.timer.remainingMs <= 0) return reject('conflict', 'The timer has no time left; start or reset it.');
      const endsAt = now + state.timer.remainingMs;
      return {
        state: { ...state, timer: { ...state.timer, running: true, endsAt } },
        effects: [{ type: 'schedule', at: endsAt, command: { type: 'timer.finish', endsAt } }],
      };
    }
    case 'timer.reset': {
      if (!isFacilitator(actor)) return facilitatorOnly();
      const timer = { ...state.timer, running: false, endsAt: null, remainingMs: state.timer.durationMs };
      return { state: { ...state, timer } };
    }
    case 'name.set':
      return {
        state: {
          ...state,
          participants: state.participants.map((p) => (p.id === actor.id ? { ...p, name: command.name } : p)),
        },
      };
    case 'participant.remove': {
      if (!isFacilitator(actor)) return facilitatorOnly();
      if (!member(state, command.participantId)) return reject('not_found', 'No such participant in this circle.');
      if (command.participantId === actor.id) return reject('conflict', 'A facilitator cannot remove themselves.');
      return {
        state: removeMember(state, command.participantId, now),
        effects: [{ type: 'disconnect', participantId: command.participantId, reason: 'removed' }],
      };
    }
    case 'circle.lock':
      if (!isFacilitator(actor)) return facilitatorOnly();
      return { state: { ...state, locked: command.locked } };
    case 'media.join':
    case 'media.leave':
      // Media is not circle state: the server answers it without a transition.
      return { state };
  }
}

function passPiece(state: CircleState, actor: Participant, to: string | undefined, now: number): Outcome {
  const mayPass = isFacilitator(actor) || state.piece.holderId === actor.id;
  if (!mayPass) return reject('forbidden', 'Only the holder or a facilitator can pass the piece.');
  const target = to === undefined ? undefined : member(state, to);
  if (to !== undefined && !target) return reject('not_found', 'No such participant in this circle.');
  if (state.piece.mode === 'open') return reject('conflict', 'There is no talking piece in an open circle.');
  if (to !== undefined && target) {
    if (!target.connected) return reject('conflict', `${target.name} is away right now.`);
    return { state: withoutFromQueue(withHolder(state, to, now), to) };
  }
  // Popcorn skips the holder's own raised hand: passing is never a pass to oneself.
  const next =
    state.piece.mode === 'round'
      ? nextInRound(state, state.piece.holderId)
      : firstConnectedInQueue(state, state.piece.holderId);
  // The receiver leaves the queue even when it is the holder (else a holder at the head of the
  // popcorn queue could never pass the piece on).
  return { state: next === null ? withHolder(state, null, now) : withoutFromQueue(withHolder(state, next, now), next) };
}

