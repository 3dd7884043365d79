import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

const compiled = new Map<string, ReturnType<typeof proxyaddr.compile>>();

/** The client's address, believing X-Forwarded-For only from trusted proxies — the same rule as Express. */
export function clientAddress(request: IncomingMessage, trustProxy: string): string {
  let trust = compiled.get(trustProxy);
  if (!trust) {
    trust = proxyaddr.compile(trustProxy.split(',').map((s) => s.trim()));
    compiled.set(trustProxy, trust);
  }
  try {
    return proxyaddr(request, trust);
  } catch {
    return request.socket.remoteAddress ?? 'unknown';
  }
}
