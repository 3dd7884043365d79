import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { speaksOfStages, stageInfo, TEMPLATES, type CircleSummary } from '@spiral/shared';
import { LIMITS } from '@spiral/shared/limits';
import { joinIsOpen, joinOpensAt, type Gathering } from '@spiral/shared/gathering';
import { fetchCalendar, fetchSummary } from '../lib/api';
import { useNow } from '../lib/useNow';
import { deviceTimeZone, formatClock } from '../lib/time';
import { updateCircleMemory } from '../lib/storage';
import { describeMediaChoices, loadMediaPreferences, saveMediaPreferences } from '../media/media-preferences';
import { BrandedPage, HomeLink, MessagePage } from '../components/MessagePage';
import { WhenCard } from '../gathering/WhenCard';
import './pages.css';

const PreJoinCheck = lazy(() => import('../media/PreJoinCheck'));
/** Only a facilitator opens it: not part of the invite page's first load. */
const GatheringDialog = lazy(() => import('../gathering/GatheringDialog').then((m) => ({ default: m.GatheringDialog })));

type Load = { kind: 'loading' } | { kind: 'ready'; summary: CircleSummary } | { kind: 'not-found' } | { kind: 'error'; message: string };

export interface JoinPageProps {
  circleId: string;
  asFacilitator: boolean;
  /** The stored facilitator key: offers "Edit or delete…" before joining. */
  facilitatorKey?: string;
  initialName?: string;
  /** Shown above the form, e.g. when the server refused the name. */
  notice?: string;
  onJoin: (name: string) => void;
  /** Called when the user shows intent to join (focus), to fetch the circle screen early. */
  onIntent?: () => void;
}

export function NoSuchCircle() {
  return (
    <MessagePage title="No such circle" actions={<HomeLink />}>
      <p>This link does not lead to a circle. It may have been mistyped, or the circle has ended and been cleared away.</p>
      <p>Ask whoever invited you for a fresh link.</p>
    </MessagePage>
  );
}

export function CircleLocked() {
  return (
    <MessagePage title="This circle is locked">
      <p>The facilitator has closed the circle to newcomers, so that the people inside can settle in.</p>
      <p>If you were expected, ask the facilitator to unlock it, then reload this page.</p>
    </MessagePage>
  );
}

export function CircleDeleted() {
  return (
    <MessagePage title="The circle has been deleted" actions={<HomeLink />}>
      <p>Its invite and facilitator links no longer lead anywhere, and anyone inside was told it has closed.</p>
    </MessagePage>
  );
}

/** The summary's schedule, as the shared rules take it. */
function gatheringOf(summary: CircleSummary | null): Gathering {
  return { startsAt: summary?.startsAt ?? null, durationMin: summary?.durationMin ?? null, description: summary?.description ?? '', listed: false, timeZone: summary?.timeZone ?? null };
}

