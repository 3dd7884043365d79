import { useEffect } from 'react';
import { matchRoute, usePathname } from './lib/navigation';
import { HomePage } from './pages/HomePage';
import { CircleRoute } from './pages/CircleRoute';
import { HomeLink, MessagePage } from './components/MessagePage';

export function App() {
  const route = matchRoute(usePathname());
  useEffect(() => {
    if (route.page !== 'circle') document.title = 'Spiral';
  }, [route.page]);
  switch (route.page) {
    case 'home':
      return <HomePage />;
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
