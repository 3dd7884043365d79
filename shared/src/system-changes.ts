/** Changes the server makes itself: joins and departures, grace periods ending, timers finishing, restarts. */
import type { CircleCommand } from './commands.js';
import { member, updateMember, withHolder, withoutFromQueue } from './circle-changes.js';
import type { DecideContext, Effect, SystemCommand } from './decide.js';
import type { Outcome } from './outcome.js';
import { successorOf } from './piece.js';
import { applyBreakoutWakeUp, breakoutWakeUps, withoutFromGroups } from './breakouts.js';
import { RULE_REFUSALS } from './refusals.js';
import { endSilence } from './session-commands.js';
import type { CircleState, Participant } from './state.js';

const SYSTEM_TYPES = new Set<string>([
  'member.join',
  'member.return',
  'member.leave',
  'presence.grace-end',
  'timer.finish',
  'silence.finish',
  'breakout.recall',
  'breakout.finish',
  'server.restart',
  'circle.update',
]);
export function isSystemCommand(command: CircleCommand | SystemCommand): command is SystemCommand {
  return SYSTEM_TYPES.has(command.type);
}

export function applySystem(state: CircleState, command: CircleCommand | SystemCommand, ctx: DecideContext): Outcome {
  if (!isSystemCommand(command)) return RULE_REFUSALS.serverOnly;
  const { now } = ctx;
  switch (command.type) {
    case 'member.join': {
      if (member(state, command.participant.id)) return RULE_REFUSALS.idTaken;
      const seat = state.participants.reduce((max, p) => Math.max(max, p.seat), 0) + 1;
      const participant: Participant = { ...command.participant, connected: true, seat, awaySince: null };
      return { state: { ...state, participants: [...state.participants, participant] } };
    }
    case 'member.return': {
      const returning = member(state, command.participantId);
      if (!returning) return RULE_REFUSALS.noSuchMember;
      const role = returning.role === 'facilitator' ? 'facilitator' : command.role;
      return { state: updateMember(state, returning.id, { connected: true, awaySince: null, role }) };
    }
    case 'member.leave': {
      const leaving = member(state, command.participantId);
      if (!leaving) return RULE_REFUSALS.noSuchMember;
      if (!leaving.connected) return { state };
      return {
        state: updateMember(state, leaving.id, { connected: false, awaySince: now }),
        effects: [graceEnd(leaving.id, now, ctx.holderGraceMs)],
      };
    }
    case 'presence.grace-end':
      return endGrace(state, command.participantId, command.awaySince, now);
    case 'timer.finish': {
      const { timer } = state;
      if (!timer.running || timer.endsAt !== command.endsAt) return { state };
      // A wake-up a little early (timers and clocks are not exact): try again at endsAt.
      if (now < timer.endsAt) return { state, effects: [{ type: 'schedule', at: timer.endsAt, command }] };
      return { state: { ...state, timer: { ...timer, running: false, endsAt: null, remainingMs: 0 } } };
    }
    case 'silence.finish': {
      const { silence } = state;
      if (silence === null || silence.endsAt !== command.endsAt) return { state };
      if (now < command.endsAt) return { state, effects: [{ type: 'schedule', at: command.endsAt, command }] };
      return { state: endSilence(state, now) };
    }
    case 'breakout.recall':
    case 'breakout.finish':
      return applyBreakoutWakeUp(state, command, now);
    case 'server.restart': {
      // Sockets do not survive a restart: everyone still marked here is now away, and every away
      // member's grace period counts from start-up.
      const participants = state.participants.map((p) => (p.connected ? { ...p, connected: false, awaySince: now } : p));
      const effects = participants.map((p) => graceEnd(p.id, p.awaySince ?? now, ctx.holderGraceMs, now));
      const { endsAt } = state.timer;
      if (state.timer.running && endsAt !== null) {
        effects.push({ type: 'schedule', at: endsAt, command: { type: 'timer.finish', endsAt } });
      }
      const silenceEndsAt = state.silence?.endsAt ?? null;
      if (silenceEndsAt !== null) effects.push({ type: 'schedule', at: silenceEndsAt, command: { type: 'silence.finish', endsAt: silenceEndsAt } });
      effects.push(...breakoutWakeUps(state));
      return { state: { ...state, participants }, effects };
    }
    case 'circle.update': {
      const { title, question, gathering } = command;
      return {
        state: {
          ...state,
          ...(title === undefined ? {} : { title }),
          ...(question === undefined ? {} : { question }),
          // Only the fields given: an absent (or undefined) field keeps its value.
          ...(gathering === undefined
            ? {}
            : { gathering: { ...state.gathering, ...Object.fromEntries(Object.entries(gathering).filter(([, v]) => v !== undefined)) } }),
        },
      };
    }
  }
}

function graceEnd(participantId: string, awaySince: number, graceMs: number, from = awaySince): Effect {
  return { type: 'schedule', at: from + graceMs, command: { type: 'presence.grace-end', participantId, awaySince } };
}

/** A dropped member did not come back in time: the piece moves on and their queue place is given up. */
function endGrace(state: CircleState, participantId: string, awaySince: number, now: number): Outcome {
  const away = member(state, participantId);
  if (!away || away.connected || away.awaySince !== awaySince) return { state };
  const next = state.piece.holderId === participantId ? withHolder(state, successorOf(state, participantId), now) : state;
  return { state: withoutFromGroups(withoutFromQueue(next, participantId), participantId) };
}

