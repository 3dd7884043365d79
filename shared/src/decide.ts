import { dequal } from 'dequal';
import type { CircleCommand, GestureKind } from './commands.js';
import type { Rejection } from './errors.js';
import { speakingRightChanges, type SpeakingRightChange } from './speaking.js';
import { nextStage } from './stages.js';
import type { Gathering } from './gathering.js';
import type { CircleState, Participant, Role } from './state.js';
import { timerCommandRefusal, timerRemainingAt } from './timer.js';
import { member, removeMember, updateMember, withHolder, withMode, withoutFromQueue } from './circle-changes.js';
import { isRejection, type Outcome } from './outcome.js';
import { roleRefusal } from './permissions.js';
import { passTarget } from './piece.js';
import { applyBreakout, breakoutInvalidity, isBreakoutCommand, type BreakoutCommand } from './breakouts.js';
import { RULE_REFUSALS } from './refusals.js';
import { applySession, isSessionCommand, sessionInvalidity, type SessionCommand } from './session-commands.js';
import { applySystem, isSystemCommand } from './system-changes.js';

export { nextInRound } from './piece.js';

/** Changes that come from the server itself rather than from a member's command. */
export type SystemCommand =
  | { type: 'member.join'; participant: { id: string; name: string; role: Role } }
  | { type: 'member.return'; participantId: string; role: Role }
  | { type: 'member.leave'; participantId: string }
  | { type: 'presence.grace-end'; participantId: string; awaySince: number }
  | { type: 'timer.finish'; endsAt: number }
  | { type: 'silence.finish'; endsAt: number }
  | { type: 'breakout.recall'; breakoutsId: string; at: number }
  | { type: 'breakout.finish'; breakoutsId: string; at: number }
  | { type: 'server.restart' }
  /** Gatherings: the facilitator edited the circle over HTTP (`PATCH /api/circles/:id`). */
  | { type: 'circle.update'; title?: string; question?: string; gathering?: Partial<Gathering> };

/** `circle:gesture`: a moment of witnessing, sent to everyone present and kept nowhere. */
export interface Gesture {
  from: string;
  kind: GestureKind;
  at: number;
}

export type Actor = { kind: 'member'; id: string } | { kind: 'system' };

export interface DecideContext {
  actor: Actor;
  now: number;
  /** How long a dropped member keeps the piece and their queue place (`HOLDER_GRACE_MS`). */
  holderGraceMs: number;
  /** Randomness for shuffling people into groups, given by the caller (decide stays pure); default 0. */
  seed?: number;
}

/** Side effects as data, run by the server after the new state is saved and broadcast. */
export type Effect =
  | { type: 'schedule'; at: number; command: SystemCommand }
  | { type: 'disconnect'; participantId: string; reason: 'removed' }
  | { type: 'media.permissions'; changes: SpeakingRightChange[] }
  | { type: 'gesture'; gesture: Gesture };

export type Decision =
  | { ok: true; changed: boolean; state: CircleState; effects: Effect[] }
  | { ok: false; rejection: Rejection };

/**
 * The one pure transition of a circle: the state after `command` by `ctx.actor` at `ctx.now`, with the
 * effects to run, or the reason it is refused. No clock, no I/O, no randomness.
 */
export function decide(state: CircleState, command: CircleCommand | SystemCommand, ctx: DecideContext): Decision {
  const outcome = apply(state, command, ctx);
  if (isRejection(outcome)) return { ok: false, rejection: outcome };
  // An unchanged state is acked with the current version and no snapshot; its effects (wake-ups
  // re-armed after a restart) still run.
  if (dequal(outcome.state, state)) return { ok: true, changed: false, state, effects: outcome.effects ?? [] };
  const next: CircleState = { ...outcome.state, version: state.version + 1, activeAt: ctx.now };
  const effects = [...(outcome.effects ?? [])];
  const rights = speakingRightChanges(state, next);
  if (rights.length > 0) effects.push({ type: 'media.permissions', changes: rights });
  return { ok: true, changed: true, state: next, effects };
}

function apply(state: CircleState, command: CircleCommand | SystemCommand, ctx: DecideContext): Outcome {
  if (ctx.actor.kind === 'system') return applySystem(state, command, ctx);
  const actor = member(state, ctx.actor.id);
  if (!actor) return RULE_REFUSALS.notMember;
  if (isSystemCommand(command)) return RULE_REFUSALS.serverOnly;
  const refusal = sessionInvalidity(state, command) ?? breakoutInvalidity(state, command) ?? roleRefusal(state, actor, command);
  if (refusal) return refusal;
  const seed = ctx.seed ?? 0;
  if (isSessionCommand(command)) return applySession(state, command, actor, ctx.now, seed);
  if (isBreakoutCommand(command)) return applyBreakout(state, command, actor, ctx.now, seed);
  return applyMember(state, command, actor, ctx.now);
}

