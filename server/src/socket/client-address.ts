import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustFunction = (address: string, hop: number) => boolean;

const compiled = new Map<string, TrustFunction>();

/**
 * `TRUST_PROXY` in Express' `trust proxy` syntax, as a function: `true`/`false`, a number of hops
 * (`1`), or a comma-separated list of addresses, subnets and names (`loopback`, `10.0.0.0/8, uniquelocal`).
 * Throws on an address or subnet it cannot read.
 */
export function trustProxyFunction(trustProxy: string): TrustFunction {
  let trust = compiled.get(trustProxy);
  if (!trust) {
    const text = trustProxy.trim();
    if (text === 'true') trust = () => true;
    else if (text === 'false' || text === '') trust = () => false;
    else if (/^\d+$/.test(text)) {
      const hops = Number(text);
      trust = (_address, hop) => hop < hops;
    } else trust = proxyaddr.compile(text.split(',').map((s) => s.trim()).filter((s) => s !== ''));
    compiled.set(trustProxy, trust);
  }
  return trust;
}

/** The client's address, believing X-Forwarded-For only from trusted proxies — the same rule as Express. */
export function clientAddress(request: IncomingMessage, trustProxy: string): string {
  try {
    return proxyaddr(request, trustProxyFunction(trustProxy));
  } catch {
    return request.socket.remoteAddress ?? 'unknown';
  }
}
