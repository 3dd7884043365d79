import { useEffect, useState } from 'react';
import { captureFacilitatorKey, loadCircleMemory, updateCircleMemory, type CircleMemory } from '../lib/storage';
import { JoinPage } from './JoinPage';
import { MessagePage } from '../components/MessagePage';

type CircleScreenModule = typeof import('../circle/CircleScreen');
let circleScreenModule: CircleScreenModule | null = null;

/**
 * The circle screen is a separate chunk, fetched when someone shows intent to join (or comes back with
 * a remembered name). Not `React.lazy`: Suspense holds a revealed boundary back for ~300 ms, which
 * would delay entering the circle even when the chunk is already here.
 */
export function loadCircleScreen(): Promise<CircleScreenModule> {
  return import('../circle/CircleScreen').then((m) => (circleScreenModule = m));
}

function useCircleScreen(wanted: boolean): CircleScreenModule | 'failed' | null {
  const [mod, setMod] = useState<CircleScreenModule | null>(circleScreenModule);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!wanted || mod) return;
    let live = true;
    loadCircleScreen().then(
      (m) => live && setMod(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [wanted, mod]);
  if (failed) return 'failed';
  return mod ?? circleScreenModule;
}

/** `/c/:circleId`: ask for a name the first time, then the circle; a reload goes straight back in. */
export function CircleRoute({ circleId }: { circleId: string }) {
  const [memory, setMemory] = useState<CircleMemory>(() => {
    captureFacilitatorKey(circleId, window.location, window.history);
    return loadCircleMemory(circleId);
  });
  const [joined, setJoined] = useState(() => Boolean(memory.name));

  // A facilitator link pasted into a tab already on this circle changes only the fragment: keep the
  // key, clear it from the address bar, and come back in with it.
  useEffect(() => {
    const onHashChange = () => {
      if (captureFacilitatorKey(circleId, window.location, window.history)) window.location.reload();
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [circleId]);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const screen = useCircleScreen(joined);

  if (joined && memory.name) {
    if (screen === 'failed') {
      return (
        <MessagePage
          title="Could not open the circle"
          actions={
            <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
              Reload
            </button>
          }
        >
          <p>Part of the page did not arrive. Check your connection, then reload.</p>
        </MessagePage>
      );
    }
    if (!screen) {
      return (
        <main className="page page--message">
          <p className="card" role="status">
            Entering the circle…
          </p>
        </main>
      );
    }
    const CircleScreen = screen.default;
    return (
      <CircleScreen
          circleId={circleId}
          onNeedName={(message) => {
            setMemory(updateCircleMemory(circleId, { name: undefined }));
            setNotice(message);
            setJoined(false);
          }}
          onForgetKey={() => setMemory(updateCircleMemory(circleId, { facilitatorKey: undefined }))}
          onBackToInvite={() => setJoined(false)}
        />
    );
  }
  return (
    <JoinPage
      circleId={circleId}
      asFacilitator={Boolean(memory.facilitatorKey)}
      {...(memory.facilitatorKey ? { facilitatorKey: memory.facilitatorKey } : {})}
      initialName={memory.name ?? ''}
      notice={notice}
      onIntent={() => void loadCircleScreen()}
      onJoin={(name) => {
        setMemory(updateCircleMemory(circleId, { name }));
        setNotice(undefined);
        setJoined(true);
      }}
    />
  );
}
