import {
  apiErrorSchema,
  calendarSchema,
  circleSummarySchema,
  createdCircleSchema,
  type CalendarEntry,
  type CircleSummary,
  type CreatedCircle,
} from '@spiral/shared/http';
import type { TemplateKey } from '@spiral/shared';

export type { CreatedCircle } from '@spiral/shared/http';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string };

/** A body checked against one of the HTTP API's schemas in @spiral/shared. */
interface BodySchema<T> {
  safeParse(body: unknown): { success: true; data: T } | { success: false };
}

async function jsonBody(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function failure<T>(response: Response): Promise<ApiResult<T>> {
  const parsed = apiErrorSchema.safeParse(await jsonBody(response));
  if (parsed.success) return { ok: false, status: response.status, ...parsed.data.error };
  const code = response.status === 404 ? 'not_found' : 'error';
  return { ok: false, status: response.status, code, message: `The server answered ${response.status}.` };
}

async function request<T>(input: string, init: RequestInit, schema: BodySchema<T>): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch {
    return { ok: false, status: 0, code: 'network', message: 'Could not reach the server. Check your connection.' };
  }
  if (!response.ok) return failure<T>(response);
  const parsed = schema.safeParse(await jsonBody(response));
  if (!parsed.success) return { ok: false, status: response.status, code: 'bad_response', message: 'The server sent an unexpected answer.' };
  return { ok: true, value: parsed.data };
}

/** The gathering fields of a create or a change (PROTOCOL.md "v1.1 HTTP: gatherings"). */
export interface GatheringFields {
  /** Epoch ms, in the future. */
  startsAt?: number;
  durationMin?: number;
  description?: string;
  listed?: boolean;
  timeZone?: string;
}

export interface NewCircle extends GatheringFields {
  title: string;
  template: TemplateKey;
  /** The circle's question; left out when empty. */
  question?: string;
}

export function createCircle({ question, ...fields }: NewCircle): Promise<ApiResult<CreatedCircle>> {
  const body = question ? { ...fields, question } : fields;
  return request(
    '/api/circles',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    createdCircleSchema,
  );
}

export function fetchSummary(circleId: string, signal?: AbortSignal): Promise<ApiResult<CircleSummary>> {
  const init: RequestInit = { headers: { accept: 'application/json' } };
  if (signal) init.signal = signal;
  return request(`/api/circles/${encodeURIComponent(circleId)}`, init, circleSummarySchema);
}

/** Never sent: a 204 has no body. */
const noBody: BodySchema<null> = { safeParse: () => ({ success: true, data: null }) };

const withKey = (facilitatorKey: string, extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${facilitatorKey}`,
  accept: 'application/json',
  ...extra,
});

export interface CircleChanges extends GatheringFields {
  title?: string;
  question?: string;
}

/** `PATCH /api/circles/:id` with the facilitator key: the changed fields; answers the public summary. */
export function patchCircle(circleId: string, facilitatorKey: string, changes: CircleChanges): Promise<ApiResult<CircleSummary>> {
  return request(
    `/api/circles/${encodeURIComponent(circleId)}`,
    { method: 'PATCH', headers: withKey(facilitatorKey, { 'content-type': 'application/json' }), body: JSON.stringify(changes) },
    circleSummarySchema,
  );
}

/** `DELETE /api/circles/:id` with the facilitator key: the circle is gone, its members are told. */
export function deleteCircle(circleId: string, facilitatorKey: string): Promise<ApiResult<null>> {
  return request(`/api/circles/${encodeURIComponent(circleId)}`, { method: 'DELETE', headers: withKey(facilitatorKey) }, noBody);
}

/** `GET /api/calendar`: listed circles still to come (or under way), soonest first. */
export function fetchCalendar(signal?: AbortSignal): Promise<ApiResult<CalendarEntry[]>> {
  const init: RequestInit = { headers: { accept: 'application/json' } };
  if (signal) init.signal = signal;
  return request('/api/calendar', init, calendarSchema).then((r) => (r.ok ? { ok: true, value: r.value.circles } : r));
}

/** The address of one circle's iCalendar file ("Add to calendar"). */
export const eventIcsPath = (circleId: string) => `/c/${encodeURIComponent(circleId)}/event.ics`;
/** The public calendar to subscribe to. */
export const CALENDAR_ICS_PATH = '/calendar.ics';
