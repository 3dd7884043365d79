/** The room's single-key shortcuts (WCAG 2.1.4: they can be turned off, and never fire while typing). */
export type ShortcutAction = 'mic' | 'hand' | 'pass' | 'bell' | 'help';

export interface Shortcut {
  key: string;
  action: ShortcutAction;
  /** What the help dialog says it does. */
  does: string;
  /** Only for facilitators. */
  facilitator?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'M', action: 'mic', does: 'Mute or unmute your microphone (when you may speak)' },
  { key: 'H', action: 'hand', does: 'Raise or lower your hand' },
  { key: 'P', action: 'pass', does: 'Pass the talking piece (when you hold it)' },
  { key: 'B', action: 'bell', does: 'Ring the bell once', facilitator: true },
  { key: '?', action: 'help', does: 'Show these shortcuts' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat?: boolean;
  target: EventTarget | null;
}

/** Typing somewhere (a field, a list box, an editable region): single keys belong to it then. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"], [role="dialog"] [role="listbox"]') !== null;
}

/** Which shortcut a key press is, if any: `?` always opens help; the rest only while shortcuts are on. */
export function shortcutFor(e: KeyLike, enabled: boolean, facilitator: boolean): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTyping(e.target)) return null;
  const found = SHORTCUTS.find((s) => s.key.toLowerCase() === e.key.toLowerCase());
  if (!found) return null;
  if (found.action === 'help') return 'help';
  if (!enabled) return null;
  if (found.facilitator && !facilitator) return null;
  return found.action;
}
