import { useLayoutEffect, useRef, useState } from 'react';
import { formatDuration } from '@spiral/shared';
import { useAnimationFrame } from '../circle/useAnimationFrame';
import type { ServerClock } from '../circle/useServerClock';

export interface RemainingProps {
  /** The server time it counts down to. */
  at: number;
  clock: Pick<ServerClock, 'now'>;
  /** Said before the figure, to screen readers and on screen ("Time left"). */
  label: string;
  className?: string;
}

/**
 * A countdown to a moment on the server's clock (a group's end, the recall), derived from that moment
 * and the estimated server time on every frame — never counted in ticks — so every screen agrees.
 * Carries the exact value in `data-remaining-ms`.
 */
export function Remaining({ at, clock, label, className = '' }: RemainingProps) {
  const ref = useRef<HTMLSpanElement>(null);
  const compute = () => Math.max(0, at - clock.now());
  const [text, setText] = useState(() => formatDuration(compute()));
  const update = () => {
    const remaining = compute();
    if (ref.current) ref.current.dataset.remainingMs = String(Math.round(remaining));
    const next = formatDuration(remaining);
    setText((prev) => (prev === next ? prev : next));
  };
  useLayoutEffect(update);
  useAnimationFrame(update, true);
  return (
    <span className={`remaining ${className}`.trim()}>
      <span className="remaining__label">{label}</span>{' '}
      <span ref={ref} role="timer" aria-label={`${label}: ${text}`} className="remaining__time">
        {text}
      </span>
    </span>
  );
}
