import { useEffect, useRef } from 'react';

/** Calls `callback` on every animation frame while `active`. */
export function useAnimationFrame(callback: () => void, active: boolean): void {
  const ref = useRef(callback);
  ref.current = callback;
  useEffect(() => {
    if (!active) return;
    let handle = 0;
    const loop = () => {
      ref.current();
      handle = requestAnimationFrame(loop);
    };
    handle = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(handle);
  }, [active]);
}
