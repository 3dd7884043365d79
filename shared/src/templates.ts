import type { PieceMode, PlanStep } from './state.js';

export const TEMPLATE_KEYS = ['wtr-spiral', 'conversation-cafe', 'open'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
export const DEFAULT_TEMPLATE: TemplateKey = 'wtr-spiral';

/** The six Conversation Café agreements, kept in the state of a café circle. */
export const CONVERSATION_CAFE_AGREEMENTS = [
  'Open-mindedness: listen to and respect all points of view.',
  'Acceptance: suspend judgement as best you can.',
  'Curiosity: seek to understand rather than persuade.',
  'Discovery: question old assumptions, look for new insights.',
  'Sincerity: speak for yourself from your own experience.',
  'Brevity: go for honesty and depth, but do not go on and on.',
] as const;

export const MAX_PARTICIPANTS = 50;

/**
 * Whether a circle of this template speaks of the spiral's stages. A Conversation Café does not: it
 * has a question and rounds, and the four stages of The Work That Reconnects would only confuse it.
 */
export function speaksOfStages(circle: { template?: TemplateKey | undefined }): boolean {
  return circle.template !== 'conversation-cafe';
}

export interface TemplateDefaults {
  readonly label: string;
  readonly description: string;
  readonly mode: PieceMode;
  readonly speakerTimeMs: number;
  readonly agreements: readonly string[];
  /** The session plan a new circle starts with (ids are given at creation). */
  readonly plan: readonly PlanStepDraft[];
}

/** A plan step before the server gives it an id. */
export type PlanStepDraft = Omit<PlanStep, 'id'>;

const MIN = 60_000;

/** A Conversation Café of about 90 minutes: the agreements and the question, two rounds, open dialogue, a final round. */
const CAFE_PLAN: readonly PlanStepDraft[] = [
  {
    title: 'Agreements and the question',
    stage: 'gratitude',
    prompt: 'The host reads the question and the time we will end. Each of us may read one agreement aloud.',
    mode: 'open',
    speakerTimeMs: null,
    durationMs: 10 * MIN,
    grouping: 'circle',
  },
  {
    title: 'Round 1',
    stage: 'gratitude',
    prompt: 'The talking object goes round. Say briefly what brings you to the question. No replies yet.',
    mode: 'round',
    speakerTimeMs: 1 * MIN,
    durationMs: null,
    grouping: 'circle',
  },
  {
    title: 'Round 2',
    stage: 'gratitude',
    prompt: 'Round again, a little deeper: what did you hear that moved or surprised you, and what do you think now?',
    mode: 'round',
    speakerTimeMs: 1 * MIN,
    durationMs: null,
    grouping: 'circle',
  },
  {
    title: 'Open dialogue',
    stage: 'gratitude',
    prompt: 'Talk together freely. The talking object comes back if one voice takes over or we lose the thread.',
    mode: 'open',
    speakerTimeMs: null,
    durationMs: 30 * MIN,
    grouping: 'circle',
  },
  {
    title: 'Final round',
    stage: 'gratitude',
    prompt: 'One last time round: what challenged, touched or inspired you?',
    mode: 'round',
    speakerTimeMs: 1 * MIN,
    durationMs: null,
    grouping: 'circle',
  },
];

/** A half-day of The Work That Reconnects, once round the spiral. */
const SPIRAL_PLAN: readonly PlanStepDraft[] = [
  {
    title: 'Arriving',
    stage: 'gratitude',
    prompt: 'Say your name, where you are joining from, and one thing you can see or hear around you right now.',
    mode: 'round',
    speakerTimeMs: 1 * MIN,
    durationMs: null,
    grouping: 'circle',
  },
  {
    title: 'Gratitude round',
    stage: 'gratitude',
    prompt: 'Name something in the living world you are thankful for today, and why it matters to you.',
    mode: 'round',
    speakerTimeMs: 2 * MIN,
    durationMs: null,
    grouping: 'circle',
  },
  {
    title: 'Open Sentences in pairs',
    stage: 'gratitude',
    prompt: 'A finishes the sentence and keeps going while B listens without a word. "Some things I love about being alive on Earth are…"',
    mode: 'round',
    speakerTimeMs: 2 * MIN,
    durationMs: 20 * MIN,
    grouping: 'pairs',
  },
  {
    title: 'Truth Mandala',
    stage: 'honoring-pain',
    prompt: 'One at a time, step into the centre and speak what you carry for the world: fear, sorrow, anger, emptiness. The circle witnesses.',
    mode: 'popcorn',
    speakerTimeMs: 3 * MIN,
    durationMs: 60 * MIN,
    grouping: 'circle',
  },
  {
    title: 'Seventh Generation',
    stage: 'new-eyes',
    prompt: 'One of you lives now, one seven generations from now. The future one asks; the present one answers. Then listen in silence.',
    mode: 'round',
    speakerTimeMs: 5 * MIN,
    durationMs: 45 * MIN,
    grouping: 'pairs',
  },
  {
    title: 'Commitments in pairs',
    stage: 'going-forth',
    prompt: 'What do I intend to do for the world? What might stop me? What is my first step, and when?',
    mode: 'round',
    speakerTimeMs: 3 * MIN,
    durationMs: 15 * MIN,
    grouping: 'pairs',
  },
  {
    title: 'Closing round',
    stage: 'going-forth',
    prompt: 'One word or one sentence you take with you from today.',
    mode: 'round',
    speakerTimeMs: 1 * MIN,
    durationMs: null,
    grouping: 'circle',
  },
];

export const TEMPLATES: Readonly<Record<TemplateKey, TemplateDefaults>> = {
  'wtr-spiral': {
    label: 'Work That Reconnects spiral',
    description: 'The four-stage spiral with a talking piece passed around the circle.',
    mode: 'round',
    speakerTimeMs: 120_000,
    agreements: [],
    plan: SPIRAL_PLAN,
  },
  'conversation-cafe': {
    label: 'Conversation Café',
    description: 'Rounds with a talking object, about a minute each, and the six agreements.',
    mode: 'round',
    speakerTimeMs: 60_000,
    agreements: CONVERSATION_CAFE_AGREEMENTS,
    plan: CAFE_PLAN,
  },
  open: {
    label: 'Open circle',
    description: 'No talking piece: everyone may speak.',
    mode: 'open',
    speakerTimeMs: 120_000,
    agreements: [],
    plan: [],
  },
};
