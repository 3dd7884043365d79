import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { passHint, placeOf, speaksOfStages, stageInfo, wouldChange, type CircleState, type Command, type GestureKind, type JoinAuth } from '@spiral/shared';
import { loadCircleMemory, loadRoomPreferences, loadSoundOn, saveRoomPreferences, saveSoundOn, updateCircleMemory, type RoomPreferences } from '../lib/storage';
import { HomeLink, MessagePage } from '../components/MessagePage';
import { CopyField } from '../components/CopyField';
import { connectCircleSocket, type SocketFactory } from './socket';
import { createCues, type Cues } from './sound';
import { useCircleConnection } from './useCircleConnection';
import { Refused } from './Refused';
import { useServerClock, type ServerClock } from './useServerClock';
import { useCues } from './useCues';
import { useAnnouncements } from './useAnnouncements';
import { rejectionText } from './rejections';
import { useToasts, Toasts } from './Toasts';
import { Ring } from './Ring';
import { Centre, SharedTimer } from './Centre';
import { Controls, Queue } from './Controls';
import { FacilitatorPanel } from './FacilitatorPanel';
import { FacilitatorDock } from './FacilitatorDock';
import { Spotlight } from './Spotlight';
import { PieceActions } from './PieceActions';
import { SeatActions } from './SeatActions';
import { KeyboardHelp } from './KeyboardHelp';
import { shortcutFor } from './shortcuts';
import { StepHeader } from '../plan/StepHeader';
import { PlanCard } from '../plan/PlanCard';
import { PlanEditor } from '../plan/PlanEditor';
import { IntentionPanel } from '../plan/IntentionPanel';
import { roomTitle } from '../plan/view';
import { Rhythm } from '../rhythm/Rhythm';
import { useGestures } from '../rhythm/useGestures';
import { MediaBar } from '../media/MediaBar';
import { MicButton } from '../media/MicButton';
import { useMedia, type MediaChannel } from '../media/useMedia';
import type { SeatMedia } from './Ring';
import { GroupView } from '../breakouts/GroupView';
import { BreakoutOverview } from '../breakouts/BreakoutOverview';
import { useSwapCue } from '../breakouts/useSwapCue';
import { GatheringDialog } from '../gathering/GatheringDialog';
import './circle.css';
import './room.css';
import '../media/media.css';

export interface CircleScreenProps {
  circleId: string;
  /** The server refused the remembered name: ask for another one. */
  onNeedName: (message: string) => void;
  /** The facilitator key was refused: forget it and carry on as a participant. */
  onForgetKey: () => void;
  /** Back to the invite page, keeping the name (joining has not opened yet). */
  onBackToInvite?: () => void;
  socketFactory?: SocketFactory;
  cues?: Cues;
}

export function authFor(circleId: string): JoinAuth {
  const memory = loadCircleMemory(circleId);
  const auth: JoinAuth = { circleId };
  if (memory.name) auth.name = memory.name;
  if (memory.facilitatorKey) auth.facilitatorKey = memory.facilitatorKey;
  if (memory.sessionToken) auth.sessionToken = memory.sessionToken;
  return auth;
}

/** The circle as the ring shows it: while groups meet, only the people in the main circle. */
function mainCircleOnly(state: CircleState): CircleState {
  if (!state.breakouts) return state;
  return { ...state, participants: state.participants.filter((p) => placeOf(state, p.id).kind === 'main') };
}

