import { gestureSchema, placeOf, type CircleState, type Gesture, type GestureKind } from '@spiral/shared';

/** The words for each gesture: the button's visible label and what a screen reader hears. */
export const GESTURE_INFO: Readonly<Record<GestureKind, { label: string; name: string }>> = {
  heart: { label: 'Heart', name: 'Send a heart' },
  hear: { label: 'I hear you', name: 'Send “I hear you”' },
  thanks: { label: 'Thanks', name: 'Send thanks' },
};

/** A received gesture, floating briefly where it belongs. */
export interface GestureMark {
  key: number;
  kind: GestureKind;
  from: string;
  /** The seat it shows on: the current speaker's; null: near the centre. */
  targetId: string | null;
}

/** How long a mark floats before it fades away. */
export const GESTURE_MARK_MS = 2_600;
/** At most this many marks at once (a burst from a big circle stays calm). */
export const GESTURE_MARKS_MAX = 12;

/**
 * Where a gesture shows: on the seat of whoever speaks now — the holder of the piece — or near the
 * centre when nobody holds it (the piece in the centre, or open conversation).
 */
export function gestureTarget(state: CircleState | null): string | null {
  if (!state || state.piece.mode === 'open') return null;
  const holder = state.piece.holderId;
  // While groups meet, a holder who is in a group has no seat on the main ring.
  if (holder !== null && placeOf(state, holder).kind !== 'main') return null;
  return holder !== null && state.participants.some((p) => p.id === holder) ? holder : null;
}

/** A `circle:gesture` payload worth showing, checked by the shared schema. */
export function isGesture(value: unknown): value is Gesture {
  return gestureSchema.safeParse(value).success;
}
