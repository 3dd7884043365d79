import { lazy, Suspense, useEffect } from 'react';
import { matchRoute, usePathname } from './lib/navigation';
import { HomePage } from './pages/HomePage';
import { CircleRoute } from './pages/CircleRoute';
import { HomeLink, MessagePage } from './components/MessagePage';

/** The public calendar: its own chunk, so the home and invite pages stay small. */
const CalendarPage = lazy(() => import('./pages/CalendarPage'));

export function App() {
  const route = matchRoute(usePathname());
  useEffect(() => {
    if (route.page !== 'circle') document.title = route.page === 'calendar' ? 'Upcoming circles · Spiral' : 'Spiral';
  }, [route.page]);
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'calendar':
      return (
        <Suspense
          fallback={
            <main className="page page--message">
              <p className="card" role="status">
                Loading the calendar…
              </p>
            </main>
          }
        >
          <CalendarPage />
        </Suspense>
      );
    case 'circle':
      return <CircleRoute key={route.circleId} circleId={route.circleId} />;
    case 'not-found':
      return (
        <MessagePage title="Page not found" actions={<HomeLink />}>
          <p>There is nothing at this address.</p>
        </MessagePage>
      );
  }
}
