/**
 * How breakouts read on a screen: group names, A/B letters, the words for a member's role, and what a
 * screen reader hears when something changes. Words only: who may speak, pass or call is asked of
 * `@spiral/shared` (`placeOf`, `wouldChange`), never decided here.
 */
import { BELL_LEAD_MS, placeKey, placeOf, type BreakoutGroup, type Breakouts, type CircleState, type Place } from '@spiral/shared';

const KIND_BY_SIZE: Readonly<Record<number, string>> = { 2: 'Pair', 3: 'Triad', 4: 'Quad' };

/** "Pair", "Triad", "Quad" (or "Group" for any other size). */
export function groupKind(group: BreakoutGroup): string {
  return KIND_BY_SIZE[group.memberIds.length] ?? 'Group';
}

/** "Pair 1", "Triad 3": numbered in the server's order, the same on every screen. */
export function groupName(breakouts: Breakouts, group: BreakoutGroup): string {
  const index = breakouts.groups.findIndex((g) => g.id === group.id);
  return `${groupKind(group)} ${index + 1}`;
}

/** A member's letter in their group: A, B, C, D in the group's order (the order turns go in). */
export function letterOf(group: BreakoutGroup, participantId: string): string {
  const index = group.memberIds.indexOf(participantId);
  return index < 0 ? '' : String.fromCharCode(65 + index);
}

export function nameIn(state: CircleState, participantId: string): string {
  return state.participants.find((p) => p.id === participantId)?.name ?? 'Someone';
}

/** "Ben", "Ben and Cara", "Ben, Cara and Dev". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Facilitators visiting `group`, by id. */
export function visitorsOf(breakouts: Breakouts, group: BreakoutGroup): string[] {
  return Object.entries(breakouts.visits)
    .filter(([, groupId]) => groupId === group.id)
    .map(([id]) => id);
}

/** The ids of members in no group and visiting none: those in the main circle now. */
export function inMainCircle(state: CircleState): string[] {
  return state.participants.filter((p) => placeOf(state, p.id).kind === 'main').map((p) => p.id);
}

export type GroupRole = 'speak' | 'listen' | 'open' | 'visiting';

/** What this member does in their group now (a visiting facilitator only visits). */
export function roleIn(breakouts: Breakouts, place: Extract<Place, { kind: 'group' }>, me: string): GroupRole {
  if (place.visiting) return 'visiting';
  if (breakouts.mode === 'open') return 'open';
  return place.group.speakerId === me ? 'speak' : 'listen';
}

/** The sentence that places a member in their group: "You are in a pair with Ben. You speak first." */
export function arrivalWords(state: CircleState, place: Extract<Place, { kind: 'group' }>, me: string): string {
  const breakouts = state.breakouts!;
  const { group } = place;
  if (place.visiting) {
    const names = group.memberIds.map((id) => nameIn(state, id));
    return `You are visiting ${groupName(breakouts, group)}: ${listNames(names)}.`;
  }
  const others = group.memberIds.filter((id) => id !== me).map((id) => nameIn(state, id));
  const where = others.length === 0 ? 'You are in a group on your own.' : `You are in a ${groupKind(group).toLowerCase()} with ${listNames(others)}.`;
  const role = roleIn(breakouts, place, me);
  const turn =
    role === 'open'
      ? 'Open conversation: everyone in the group may speak.'
      : role === 'speak'
        ? 'You speak first.'
        : `${group.speakerId ? nameIn(state, group.speakerId) : 'Someone'} speaks first; you listen.`;
  return `${where} ${turn}`;
}

/** The words for a new speaker in this member's group. */
export function turnWords(state: CircleState, group: BreakoutGroup, me: string): string {
  if (group.speakerId === me) return 'Your turn to speak.';
  return `${group.speakerId ? nameIn(state, group.speakerId) : 'Someone'} speaks now; you listen.`;
}

function secondsWords(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return `${minutes} minutes`;
}

/** What changed in the breakouts between two snapshots that this member should hear about. */
export function describeBreakoutChanges(prev: CircleState | null, next: CircleState, me: string | null): string[] {
  if (!me) return [];
  const messages: string[] = [];
  const before = prev ? placeOf(prev, me) : ({ kind: 'main' } as Place);
  const after = placeOf(next, me);
  const b = next.breakouts;
  const moved = placeKey(before) !== placeKey(after);
  if (moved) {
    if (after.kind === 'group') messages.push(arrivalWords(next, after, me));
    else if (prev) messages.push(prev.breakouts && !b ? 'The groups are closed. You are back in the main circle.' : 'You are back in the main circle.');
  } else if (after.kind === 'group' && before.kind === 'group' && b && !after.visiting && b.mode === 'turns' && before.group.speakerId !== after.group.speakerId) {
    messages.push(turnWords(next, after.group, me));
  }
  if (!b) return messages;
  const was = prev?.breakouts && prev.breakouts.id === b.id ? prev.breakouts : null;

  // Visits to this member's own group (not their own visit).
  if (after.kind === 'group' && !after.visiting && !moved && was) {
    const now = new Set(visitorsOf(b, after.group));
    const then = new Set(Object.entries(was.visits).filter(([, g]) => g === after.group.id).map(([id]) => id));
    for (const id of now) if (!then.has(id)) messages.push(`${nameIn(next, id)}, a facilitator, has joined your group.`);
    for (const id of then) if (!now.has(id)) messages.push(`${nameIn(next, id)} has left your group.`);
  }
  if (b.message && b.message.at !== was?.message?.at) messages.push(`Message from the facilitator: ${b.message.text}`);
  if (b.closingAt !== null && was && was.closingAt === null) {
    // The recall rings its bell as it is announced (at the announcement + BELL_LEAD_MS).
    const announcedAt = next.bell && next.bell.id !== prev?.bell?.id ? next.bell.at - BELL_LEAD_MS : null;
    const within = announcedAt === null ? 'shortly' : `in ${secondsWords(b.closingAt - announcedAt)}`;
    messages.push(`The groups are closing: take a moment to finish up. Everyone returns to the main circle ${within}.`);
  }
  // A facilitator hears every new call; the caller's group hears that the call went out.
  const facilitator = next.participants.find((p) => p.id === me)?.role === 'facilitator';
  for (const group of b.groups) {
    const called = group.helpAt !== null && (was?.groups.find((g) => g.id === group.id)?.helpAt ?? null) === null;
    if (!called) continue;
    if (facilitator) messages.push(`${groupName(b, group)} calls for the facilitator.`);
    else if (after.kind === 'group' && after.group.id === group.id) messages.push('The facilitator has been called.');
  }
  return messages;
}
