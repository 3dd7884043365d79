import type { PieceMode } from './state.js';

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

export interface TemplateDefaults {
  readonly label: string;
  readonly description: string;
  readonly mode: PieceMode;
  readonly speakerTimeMs: number;
  readonly agreements: readonly string[];
}

export const TEMPLATES: Readonly<Record<TemplateKey, TemplateDefaults>> = {
  'wtr-spiral': {
    label: 'Work That Reconnects spiral',
    description: 'The four-stage spiral with a talking piece passed around the circle.',
    mode: 'round',
    speakerTimeMs: 120_000,
    agreements: [],
  },
  'conversation-cafe': {
    label: 'Conversation Café',
    description: 'Rounds with a talking object, about a minute each, and the six agreements.',
    mode: 'round',
    speakerTimeMs: 60_000,
    agreements: CONVERSATION_CAFE_AGREEMENTS,
  },
  open: {
    label: 'Open circle',
    description: 'No talking piece: everyone may speak.',
    mode: 'open',
    speakerTimeMs: 120_000,
    agreements: [],
  },
};
