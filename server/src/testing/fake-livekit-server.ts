import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier } from 'livekit-server-sdk';

export interface TwirpCall {
  method: string;
  body: Record<string, unknown>;
  /** The verified bearer token's video grant. */
  grant: Record<string, unknown>;
}

/**
 * A local stand-in for LiveKit's RoomService that speaks its Twirp JSON API
 * (`POST /twirp/livekit.RoomService/<Method>`) and verifies each bearer token with TokenVerifier.
 */
export class FakeLiveKitServer {
  readonly calls: TwirpCall[] = [];
  readonly rejectedAuth: string[] = [];
  /** Answer the next N calls with a Twirp `unavailable` error. */
  failNext = 0;
  /** Identities answered with `not_found` (not in the room). */
  readonly absent = new Set<string>();
  private server?: http.Server;
  url = '';

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
  ) {}

  async start(): Promise<string> {
    const verifier = new TokenVerifier(this.apiKey, this.apiSecret);
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const match = /^\/twirp\/livekit\.RoomService\/(\w+)$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match) return reply(404, { code: 'bad_route', msg: 'no such route' });
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        let grant: Record<string, unknown>;
        try {
          const claims = await verifier.verify(token);
          grant = (claims.video ?? {}) as Record<string, unknown>;
        } catch (error) {
          this.rejectedAuth.push(String(error));
          return reply(401, { code: 'unauthenticated', msg: 'invalid token' });
        }
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        } catch {
          return reply(400, { code: 'malformed', msg: 'bad json' });
        }
        if (this.failNext > 0) {
          this.failNext -= 1;
          return reply(503, { code: 'unavailable', msg: 'try again' });
        }
        this.calls.push({ method: match[1]!, body, grant });
        if (typeof body.identity === 'string' && this.absent.has(body.identity)) {
          return reply(404, { code: 'not_found', msg: 'participant not found' });
        }
        if (match[1] === 'UpdateParticipant') return reply(200, { identity: body.identity, permission: body.permission });
        return reply(200, {});
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** UpdateParticipant calls as `identity → sources`, in order. */
  updates(): { identity: string; sources: string[] }[] {
    return this.calls
      .filter((c) => c.method === 'UpdateParticipant')
      .map((c) => {
        const permission = (c.body.permission ?? {}) as { canPublishSources?: string[] };
        return { identity: String(c.body.identity), sources: permission.canPublishSources ?? [] };
      });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
