/** The session plan: step ids, and what beginning a step does to the circle (v1.1 "Beginning a step"). */
import { openBreakouts } from './breakouts.js';
import { withMode } from './circle-changes.js';
import type { Effect } from './decide.js';
import type { CircleState, PlanState, PlanStep } from './state.js';
import type { PlanStepDraft } from './templates.js';

const STEP_ID = /^step-(\d+)$/;

/** The group size of each grouping but the whole circle. */
const GROUP_SIZE = { pairs: 2, triads: 3, quads: 4 } as const;

/** The highest number among `step-N` ids the plan has used, in its steps or its history. */
function highestStepNumber(plan: Pick<PlanState, 'steps' | 'history'>): number {
  const ids = [...plan.steps.map((s) => s.id), ...plan.history.map((h) => h.stepId)];
  return ids.reduce((max, id) => Math.max(max, Number(STEP_ID.exec(id)?.[1] ?? 0)), 0);
}

/**
 * Ids for a new list of steps: a step that names an existing step's id keeps it; any other gets a
 * fresh `step-N` never used before in this circle (so the history never names two steps alike).
 */
export function withStepIds(plan: Pick<PlanState, 'steps' | 'history'>, drafts: readonly (PlanStepDraft & { id?: string })[]): PlanStep[] {
  const existing = new Set(plan.steps.map((s) => s.id));
  let next = highestStepNumber(plan);
  return drafts.map(({ id, ...step }) => ({ ...step, id: id !== undefined && existing.has(id) ? id : `step-${++next}` }));
}

/**
 * Begin step `index` (in range): the stage, the piece mode, the speaker time and the shared timer
 * follow the step, and the step joins the history — all one change.
 */
export function beginStep(state: CircleState, index: number, now: number, seed = 0): { state: CircleState; effects: Effect[] } {
  const step = state.plan.steps[index]!;
  const stage = step.stage === state.stage.key ? state.stage : { ...state.stage, key: step.stage, since: now };
  const settings = step.speakerTimeMs === null ? state.settings : { ...state.settings, speakerTimeMs: step.speakerTimeMs };
  const effects: Effect[] = [];
  let timer: CircleState['timer'];
  if (step.durationMs === null) {
    timer = { ...state.timer, running: false, endsAt: null, remainingMs: state.timer.durationMs };
  } else {
    const endsAt = now + step.durationMs;
    timer = { label: step.title, durationMs: step.durationMs, running: true, endsAt, remainingMs: step.durationMs };
    effects.push({ type: 'schedule', at: endsAt, command: { type: 'timer.finish', endsAt } });
  }
  const plan: PlanState = {
    ...state.plan,
    current: index,
    history: [...state.plan.history, { stepId: step.id, title: step.title, startedAt: now }],
  };
  const next = withMode({ ...state, stage, settings, timer, plan, breakouts: null }, step.mode);
  if (step.grouping === 'circle') return { state: next, effects };
  // A step in pairs, triads or quads sends everyone into groups with its prompt and its time.
  const opened = openBreakouts(next, { size: GROUP_SIZE[step.grouping], prompt: step.prompt, durationMs: step.durationMs ?? undefined, mode: 'turns' }, now, seed);
  if (!opened) return { state: next, effects };
  return { state: { ...next, breakouts: opened.breakouts }, effects: [...effects, ...opened.effects] };
}

/** Where `plan.next` goes: the step after the current one (the first from none), or null past the last. */
export function nextStepIndex(plan: PlanState): number | null {
  const index = plan.current === null ? 0 : plan.current + 1;
  return index < plan.steps.length ? index : null;
}
