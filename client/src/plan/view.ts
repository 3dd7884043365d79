import { nextStepIndex, speaksOfStages, stageInfo, type CircleState, type PlanStep } from '@spiral/shared';

/** The step to show everyone: the one in progress, or before the plan starts the first one, "up next". */
export interface StepInView {
  step: PlanStep;
  index: number;
  total: number;
  upNext: boolean;
}

export function stepInView(state: CircleState): StepInView | null {
  const { steps, current } = state.plan;
  const index = current ?? 0;
  const step = steps[index];
  if (!step) return null;
  return { step, index, total: steps.length, upNext: current === null };
}

/** "Step 2 of 5". */
export function stepCount(index: number, total: number): string {
  return `Step ${index + 1} of ${total}`;
}

/** The step `plan.next` would begin, if any. */
export function nextStep(state: CircleState): { step: PlanStep; index: number } | null {
  const index = nextStepIndex(state.plan);
  const step = index === null ? undefined : state.plan.steps[index];
  return step && index !== null ? { step, index } : null;
}

/** What the browser tab says after the circle's title: the stage, or in a café the step (never a stage). */
export function roomTitle(state: CircleState): string {
  if (speaksOfStages(state)) return stageInfo(state.stage.key).shortName;
  const view = stepInView(state);
  return view && !view.upNext ? view.step.title : 'Conversation Café';
}
