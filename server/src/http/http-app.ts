import fs from 'node:fs';
import path from 'node:path';
import { createCircleBodySchema, type HttpErrorCode, TRANSPORT_REFUSALS } from '@spiral/shared';
import express, { type ErrorRequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { CircleService } from '../circle-service.js';
import type { Logger } from '../logger.js';
import type { RateLimit } from '../rate-limits.js';

export interface HttpAppDeps {
  service: CircleService;
  logger: Logger;
  publicOrigin: string;
  createLimit: RateLimit;
  /** The built client (index.html and assets); absent in API-only tests. */
  clientDist?: string;
  /** Extra origins the page may connect to (the LiveKit server), for the content security policy. */
  connectSources?: string[];
  trustProxy: string;
}

export const JSON_BODY_LIMIT = '16kb';

function sendError(res: Response, status: number, code: HttpErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
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

  api.post('/circles', async (req, res) => {
    if (!(await deps.createLimit.allow(req.ip ?? 'unknown'))) {
      sendError(res, 429, 'rate_limited', 'Too many circles created from this address; try again in a minute.');
      return;
    }
    const parsed = createCircleBodySchema.safeParse(req.body);
    if (!parsed.success) {
      sendError(res, 400, 'invalid', describeBodyProblem(parsed.error.issues));
      return;
    }
    const { circleId, facilitatorKey } = await deps.service.create(parsed.data);
    const inviteUrl = `${deps.publicOrigin}/c/${circleId}`;
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

  api.use((_req, res) => sendError(res, 404, 'not_found', 'No such API route.'));
  app.use('/api', api);

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

function describeBodyProblem(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'The request body is not valid.';
  const field = first.path.map(String).join('.');
  if (field === 'title') return 'The title must be 1 to 120 characters.';
  if (field === 'template') return 'The template must be one of wtr-spiral, conversation-cafe or open.';
  return field ? `${field}: ${first.message}` : 'The request body must be a JSON object.';
}
