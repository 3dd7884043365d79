import { useEffect, useRef } from 'react';
import { keepTabInside } from '../lib/focusTrap';
import { SHORTCUTS } from './shortcuts';

export interface KeyboardHelpProps {
  facilitator: boolean;
  enabled: boolean;
  onEnabledChange: (on: boolean) => void;
  onClose: () => void;
}

/** The shortcuts, listed, with the switch that turns them off (remembered on this device). */
export function KeyboardHelp({ facilitator, enabled, onEnabledChange, onClose }: KeyboardHelpProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    heading.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog keyboard-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="keyboard-help-heading"
        ref={dialog}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
          keepTabInside(e, dialog.current, heading.current);
        }}
      >
        <h2 id="keyboard-help-heading" tabIndex={-1} ref={heading}>
          Keyboard shortcuts
        </h2>
        <button
          type="button"
          role="switch"
          aria-checked={enabled}
          className="switch"
          onClick={() => onEnabledChange(!enabled)}
        >
          <span className="switch__track" aria-hidden="true">
            <span className="switch__thumb" />
          </span>
          Single-key shortcuts
        </button>
        <p className="hint">They work when you are not typing in a field. Turn them off if they get in the way of your screen reader or speech input; “?” still opens this list.</p>
        <dl className="keyboard-help__list">
          {SHORTCUTS.filter((s) => !s.facilitator || facilitator).map((s) => (
            <div key={s.key} className="keyboard-help__item">
              <dt>
                <kbd>{s.key}</kbd>
              </dt>
              <dd>{s.does}</dd>
            </div>
          ))}
        </dl>
        <button type="button" className="button button--primary" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
