import { keepTabInside } from '../lib/focusTrap';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { LIMITS } from '@spiral/shared/limits';
import type { CircleSummary } from '@spiral/shared/http';
import { deleteCircle, patchCircle, type ApiResult, type CircleChanges } from '../lib/api';
import { deviceTimeZone } from '../lib/time';
import { ScheduleFields } from './ScheduleFields';
import { checkSchedule, draftFrom, type ScheduleErrors } from './schedule';
import './gathering.css';

/** What the dialog starts from: the circle as it stands. */
export interface GatheringSnapshot {
  title: string;
  question: string;
  startsAt: number | null;
  durationMin: number | null;
  description: string;
  listed: boolean;
  timeZone: string | null;
}

export interface GatheringDialogProps {
  circleId: string;
  facilitatorKey: string;
  circle: GatheringSnapshot;
  onClose: () => void;
  onSaved?: (summary: CircleSummary) => void;
  onDeleted: () => void;
}

function refusalText(result: Extract<ApiResult<unknown>, { ok: false }>): string {
  if (result.status === 401 || result.status === 403) return 'This browser’s facilitator key is not accepted for this circle, so it cannot be changed from here.';
  if (result.status === 404) return 'This circle no longer exists.';
  return result.message;
}

/**
 * "Schedule…": the facilitator changes the circle's title, question, date and time, length,
 * description, listing and time zone (PATCH with the facilitator key), or deletes it (DELETE).
 */
export function GatheringDialog({ circleId, facilitatorKey, circle, onClose, onSaved, onDeleted }: GatheringDialogProps) {
  const titleId = useId();
  const [title, setTitle] = useState(circle.title);
  const [question, setQuestion] = useState(circle.question);
  const [scheduled, setScheduled] = useState(circle.startsAt !== null);
  const [draft, setDraft] = useState(() => draftFrom(circle, Date.now(), deviceTimeZone()));
  const [errors, setErrors] = useState<ScheduleErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const opener = document.activeElement;
    heading.current?.focus();
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (confirmDelete) setConfirmDelete(false);
      else onClose();
      return;
    }
    keepTabInside(e, dialog.current, heading.current);
  };

  const save = async () => {
    const changes: CircleChanges = {};
    const trimmedTitle = title.trim();
    if (!trimmedTitle) return setMessage('Give the circle a title.');
    if (trimmedTitle.length > LIMITS.titleMax) return setMessage(`Please keep the title under ${LIMITS.titleMax} characters.`);
    if (trimmedTitle !== circle.title) changes.title = trimmedTitle;
    const trimmedQuestion = question.trim();
    if (trimmedQuestion.length > LIMITS.questionMax) return setMessage(`Please keep the question under ${LIMITS.questionMax} characters.`);
    if (trimmedQuestion !== circle.question.trim()) changes.question = trimmedQuestion;
    if (scheduled) {
      const checked = checkSchedule(draft, Date.now(), circle.startsAt);
      setErrors(checked.ok ? {} : checked.errors);
      if (!checked.ok) return setMessage('Please check the fields marked above.');
      const v = checked.values;
      if (v.startsAt !== circle.startsAt) changes.startsAt = v.startsAt;
      if (v.durationMin !== circle.durationMin) changes.durationMin = v.durationMin;
      if (v.description !== circle.description.trim()) changes.description = v.description;
      if (v.listed !== circle.listed) changes.listed = v.listed;
      if (v.timeZone !== circle.timeZone) changes.timeZone = v.timeZone;
    }
    if (Object.keys(changes).length === 0) return onClose();
    setBusy(true);
    setMessage('');
    const result = await patchCircle(circleId, facilitatorKey, changes);
    setBusy(false);
    if (!result.ok) return setMessage(refusalText(result));
    onSaved?.(result.value);
    onClose();
  };

  const remove = async () => {
    setBusy(true);
    setMessage('');
    const result = await deleteCircle(circleId, facilitatorKey);
    setBusy(false);
    if (!result.ok && result.status !== 404) {
      setConfirmDelete(false);
      return setMessage(refusalText(result));
    }
    onDeleted();
  };

  return (
    <div className="dialog__backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div ref={dialog} className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <header className="dialog__header">
          <h2 id={titleId} ref={heading} tabIndex={-1}>
            Schedule and details
          </h2>
          <button type="button" className="button button--quiet dialog__close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <form
          id={`${titleId}-form`}
          className="dialog__body"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="field">
            <label htmlFor={`${titleId}-title`}>Circle title</label>
            <input id={`${titleId}-title`} type="text" required maxLength={LIMITS.titleMax} value={title} onChange={(e) => setTitle(e.target.value)} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={`${titleId}-question`}>
              Question <span className="field__optional">(optional)</span>
            </label>
            <textarea id={`${titleId}-question`} rows={2} maxLength={LIMITS.questionMax} value={question} onChange={(e) => setQuestion(e.target.value)} />
          </div>
          {circle.startsAt === null ? (
            <label className="check switch-row">
              <input type="checkbox" checked={scheduled} onChange={(e) => setScheduled(e.target.checked)} />
              <span className="check__label">Give it a date and time</span>
            </label>
          ) : null}
          {scheduled ? <ScheduleFields draft={draft} onChange={setDraft} errors={errors} /> : null}
          {message ? (
            <p className="error" role="alert">
              {message}
            </p>
          ) : null}
        </form>
        <footer className="dialog__footer">
          {confirmDelete ? (
            <div className="dialog__confirm" role="group" aria-labelledby={`${titleId}-confirm`}>
              <p id={`${titleId}-confirm`}>Delete this circle for everyone? Anyone inside is disconnected, and its links stop working.</p>
              <div className="card__actions">
                <button type="button" className="button button--danger-solid" disabled={busy} onClick={() => void remove()}>
                  {busy ? 'Deleting…' : 'Delete for everyone'}
                </button>
                <button type="button" className="button" disabled={busy} onClick={() => setConfirmDelete(false)} autoFocus>
                  Keep the circle
                </button>
              </div>
            </div>
          ) : (
            <>
              <button type="button" className="button button--danger" onClick={() => setConfirmDelete(true)}>
                Delete circle…
              </button>
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" form={`${titleId}-form`} className="button button--primary" disabled={busy}>
                {busy ? 'Saving…' : 'Save changes'}
              </button>
            </>
          )}
        </footer>
      </div>
    </div>
  );
}
