/**
 * v1.1 commands that shape a session rather than move the piece: the plan, the bell, silence,
 * gestures, seat order, the timer's "one more minute", co-facilitators and shared intentions.
 */
import { member, updateMember } from './circle-changes.js';
import type { CircleCommand } from './commands.js';
import type { Effect } from './decide.js';
import type { Rejection } from './errors.js';
import type { Outcome } from './outcome.js';
import { ringBell } from './bell.js';
import { withoutVisit } from './breakouts.js';
import { beginStep, nextStepIndex, withStepIds } from './plan.js';
import { LIMITS } from './limits.js';
import { RULE_REFUSALS } from './refusals.js';
import type { CircleState, Participant, Silence } from './state.js';
import { timerStatus } from './timer.js';

export const SESSION_COMMAND_TYPES = [
  'plan.set',
  'plan.go',
  'plan.next',
  'bell.ring',
  'silence.start',
  'silence.end',
  'gesture.send',
  'seats.order',
  'timer.add',
  'participant.role',
  'intention.share',
  'intention.withdraw',
] as const;
export type SessionCommand = Extract<CircleCommand, { type: (typeof SESSION_COMMAND_TYPES)[number] }>;

export function isSessionCommand(command: CircleCommand): command is SessionCommand {
  return (SESSION_COMMAND_TYPES as readonly string[]).includes(command.type);
}

/** A running timer is never moved to end sooner than this from now. */
const TIMER_ADD_FLOOR_MS = 1_000;

/** Silence ends, with one bell. */
export function endSilence(state: CircleState, now: number): CircleState {
  return ringBell({ ...state, silence: null }, 1, now);
}

/**
 * Checks that depend on the circle but come before the role check, as PROTOCOL.md orders `invalid`
 * before `forbidden`: a `seats.order` list must name every member exactly once.
 */
export function sessionInvalidity(state: CircleState, command: CircleCommand): Rejection | null {
  if (command.type !== 'seats.order') return null;
  const ids = command.participantIds;
  const everyone = new Set(state.participants.map((p) => p.id));
  const once = new Set(ids).size === ids.length;
  return once && ids.length === everyone.size && ids.every((id) => everyone.has(id)) ? null : RULE_REFUSALS.seatsNotEveryone;
}

/** A v1.1 session command from `actor`, once their role allows it. */
export function applySession(state: CircleState, command: SessionCommand, actor: Participant, now: number, seed = 0): Outcome {
  switch (command.type) {
    case 'plan.set': {
      const steps = withStepIds(state.plan, command.steps);
      const currentId = state.plan.current === null ? undefined : state.plan.steps[state.plan.current]?.id;
      const index = currentId === undefined ? -1 : steps.findIndex((s) => s.id === currentId);
      return { state: { ...state, plan: { ...state.plan, steps, current: index < 0 ? null : index } } };
    }
    case 'plan.go':
      if (command.index >= state.plan.steps.length) return RULE_REFUSALS.noSuchStep;
      return beginStep(state, command.index, now, seed);
    case 'plan.next': {
      const index = nextStepIndex(state.plan);
      return index === null ? RULE_REFUSALS.planFinished : beginStep(state, index, now, seed);
    }
    case 'bell.ring':
      return { state: ringBell(state, command.strikes, now) };
    case 'silence.start': {
      const silence: Silence = { since: now, endsAt: command.durationMs === undefined ? null : now + command.durationMs };
      const effects: Effect[] = silence.endsAt === null ? [] : [{ type: 'schedule', at: silence.endsAt, command: { type: 'silence.finish', endsAt: silence.endsAt } }];
      return { state: { ...state, silence }, effects };
    }
    case 'silence.end':
      return state.silence === null ? RULE_REFUSALS.noSilence : { state: endSilence(state, now) };
    case 'gesture.send':
      // Not circle state: seen once by everyone present, never replayed.
      return { state, effects: [{ type: 'gesture', gesture: { from: actor.id, kind: command.kind, at: now } }] };
    case 'seats.order': {
      const seatOf = new Map(command.participantIds.map((id, seat) => [id, seat]));
      return { state: { ...state, participants: state.participants.map((p) => ({ ...p, seat: seatOf.get(p.id) ?? p.seat })) } };
    }
    case 'timer.add':
      return addTime(state, command.ms, now);
    case 'participant.role': {
      const target = member(state, command.participantId);
      if (!target) return RULE_REFUSALS.noSuchMember;
      const facilitators = state.participants.filter((p) => p.role === 'facilitator').length;
      if (target.role === 'facilitator' && command.role === 'participant' && facilitators <= 1) return RULE_REFUSALS.lastFacilitator;
      const changed = updateMember(state, target.id, { role: command.role });
      // Stepping down ends a visit: only facilitators visit groups.
      return { state: command.role === 'participant' ? withoutVisit(changed, target.id) : changed };
    }
    case 'intention.share': {
      const others = state.intentions.filter((i) => i.participantId !== actor.id);
      const mine = state.intentions.find((i) => i.participantId === actor.id);
      if (mine?.text === command.text) return { state };
      return { state: { ...state, intentions: [...others, { participantId: actor.id, text: command.text, at: now }] } };
    }
    case 'intention.withdraw':
      return { state: { ...state, intentions: state.intentions.filter((i) => i.participantId !== actor.id) } };
  }
}

/** `timer.add`: a running timer ends later or sooner (never within a second), a stopped one keeps more or less. */
function addTime(state: CircleState, ms: number, now: number): Outcome {
  const { timer } = state;
  const status = timerStatus(timer);
  if (timer.durationMs === 0 || status === 'finished') return RULE_REFUSALS.timerNotStarted;
  // Never past the protocol's longest timer (4 h), never within a second of its end.
  const durationMs = (remaining: number) => Math.max(remaining, Math.min(LIMITS.timerMaxMs, Math.max(LIMITS.timerMinMs, timer.durationMs + ms)));
  if (status === 'running' && timer.endsAt !== null) {
    const endsAt = Math.min(Math.max(timer.endsAt + ms, now + TIMER_ADD_FLOOR_MS), now + LIMITS.timerMaxMs);
    const length = durationMs(endsAt - now);
    // The value it resumed from never exceeds the timer's (shortened) length.
    return {
      state: { ...state, timer: { ...timer, endsAt, durationMs: length, remainingMs: Math.min(timer.remainingMs, length) } },
      effects: [{ type: 'schedule', at: endsAt, command: { type: 'timer.finish', endsAt } }],
    };
  }
  const remainingMs = Math.min(LIMITS.timerMaxMs, Math.max(TIMER_ADD_FLOOR_MS, timer.remainingMs + ms));
  return { state: { ...state, timer: { ...timer, remainingMs, durationMs: durationMs(remainingMs) } } };
}
