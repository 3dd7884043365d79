import { useEffect, useRef, useState } from 'react';
import type { CircleState } from '@spiral/shared';
import type { CircleSocket } from '../circle/socket';
import { GESTURE_MARK_MS, GESTURE_MARKS_MAX, gestureTarget, isGesture, type GestureMark } from './gestures';

/**
 * The gestures floating now. Each `circle:gesture` shows once, on the seat of the speaker at the
 * moment it arrives, for `GESTURE_MARK_MS`; nothing is kept, so a reload shows none.
 */
export function useGestures(socket: CircleSocket | null, state: CircleState | null): GestureMark[] {
  const [marks, setMarks] = useState<GestureMark[]>([]);
  const stateRef = useRef(state);
  stateRef.current = state;
  const nextKey = useRef(1);

  useEffect(() => {
    if (!socket) return;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const unsubscribe = socket.subscribe({
      'circle:gesture': (gesture) => {
        if (!isGesture(gesture)) return;
        const mark: GestureMark = { key: nextKey.current++, kind: gesture.kind, from: gesture.from, targetId: gestureTarget(stateRef.current) };
        setMarks((list) => [...list.slice(-(GESTURE_MARKS_MAX - 1)), mark]);
        const t = setTimeout(() => {
          timers.delete(t);
          setMarks((list) => list.filter((m) => m.key !== mark.key));
        }, GESTURE_MARK_MS);
        timers.add(t);
      },
    });
    return () => {
      unsubscribe();
      timers.forEach(clearTimeout);
    };
  }, [socket]);

  return marks;
}
