import { STAGE_KEYS, TEMPLATE_KEYS, type CircleSummary, type StageKey, type TemplateKey } from '@spiral/shared';

export interface CreatedCircle {
  circleId: string;
  facilitatorKey: string;
  inviteUrl: string;
  facilitatorUrl: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isStageKey(value: unknown): value is StageKey {
  return typeof value === 'string' && (STAGE_KEYS as readonly string[]).includes(value);
}

export function isTemplateKey(value: unknown): value is TemplateKey {
  return typeof value === 'string' && (TEMPLATE_KEYS as readonly string[]).includes(value);
}

/** Checks the shape of a `GET /api/circles/:id` body (hand-written: keeps zod out of the first page's JS). */
export function parseSummary(body: unknown): CircleSummary | null {
  if (!isRecord(body)) return null;
  const { circleId, title, stage, participantCount, locked } = body;
  if (typeof circleId !== 'string' || typeof title !== 'string' || !isStageKey(stage)) return null;
  if (typeof participantCount !== 'number' || typeof locked !== 'boolean') return null;
  return { circleId, title, stage, participantCount, locked };
}

export function parseCreated(body: unknown): CreatedCircle | null {
  if (!isRecord(body)) return null;
  const { circleId, facilitatorKey, inviteUrl, facilitatorUrl } = body;
  if (typeof circleId !== 'string' || typeof facilitatorKey !== 'string') return null;
  if (typeof inviteUrl !== 'string' || typeof facilitatorUrl !== 'string') return null;
  return { circleId, facilitatorKey, inviteUrl, facilitatorUrl };
}

async function failure<T>(response: Response): Promise<ApiResult<T>> {
  let code = response.status === 404 ? 'not_found' : 'error';
  let message = `The server answered ${response.status}.`;
  try {
    const body: unknown = await response.json();
    if (isRecord(body) && isRecord(body.error)) {
      if (typeof body.error.code === 'string') code = body.error.code;
      if (typeof body.error.message === 'string') message = body.error.message;
    }
  } catch {
    /* not JSON: keep the status-based message */
  }
  return { ok: false, status: response.status, code, message };
}

async function request<T>(input: string, init: RequestInit, parse: (body: unknown) => T | null): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch {
    return { ok: false, status: 0, code: 'network', message: 'Could not reach the server. Check your connection.' };
  }
  if (!response.ok) return failure<T>(response);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const value = parse(body);
  if (value === null) return { ok: false, status: response.status, code: 'bad_response', message: 'The server sent an unexpected answer.' };
  return { ok: true, value };
}

export function createCircle(title: string, template: TemplateKey): Promise<ApiResult<CreatedCircle>> {
  return request(
    '/api/circles',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title, template }) },
    parseCreated,
  );
}

export function fetchSummary(circleId: string, signal?: AbortSignal): Promise<ApiResult<CircleSummary>> {
  const init: RequestInit = { headers: { accept: 'application/json' } };
  if (signal) init.signal = signal;
  return request(`/api/circles/${encodeURIComponent(circleId)}`, init, parseSummary);
}
