/**
 * The plan editor's local draft: the steps as the facilitator is shaping them, kept apart from the
 * snapshots (a snapshot arriving mid-edit never touches it). Checked with the command's own schema,
 * `planStepInputSchema`: the ranges are the protocol's, never re-written here.
 */
import {
  GROUPINGS,
  LIMITS,
  PIECE_MODE_INFO,
  planStepInputSchema,
  type Grouping,
  type PieceMode,
  type PlanStep,
  type PlanStepInput,
  type StageKey,
} from '@spiral/shared';

/** Minutes as typed, with the exact milliseconds they were shown for (so an untouched field keeps its value). */
export interface MinutesField {
  text: string;
  shownFor: { text: string; ms: number | null } | null;
}

export interface DraftStep {
  /** Local identity, for React and for focus; never sent. */
  key: string;
  /** The server's id, for a step that exists there. */
  id?: string;
  title: string;
  stage: StageKey;
  prompt: string;
  mode: PieceMode;
  /** Per-speaker minutes; empty keeps the circle's. */
  speaker: MinutesField;
  /** The step's timer in minutes; empty: no timer. */
  duration: MinutesField;
  grouping: Grouping;
}

export type StepField = 'title' | 'stage' | 'prompt' | 'mode' | 'speakerTimeMs' | 'durationMs' | 'grouping';
export type StepErrors = Partial<Record<StepField, string>>;

let keys = 0;
export const newKey = (): string => `draft-${++keys}`;

/** Milliseconds as minutes for a field: whole or up to two decimals. */
export function minutesText(ms: number | null): string {
  if (ms === null) return '';
  return String(Math.round(ms / 600) / 100);
}

function minutesField(ms: number | null): MinutesField {
  const text = minutesText(ms);
  return { text, shownFor: { text, ms } };
}

export function typedMinutes(text: string): MinutesField {
  return { text, shownFor: null };
}

/**
 * The milliseconds a minutes field stands for: null when empty, NaN when it is not a number (the
 * schema then refuses it), the original value when the text was not changed.
 */
export function minutesToMs(field: MinutesField): number | null {
  const text = field.text.trim();
  const shownFor = field.shownFor;
  if (shownFor && shownFor.text === text) return shownFor.ms;
  if (text === '') return null;
  const minutes = Number(text.replace(',', '.'));
  return Number.isFinite(minutes) ? Math.round(minutes * 60_000) : Number.NaN;
}

export function toDraft(step: PlanStep): DraftStep {
  return {
    key: newKey(),
    id: step.id,
    title: step.title,
    stage: step.stage,
    prompt: step.prompt,
    mode: step.mode,
    speaker: minutesField(step.speakerTimeMs),
    duration: minutesField(step.durationMs),
    grouping: step.grouping,
  };
}

/** A new step, following the one before it (its stage), in a plain shape. */
export function blankStep(after: DraftStep | undefined): DraftStep {
  return {
    key: newKey(),
    title: '',
    stage: after?.stage ?? 'gratitude',
    prompt: '',
    mode: 'round',
    speaker: typedMinutes(''),
    duration: typedMinutes(''),
    grouping: 'circle',
  };
}

/** What `plan.set` would carry for this step, before the schema's check. */
export function draftInput(step: DraftStep): Record<string, unknown> {
  return {
    ...(step.id === undefined ? {} : { id: step.id }),
    title: step.title,
    stage: step.stage,
    prompt: step.prompt,
    mode: step.mode,
    speakerTimeMs: minutesToMs(step.speaker),
    durationMs: minutesToMs(step.duration),
    grouping: step.grouping,
  };
}

/** Whether the draft says the same as these steps (what `plan.set` would leave unchanged). */
export function sameAsPlan(draft: readonly DraftStep[], steps: readonly PlanStep[]): boolean {
  if (draft.length !== steps.length) return false;
  return draft.every((d, i) => {
    const s = steps[i]!;
    const input = draftInput(d);
    return (
      d.id === s.id &&
      d.title.trim() === s.title &&
      d.prompt.trim() === s.prompt &&
      d.stage === s.stage &&
      d.mode === s.mode &&
      d.grouping === s.grouping &&
      input.speakerTimeMs === s.speakerTimeMs &&
      input.durationMs === s.durationMs
    );
  });
}

function spell(ms: number): string {
  return ms < 60_000 ? `${ms / 1000} seconds` : `${ms / 60_000} minutes`;
}

/** Words for a field the schema refused (the check itself is the schema's). */
export function fieldMessage(field: StepField, grouping: Grouping): string {
  switch (field) {
    case 'title':
      return `Give the step a title (up to ${LIMITS.titleMax} characters).`;
    case 'prompt':
      return `Keep the prompt under ${LIMITS.promptMax} characters.`;
    case 'speakerTimeMs':
      return `Between ${spell(LIMITS.speakerTimeMinMs)} and ${spell(LIMITS.speakerTimeMaxMs)}, or leave it empty to keep the circle’s time.`;
    case 'durationMs':
      return grouping === 'circle'
        ? `Between ${spell(LIMITS.timerMinMs)} and ${spell(LIMITS.timerMaxMs)}, or leave it empty for no timer.`
        : `In ${GROUPING_LABELS[grouping].toLowerCase()} a step lasts between ${spell(LIMITS.breakoutMinMs)} and ${spell(LIMITS.breakoutMaxMs)}, or leave it empty for no timer.`;
    case 'stage':
    case 'mode':
    case 'grouping':
      return 'Choose one of these.';
  }
}

const FIELDS: readonly StepField[] = ['title', 'stage', 'prompt', 'mode', 'speakerTimeMs', 'durationMs', 'grouping'];

export type Checked = { ok: true; steps: PlanStepInput[] } | { ok: false; errors: Record<string, StepErrors> };

/** Every step through `planStepInputSchema`; the errors by step key and field. */
export function checkDraft(draft: readonly DraftStep[]): Checked {
  const steps: PlanStepInput[] = [];
  const errors: Record<string, StepErrors> = {};
  for (const step of draft) {
    const result = planStepInputSchema.safeParse(draftInput(step));
    if (result.success) {
      steps.push(result.data);
      continue;
    }
    const mine: StepErrors = {};
    for (const issue of result.error.issues) {
      const field = FIELDS.find((f) => f === issue.path[0]);
      if (field && !mine[field]) mine[field] = fieldMessage(field, step.grouping);
    }
    if (Object.keys(mine).length === 0) mine.title = 'This step cannot be saved as it is.';
    errors[step.key] = mine;
  }
  return Object.keys(errors).length === 0 ? { ok: true, steps } : { ok: false, errors };
}

export const GROUPING_LABELS: Readonly<Record<Grouping, string>> = {
  circle: 'The whole circle',
  pairs: 'Pairs',
  triads: 'Groups of three',
  quads: 'Groups of four',
};

export const GROUPING_KEYS = GROUPINGS;

/** A short line about a step's shape: "Round · 1 min each · 20 min · pairs". */
export function stepShape(step: Pick<PlanStep, 'mode' | 'speakerTimeMs' | 'durationMs' | 'grouping'>): string {
  const parts: string[] = [];
  parts.push(PIECE_MODE_INFO[step.mode].label);
  if (step.speakerTimeMs !== null && step.mode !== 'open') parts.push(`${minutesText(step.speakerTimeMs)} min each`);
  if (step.durationMs !== null) parts.push(`${minutesText(step.durationMs)} min timer`);
  if (step.grouping !== 'circle') parts.push(GROUPING_LABELS[step.grouping].toLowerCase());
  return parts.join(' · ');
}
