/**
 * Breakouts (PROTOCOL.md v1.1): pairs, triads and quads with a prompt, turns and a timer in every
 * group, a word to every group, visits, and the recall. Pure: the shuffle takes its seed as an argument.
 */
import type { CircleCommand } from './commands.js';
import type { Effect, SystemCommand } from './decide.js';
import type { Rejection } from './errors.js';
import { ringBell } from './bell.js';
import type { Outcome } from './outcome.js';
import { RULE_REFUSALS } from './refusals.js';
import type { Breakouts, CircleState, Participant } from './state.js';

export const BREAKOUT_COMMAND_TYPES = [
  'breakout.open',
  'breakout.swap',
  'breakout.pass',
  'breakout.broadcast',
  'breakout.visit',
  'breakout.close',
  'breakout.help',
] as const;
export type BreakoutCommand = Extract<CircleCommand, { type: (typeof BREAKOUT_COMMAND_TYPES)[number] }>;

export function isBreakoutCommand(command: CircleCommand): command is BreakoutCommand {
  return (BREAKOUT_COMMAND_TYPES as readonly string[]).includes(command.type);
}

export type BreakoutGroup = Breakouts['groups'][number];

/** How long after a timed-out breakout the groups are brought back (the recall's warning). */
export const AUTO_RECALL_AFTER_MS = 30_000;

/** Where a member is now: the main circle, or a group (as a member or a visiting facilitator). */
export type Place = { kind: 'main' } | { kind: 'group'; group: BreakoutGroup; visiting: boolean };

export function placeOf(state: CircleState, participantId: string): Place {
  const breakouts = state.breakouts;
  if (!breakouts) return { kind: 'main' };
  const visited = breakouts.visits[participantId];
  const visitedGroup = visited === undefined ? undefined : breakouts.groups.find((g) => g.id === visited);
  if (visitedGroup) return { kind: 'group', group: visitedGroup, visiting: true };
  const own = breakouts.groups.find((g) => g.memberIds.includes(participantId));
  return own ? { kind: 'group', group: own, visiting: false } : { kind: 'main' };
}

/** A short key for a place, the same for everyone in it (`main`, or the group's id). */
export function placeKey(place: Place): string {
  return place.kind === 'main' ? 'main' : place.group.id;
}

/** Who may speak inside a group: everyone in `open` mode; in `turns`, its speaker and visiting facilitators. */
export function maySpeakInGroup(breakouts: Breakouts, place: Extract<Place, { kind: 'group' }>, participantId: string): boolean {
  return breakouts.mode === 'open' || place.visiting || place.group.speakerId === participantId;
}

/**
 * The sizes of the groups `count` people make in groups of `size`: as many full groups as fit; a
 * remainder of two or more makes a group of its own, a remainder of one joins a group (never a group
 * of one, except a lone participant); sizes as equal as possible. 7 in pairs: 3 + 2 + 2; 5 in
 * triads: 3 + 2; 6 in quads: 3 + 3.
 */
export function groupSizes(count: number, size: number): number[] {
  if (count <= 0) return [];
  const remainder = count % size;
  const groups = Math.max(1, Math.floor(count / size) + (remainder >= 2 ? 1 : 0));
  const base = Math.floor(count / groups);
  const larger = count % groups;
  return Array.from({ length: groups }, (_, i) => base + (i < larger ? 1 : 0));
}

/** A small seeded generator (mulberry32): the same seed, the same groups. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `ids` shuffled by `seed` (Fisher–Yates) and cut into groups by `groupSizes`. */
export function formGroups(ids: readonly string[], size: number, seed: number): string[][] {
  const random = seeded(seed);
  const shuffled = [...ids];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  let start = 0;
  return groupSizes(shuffled.length, size).map((n) => shuffled.slice(start, (start += n)));
}

export interface OpenSpec {
  size: number;
  groups?: string[][] | undefined;
  prompt?: string | undefined;
  durationMs?: number | undefined;
  mode?: Breakouts['mode'] | undefined;
}

/** The recall wake-up for breakouts that end at `endsAt`. */
const recallAt = (breakouts: Breakouts, at: number): Effect => ({ type: 'schedule', at, command: { type: 'breakout.recall', breakoutsId: breakouts.id, at } });
const finishAt = (breakouts: Breakouts, at: number): Effect => ({ type: 'schedule', at, command: { type: 'breakout.finish', breakoutsId: breakouts.id, at } });

/**
 * Breakouts opened now: given groups, or the connected participants (not facilitators) shuffled into
 * groups of `size`. Null when there is nobody to group.
 */
