import { describe, expect, it } from 'vitest';
import { STAGES, STAGE_KEYS, nextStage, stageInfo, type StageKey } from './stages.js';

describe('nextStage', () => {
  it('follows the spiral in order', () => {
    expect(nextStage('gratitude')).toEqual({ key: 'honoring-pain', wrapped: false });
    expect(nextStage('honoring-pain')).toEqual({ key: 'new-eyes', wrapped: false });
    expect(nextStage('new-eyes')).toEqual({ key: 'going-forth', wrapped: false });
  });

  it('wraps from going-forth back to gratitude', () => {
    expect(nextStage('going-forth')).toEqual({ key: 'gratitude', wrapped: true });
  });

  it('comes back to the start after four steps, wrapping exactly once', () => {
    let key: StageKey = 'new-eyes';
    let wraps = 0;
    for (let i = 0; i < STAGE_KEYS.length; i++) {
      const next = nextStage(key);
      key = next.key;
      if (next.wrapped) wraps++;
    }
    expect(key).toBe('new-eyes');
    expect(wraps).toBe(1);
  });
});

describe('stages', () => {
  it('describes each stage once, in the order of STAGE_KEYS', () => {
    expect(STAGES.map((s) => s.key)).toEqual([...STAGE_KEYS]);
    expect(STAGE_KEYS).toEqual(['gratitude', 'honoring-pain', 'new-eyes', 'going-forth']);
  });

  it('stageInfo finds a stage and refuses an unknown one', () => {
    expect(stageInfo('new-eyes').shortName).toBe('New Eyes');
    expect(() => stageInfo('nope' as StageKey)).toThrow();
  });
});
