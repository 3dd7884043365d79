/** The four stages of the spiral of The Work That Reconnects, in order. */
export const STAGE_KEYS = ['gratitude', 'honoring-pain', 'new-eyes', 'going-forth'] as const;
export type StageKey = (typeof STAGE_KEYS)[number];

export interface StageInfo {
  readonly key: StageKey;
  readonly name: string;
  readonly shortName: string;
  readonly guidance: string;
}

export const STAGES: readonly StageInfo[] = [
  {
    key: 'gratitude',
    name: 'Coming from Gratitude',
    shortName: 'Gratitude',
    guidance:
      'Slow down and arrive. Name what sustains you — a place, a person, a breath of air. ' +
      'Gratitude steadies us for what comes next.',
  },
  {
    key: 'honoring-pain',
    name: 'Honoring our Pain for the World',
    shortName: 'Honoring Pain',
    guidance:
      'Let what you feel for the world be spoken and heard: grief, fear, anger, numbness. ' +
      'Nothing needs fixing here. Our pain is a sign of how much we care.',
  },
  {
    key: 'new-eyes',
    name: 'Seeing with New and Ancient Eyes',
    shortName: 'New Eyes',
    guidance:
      'Widen the frame. Sense yourself as part of a web that reaches back to the ancestors and ' +
      'forward to beings not yet born, and notice the power that comes from belonging to it.',
  },
  {
    key: 'going-forth',
    name: 'Going Forth',
    shortName: 'Going Forth',
    guidance:
      'Turn insight into intention. What will you do, with whom, and what is your first step? ' +
      'Speak it so the circle can hold it with you.',
  },
];

export function stageInfo(key: StageKey): StageInfo {
  const info = STAGES.find((s) => s.key === key);
  if (!info) throw new Error(`unknown stage ${key}`);
  return info;
}

/** The stage after `key`, and whether the spiral wrapped around into a new cycle. */
export function nextStage(key: StageKey): { key: StageKey; wrapped: boolean } {
  const index = STAGE_KEYS.indexOf(key);
  const nextIndex = (index + 1) % STAGE_KEYS.length;
  return { key: STAGE_KEYS[nextIndex] as StageKey, wrapped: nextIndex === 0 };
}
