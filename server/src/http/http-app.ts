import fs from 'node:fs';
import path from 'node:path';
import { calendarSchema, createCircleBodySchema, type HttpErrorCode, patchCircleBodySchema, TRANSPORT_REFUSALS } from '@spiral/shared';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { CircleService, KeyedResult } from '../circle-service.js';
import type { Clock } from '../clock.js';
import { calendarOf, icsOf, inviteUrlOf, isUpcomingListed, scheduleProblem } from '../gatherings.js';
import type { Logger } from '../logger.js';
import type { RateLimit } from '../rate-limits.js';
import { trustProxyFunction } from '../socket/client-address.js';

export interface HttpAppDeps {
  service: CircleService;
  logger: Logger;
  clock: Clock;
  publicOrigin: string;
  createLimit: RateLimit;
  /** The built client (index.html and assets); absent in API-only tests. */
  clientDist?: string;
  /** Extra origins the page may connect to (the LiveKit server), for the content security policy. */
  connectSources?: string[];
  /** `TRUST_PROXY`, in Express' `trust proxy` syntax. */
  trustProxy: string;
}

export const JSON_BODY_LIMIT = '16kb';

function sendError(res: Response, status: number, code: HttpErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxyFunction(deps.trustProxy));
  // Over plain http (a LAN host) the browser must not be told to upgrade to https or remember HSTS:
  // it would fetch our own scripts over https and show a blank page.
  const secure = new URL(deps.publicOrigin).protocol === 'https:';
  app.use(
    helmet({
      strictTransportSecurity: secure,
      contentSecurityPolicy: {
        directives: {
          'upgrade-insecure-requests': secure ? [] : null,
          'connect-src': ["'self'", ...(deps.connectSources ?? [])],
          'media-src': ["'self'", 'blob:'],
          'img-src': ["'self'", 'data:', 'blob:'],
        },
      },
      // Invite links are shared between people; never leak the path to other sites.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: JSON_BODY_LIMIT }));

  api.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  // Checked in the order 415 (not JSON) → 400 (invalid body) → 429 (rate limited): only a valid
  // request spends the address's creation quota, so cross-site text/plain form posts cannot use it up.
  api.post('/circles', async (req, res) => {
    if (!req.is('application/json')) {
      sendError(res, 415, 'invalid', 'Send the circle as JSON, with "Content-Type: application/json".');
      return;
    }
    const parsed = createCircleBodySchema.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, 'invalid', describeBodyProblem(parsed.error.issues));
      return;
    }
    const problem = scheduleProblem(parsed.data.startsAt, deps.clock.now());
    if (problem) {
      sendError(res, 400, 'invalid', problem);
      return;
    }
    if (!(await deps.createLimit.allow(req.ip ?? 'unknown'))) {
      sendError(res, 429, 'rate_limited', 'Too many circles created from this address; try again in a minute.');
      return;
    }
    const { circleId, facilitatorKey } = await deps.service.create(parsed.data);
    const inviteUrl = inviteUrlOf(deps.publicOrigin, circleId);
    res.status(201).json({ circleId, facilitatorKey, inviteUrl, facilitatorUrl: `${inviteUrl}#host=${facilitatorKey}` });
  });

  api.get('/circles/:circleId', async (req, res) => {
    const summary = await deps.service.summary(req.params.circleId);
    if (!summary) {
      const { code, message } = TRANSPORT_REFUSALS.noSuchCircle;
      sendError(res, 404, code, message);
      return;
    }
    res.json(summary);
  });

  // Gatherings: the facilitator edits or deletes with `Authorization: Bearer <facilitatorKey>`.
  // Checked in the order 401 (no key) → 404 (no circle) → 403 (wrong key) → 400 (bad body).
  api.patch('/circles/:circleId', async (req, res) => {
    const key = bearerKey(req);
    if (key === null) return unauthorized(res);
    const parsed = patchCircleBodySchema.safeParse(req.body ?? {});
    const result = await deps.service.update(
      req.params.circleId,
      key,
      parsed.success ? { body: parsed.data } : { problem: describeBodyProblem(parsed.error.issues) },
    );
    if (!result.ok) return sendKeyedRefusal(res, result);
    res.json(result.value);
  });

  api.delete('/circles/:circleId', async (req, res) => {
    const key = bearerKey(req);
    if (key === null) return unauthorized(res);
    const result = await deps.service.remove(req.params.circleId, key);
    if (!result.ok) return sendKeyedRefusal(res, result);
    res.status(204).end();
  });

  api.get('/calendar', async (_req, res) => {
    const circles = calendarOf(await deps.service.states(), deps.clock.now(), deps.publicOrigin);
    res.setHeader('Cache-Control', 'no-cache');
    res.json(calendarSchema.parse({ circles }));
  });

  api.use((_req, res) => sendError(res, 404, 'not_found', 'No such API route.'));
  app.use('/api', api);

  // iCalendar: the public calendar to subscribe to, and one circle's event to add (listed or not).
  app.get('/calendar.ics', async (_req, res) => {
    const now = deps.clock.now();
    const states = (await deps.service.states())
      .filter((state) => isUpcomingListed(state, now))
      .sort((a, b) => (a.gathering.startsAt ?? 0) - (b.gathering.startsAt ?? 0));
    sendCalendar(res, icsOf(states, { publicOrigin: deps.publicOrigin, now, name: 'Spiral circles' }));
  });

  app.get('/c/:circleId/event.ics', async (req, res) => {
    const state = await deps.service.state(req.params.circleId);
    if (!state) {
      const { code, message } = TRANSPORT_REFUSALS.noSuchCircle;
      sendError(res, 404, code, message);
      return;
    }
    if (state.gathering.startsAt === null) {
      sendError(res, 404, 'not_found', 'This circle has no date yet, so there is no calendar event for it.');
      return;
    }
    res.setHeader('Content-Disposition', 'attachment; filename="circle.ics"');
    sendCalendar(res, icsOf([state], { publicOrigin: deps.publicOrigin, now: deps.clock.now(), name: state.title }));
  });

  const clientDist = deps.clientDist;
  if (clientDist && fs.existsSync(path.join(clientDist, 'index.html'))) {
    app.use(express.static(clientDist, { index: false, maxAge: '1h' }));
    // The single-page app answers every other page (home, /c/:circleId) with index.html.
    app.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(clientDist, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('Spiral server is running, but the client is not built. Run `pnpm build`.');
    });
  }

  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    if (status === 413) return sendError(res, 413, 'invalid', `The request body is larger than ${JSON_BODY_LIMIT}.`);
    if (status >= 400 && status < 500) return sendError(res, status, 'invalid', 'The request body is not valid JSON.');
    deps.logger.error({ err: error }, 'http request failed');
    sendError(res, 500, 'internal', 'Something went wrong on the server.');
  };
  app.use(onError);
  return app;
}

