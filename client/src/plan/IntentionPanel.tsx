import { useId, useState } from 'react';
import { commandSchema, LIMITS, type CircleState, type Command } from '@spiral/shared';
import type { SendResult } from '../circle/useCircleConnection';
import { rejectionText } from '../circle/rejections';
import { loadIntentionDraft, saveIntentionDraft } from '../lib/storage';
import './plan.css';

export interface IntentionPanelProps {
  circleId: string;
  state: CircleState;
  me: string | null;
  send: (cmd: Command) => Promise<SendResult>;
}

/** When the panel is offered: in Going Forth, once anyone has shared, or while this member has a draft. */
export function intentionsOffered(state: CircleState, hasDraft: boolean): boolean {
  return state.stage.key === 'going-forth' || state.intentions.length > 0 || hasDraft;
}

/**
 * The harvest of Going Forth: each member writes their intention — kept on this device only, private,
 * until they share it with the circle — and may take it back. Shared intentions are listed with names.
 */
export function IntentionPanel({ circleId, state, me, send }: IntentionPanelProps) {
  const [draft, setDraft] = useState(() => loadIntentionDraft(circleId));
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const textId = useId();
  const hintId = useId();
  const mine = me === null ? undefined : state.intentions.find((i) => i.participantId === me);
  if (!intentionsOffered(state, draft.trim() !== '')) return null;

  const write = (text: string) => {
    setDraft(text);
    saveIntentionDraft(circleId, text);
    setError('');
  };
  const share = commandSchema.safeParse({ type: 'intention.share', text: draft });
  const writing = !mine || editing;

  const run = async (cmd: Command, then: () => void) => {
    setBusy(true);
    setError('');
    const result = await send(cmd);
    setBusy(false);
    if (result.ok) then();
    else setError(rejectionText(result));
  };

  const onShare = () => {
    if (!share.success) return;
    void run(share.data, () => {
      // Shared: the circle holds it now; the private draft is done with.
      saveIntentionDraft(circleId, '');
      setDraft('');
      setEditing(false);
    });
  };
  const onWithdraw = () => {
    if (!mine) return;
    const text = mine.text;
    // Taken back: it becomes a private draft again, nothing is lost.
    void run({ type: 'intention.withdraw' }, () => write(text));
  };
  const onEdit = () => {
    if (!mine) return;
    if (draft.trim() === '') write(mine.text);
    setEditing(true);
  };

  const nameOf = (id: string) => state.participants.find((p) => p.id === id)?.name ?? 'Someone';
  const left = LIMITS.intentionMax - draft.length;

  return (
    <section className="intention" aria-labelledby="intention-heading">
      <h2 id="intention-heading">Your intention</h2>
      {writing ? (
        <>
          <label htmlFor={textId} className="intention__label">
            What will you do for the world — and what is your first step, and when?
          </label>
          <textarea
            id={textId}
            rows={3}
            maxLength={LIMITS.intentionMax}
            value={draft}
            onChange={(e) => write(e.target.value)}
            aria-describedby={hintId}
            disabled={busy}
          />
          <p id={hintId} className="hint">
            Private until you share it: only this device keeps it.{left < 80 ? ` ${left} characters left.` : ''}
          </p>
          <div className="controls__row">
            <button type="button" className="button button--primary" onClick={onShare} disabled={busy || !share.success}>
              {mine ? 'Share the new words' : 'Share with the circle'}
            </button>
            {mine ? (
              <button type="button" className="button" onClick={() => setEditing(false)} disabled={busy}>
                Keep what I shared
              </button>
            ) : null}
          </div>
        </>
      ) : (
        <>
          <blockquote className="intention__mine">{mine?.text}</blockquote>
          <p className="hint">Shared with the circle.</p>
          <div className="controls__row">
            <button type="button" className="button" onClick={onEdit} disabled={busy}>
              Change it
            </button>
            <button type="button" className="button button--quiet" onClick={onWithdraw} disabled={busy}>
              Take back
            </button>
          </div>
        </>
      )}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <h3 className="intention__shared-heading">Shared in the circle</h3>
      {state.intentions.length === 0 ? (
        <p className="intention__empty">Nobody has shared an intention yet.</p>
      ) : (
        <ul className="intention__list">
          {state.intentions.map((i) => (
            <li key={i.participantId}>
              <span className="intention__name">
                {nameOf(i.participantId)}
                {i.participantId === me ? ' (you)' : ''}
              </span>
              <span className="intention__text">{i.text}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
