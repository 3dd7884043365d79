import { describe, expect, it } from 'vitest';
import { createCircleState } from './circle.js';
import { planStepInputSchema } from './commands.js';
import { beginStep, nextStepIndex, withStepIds } from './plan.js';
import { STAGE_KEYS } from './stages.js';
import { circleStateSchema, type PlanState, type PlanStep } from './state.js';
import { TEMPLATES, type PlanStepDraft } from './templates.js';
import { NOW, standardCircle, T0 } from './test-support.js';

/** The session plan: step ids, where `plan.next` goes, beginning a step, the templates' plans. */

const draft = (title: string, overrides: Partial<PlanStepDraft> = {}): PlanStepDraft => ({
  title,
  stage: 'gratitude',
  prompt: '',
  mode: 'round',
  speakerTimeMs: null,
  durationMs: null,
  grouping: 'circle',
  ...overrides,
});
const step = (id: string): PlanStep => ({ id, ...draft(id) });
const plan = (steps: PlanStep[], current: number | null = null, history: PlanState['history'] = []): PlanState => ({ steps, current, history });

describe('withStepIds', () => {
  it('numbers new steps step-1, step-2… in a new plan', () => {
    expect(withStepIds(plan([]), [draft('a'), draft('b')]).map((s) => s.id)).toEqual(['step-1', 'step-2']);
  });

  it('keeps the id of an existing step and numbers the others after the highest ever used', () => {
    const current = plan([step('step-2'), step('step-5')], null, [{ stepId: 'step-9', title: 'Gone', startedAt: T0 }]);
    const ids = withStepIds(current, [draft('x'), { ...draft('y'), id: 'step-2' }, { ...draft('z'), id: 'step-9' }]).map((s) => s.id);
    // step-9 is only in the history: it is not kept, and no new step takes it.
    expect(ids).toEqual(['step-10', 'step-2', 'step-11']);
  });

  it('copies the step fields as given', () => {
    const [made] = withStepIds(plan([]), [draft('Pairs', { grouping: 'pairs', durationMs: 600_000, mode: 'popcorn', speakerTimeMs: 60_000, stage: 'new-eyes', prompt: 'p' })]);
    expect(made).toEqual({ id: 'step-1', title: 'Pairs', grouping: 'pairs', durationMs: 600_000, mode: 'popcorn', speakerTimeMs: 60_000, stage: 'new-eyes', prompt: 'p' });
  });
});

describe('nextStepIndex', () => {
  it('is 0 from no current step, then current + 1, and null past the last', () => {
    const steps = [step('step-1'), step('step-2')];
    expect(nextStepIndex(plan(steps, null))).toBe(0);
    expect(nextStepIndex(plan(steps, 0))).toBe(1);
    expect(nextStepIndex(plan(steps, 1))).toBeNull();
    expect(nextStepIndex(plan([], null))).toBeNull();
  });
});

describe('beginStep', () => {
  it('is pure: the state it is given is left as it was', () => {
    const state = standardCircle({ holderId: 'a' });
    const copy = structuredClone(state);
    const { state: next } = beginStep(state, 3, NOW);
    expect(state).toEqual(copy);
    expect(next.plan.current).toBe(3);
    expect(next.version).toBe(state.version); // decide bumps the version, once
  });
});

describe("the templates' plans", () => {
  const cafe = TEMPLATES['conversation-cafe'].plan;
  const spiral = TEMPLATES['wtr-spiral'].plan;

  it('Conversation Café starts with the agreements (open), two rounds of 60 s, open dialogue with a time, a final round', () => {
    expect(cafe.length).toBeGreaterThanOrEqual(5);
    const [agreements, round1, round2, dialogue, final] = cafe;
    expect(agreements?.mode).toBe('open');
    expect(round1).toMatchObject({ mode: 'round', speakerTimeMs: 60_000 });
    expect(round2).toMatchObject({ mode: 'round', speakerTimeMs: 60_000 });
    expect(dialogue?.mode).toBe('open');
    expect(dialogue?.durationMs).toEqual(expect.any(Number));
    expect(final?.mode).toBe('round');
  });

  it('the WTR spiral visits every stage in the spiral’s order, with at least one step in pairs', () => {
    const stages = spiral.map((s) => STAGE_KEYS.indexOf(s.stage));
    for (let i = 1; i < stages.length; i++) expect(stages[i]!).toBeGreaterThanOrEqual(stages[i - 1]!);
    for (const key of STAGE_KEYS) expect(spiral.some((s) => s.stage === key), key).toBe(true);
    expect(spiral.some((s) => s.grouping === 'pairs')).toBe(true);
  });

  it('the open template starts with an empty plan', () => {
    expect(TEMPLATES.open.plan).toEqual([]);
    expect(createCircleState({ id: 'c', title: 'T', template: 'open', now: T0 }).plan).toEqual({ steps: [], current: null, history: [] });
  });

  it('every template step is one plan.set would accept', () => {
    for (const [key, template] of Object.entries(TEMPLATES)) {
      for (const s of template.plan) expect(planStepInputSchema.safeParse(s).success, `${key}: ${s.title}`).toBe(true);
    }
  });

  it('a new circle has its template’s plan with ids, not started, and no bell, silence or breakouts', () => {
    const state = createCircleState({ id: 'c', title: 'Café', template: 'conversation-cafe', now: T0, question: 'What is enough?' });
    expect(state.plan.steps.map(({ id: _id, ...rest }) => rest)).toEqual(cafe);
    expect(state.plan.steps.map((s) => s.id)).toEqual(cafe.map((_, i) => `step-${i + 1}`));
    expect(state.plan.current).toBeNull();
    expect(state).toMatchObject({ bell: null, silence: null, breakouts: null, question: 'What is enough?', intentions: [] });
  });
});

describe('a circle stored before v1.1', () => {
  it('loads with an empty plan, no bell, silence or breakouts, no question and no intentions', () => {
    const { plan: _p, bell: _b, silence: _s, breakouts: _o, question: _q, intentions: _i, ...v1 } = standardCircle();
    const loaded = circleStateSchema.parse(v1);
    expect(loaded).toMatchObject({ plan: { steps: [], current: null, history: [] }, bell: null, silence: null, breakouts: null, question: '', intentions: [] });
  });

  it('a stored plan without a history gets an empty one', () => {
    const state = standardCircle();
    const loaded = circleStateSchema.parse({ ...state, plan: { steps: state.plan.steps, current: 1 } });
    expect(loaded.plan).toEqual({ steps: state.plan.steps, current: 1, history: [] });
  });
});
