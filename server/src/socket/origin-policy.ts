export interface OriginPolicy {
  publicOrigin: string;
  allowLocalhost: boolean;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A browser handshake must come from our own origin (plus localhost in development); one without an
 * Origin header (bots, load tests) is judged by its auth alone.
 */
export function isOriginAllowed(policy: OriginPolicy, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  if (origin === policy.publicOrigin) return true;
  if (!policy.allowLocalhost) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOCAL_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}
