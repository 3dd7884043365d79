import { describe, expect, it } from 'vitest';
import { CIRCLE_COMMAND_TYPES, COMMAND_TYPES, MEDIA_COMMAND_TYPES, commandSchema, createCircleBodySchema, joinAuthSchema, nameSchema, planStepInputSchema, titleSchema } from './commands.js';
import { FACILITATOR_COMMANDS } from './permissions.js';

const parse = (value: unknown) => commandSchema.safeParse(value);

describe('commandSchema', () => {
  it('knows every command of PROTOCOL.md v1 and v1.1 (first half) plus our extensions, and only those', () => {
    expect([...COMMAND_TYPES].sort()).toEqual(
      [
        'stage.advance',
        'stage.set',
        'piece.pass',
        'piece.release',
        'piece.take',
        'piece.mode',
        'hand.raise',
        'hand.lower',
        'timer.start',
        'timer.pause',
        'timer.resume',
        'timer.reset',
        'name.set',
        'participant.remove',
        'participants.remove',
        'circle.lock',
        'media.join',
        'media.leave',
        'plan.set',
        'plan.go',
        'plan.next',
        'bell.ring',
        'silence.start',
        'silence.end',
        'gesture.send',
        'seats.order',
        'timer.add',
        'participant.role',
        'intention.share',
        'intention.withdraw',
        'breakout.open',
        'breakout.swap',
        'breakout.pass',
        'breakout.broadcast',
        'breakout.visit',
        'breakout.close',
        'breakout.help',
      ].sort(),
    );
    for (const type of FACILITATOR_COMMANDS) expect(COMMAND_TYPES).toContain(type);
  });

  it('rejects an unknown type, a missing type and non-objects', () => {
    expect(parse({ type: 'piece.steal' }).success).toBe(false);
    expect(parse({ type: 'member.join', participant: { id: 'x', name: 'X', role: 'facilitator' } }).success).toBe(false);
    expect(parse({ type: 'server.restart' }).success).toBe(false);
    expect(parse({}).success).toBe(false);
    expect(parse(null).success).toBe(false);
    expect(parse('stage.advance').success).toBe(false);
  });

  describe('name.set', () => {
    it('trims the name', () => {
      expect(parse({ type: 'name.set', name: '  Rosa  ' })).toMatchObject({ success: true, data: { type: 'name.set', name: 'Rosa' } });
    });

    it('accepts 1 and 60 characters after trimming', () => {
      expect(parse({ type: 'name.set', name: 'x' }).success).toBe(true);
      expect(parse({ type: 'name.set', name: 'x'.repeat(60) }).success).toBe(true);
      expect(parse({ type: 'name.set', name: `  ${'x'.repeat(60)}  ` }).success).toBe(true);
    });

    it('rejects empty, blank and 61 characters', () => {
      expect(parse({ type: 'name.set', name: '' }).success).toBe(false);
      expect(parse({ type: 'name.set', name: ' \t\n ' }).success).toBe(false);
      expect(parse({ type: 'name.set', name: 'x'.repeat(61) }).success).toBe(false);
      expect(parse({ type: 'name.set' }).success).toBe(false);
      expect(parse({ type: 'name.set', name: 42 }).success).toBe(false);
    });
  });

  describe('timer.start', () => {
    it('accepts integer durations from 1 000 to 14 400 000 ms', () => {
      expect(parse({ type: 'timer.start', durationMs: 1_000 }).success).toBe(true);
      expect(parse({ type: 'timer.start', durationMs: 14_400_000 }).success).toBe(true);
      expect(parse({ type: 'timer.start', durationMs: 120_000 }).success).toBe(true);
    });

    it('rejects durations out of bounds, fractional or not numbers', () => {
      for (const durationMs of [999, 0, -1_000, 14_400_001, 1_000.5, Number.NaN, Number.POSITIVE_INFINITY, '60000', null]) {
        expect(parse({ type: 'timer.start', durationMs }).success, String(durationMs)).toBe(false);
      }
      expect(parse({ type: 'timer.start' }).success).toBe(false);
    });

    it('takes an optional label of at most 120 characters after trimming', () => {
      expect(parse({ type: 'timer.start', durationMs: 5_000, label: '  Round  ' })).toMatchObject({ success: true, data: { label: 'Round' } });
      expect(parse({ type: 'timer.start', durationMs: 5_000, label: '' }).success).toBe(true);
      expect(parse({ type: 'timer.start', durationMs: 5_000, label: 'l'.repeat(120) }).success).toBe(true);
      expect(parse({ type: 'timer.start', durationMs: 5_000, label: ` ${'l'.repeat(120)} ` }).success).toBe(true);
      expect(parse({ type: 'timer.start', durationMs: 5_000, label: 'l'.repeat(121) }).success).toBe(false);
    });
  });

  it('checks the enumerated fields', () => {
    expect(parse({ type: 'stage.set', stage: 'going-forth' }).success).toBe(true);
    expect(parse({ type: 'stage.set', stage: 'despair' }).success).toBe(false);
    expect(parse({ type: 'piece.mode', mode: 'popcorn' }).success).toBe(true);
    expect(parse({ type: 'piece.mode', mode: 'chaos' }).success).toBe(false);
    expect(parse({ type: 'circle.lock', locked: true }).success).toBe(true);
    expect(parse({ type: 'circle.lock', locked: 'yes' }).success).toBe(false);
    expect(parse({ type: 'circle.lock' }).success).toBe(false);
  });

  it('checks participant ids', () => {
    expect(parse({ type: 'piece.pass' }).success).toBe(true);
    expect(parse({ type: 'piece.pass', to: 'abc' }).success).toBe(true);
    expect(parse({ type: 'piece.pass', to: '' }).success).toBe(false);
    expect(parse({ type: 'piece.pass', to: 'x'.repeat(65) }).success).toBe(false);
    expect(parse({ type: 'hand.lower' }).success).toBe(true);
    expect(parse({ type: 'hand.lower', participantId: 7 }).success).toBe(false);
    expect(parse({ type: 'participant.remove' }).success).toBe(false);
    expect(parse({ type: 'participant.remove', participantId: 'abc' }).success).toBe(true);
  });

  it('drops unknown extra fields rather than passing them on', () => {
    const result = parse({ type: 'hand.raise', actor: 'someone-else' });
    expect(result.success).toBe(true);
    expect(result.data).toEqual({ type: 'hand.raise' });
  });
});

