import { GESTURE_KINDS, type GestureKind } from '@spiral/shared';
import { GESTURE_INFO } from './gestures';
import { GestureIcon } from './icons';

/** Witnessing without words: every member may send a heart, "I hear you" or thanks to whoever speaks. */
export function GestureBar({ onGesture }: { onGesture: (kind: GestureKind) => void }) {
  return (
    <div className="gestures" role="group" aria-labelledby="gestures-label">
      <span id="gestures-label" className="gestures__label">
        Witness
      </span>
      {GESTURE_KINDS.map((kind) => (
        <button key={kind} type="button" className={`gesture-button gesture-button--${kind}`} aria-label={GESTURE_INFO[kind].name} onClick={() => onGesture(kind)}>
          <GestureIcon kind={kind} size={18} />
          <span>{GESTURE_INFO[kind].label}</span>
        </button>
      ))}
    </div>
  );
}
