import { useLayoutEffect, useRef, useState } from 'react';
import { formatDuration, timerRemainingAt, timerStatus, type TimerState } from '@spiral/shared';
import { useAnimationFrame } from './useAnimationFrame';
import type { ServerClock } from './useServerClock';

export interface CountdownProps {
  timer: TimerState;
  clock: Pick<ServerClock, 'now'>;
}

/**
 * The shared timer. The remaining time is derived from `endsAt` and the estimated server time on every
 * animation frame — never by counting ticks — so every screen shows the same figure. The element also
 * carries the exact value (`data-remaining-ms`) and the client time it was computed at (`data-at`).
 */
export function Countdown({ timer, clock }: CountdownProps) {
  const ref = useRef<HTMLDivElement>(null);
  const compute = () => timerRemainingAt(timer, clock.now());
  const [text, setText] = useState(() => formatDuration(compute()));

  const update = () => {
    const remaining = compute();
    const el = ref.current;
    if (el) {
      el.dataset.remainingMs = String(Math.round(remaining));
      el.dataset.at = String(Date.now());
    }
    const next = formatDuration(remaining);
    setText((prev) => (prev === next ? prev : next));
  };
  useLayoutEffect(update);
  useAnimationFrame(update, timer.running);

  const status = timerStatus(timer);
  const statusText = { running: 'running', paused: 'paused', finished: "time's up", idle: 'not started' }[status];

  return (
    <div className={`countdown countdown--${status}`}>
      <div className="countdown__label" id="timer-label">
        {timer.label || 'Shared timer'}
      </div>
      <div ref={ref} role="timer" aria-labelledby="timer-label" className="countdown__time" data-status={status}>
        {text}
      </div>
      <div className="countdown__status">{statusText}</div>
    </div>
  );
}
