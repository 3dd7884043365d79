import { useEffect, useState } from 'react';

/** Move to another path inside the app without a page load. */
export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePathname(): string {
  const [pathname, setPathname] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPathname(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return pathname;
}

export type Route = { page: 'home' } | { page: 'calendar' } | { page: 'circle'; circleId: string } | { page: 'not-found' };

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  if (pathname === '/calendar' || pathname === '/calendar/') return { page: 'calendar' };
  const m = /^\/c\/([A-Za-z0-9_-]{1,128})\/?$/.exec(pathname);
  if (m?.[1]) return { page: 'circle', circleId: m[1] };
  return { page: 'not-found' };
}
