/** What this browser remembers about one circle: the name used there, the session token, a facilitator key. */
export interface CircleMemory {
  name?: string;
  sessionToken?: string;
  facilitatorKey?: string;
}

const PREFIX = 'spiral:circle:';
const SOUND_KEY = 'spiral:sound';

function safeStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null; // storage disabled (privacy mode): the app still works, it just forgets on reload
  }
}

function readString(record: Record<string, unknown>, key: keyof CircleMemory): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function loadCircleMemory(circleId: string): CircleMemory {
  const raw = safeStorage()?.getItem(PREFIX + circleId);
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const record = parsed as Record<string, unknown>;
  const memory: CircleMemory = {};
  const name = readString(record, 'name');
  const sessionToken = readString(record, 'sessionToken');
  const facilitatorKey = readString(record, 'facilitatorKey');
  if (name) memory.name = name;
  if (sessionToken) memory.sessionToken = sessionToken;
  if (facilitatorKey) memory.facilitatorKey = facilitatorKey;
  return memory;
}

/** Merge `patch` into the memory for a circle; `undefined` values delete a field. */
export function updateCircleMemory(circleId: string, patch: Partial<Record<keyof CircleMemory, string | undefined>>): CircleMemory {
  const next: CircleMemory = { ...loadCircleMemory(circleId) };
  for (const key of Object.keys(patch) as (keyof CircleMemory)[]) {
    const value = patch[key];
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  const storage = safeStorage();
  try {
    if (Object.keys(next).length === 0) storage?.removeItem(PREFIX + circleId);
    else storage?.setItem(PREFIX + circleId, JSON.stringify(next));
  } catch {
    /* quota or disabled storage: keep going in memory */
  }
  return next;
}

/**
 * Take a facilitator key from the address fragment (`#host=…`), keep it for this circle and remove it
 * from the address bar, so it is not left in history, bookmarks or a shared screen.
 */
export function captureFacilitatorKey(circleId: string, location: Location, history: History): string | undefined {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  if (!hash) return undefined;
  const params = new URLSearchParams(hash);
  const key = params.get('host');
  if (!key) return undefined;
  updateCircleMemory(circleId, { facilitatorKey: key });
  history.replaceState(history.state, '', location.pathname + location.search);
  return key;
}

export function loadSoundOn(): boolean {
  return safeStorage()?.getItem(SOUND_KEY) !== 'off';
}

export function saveSoundOn(on: boolean): void {
  try {
    safeStorage()?.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    /* ignore */
  }
}

const INTENTION_PREFIX = 'spiral:intention:';

/** The Going Forth intention this member is writing in a circle: private, on this device only, until shared. */
export function loadIntentionDraft(circleId: string): string {
  try {
    return safeStorage()?.getItem(INTENTION_PREFIX + circleId) ?? '';
  } catch {
    return '';
  }
}

/** Keep the draft (an empty one is forgotten). */
export function saveIntentionDraft(circleId: string, text: string): void {
  try {
    const storage = safeStorage();
    if (text.trim() === '') storage?.removeItem(INTENTION_PREFIX + circleId);
    else storage?.setItem(INTENTION_PREFIX + circleId, text);
  } catch {
    /* quota or disabled storage: the draft lives as long as the page */
  }
}

/** Per-person choices for the room, kept on this device: the view, and whether single-key shortcuts work. */
export interface RoomPreferences {
  view: 'ring' | 'gallery';
  shortcuts: boolean;
}

const ROOM_KEY = 'spiral:room';
const ROOM_DEFAULTS: RoomPreferences = { view: 'ring', shortcuts: true };

export function loadRoomPreferences(): RoomPreferences {
  let parsed: unknown;
  try {
    parsed = JSON.parse(safeStorage()?.getItem(ROOM_KEY) ?? '{}');
  } catch {
    return { ...ROOM_DEFAULTS };
  }
  if (typeof parsed !== 'object' || parsed === null) return { ...ROOM_DEFAULTS };
  const record = parsed as Record<string, unknown>;
  return {
    view: record.view === 'gallery' ? 'gallery' : 'ring',
    shortcuts: typeof record.shortcuts === 'boolean' ? record.shortcuts : ROOM_DEFAULTS.shortcuts,
  };
}

export function saveRoomPreferences(patch: Partial<RoomPreferences>): RoomPreferences {
  const next = { ...loadRoomPreferences(), ...patch };
  try {
    safeStorage()?.setItem(ROOM_KEY, JSON.stringify(next));
  } catch {
    /* storage disabled: the choice lasts as long as the page */
  }
  return next;
}
