import type { JoinErrorCode } from './errors.js';
import { joinIsOpen, UNSCHEDULED, type Gathering } from './gathering.js';
import { withStepIds } from './plan.js';
import { IDLE_TIMER } from './timer.js';
import type { CircleState } from './state.js';
import { MAX_PARTICIPANTS, TEMPLATES, type TemplateKey } from './templates.js';

/** A new circle at the start of the spiral, shaped by its template. */
export function createCircleState(input: { id: string; title: string; template: TemplateKey; now: number; question?: string; gathering?: Partial<Gathering> }): CircleState {
  const template = TEMPLATES[input.template];
  return {
    id: input.id,
    title: input.title,
    template: input.template,
    version: 1,
    locked: false,
    stage: { key: 'gratitude', cycle: 1, since: input.now },
    participants: [],
    piece: { mode: template.mode, holderId: null, since: null, queue: [] },
    timer: { ...IDLE_TIMER },
    settings: { speakerTimeMs: template.speakerTimeMs, facilitatorsMaySpeak: true, maxParticipants: MAX_PARTICIPANTS },
    agreements: [...template.agreements],
    plan: { steps: withStepIds({ steps: [], history: [] }, template.plan), current: null, history: [] },
    bell: null,
    silence: null,
    breakouts: null,
    question: input.question ?? '',
    intentions: [],
    gathering: { ...UNSCHEDULED, ...input.gathering },
    activeAt: input.now,
  };
}

/**
 * Seats taken against `settings.maxParticipants`: members here, and members away within their grace
 * period. A member away past it (`awaySince + holderGraceMs <= now`) is released: they no longer hold
 * a seat (they may still resume with their token while a seat is free). Without `now` and
 * `holderGraceMs`, every member counts.
 */
export function seatsHeld(state: CircleState, clock: { now?: number; holderGraceMs?: number } = {}): number {
  const { now, holderGraceMs } = clock;
  if (now === undefined || holderGraceMs === undefined) return state.participants.length;
  return state.participants.filter((p) => p.connected || p.awaySince === null || now < p.awaySince + holderGraceMs).length;
}

/**
 * Whether a newcomer may take a seat: a locked circle refuses new participants, and a full one
 * refuses everyone new — except a facilitator, who holds the key and is never locked or crowded out
 * of their own circle. Members away past their grace period do not count (see `seatsHeld`).
 * Returning members are not newcomers and are never refused here.
 */
export function admissionRefusal(
  state: CircleState,
  newcomer: { facilitator: boolean; now?: number; holderGraceMs?: number },
): Extract<JoinErrorCode, 'not_open' | 'locked' | 'full'> | null {
  // Gatherings: a scheduled circle opens to newcomers 15 minutes before it starts (a facilitator any time).
  if (newcomer.now !== undefined && !joinIsOpen(state.gathering, newcomer.now, newcomer.facilitator)) return 'not_open';
  if (newcomer.facilitator) return null;
  if (state.locked) return 'locked';
  if (seatsHeld(state, newcomer) >= state.settings.maxParticipants) return 'full';
  return null;
}

/** Members here now (the count on the join page). */
export function connectedCount(state: CircleState): number {
  return state.participants.filter((p) => p.connected).length;
}