export function JoinPage({ circleId, asFacilitator, facilitatorKey, initialName = '', notice, onJoin, onIntent }: JoinPageProps) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [name, setName] = useState(initialName);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  // The camera check is asked once: open on the first visit, a line and a button after that.
  const [choices, setChoices] = useState(loadMediaPreferences);
  const [checking, setChecking] = useState(() => !choices.checked);
  const nameInput = useRef<HTMLInputElement>(null);
  /** The dialog is open, knowing whether the circle is listed (the public summary does not say; the calendar does). */
  const [editing, setEditing] = useState<{ listed: boolean } | null>(null);
  const [deleted, setDeleted] = useState(false);
  const loadedSummary = load.kind === 'ready' ? load.summary : null;
  const gathering = gatheringOf(loadedSummary);
  // The countdown lives only while the circle is still to come (or under way).
  const now = useNow(1_000, gathering.startsAt !== null);

  useEffect(() => {
    const controller = new AbortController();
    void fetchSummary(circleId, controller.signal).then((result) => {
      if (controller.signal.aborted) return;
      if (result.ok) setLoad({ kind: 'ready', summary: result.value });
      else if (result.status === 404) setLoad({ kind: 'not-found' });
      else setLoad({ kind: 'error', message: result.message });
    });
    return () => controller.abort();
  }, [circleId, attempt]);

  useEffect(() => {
    if (load.kind === 'ready') document.title = `${load.summary.title} · Spiral`;
  }, [load]);

  if (deleted) return <CircleDeleted />;
  if (load.kind === 'not-found') return <NoSuchCircle />;
  if (load.kind === 'error')
    return (
      <MessagePage
        title="Could not reach the circle"
        actions={
          <button type="button" className="button button--primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        }
      >
        <p>{load.message}</p>
      </MessagePage>
    );
  if (load.kind === 'ready' && load.summary.locked && !asFacilitator) return <CircleLocked />;

  const open = joinIsOpen(gathering, now, asFacilitator);
  const opensAt = joinOpensAt(gathering);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!open) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Please tell the circle your name.');
      nameInput.current?.focus();
      return;
    }
    if (trimmed.length > LIMITS.nameMax) {
      setError(`Please keep your name under ${LIMITS.nameMax} characters.`);
      return;
    }
    // Joining answers the check: video comes up with these choices, and it is not asked again.
    if (!choices.checked) setChoices(saveMediaPreferences({ checked: true }));
    onJoin(trimmed);
  };

  const summary = load.kind === 'ready' ? load.summary : null;
  // A café speaks of its question and rounds, never of the spiral's stages.
  const isCafe = summary !== null && !speaksOfStages(summary);
  const question = summary?.question?.trim() ?? '';
  const errorText = error || notice || '';
  return (
    <BrandedPage className="page--join">
      <div className="card" aria-busy={summary ? undefined : true}>
        <p className="eyebrow">{isCafe ? `You are invited to a ${TEMPLATES['conversation-cafe'].label}` : 'You are invited to a circle'}</p>
        <h1>{summary ? summary.title : 'Loading the circle…'}</h1>
        {question ? (
          <figure className="question">
            <figcaption className="question__label">The question</figcaption>
            <blockquote className="question__text">{question}</blockquote>
          </figure>
        ) : null}
        {summary?.description?.trim() ? <p className="when__description">{summary.description.trim()}</p> : null}
        {summary && gathering.startsAt !== null ? (
          <WhenCard circleId={circleId} startsAt={gathering.startsAt} durationMin={gathering.durationMin} timeZone={gathering.timeZone} now={now} />
        ) : null}
        {summary ? (
          <p className="join__facts">
            {isCafe ? null : (
              <>
                <span>Now: {stageInfo(summary.stage).name}</span>
                <span aria-hidden="true"> · </span>
              </>
            )}
            <span>
              {summary.participantCount === 0 ? 'Nobody here yet' : summary.participantCount === 1 ? '1 person here' : `${summary.participantCount} people here`}
            </span>
          </p>
        ) : null}
        {asFacilitator ? (
          <p className="badge">{opensAt !== null && now < opensAt ? 'You will join as the facilitator, and may enter any time.' : 'You will join as the facilitator.'}</p>
        ) : null}
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="your-name">Your name</label>
            <input
              id="your-name"
              ref={nameInput}
              type="text"
              name="name"
              autoComplete="nickname"
              maxLength={LIMITS.nameMax}
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              onFocus={onIntent}
              aria-invalid={errorText ? true : undefined}
              aria-describedby={errorText ? 'join-error' : 'join-hint'}
            />
            <p id="join-hint" className="hint">
              The name others will see at your seat.
            </p>
          </div>
          {errorText ? (
            <p id="join-error" className="error" role="alert">
              {errorText}
            </p>
          ) : null}
          {checking ? (
            <Suspense fallback={<p role="status">Starting your camera…</p>}>
              <PreJoinCheck onChange={setChoices} />
            </Suspense>
          ) : (
            <p className="hint">{describeMediaChoices(choices)}</p>
          )}
          <button type="submit" className="button button--primary button--wide" disabled={!summary || !open} aria-describedby={open ? undefined : 'join-closed'}>
            Join
          </button>
          {summary && !open && opensAt !== null ? (
            <p id="join-closed" className="hint join__closed">
              Joining opens at {formatClock(opensAt, deviceTimeZone())}, 15 minutes before the start. Keep this page open: the button wakes up by itself.
            </p>
          ) : null}
        </form>
        <button type="button" className="button button--quiet" aria-expanded={checking} onClick={() => setChecking((c) => !c)}>
          {checking ? 'Close the camera check' : 'Check camera and microphone'}
        </button>
        {summary && facilitatorKey ? (
          <div className="host-tools">
            <button
              type="button"
              className="button"
              onClick={() => {
                if (summary.listed !== undefined) setEditing({ listed: summary.listed });
                // A server that does not say: the public calendar does.
                else void fetchCalendar().then((calendar) => setEditing({ listed: calendar.ok && calendar.value.some((entry) => entry.circleId === circleId) }));
              }}
            >
              Edit or delete…
            </button>
          </div>
        ) : null}
        {editing && summary && facilitatorKey ? (
          <Suspense fallback={<p role="status">Opening…</p>}>
          <GatheringDialog
            circleId={circleId}
            facilitatorKey={facilitatorKey}
            circle={{
              title: summary.title,
              question: summary.question ?? '',
              startsAt: summary.startsAt ?? null,
              durationMin: summary.durationMin ?? null,
              description: summary.description ?? '',
              listed: editing.listed,
              timeZone: summary.timeZone ?? null,
            }}
            onClose={() => setEditing(null)}
            onSaved={(next) => setLoad({ kind: 'ready', summary: next })}
            onDeleted={() => {
              updateCircleMemory(circleId, { name: undefined, sessionToken: undefined, facilitatorKey: undefined });
              setDeleted(true);
            }}
          />
          </Suspense>
        ) : null}
      </div>
    </BrandedPage>
  );
}
