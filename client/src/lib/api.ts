import { apiErrorSchema, circleSummarySchema, createdCircleSchema, type CircleSummary, type CreatedCircle } from '@spiral/shared/http';
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

export interface NewCircle {
  title: string;
  template: TemplateKey;
  /** The circle's question; left out when empty. */
  question?: string;
}

export function createCircle({ title, template, question }: NewCircle): Promise<ApiResult<CreatedCircle>> {
  const body = question ? { title, template, question } : { title, template };
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
