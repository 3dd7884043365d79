import { useState } from 'react';
import { formatDuration, type CircleState } from '@spiral/shared';
import { useAnimationFrame } from './useAnimationFrame';
import type { ServerClock } from './useServerClock';

/** How long the holder has spoken, against `settings.speakerTimeMs`. Informative only: nobody is cut off. */
export function SpeakerTime({ state, clock }: { state: CircleState; clock: Pick<ServerClock, 'now'> }) {
  const { holderId, since, mode } = state.piece;
  const holder = holderId ? state.participants.find((p) => p.id === holderId) : undefined;
  const active = mode !== 'open' && holder !== undefined && since !== null;
  const elapsedAt = () => (active && since !== null ? Math.max(0, clock.now() - since) : 0);
  const [elapsed, setElapsed] = useState(elapsedAt);
  useAnimationFrame(() => {
    const next = Math.floor(elapsedAt() / 1000) * 1000;
    setElapsed((prev) => (prev === next ? prev : next));
  }, active);
  if (!active || !holder) return null;
  const limit = state.settings.speakerTimeMs;
  const over = elapsed >= limit;
  const fraction = Math.min(1, elapsed / limit);
  return (
    <div className={`speaker-time${over ? ' speaker-time--over' : ''}`}>
      <div className="speaker-time__text">
        <span className="speaker-time__who">{holder.name}</span> has spoken{' '}
        <span className="speaker-time__figures">
          {formatDuration(elapsed)} of {formatDuration(limit)}
        </span>
        {over ? <span className="speaker-time__over"> — time to draw to a close</span> : null}
      </div>
      <div className="speaker-time__bar" aria-hidden="true">
        <div className="speaker-time__fill" style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  );
}
