import { useId } from 'react';

export interface MicButtonProps {
  /** Media is on (there is a microphone to switch). */
  available: boolean;
  allowed: boolean;
  on: boolean;
  prompt: boolean;
  onChange(on: boolean): void;
  /** Why the microphone is off, when not "wait for the talking piece" (in a group: wait for your turn). */
  waitReason?: string;
}

export const WAIT_FOR_PIECE = 'Wait for the talking piece';

/** The microphone switch: disabled, with the reason, while the circle does not give you the word. */
export function MicButton({ available, allowed, on, prompt, onChange, waitReason = WAIT_FOR_PIECE }: MicButtonProps) {
  const reasonId = useId();
  if (!available) return null;
  if (!allowed) {
    return (
      <span className="mic mic--waiting">
        {/* aria-disabled, not disabled: it stays reachable by Tab, so the reason can be heard. */}
        <button type="button" className="button button--disabled" aria-disabled="true" aria-describedby={reasonId} onClick={(e) => e.preventDefault()}>
          Microphone off
        </button>
        <span id={reasonId} className="mic__reason">
          {waitReason}
        </span>
      </span>
    );
  }
  return (
    <span className={`mic${prompt ? ' mic--prompt' : ''}`}>
      {/* Named by what it does ("Mute" while the microphone is on), so no aria-pressed to contradict the name. */}
      <button type="button" className={`button${prompt ? ' button--primary' : ''}`} aria-keyshortcuts="M" onClick={() => onChange(!on)}>
        {on ? 'Mute' : 'Unmute'}
      </button>
      {prompt && !on ? <span className="mic__reason">You may speak: unmute when you are ready.</span> : null}
    </span>
  );
}