export default function CircleScreen({ circleId, onNeedName, onForgetKey, onBackToInvite, socketFactory = connectCircleSocket, cues: cuesProp }: CircleScreenProps) {
  const auth = useCallback(() => authFor(circleId), [circleId]);
  const [welcomes, setWelcomes] = useState(0);
  const onWelcome = useCallback(
    ({ sessionToken }: { sessionToken: string }) => {
      updateCircleMemory(circleId, { sessionToken });
      setWelcomes((n) => n + 1);
    },
    [circleId],
  );
  const connection = useCircleConnection({ circleId, auth, factory: socketFactory, onWelcome });
  const { status, state, participantId: me, send } = connection;
  const clock: ServerClock = useServerClock(connection.socket, welcomes);
  const cues = useMemo(() => cuesProp ?? createCues(), [cuesProp]);
  const [soundOn, setSoundOn] = useState(loadSoundOn);
  useCues(state, clock, cues, soundOn);
  useSwapCue(state, me, cues, soundOn);
  const gestureMarks = useGestures(connection.socket, state);
  const announcement = useAnnouncements(state, me, clock);
  const [prefs, setPrefs] = useState<RoomPreferences>(loadRoomPreferences);
  const changePrefs = (patch: Partial<RoomPreferences>) => setPrefs(saveRoomPreferences(patch));
  const [helpOpen, setHelpOpen] = useState(false);
  const roomRef = useRef<HTMLElement>(null);
  const { toasts, push, dismiss } = useToasts();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [planEditorOpen, setPlanEditorOpen] = useState(false);
  const [scheduleOpen, setScheduleOpen] = useState(false);

  const socket = connection.socket;
  const mediaChannel = useMemo<MediaChannel | null>(() => {
    if (!socket) return null;
    return {
      join: () => send({ type: 'media.join' }),
      leave: () => void send({ type: 'media.leave' }),
      sendSignal: (signal) => socket.sendSignal(signal),
      onSignal: (handler) => socket.subscribe({ 'media:signal': handler }),
      onPeers: (handler) => socket.subscribe({ 'media:peers': ({ peers }) => handler(peers) }),
    };
  }, [socket, send]);
  const media = useMedia({
    circleId,
    selfId: me,
    state,
    channel: status.kind === 'connected' ? mediaChannel : null,
    connectionEpoch: welcomes,
    onSpeakingRightGranted: () => {
      // In a group the turn's own bell says it (useSwapCue); the piece's cue is for the main circle.
      if (soundOn && !(state && me && placeOf(state, me).kind === 'group')) cues.pieceArrived();
    },
  });
  const seatMedia = useMemo<Record<string, SeatMedia> | undefined>(() => {
    const snap = media.snapshot;
    if (media.phase.kind !== 'on' || !snap) return undefined;
    const out: Record<string, SeatMedia> = {};
    for (const remote of Object.values(snap.remotes)) out[remote.participantId] = { stream: remote.stream, videoOn: remote.videoOn, speaking: remote.speaking };
    if (me) out[me] = { stream: snap.localStream, videoOn: snap.cameraOn, speaking: snap.localSpeaking, mirror: true };
    return out;
  }, [media.phase.kind, media.snapshot, me]);

  // Media lives only while this page holds the seat.
  const { suspend, resumeAudio } = media;
  useEffect(() => {
    if (status.kind === 'removed' || status.kind === 'refused') suspend();
  }, [status.kind, suspend]);

  // Audio may start only after a gesture: the first click or key press anywhere unlocks it.
  useEffect(() => {
    const unlock = () => {
      cues.unlock();
      resumeAudio();
    };
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [cues, resumeAudio]);

  useEffect(() => {
    if (state) document.title = `${state.title} · ${roomTitle(state)} · Spiral`;
  }, [state]);

  const act = useCallback(
    (cmd: Command) =>
      send(cmd).then((result) => {
        if (!result.ok) push(rejectionText(result));
        return result;
      }),
    [send, push],
  );
  // Gestures are quiet: a refusal (above all `rate_limited`) shows nothing.
  const sendGesture = useCallback((kind: GestureKind) => void send({ type: 'gesture.send', kind }), [send]);

  // Focus lands on the room once the circle first shows (after joining), not on the page's top.
  const arrived = state !== null;
  useEffect(() => {
    if (arrived) roomRef.current?.focus();
  }, [arrived]);

  // Single-key shortcuts (off with the switch in the help dialog; never while typing).
  const shortcutState = useRef({ state, me, media, act, prefs });
  shortcutState.current = { state, me, media, act, prefs };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { state: s, me: self, media: m, act: send_, prefs: p } = shortcutState.current;
      if (!s || !self || s.silence !== null || e.defaultPrevented) return;
      const facilitator = s.participants.find((x) => x.id === self)?.role === 'facilitator';
      const action = shortcutFor(e, p.shortcuts, facilitator);
      if (!action) return;
      if (action === 'help') {
        e.preventDefault();
        setHelpOpen(true);
        return;
      }
      if (document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      if (action === 'hand') void send_({ type: s.piece.queue.includes(self) ? 'hand.lower' : 'hand.raise' });
      else if (action === 'pass' && passHint(s, self) !== null) void send_({ type: 'piece.pass', from: s.piece.holderId });
      else if (action === 'bell' && wouldChange(s, self, { type: 'bell.ring', strikes: 1 })) void send_({ type: 'bell.ring', strikes: 1 });
      else if (action === 'mic' && m.snapshot?.micAllowed) m.setMicOn(!m.snapshot.micOn);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (status.kind === 'refused')
    return <Refused code={status.code} connection={connection} onNeedName={onNeedName} onForgetKey={onForgetKey} onBackToInvite={onBackToInvite} />;
  if (status.kind === 'removed') {
    if (status.reason === 'closed') return <CircleClosed />;
    return status.reason === 'removed' ? (
      <MessagePage title="You have left this circle" actions={<HomeLink />}>
        <p>A facilitator removed you from the circle. Thank you for the time you spent in it.</p>
      </MessagePage>
    ) : (
      <MessagePage
        title="This circle is open somewhere else"
        actions={
          <button type="button" className="button button--primary" onClick={connection.retry}>
            Use it here instead
          </button>
        }
      >
        <p>You joined this circle from another tab or device, so this page stepped aside. Only one place can hold your seat at a time.</p>
      </MessagePage>
    );
  }
  if (!state) {
    return (
      <main className="page page--message">
        <p className="card" role="status">
          {status.kind === 'reconnecting' ? 'Reconnecting…' : 'Entering the circle…'}
        </p>
      </main>
    );
  }

  const meP = state.participants.find((p) => p.id === me);
  const isFacilitator = meP?.role === 'facilitator';
  const selected = isFacilitator && selectedId && state.participants.some((p) => p.id === selectedId) ? selectedId : null;
  const offline = status.kind === 'reconnecting' || status.kind === 'connecting';
  // While groups meet: a member in a group sees their group instead of the ring; a facilitator sees
  // every group; whoever stays in the main circle sees only the people there.
  const inGroup = me !== null && placeOf(state, me).kind === 'group';
  const overview = isFacilitator && me !== null && state.breakouts !== null;

  const snap = media.phase.kind === 'on' ? media.snapshot : null;
  const isHolder = me !== null && state.piece.mode !== 'open' && state.piece.holderId === me;
  // The holder's microphone sits by the centre, with Pass; everyone else's stays in the video bar.
  const mic = snap && isHolder ? <MicButton available allowed={snap.micAllowed} on={snap.micOn} prompt={media.unmutePrompt} onChange={media.setMicOn} /> : null;
  const gallery = prefs.view === 'gallery';
  const ringState = mainCircleOnly(state);
  const centre = (
    <Spotlight state={ringState} me={me} clock={clock} media={seatMedia}>
      {inGroup || overview ? null : <PieceActions state={state} me={me} act={act} clock={clock} mic={mic} />}
    </Spotlight>
  );

  return (
    <div className={`circle-screen room${isFacilitator ? ' room--facilitator' : ''}`} data-stage={state.stage.key}>
      <header className="room-bar" inert={state.silence !== null}>
        <div className="room-bar__titles">
          <p className="circle-header__brand">Spiral</p>
          <h1 className="circle-header__title" title={state.title}>
            {state.title}
          </h1>
        </div>
        <div className="room-status">
          {/* In a group, the group's own room shows its prompt (and the step's title). */}
          {inGroup ? null : <StepHeader state={state} />}
          {speaksOfStages(state) ? (
            <p className="room-status__stage">
              <span className="room-status__stage-label">Stage</span> {stageInfo(state.stage.key).shortName}
            </p>
          ) : null}
          <SharedTimer state={state} clock={clock} />
        </div>
        <div className="room-bar__tools">
          <button type="button" className="button button--quiet room-tool" aria-pressed={gallery} aria-label="Gallery view" onClick={() => changePrefs({ view: gallery ? 'ring' : 'gallery' })}>
            Gallery<span className="room-tool__more"> view</span>
          </button>
          <button
            type="button"
            role="switch"
            className="switch room-tool"
            aria-checked={soundOn}
            onClick={() => {
              saveSoundOn(!soundOn);
              setSoundOn(!soundOn);
              cues.unlock();
            }}
          >
            <span className="switch__track" aria-hidden="true">
              <span className="switch__thumb" />
            </span>
            Sounds
          </button>
          <button type="button" className="button button--quiet room-tool" aria-haspopup="dialog" aria-keyshortcuts="?" onClick={() => setHelpOpen(true)}>
            Keys <span aria-hidden="true">?</span>
            <span className="sr-only">: keyboard shortcuts</span>
          </button>
        </div>
      </header>
      {offline ? (
        <div className="banner" role="status">
          Reconnecting… your seat is kept for you.
        </div>
      ) : null}
      <div className="sr-only" aria-live="polite" data-testid="announcer">
        {announcement}
      </div>
      <main className="room-main" id="room" tabIndex={-1} ref={roomRef} aria-label="The room" inert={state.silence !== null}>
        <div className="room-stage">
          {inGroup && me ? (
            <div className="room-stage__scroll">
              <GroupView state={state} me={me} clock={clock} act={act} media={seatMedia} />
            </div>
          ) : null}
          {overview ? (
            <div className="room-stage__scroll">
              <BreakoutOverview state={state} me={me} clock={clock} act={act} />
            </div>
          ) : null}
          {!inGroup && !overview ? (
            <>
              {state.breakouts ? (
                <p className="breakouts-note" role="note">
                  The others are meeting in groups. You are in the main circle.
                </p>
              ) : null}
              <Ring
                state={ringState}
                me={me}
                media={seatMedia}
                marks={gestureMarks}
                clock={clock}
                view={gallery ? 'gallery' : 'ring'}
                centre={centre}
                selectedId={selected}
                onSelect={isFacilitator ? (id) => setSelectedId((cur) => (cur === id ? null : id)) : undefined}
                seatActions={selected ? <SeatActions state={state} me={me} participantId={selected} act={act} onClose={() => setSelectedId(null)} /> : null}
              />
            </>
          ) : null}
          <div className="room-hands">
            {inGroup || overview ? null : <Controls state={state} me={me} act={act} onGesture={sendGesture} />}
            <MediaBar media={media} showMic={!mic} waitReason={inGroup && state.silence === null ? 'Listen: wait for your turn' : undefined} />
          </div>
        </div>
        <aside className="room-side" aria-label="More about the circle" tabIndex={0}>
          {inGroup || overview ? null : <Queue state={state} me={me} />}
          <Centre state={state} />
          <IntentionPanel circleId={circleId} state={state} me={me} send={send} />
          {isFacilitator ? (
            <>
              <PlanCard state={state} me={me} act={act} onEditPlan={() => setPlanEditorOpen(true)} />
              <FacilitatorPanel
                state={state}
                me={me}
                act={act}
                onSchedule={loadCircleMemory(circleId).facilitatorKey ? () => setScheduleOpen(true) : undefined}
              />
              <section className="invite" aria-label="Invite">
                <CopyField label="Invite link" value={`${window.location.origin}/c/${circleId}`} copyLabel="Copy invite link" />
              </section>
            </>
          ) : null}
        </aside>
      </main>
      {isFacilitator ? <FacilitatorDock state={state} me={me} act={act} onEditPlan={() => setPlanEditorOpen(true)} /> : null}
      {isFacilitator && planEditorOpen ? <PlanEditor state={state} me={me} send={send} act={act} onClose={() => setPlanEditorOpen(false)} /> : null}
      {isFacilitator && scheduleOpen ? (
        <ScheduleDialog
          circleId={circleId}
          state={state}
          onClose={() => setScheduleOpen(false)}
          onSaved={() => push('Saved. The invite page and the calendar show the change.')}
        />
      ) : null}
      {helpOpen ? <KeyboardHelp facilitator={isFacilitator} enabled={prefs.shortcuts} onEnabledChange={(on) => changePrefs({ shortcuts: on })} onClose={() => setHelpOpen(false)} /> : null}
      <Rhythm state={state} me={me} clock={clock} cues={cues} soundOn={soundOn} act={act} />
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </div>
  );
}

/** What members see when the facilitator deletes the circle (`circle:removed` `{ reason: 'closed' }`). */
export function CircleClosed() {
  return (
    <MessagePage title="This circle has been closed" actions={<HomeLink />}>
      <p>The facilitator has closed this circle, so it has ended for everyone. Thank you for the time you spent in it.</p>
    </MessagePage>
  );
}

/** The room's "Schedule…": the circle's details and date, changed with the stored facilitator key. */
function ScheduleDialog({ circleId, state, onClose, onSaved }: { circleId: string; state: CircleState; onClose: () => void; onSaved: () => void }) {
  const facilitatorKey = loadCircleMemory(circleId).facilitatorKey;
  if (!facilitatorKey) return null;
  const { gathering } = state;
  return (
    <GatheringDialog
      circleId={circleId}
      facilitatorKey={facilitatorKey}
      circle={{ title: state.title, question: state.question, ...gathering }}
      onClose={onClose}
      onSaved={onSaved}
      // The server tells everyone, this page included (`circle:removed` `closed`).
      onDeleted={onClose}
    />
  );
}