export function openBreakouts(state: CircleState, spec: OpenSpec, now: number, seed: number): { breakouts: Breakouts; effects: Effect[] } | null {
  const connectedParticipants = state.participants.filter((p) => p.connected && p.role === 'participant').map((p) => p.id);
  const memberLists = spec.groups ?? formGroups(connectedParticipants, spec.size, seed);
  if (memberLists.length === 0) return null;
  const mode = spec.mode ?? 'turns';
  const id = `b${state.version}`;
  const breakouts: Breakouts = {
    id,
    prompt: spec.prompt ?? '',
    mode,
    groups: memberLists.map((memberIds, i) => ({ id: `${id}g${i + 1}`, memberIds, speakerId: mode === 'turns' ? memberIds[0]! : null, helpAt: null })),
    message: null,
    visits: {},
    endsAt: spec.durationMs === undefined ? null : now + spec.durationMs,
    closingAt: null,
  };
  return { breakouts, effects: breakouts.endsAt === null ? [] : [recallAt(breakouts, breakouts.endsAt)] };
}

/** The member after `current` in the group (A↔B in a pair), wrapping. */
function nextSpeaker(group: BreakoutGroup): string | null {
  if (group.memberIds.length === 0) return null;
  const index = group.speakerId === null ? -1 : group.memberIds.indexOf(group.speakerId);
  return group.memberIds[(index + 1) % group.memberIds.length]!;
}

const withGroups = (state: CircleState, breakouts: Breakouts, groups: BreakoutGroup[]): CircleState => ({ ...state, breakouts: { ...breakouts, groups } });

/** A departed member leaves their group: an empty group is dropped, a speaker's turn goes to the next member. */
export function withoutFromGroups(state: CircleState, participantId: string): CircleState {
  const { breakouts } = state;
  if (!breakouts) return state;
  const inGroup = breakouts.groups.some((g) => g.memberIds.includes(participantId));
  if (!inGroup && !(participantId in breakouts.visits)) return state;
  const groups = breakouts.groups.flatMap((g) => {
    if (!g.memberIds.includes(participantId)) return [g];
    const memberIds = g.memberIds.filter((id) => id !== participantId);
    if (memberIds.length === 0) return [];
    const speakerId = g.speakerId === participantId ? nextSpeaker(g) : g.speakerId;
    return [{ ...g, memberIds, speakerId }];
  });
  const visits = Object.fromEntries(Object.entries(breakouts.visits).filter(([facilitatorId, groupId]) => facilitatorId !== participantId && groups.some((g) => g.id === groupId)));
  return { ...state, breakouts: { ...breakouts, groups, visits } };
}

/** A member who is no longer a facilitator no longer visits a group (visits are facilitators'). */
export function withoutVisit(state: CircleState, participantId: string): CircleState {
  const { breakouts } = state;
  if (!breakouts || !(participantId in breakouts.visits)) return state;
  const visits = Object.fromEntries(Object.entries(breakouts.visits).filter(([id]) => id !== participantId));
  return { ...state, breakouts: { ...breakouts, visits } };
}

/**
 * Checks that depend on the circle but come before the role check (`invalid` before `forbidden`):
 * given groups must name connected members, each in one group at most, no group empty.
 */
export function breakoutInvalidity(state: CircleState, command: CircleCommand): Rejection | null {
  if (command.type !== 'breakout.open' || command.groups === undefined) return null;
  const connected = new Set(state.participants.filter((p) => p.connected).map((p) => p.id));
  const all = command.groups.flat();
  const fine = command.groups.length > 0 && command.groups.every((g) => g.length > 0) && new Set(all).size === all.length && all.every((id) => connected.has(id));
  return fine ? null : RULE_REFUSALS.groupsInvalid;
}

