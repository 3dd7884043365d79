import { useState } from 'react';
import { wouldChange, type CircleState, type Command } from '@spiral/shared';
import { BellIcon } from './icons';
import './rhythm.css';

export interface RhythmBarProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void;
}

/** Silence lengths offered besides an open-ended silence (minutes). */
export const SILENCE_PRESETS_MIN = [1, 2, 5] as const;

/**
 * The facilitator's bell and silence, always in reach: a slim bar that stays at the top of the screen
 * while the page scrolls. Rendered only when the server would accept a bell from this member; inert
 * behind the silence overlay.
 */
export function RhythmBar({ state, me, act }: RhythmBarProps) {
  const [silenceMin, setSilenceMin] = useState<number | null>(null);
  if (me === null || !wouldChange(state, me, { type: 'bell.ring', strikes: 1 })) return null;
  return (
    <section className="rhythm-bar" aria-label="Bell and silence" inert={state.silence !== null}>
      <div className="rhythm-bar__inner">
        <div className="segmented" role="group" aria-label="Bell">
          <button type="button" className="segmented__button segmented__button--main" onClick={() => act({ type: 'bell.ring', strikes: 1 })}>
            <BellIcon size={16} /> Bell
          </button>
          {([2, 3] as const).map((strikes) => (
            <button key={strikes} type="button" className="segmented__button" aria-label={`Bell ×${strikes}`} onClick={() => act({ type: 'bell.ring', strikes })}>
              ×{strikes}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Silence">
          <button
            type="button"
            className="segmented__button segmented__button--main"
            onClick={() => act(silenceMin === null ? { type: 'silence.start' } : { type: 'silence.start', durationMs: silenceMin * 60_000 })}
          >
            <span className="rhythm-bar__hush" aria-hidden="true" /> Silence
          </button>
          <select
            className="segmented__select"
            aria-label="Silence length"
            value={silenceMin === null ? 'open' : String(silenceMin)}
            onChange={(e) => setSilenceMin(e.target.value === 'open' ? null : Number(e.target.value))}
          >
            <option value="open">open</option>
            {SILENCE_PRESETS_MIN.map((m) => (
              <option key={m} value={m}>
                {m} min
              </option>
            ))}
          </select>
        </div>
      </div>
    </section>
  );
}
