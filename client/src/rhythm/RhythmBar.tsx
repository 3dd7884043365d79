import { wouldChange, type CircleState, type Command } from '@spiral/shared';
import { BellIcon } from './icons';

export interface RhythmBarProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void;
}

/** Silence lengths offered besides an open-ended silence (minutes). */
export const SILENCE_PRESETS_MIN = [1, 2, 5] as const;

/**
 * The facilitator's bell and silence, always in reach: a bar kept at the bottom of the screen while
 * the page scrolls. Rendered only when the server would accept a bell from this member.
 */
export function RhythmBar({ state, me, act }: RhythmBarProps) {
  if (me === null || !wouldChange(state, me, { type: 'bell.ring', strikes: 1 })) return null;
  const silenceHolds = state.silence !== null;
  return (
    <section className="rhythm-bar" aria-label="Bell and silence" inert={silenceHolds}>
      <div className="rhythm-bar__inner">
        <div className="segmented" role="group" aria-label="Bell">
          <button type="button" className="segmented__button segmented__button--main" onClick={() => act({ type: 'bell.ring', strikes: 1 })}>
            <BellIcon size={16} /> Bell
          </button>
          {([2, 3] as const).map((strikes) => (
            <button key={strikes} type="button" className="segmented__button" onClick={() => act({ type: 'bell.ring', strikes })}>
              <span className="sr-only">Bell </span>×{strikes}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Silence">
          <button type="button" className="segmented__button segmented__button--main" onClick={() => act({ type: 'silence.start' })}>
            <span className="rhythm-bar__hush" aria-hidden="true" /> Silence
          </button>
          {SILENCE_PRESETS_MIN.map((m) => (
            <button key={m} type="button" className="segmented__button" onClick={() => act({ type: 'silence.start', durationMs: m * 60_000 })}>
              <span className="sr-only">Silence for </span>
              {m} min
            </button>
          ))}
        </div>
      </div>
    </section>
  );
}
