import type { DevicePreferences } from './media-session';

export interface MediaPreferences extends DevicePreferences {
  /** Unmute by itself when the talking piece arrives (opt-in). */
  autoUnmute: boolean;
}

const PREFS_KEY = 'spiral:media-prefs';
const mediaOnKey = (circleId: string) => `spiral:media-on:${circleId}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage unavailable (private mode): preferences simply are not remembered
  }
}

export function loadMediaPreferences(): MediaPreferences {
  const raw = read(PREFS_KEY);
  if (!raw) return { autoUnmute: false };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return { autoUnmute: false };
    const p = parsed as Record<string, unknown>;
    return {
      autoUnmute: p.autoUnmute === true,
      ...(typeof p.audioDeviceId === 'string' ? { audioDeviceId: p.audioDeviceId } : {}),
      ...(typeof p.videoDeviceId === 'string' ? { videoDeviceId: p.videoDeviceId } : {}),
    };
  } catch {
    return { autoUnmute: false };
  }
}

export function saveMediaPreferences(change: Partial<MediaPreferences>): MediaPreferences {
  const next = { ...loadMediaPreferences(), ...change };
  write(PREFS_KEY, JSON.stringify(next));
  return next;
}

/** Whether this member had video on in this circle (so a reload turns it back on). */
export function loadMediaOn(circleId: string): boolean {
  return read(mediaOnKey(circleId)) === '1';
}

export function saveMediaOn(circleId: string, on: boolean): void {
  write(mediaOnKey(circleId), on ? '1' : null);
}
