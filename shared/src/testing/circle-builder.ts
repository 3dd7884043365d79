/**
 * The one circle builder for every package's tests (`@spiral/shared/testing`): a circle with named
 * members, a piece and a queue, without going through commands. Pure: no test framework here.
 */
import { createCircleState } from '../circle.js';
import type { CircleSettings, CircleState, Participant, PieceMode, Role, TimerState } from '../state.js';
import type { TemplateKey } from '../templates.js';

export const GRACE_MS = 30_000;
export const T0 = 1_700_000_000_000;
/** The default time commands are decided at in unit tests (after T0). */
export const NOW = T0 + 60_000;

export interface MemberSpec {
  id: string;
  role?: Role;
  /** Default true. An away member gets `awaySince` (default `NOW - 1000`). */
  connected?: boolean;
  awaySince?: number;
  /** Default `Name <id>`. */
  name?: string;
  /** Default: 1, 2, 3… in the order given. */
  seat?: number;
}

export interface CircleSpec {
  id?: string;
  title?: string;
  template?: TemplateKey;
  /** When the circle was created (default `T0`). */
  createdAt?: number;
  members?: MemberSpec[];
  mode?: PieceMode;
  holderId?: string | null;
  queue?: string[];
  version?: number;
  locked?: boolean;
  timer?: TimerState;
  settings?: Partial<CircleSettings>;
}

/** One seated member; `position` (0-based) gives the default seat. */
export function makeMember(spec: MemberSpec, position = 0): Participant {
  const connected = spec.connected ?? true;
  return {
    id: spec.id,
    name: spec.name ?? `Name ${spec.id}`,
    role: spec.role ?? 'participant',
    connected,
    seat: spec.seat ?? position + 1,
    awaySince: connected ? null : (spec.awaySince ?? NOW - 1_000),
  };
}

/** A circle created at `createdAt` with the given members seated 1, 2, 3… in order (unless seats are given). */
export function makeCircle(spec: CircleSpec = {}): CircleState {
  const createdAt = spec.createdAt ?? T0;
  const base = createCircleState({
    id: spec.id ?? 'circle-1',
    title: spec.title ?? 'Test circle',
    template: spec.template ?? 'wtr-spiral',
    now: createdAt,
  });
  const holderId = spec.holderId ?? null;
  return {
    ...base,
    version: spec.version ?? base.version,
    locked: spec.locked ?? base.locked,
    participants: (spec.members ?? []).map(makeMember),
    piece: {
      ...base.piece,
      mode: spec.mode ?? base.piece.mode,
      holderId,
      since: holderId === null ? null : createdAt,
      queue: spec.queue ?? [],
    },
    timer: spec.timer ?? base.timer,
    settings: { ...base.settings, ...spec.settings },
  };
}

/** The usual cast: facilitator `f`, participants `a`, `b`, `c` (seats 1..4), all here unless `away`. */
export function standardCircle(overrides: Omit<CircleSpec, 'members'> & { away?: string[] } = {}): CircleState {
  const { away: awayIds, ...spec } = overrides;
  const away = new Set(awayIds ?? []);
  return makeCircle({
    ...spec,
    members: [
      { id: 'f', role: 'facilitator', connected: !away.has('f') },
      { id: 'a', connected: !away.has('a') },
      { id: 'b', connected: !away.has('b') },
      { id: 'c', connected: !away.has('c') },
    ],
  });
}
