import { describe, expect, it } from 'vitest';
import { harvestFileName, harvestMarkdown, markdownText } from './harvest.js';
import { makeCircle } from './testing/circle-builder.js';
import type { CircleState } from './state.js';

// 2024-06-01 09:00 UTC
const NINE = Date.UTC(2024, 5, 1, 9, 0);
const MIN = 60_000;

function ranCafe(): CircleState {
  const base = makeCircle({
    title: 'Evening café',
    template: 'conversation-cafe',
    members: [
      { id: 'f', role: 'facilitator', name: 'Ann' },
      { id: 'a', name: 'Ben' },
      { id: 'b', name: 'Cara' },
    ],
  });
  const [s0, s1, s2] = base.plan.steps;
  return {
    ...base,
    question: 'What does enough\nlook like?',
    plan: {
      ...base.plan,
      current: 2,
      history: [
        { stepId: s0!.id, title: s0!.title, startedAt: NINE },
        { stepId: s1!.id, title: s1!.title, startedAt: NINE + 10 * MIN },
        { stepId: s2!.id, title: s2!.title, startedAt: NINE + 22 * MIN },
      ],
    },
    intentions: [
      { participantId: 'a', text: 'Talk to my neighbours.\n\nStart on Sunday.', at: NINE + 80 * MIN },
      { participantId: 'left-already', text: 'Plant *trees*', at: NINE + 81 * MIN },
    ],
  };
}

describe('harvestMarkdown', () => {
  it('writes the title, the question, the plan as run in local times and the shared intentions with names', () => {
    const md = harvestMarkdown(ranCafe(), { timeZone: 'Europe/Berlin', now: NINE + 90 * MIN });
    expect(md).toBe(
      [
        '# Evening café',
        '',
        'Met on 2024-06-01, harvested 2024-06-01 at 12:30. Times are in Europe/Berlin.',
        '',
        '## The question',
        '',
        '> What does enough',
        '> look like?',
        '',
        '## The plan as run',
        '',
        '1. 11:00 — Agreements and the question (10 min)',
        '   _The host reads the question and the time we will end. Each of us may read one agreement aloud._',
        '2. 11:10 — Round 1 (12 min)',
        '   _The talking object goes round. Say briefly what brings you to the question. No replies yet._',
        '3. 11:22 — Round 2',
        '   _Round again, a little deeper: what did you hear that moved or surprised you, and what do you think now?_',
        '',
        '## Intentions we shared',
        '',
        '### Ben',
        '',
        '> Talk to my neighbours.',
        '>',
        '> Start on Sunday.',
        '',
        '### Someone who has left',
        '',
        '> Plant \\*trees\\*',
        '',
      ].join('\n'),
    );
  });

  it('says so when the plan never started, and leaves out what the circle does not have', () => {
    const cafe = makeCircle({ template: 'conversation-cafe', title: 'Quiet' });
    const md = harvestMarkdown(cafe, { timeZone: 'UTC' });
    expect(md).toBe('# Quiet\n\n## The plan as run\n\n_The plan was not started._\n');
  });

  it('keeps a place for intentions in a spiral circle, and dates steps begun on another day', () => {
    const base = makeCircle({ template: 'wtr-spiral', title: 'Dawn' });
    const [s0, s1] = base.plan.steps;
    const state: CircleState = {
      ...base,
      plan: {
        ...base.plan,
        history: [
          { stepId: s0!.id, title: s0!.title, startedAt: Date.UTC(2024, 5, 1, 23, 50) },
          { stepId: s1!.id, title: s1!.title, startedAt: Date.UTC(2024, 5, 2, 0, 5) },
        ],
      },
    };
    const md = harvestMarkdown(state, { timeZone: 'UTC' });
    expect(md).toContain('Met on 2024-06-01. Times are in UTC.');
    expect(md).toContain('1. 23:50 — Arriving (15 min)');
    expect(md).toContain('2. 2024-06-02 00:05 — Gratitude round\n');
    expect(md).toContain('## Intentions we shared\n\n_No intentions were shared._');
  });

  it('keeps names and titles from being read as Markdown', () => {
    expect(markdownText('# [link](x) <b>a|b</b>\n_x_')).toBe('\\# \\[link\\](x) \\<b\\>a\\|b\\</b\\> \\_x\\_');
    const state = { ...makeCircle({ title: '*Bold* circle', members: [{ id: 'a', name: '<Ann>' }] }), intentions: [{ participantId: 'a', text: 'x', at: 1 }] };
    const md = harvestMarkdown(state, { timeZone: 'UTC' });
    expect(md.startsWith('# \\*Bold\\* circle\n')).toBe(true);
    expect(md).toContain('### \\<Ann\\>');
  });
});

describe('harvestFileName', () => {
  it('names the file after the title and the local date', () => {
    expect(harvestFileName({ title: 'Évening Café: “Enough”?' }, Date.UTC(2024, 5, 1, 23, 30), 'Asia/Tokyo')).toBe('harvest-evening-cafe-enough-2024-06-02.md');
    expect(harvestFileName({ title: '…' }, NINE, 'UTC')).toBe('harvest-circle-2024-06-01.md');
  });
});
