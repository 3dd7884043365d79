import { useEffect, useState } from 'react';

/** `Date.now()`, renewed every `everyMs` (on the boundary) while `live`: for countdowns in words. */
export function useNow(everyMs = 1_000, live = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const t = Date.now();
      setNow(t);
      timer = setTimeout(tick, everyMs - (t % everyMs) + 5);
    };
    timer = setTimeout(tick, everyMs - (Date.now() % everyMs) + 5);
    return () => clearTimeout(timer);
  }, [everyMs, live]);
  return now;
}