/** The key of `Authorization: Bearer <facilitatorKey>`, or null when the header is absent or malformed. */
function bearerKey(req: Request): string | null {
  const match = /^Bearer +([\x21-\x7e]{1,256}) *$/i.exec(req.get('authorization') ?? '');
  return match?.[1] ?? null;
}

function unauthorized(res: Response): void {
  res.setHeader('WWW-Authenticate', 'Bearer realm="spiral"');
  sendError(res, 401, 'unauthorized', 'Send the facilitator key as "Authorization: Bearer <facilitatorKey>".');
}

function sendKeyedRefusal(res: Response, refusal: Extract<KeyedResult<unknown>, { ok: false }>): void {
  const code = refusal.status === 404 ? 'not_found' : refusal.status === 403 ? 'forbidden' : 'invalid';
  sendError(res, refusal.status, code, refusal.message);
}

function sendCalendar(res: Response, ics: string): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.type('text/calendar; charset=utf-8').send(ics);
}

function describeBodyProblem(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'The request body is not valid.';
  const field = first.path.map(String).join('.');
  if (field === 'title') return 'The title must be 1 to 120 characters.';
  if (field === 'template') return 'The template must be one of wtr-spiral, conversation-cafe or open.';
  return field ? `${field}: ${first.message}` : 'The request body must be a JSON object.';
}
