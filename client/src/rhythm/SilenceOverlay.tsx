import { useEffect, useRef, useState } from 'react';
import { formatDuration, type Silence } from '@spiral/shared';
import { useAnimationFrame } from '../circle/useAnimationFrame';
import type { ServerClock } from '../circle/useServerClock';

export interface SilenceOverlayProps {
  silence: Silence;
  clock: Pick<ServerClock, 'now'>;
  /** Given to those who may end the silence (facilitators): the overlay then offers "End silence". */
  onEnd?: () => void;
}

/**
 * The whole room rests: a dimmed screen, a slowly breathing circle, "Silence" and the time left. Not a
 * trap: the screen behind is made inert by its owner while silence holds, so "End silence" is the one
 * control a facilitator's keyboard reaches (it takes the focus when the silence begins, and the focus
 * goes back where it was when it ends).
 */
export function SilenceOverlay({ silence, clock, onEnd }: SilenceOverlayProps) {
  const { endsAt } = silence;
  const leftText = () => (endsAt === null ? '' : formatDuration(endsAt - clock.now()));
  const [left, setLeft] = useState(leftText);
  useAnimationFrame(() => {
    const next = leftText();
    setLeft((prev) => (prev === next ? prev : next));
  }, endsAt !== null);
  useEffect(() => setLeft(leftText()), [endsAt]); // eslint-disable-line react-hooks/exhaustive-deps

  const root = useRef<HTMLElement>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  const canEnd = onEnd !== undefined;
  useEffect(() => {
    if (!canEnd) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!root.current?.contains(document.activeElement)) endButton.current?.focus();
    return () => {
      const active = document.activeElement;
      if (before && before.isConnected && (active === null || active === document.body)) before.focus();
    };
  }, [canEnd]);

  return (
    <section ref={root} className="silence" aria-labelledby="silence-title" data-testid="silence-overlay">
      <div className="silence__breath" aria-hidden="true">
        <span className="silence__halo" />
        <span className="silence__core" />
      </div>
      <h2 id="silence-title" className="silence__title">
        Silence
      </h2>
      <p className="silence__time">{endsAt === null ? 'Until the bell' : <><span className="silence__figures">{left}</span> left</>}</p>
      <p className="silence__note">Nobody speaks now. A bell will end the silence.</p>
      {onEnd ? (
        <button ref={endButton} type="button" className="button silence__end" onClick={onEnd}>
          End silence
        </button>
      ) : null}
    </section>
  );
}
