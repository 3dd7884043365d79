import type { DevicePreferences } from './media-session';

export interface MediaPreferences extends DevicePreferences {
  /** Unmute by itself when the talking piece arrives (opt-in). */
  autoUnmute: boolean;
  /** Send my camera when video comes up (default: yes). Off: the circle hears me and I see everyone. */
  cameraOn: boolean;
  /** The check before joining has been answered once: it is not asked again (it can be reopened). */
  checked: boolean;
}

const PREFS_KEY = 'spiral:media-prefs';
const mediaOnKey = (circleId: string) => `spiral:media-on:${circleId}`;

export const DEFAULT_MEDIA_PREFERENCES: Readonly<MediaPreferences> = Object.freeze({ autoUnmute: false, cameraOn: true, checked: false });

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
  if (!raw) return { ...DEFAULT_MEDIA_PREFERENCES };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return { ...DEFAULT_MEDIA_PREFERENCES };
    const p = parsed as Record<string, unknown>;
    return {
      autoUnmute: p.autoUnmute === true,
      cameraOn: p.cameraOn !== false,
      checked: p.checked === true,
      ...(typeof p.audioDeviceId === 'string' ? { audioDeviceId: p.audioDeviceId } : {}),
      ...(typeof p.videoDeviceId === 'string' ? { videoDeviceId: p.videoDeviceId } : {}),
    };
  } catch {
    return { ...DEFAULT_MEDIA_PREFERENCES };
  }
}

/** One line saying what joining will do with the camera and microphone, from the remembered choices. */
export function describeMediaChoices(prefs: MediaPreferences): string {
  const camera = prefs.cameraOn ? 'Your camera comes on when you join' : 'You join with your camera off';
  const unmute = prefs.autoUnmute ? 'your microphone unmutes when the piece comes to you' : 'you unmute yourself when the piece comes to you';
  return `${camera}; ${unmute}.`;
}

export function saveMediaPreferences(change: Partial<MediaPreferences>): MediaPreferences {
  const next = { ...loadMediaPreferences(), ...change };
  write(PREFS_KEY, JSON.stringify(next));
  return next;
}

/**
 * Whether video should come up when this member is in this circle: yes unless they left video here
 * ("Leave video"), so joining brings it up with no click and a reload keeps what they chose.
 */
export function loadMediaOn(circleId: string): boolean {
  return loadMediaChoice(circleId) !== 'off';
}

/** What this member last did with video in this circle: turned it on, left it, or nothing yet (null). */
export function loadMediaChoice(circleId: string): 'on' | 'off' | null {
  const value = read(mediaOnKey(circleId));
  return value === '1' ? 'on' : value === '0' ? 'off' : null;
}

export function saveMediaOn(circleId: string, on: boolean): void {
  write(mediaOnKey(circleId), on ? '1' : '0');
}
