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
 * Whether a newcomer may take a seat: a locked circle refuses new participants (a facilitator, who
 * holds the key, is still let in: the host is never locked out of their own circle), and a full
 * one refuses everyone new. Returning members are not newcomers and are never refused here.
 */
export function admissionRefusal(
  state: CircleState,
  newcomer: { facilitator: boolean; now?: number },
): Extract<JoinErrorCode, 'not_open' | 'locked' | 'full'> | null {
  // Gatherings: a scheduled circle opens to newcomers 15 minutes before it starts (a facilitator any time).
  if (newcomer.now !== undefined && !joinIsOpen(state.gathering, newcomer.now, newcomer.facilitator)) return 'not_open';
  if (state.locked && !newcomer.facilitator) return 'locked';
  if (state.participants.length >= state.settings.maxParticipants) return 'full';
  return null;
}

/** Members here now (the count on the join page). */
export function connectedCount(state: CircleState): number {
  return state.participants.filter((p) => p.connected).length;
}