describe('createCircleBodySchema', () => {
  it('trims the title to 1..120 characters and knows the templates', () => {
    expect(createCircleBodySchema.safeParse({ title: ' Spiral ' })).toMatchObject({ success: true, data: { title: 'Spiral' } });
    expect(createCircleBodySchema.safeParse({ title: 't'.repeat(120), template: 'conversation-cafe' }).success).toBe(true);
    expect(createCircleBodySchema.safeParse({ title: 't'.repeat(121) }).success).toBe(false);
    expect(createCircleBodySchema.safeParse({ title: '   ' }).success).toBe(false);
    expect(createCircleBodySchema.safeParse({ title: 'x', template: 'poker' }).success).toBe(false);
  });
});

describe('joinAuthSchema', () => {
  it('requires a circleId and leaves the name to be judged later', () => {
    expect(joinAuthSchema.safeParse({ circleId: 'c', name: 12 }).success).toBe(true);
    expect(joinAuthSchema.safeParse({ name: 'x' }).success).toBe(false);
    expect(joinAuthSchema.safeParse({ circleId: 'c', facilitatorKey: 5 }).success).toBe(false);
    expect(joinAuthSchema.safeParse({ circleId: '' }).success).toBe(false);
    expect(joinAuthSchema.safeParse({ circleId: 'x'.repeat(65) }).success).toBe(false);
  });

  it('keeps media commands apart from the commands decide takes', () => {
    expect(CIRCLE_COMMAND_TYPES).not.toContain('media.join');
    expect(CIRCLE_COMMAND_TYPES).not.toContain('media.leave');
    expect(CIRCLE_COMMAND_TYPES.length).toBe(COMMAND_TYPES.length - MEDIA_COMMAND_TYPES.length);
  });
});

describe('names and titles are human text', () => {
  it.each([
    ['Fac\u200bilitator', 'Facilitator'],
    ['Cafe\u0301', 'Caf\u00e9'],
    ['  Ana\u00ad ', 'Ana'],
    ['\ufeffBo', 'Bo'],
    ['\u{1F468}\u200d\u{1F469}\u200d\u{1F467}', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}'],
    ['\u0646\u0627\u0645', '\u0646\u0627\u0645'],
  ])('accepts %j as %j', (input, output) => {
    expect(nameSchema.parse(input)).toBe(output);
    expect(titleSchema.parse(input)).toBe(output);
  });

  it.each([
    ['only zero-width spaces', '\u200b\u200b'],
    ['only joiners and a BOM', '\u200d\u200c\ufeff'],
    ['a soft hyphen and spaces', ' \u00ad '],
    ['a Hangul filler', '\u3164'],
    ['a right-to-left override', 'evil\u202eegassem'],
    ['an isolate', 'a\u2066b\u2069'],
    ['a right-to-left mark', 'ab\u200f'],
    ['the Arabic letter mark', 'a\u061c'],
  ])('refuses %s', (_name, input) => {
    expect(nameSchema.safeParse(input).success).toBe(false);
    expect(titleSchema.safeParse(input).success).toBe(false);
  });

  it('applies to name.set, the join name, circle titles and plan steps', () => {
    expect(commandSchema.safeParse({ type: 'name.set', name: '\u200b' }).success).toBe(false);
    expect(createCircleBodySchema.safeParse({ title: 'x\u202e' }).success).toBe(false);
    expect(createCircleBodySchema.parse({ title: 'Cafe\u0301' }).title).toBe('Caf\u00e9');
    const step = { title: 'Check-in', stage: 'gratitude', prompt: '', mode: 'round', speakerTimeMs: null, durationMs: null, grouping: 'circle' };
    expect(planStepInputSchema.safeParse(step).success).toBe(true);
    expect(planStepInputSchema.safeParse({ ...step, title: '\u2060' }).success).toBe(false);
  });
});