/** A member's command, once their role allows it: `not_found` and `conflict` checks, then the change. */
function applyMember(state: CircleState, command: Exclude<CircleCommand, SessionCommand | BreakoutCommand>, actor: Participant, now: number): Outcome {
  switch (command.type) {
    case 'stage.advance': {
      const next = nextStage(state.stage.key);
      return {
        state: {
          ...state,
          stage: { key: next.key, cycle: state.stage.cycle + (next.wrapped ? 1 : 0), since: now },
        },
      };
    }
    case 'stage.set':
      if (command.stage === state.stage.key) return { state };
      return { state: { ...state, stage: { ...state.stage, key: command.stage, since: now } } };
    case 'piece.pass': {
      const target = passTarget(state, actor.id, command.to, command.from);
      if (!target.ok) return target.rejection;
      // The receiver leaves the queue even when it is the holder (else a holder at the head of the
      // popcorn queue could never pass the piece on).
      const { to } = target;
      return { state: to === null ? withHolder(state, null, now) : withoutFromQueue(withHolder(state, to, now), to) };
    }
    case 'piece.release':
      if (state.piece.mode === 'open') return RULE_REFUSALS.noPieceInOpen;
      return { state: withHolder(state, null, now) };
    case 'piece.take':
      if (state.piece.mode === 'open') return RULE_REFUSALS.noPieceInOpen;
      return { state: withHolder(state, actor.id, now) };
    case 'piece.mode':
      return { state: withMode(state, command.mode) };
    case 'hand.raise':
      if (state.piece.queue.includes(actor.id)) return { state };
      return { state: { ...state, piece: { ...state.piece, queue: [...state.piece.queue, actor.id] } } };
    case 'hand.lower': {
      const target = command.participantId ?? actor.id;
      if (!member(state, target)) return RULE_REFUSALS.noSuchMember;
      return { state: withoutFromQueue(state, target) };
    }
    case 'timer.start': {
      const endsAt = now + command.durationMs;
      const timer = {
        label: command.label ?? '',
        durationMs: command.durationMs,
        running: true,
        endsAt,
        remainingMs: command.durationMs,
      };
      return { state: { ...state, timer }, effects: [timerFinishAt(endsAt)] };
    }
    case 'timer.pause': {
      const refusal = timerCommandRefusal(state.timer, command.type);
      if (refusal) return refusal;
      const remainingMs = timerRemainingAt(state.timer, now);
      return { state: { ...state, timer: { ...state.timer, running: false, endsAt: null, remainingMs } } };
    }
    case 'timer.resume': {
      const refusal = timerCommandRefusal(state.timer, command.type);
      if (refusal) return refusal;
      const endsAt = now + state.timer.remainingMs;
      return { state: { ...state, timer: { ...state.timer, running: true, endsAt } }, effects: [timerFinishAt(endsAt)] };
    }
    case 'timer.reset': {
      const timer = { ...state.timer, running: false, endsAt: null, remainingMs: state.timer.durationMs };
      return { state: { ...state, timer } };
    }
    case 'name.set':
      return { state: updateMember(state, actor.id, { name: command.name }) };
    case 'participant.remove':
      if (!member(state, command.participantId)) return RULE_REFUSALS.noSuchMember;
      if (command.participantId === actor.id) return RULE_REFUSALS.removeSelf;
      return {
        state: removeMember(state, command.participantId, now),
        effects: [{ type: 'disconnect', participantId: command.participantId, reason: 'removed' }],
      };
    case 'participants.remove': {
      // Every listed member who is here to remove: never a facilitator, never the sender.
      const ids = new Set(command.participantIds);
      const leaving = state.participants.filter((p) => ids.has(p.id) && p.role !== 'facilitator' && p.id !== actor.id);
      if (leaving.length === 0) return RULE_REFUSALS.noSuchMember;
      return {
        state: leaving.reduce((s, p) => removeMember(s, p.id, now), state),
        effects: leaving.map((p): Effect => ({ type: 'disconnect', participantId: p.id, reason: 'removed' })),
      };
    }
    case 'circle.lock':
      return { state: { ...state, locked: command.locked } };
  }
}

const timerFinishAt = (endsAt: number): Effect => ({ type: 'schedule', at: endsAt, command: { type: 'timer.finish', endsAt } });
