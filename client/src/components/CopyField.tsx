import { useId, useRef, useState } from 'react';

/** A read-only link with a copy button; says "Copied" politely when it worked. */
export function CopyField({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('Copied.');
    } catch {
      input.current?.select();
      setStatus('Selected — press Ctrl+C (or ⌘C) to copy.');
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field__row">
        <input id={id} ref={input} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button" onClick={() => void copy()}>
          {copyLabel}
        </button>
      </div>
      <p className="copy-field__status" role="status">
        {status}
      </p>
    </div>
  );
}
