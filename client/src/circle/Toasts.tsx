import { useCallback, useEffect, useRef, useState } from 'react';

export interface Toast {
  id: number;
  text: string;
}

export function useToasts(timeoutMs = 6_000) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (text: string) => {
      const id = next.current++;
      setToasts((list) => [...list.slice(-2), { id, text }]);
      const t = setTimeout(() => {
        timers.current.delete(t);
        dismiss(id);
      }, timeoutMs);
      timers.current.add(t);
    },
    [dismiss, timeoutMs],
  );
  useEffect(() => {
    const set = timers.current;
    return () => set.forEach(clearTimeout);
  }, []);
  return { toasts, push, dismiss };
}

/** Polite notes about commands the server turned down. */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast">
          <span>{t.text}</span>
          <button type="button" className="toast__close" aria-label="Dismiss" onClick={() => onDismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
