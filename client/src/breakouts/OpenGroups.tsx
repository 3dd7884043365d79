import { useState } from 'react';
import { AUTO_RECALL_AFTER_MS, commandSchema, LIMITS, openBreakouts, RULE_REFUSALS, wouldChange, type CircleState, type Command } from '@spiral/shared';
import { listNames } from './view';
import './breakouts.css';

export interface OpenGroupsProps {
  state: CircleState;
  me: string;
  act: (cmd: Command) => void | Promise<unknown>;
}

const SIZES = [
  { size: 2, label: 'Pairs', one: 'pair', many: 'pairs' },
  { size: 3, label: 'Triads', one: 'triad', many: 'triads' },
  { size: 4, label: 'Quads', one: 'quad', many: 'quads' },
] as const;
const KIND_BY_SIZE: Readonly<Record<number, { one: string; many: string }>> = {
  1: { one: 'person on their own', many: 'people on their own' },
  2: { one: 'pair', many: 'pairs' },
  3: { one: 'triad', many: 'triads' },
  4: { one: 'quad', many: 'quads' },
};

/** "3 pairs and a triad": the sizes the server will make, counted by kind. */
export function groupsWords(sizes: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const n of sizes) counts.set(n, (counts.get(n) ?? 0) + 1);
  const parts = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([size, count]) => {
      const kind = KIND_BY_SIZE[size] ?? { one: `group of ${size}`, many: `groups of ${size}` };
      return count === 1 ? `${size === 1 ? 'one' : 'a'} ${kind.one}` : `${count} ${kind.many}`;
    });
  return listNames(parts);
}

/**
 * "Open groups", in the facilitator panel while none are open: pairs, triads or quads, taking turns
 * or open, a prompt and a time. What the groups will be is asked of the server's own `openBreakouts`
 * (who is grouped, the sizes); the button is offered when `wouldChange` says the server would open them.
 */
export function OpenGroups({ state, me, act }: OpenGroupsProps) {
  const [size, setSize] = useState<2 | 3 | 4>(2);
  const [mode, setMode] = useState<'turns' | 'open'>('turns');
  const [minutes, setMinutes] = useState('');
  const [prompt, setPrompt] = useState('');
  const durationMs = minutes.trim() === '' ? undefined : Math.round(Number(minutes) * 60_000);
  const parsed = commandSchema.safeParse({
    type: 'breakout.open',
    size,
    mode,
    ...(prompt.trim() ? { prompt: prompt.trim() } : {}),
    ...(durationMs === undefined ? {} : { durationMs }),
  });
  const minutesInvalid = durationMs !== undefined && !commandSchema.safeParse({ type: 'breakout.open', size, durationMs }).success;
  const command = parsed.success && parsed.data.type === 'breakout.open' ? parsed.data : null;
  const offered = command !== null && wouldChange(state, me, command);
  // The groups the server would make now (its own rule, seed aside): only their sizes are shown.
  const sizes = openBreakouts(state, { size, mode }, 0, 0)?.breakouts.groups.map((g) => g.memberIds.length) ?? [];

  return (
    <form
      className="open-groups"
      aria-labelledby="open-groups-heading"
      onSubmit={(e) => {
        e.preventDefault();
        if (command && offered) void act(command);
      }}
    >
      <h3 id="open-groups-heading">Groups</h3>
      <div className="chips" role="group" aria-label="Group size">
        {SIZES.map((s) => (
          <button key={s.size} type="button" className="chip" aria-pressed={size === s.size} onClick={() => setSize(s.size)}>
            {s.label}
          </button>
        ))}
      </div>
      <fieldset className="radios open-groups__mode">
        <legend>In each group</legend>
        <label className="radio">
          <input type="radio" name="breakout-mode" checked={mode === 'turns'} onChange={() => setMode('turns')} />
          <span>
            Take turns <span className="radio__hint">— one speaks, the others listen in silence (A, then B)</span>
          </span>
        </label>
        <label className="radio">
          <input type="radio" name="breakout-mode" checked={mode === 'open'} onChange={() => setMode('open')} />
          <span>
            Open conversation <span className="radio__hint">— everyone in the group may speak</span>
          </span>
        </label>
      </fieldset>
      <label className="field open-groups__prompt">
        <span>Prompt (optional)</span>
        <textarea rows={2} maxLength={LIMITS.promptMax} value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="e.g. Something I love about being alive on Earth is…" />
      </label>
      <div className="field open-groups__minutes">
        <label htmlFor="open-groups-minutes">Minutes (optional)</label>
        <input
          id="open-groups-minutes"
          type="number"
          inputMode="decimal"
          min={1}
          max={LIMITS.breakoutMaxMs / 60_000}
          step="any"
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          aria-invalid={minutesInvalid || undefined}
          aria-describedby="open-groups-minutes-help"
        />
        <span id="open-groups-minutes-help" className={minutesInvalid ? 'error' : 'hint'}>
          {minutesInvalid
            ? `Choose between ${LIMITS.breakoutMinMs / 1000} seconds and ${LIMITS.breakoutMaxMs / 60_000} minutes, or leave it empty.`
            : `When the time is up, everyone is called back after a ${AUTO_RECALL_AFTER_MS / 1000}-second warning.`}
        </span>
      </div>
      <p className="hint open-groups__preview" aria-live="polite">
        {sizes.length > 0 ? `Everyone here but the facilitators, shuffled into ${groupsWords(sizes)}.` : RULE_REFUSALS.nobodyToGroup.message}
      </p>
      <button type="submit" className="button button--primary" aria-disabled={!offered || undefined}>
        Open groups
      </button>
    </form>
  );
}