/** A member's breakout command, once shape and (for facilitator-only ones) role are checked. */
export function applyBreakout(state: CircleState, command: BreakoutCommand, actor: Participant, now: number, seed: number): Outcome {
  const { breakouts } = state;
  switch (command.type) {
    case 'breakout.open': {
      if (breakouts) return RULE_REFUSALS.breakoutsOpen;
      const opened = openBreakouts(state, command, now, seed);
      if (!opened) return RULE_REFUSALS.nobodyToGroup;
      return { state: { ...state, breakouts: opened.breakouts }, effects: opened.effects };
    }
    case 'breakout.swap':
      if (!breakouts) return RULE_REFUSALS.noBreakouts;
      if (breakouts.mode === 'open') return RULE_REFUSALS.breakoutsOpenMode;
      return { state: withGroups(state, breakouts, breakouts.groups.map((g) => ({ ...g, speakerId: nextSpeaker(g) }))) };
    case 'breakout.pass':
      return passInGroup(state, actor);
    case 'breakout.broadcast':
      if (!breakouts) return RULE_REFUSALS.noBreakouts;
      return { state: { ...state, breakouts: { ...breakouts, message: { text: command.text, at: now } } } };
    case 'breakout.visit': {
      if (command.groupId === null) {
        if (!breakouts) return RULE_REFUSALS.noBreakouts;
        const visits = Object.fromEntries(Object.entries(breakouts.visits).filter(([id]) => id !== actor.id));
        return { state: { ...state, breakouts: { ...breakouts, visits } } };
      }
      const group = breakouts?.groups.find((g) => g.id === command.groupId);
      if (!breakouts || !group) return RULE_REFUSALS.noSuchGroup;
      // Answering a call: the group's call for help is met by the visit.
      const groups = breakouts.groups.map((g) => (g.id === group.id ? { ...g, helpAt: null } : g));
      return { state: { ...state, breakouts: { ...breakouts, groups, visits: { ...breakouts.visits, [actor.id]: group.id } } } };
    }
    case 'breakout.close': {
      if (!breakouts) return RULE_REFUSALS.noBreakouts;
      const afterMs = command.afterMs ?? 0;
      if (afterMs === 0) return { state: { ...state, breakouts: null } };
      if (breakouts.closingAt !== null) return RULE_REFUSALS.recallAnnounced;
      return announceRecall(state, breakouts, now + afterMs, now);
    }
    case 'breakout.help': {
      const place = placeOf(state, actor.id);
      if (!breakouts || place.kind === 'main' || place.visiting) return RULE_REFUSALS.notInGroup;
      if (place.group.helpAt !== null) return { state };
      return { state: withGroups(state, breakouts, breakouts.groups.map((g) => (g.id === place.group.id ? { ...g, helpAt: now } : g))) };
    }
  }
}

/** `breakout.pass`: in the sender's group, the turn goes to the next member. */
function passInGroup(state: CircleState, actor: Participant): Outcome {
  const { breakouts } = state;
  const facilitator = actor.role === 'facilitator';
  if (!breakouts) return facilitator ? RULE_REFUSALS.noBreakouts : RULE_REFUSALS.passNotSpeaker;
  const place = placeOf(state, actor.id);
  if (place.kind === 'main') return facilitator ? RULE_REFUSALS.notVisiting : RULE_REFUSALS.passNotSpeaker;
  if (breakouts.mode === 'open') return RULE_REFUSALS.breakoutsOpenMode;
  const mayPass = place.group.speakerId === actor.id || (place.visiting && facilitator);
  if (!mayPass) return RULE_REFUSALS.passNotSpeaker;
  return { state: withGroups(state, breakouts, breakouts.groups.map((g) => (g.id === place.group.id ? { ...g, speakerId: nextSpeaker(g) } : g))) };
}

/** The recall is announced: a bell of two strikes now, everyone back at `closingAt`. */
function announceRecall(state: CircleState, breakouts: Breakouts, closingAt: number, now: number): Outcome {
  return { state: ringBell({ ...state, breakouts: { ...breakouts, closingAt } }, 2, now), effects: [finishAt(breakouts, closingAt)] };
}

/** The server's own breakout changes: the automatic recall at `endsAt`, and the return at `closingAt`. */
export function applyBreakoutWakeUp(
  state: CircleState,
  command: Extract<SystemCommand, { type: 'breakout.recall' | 'breakout.finish' }>,
  now: number,
): Outcome {
  const { breakouts } = state;
  if (!breakouts || breakouts.id !== command.breakoutsId) return { state };
  // A wake-up a little early (timers and clocks are not exact): try again at its time.
  if (now < command.at) return { state, effects: [{ type: 'schedule', at: command.at, command }] };
  if (command.type === 'breakout.finish') return breakouts.closingAt === command.at ? { state: { ...state, breakouts: null } } : { state };
  if (breakouts.endsAt !== command.at || breakouts.closingAt !== null) return { state };
  return announceRecall(state, breakouts, now + AUTO_RECALL_AFTER_MS, now);
}

/** After a restart: the breakouts' pending recall or return, armed again. */
export function breakoutWakeUps(state: CircleState): Effect[] {
  const { breakouts } = state;
  if (!breakouts) return [];
  if (breakouts.closingAt !== null) return [finishAt(breakouts, breakouts.closingAt)];
  return breakouts.endsAt === null ? [] : [recallAt(breakouts, breakouts.endsAt)];
}
