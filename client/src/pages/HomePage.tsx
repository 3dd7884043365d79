import { BrandedPage } from '../components/MessagePage';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_TEMPLATE, TEMPLATE_KEYS, TEMPLATES, type TemplateKey, videoSizeNote } from '@spiral/shared';
import { LIMITS, P2P_SENDERS_DEFAULT } from '@spiral/shared/limits';
import { createCircle, eventIcsPath, type CreatedCircle } from '../lib/api';
import { navigate } from '../lib/navigation';
import { updateCircleMemory } from '../lib/storage';
import { deviceTimeZone, formatDateTime } from '../lib/time';
import { CopyField } from '../components/CopyField';
import { ScheduleFields } from '../gathering/ScheduleFields';
import { checkSchedule, newScheduleDraft, type ScheduleErrors, type ScheduleValues } from '../gathering/schedule';
import './pages.css';

export function HomePage() {
  const [title, setTitle] = useState('');
  const [template, setTemplate] = useState<TemplateKey>(DEFAULT_TEMPLATE);
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [created, setCreated] = useState<CreatedCircle | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const [draft, setDraft] = useState(() => newScheduleDraft(Date.now(), deviceTimeZone()));
  const [scheduleErrors, setScheduleErrors] = useState<ScheduleErrors>({});
  const [scheduled, setScheduled] = useState<ScheduleValues | null>(null);
  const readyHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (created) readyHeading.current?.focus();
  }, [created]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) {
      setError('Give the circle a title.');
      return;
    }
    const trimmedQuestion = question.trim();
    if (trimmedQuestion.length > LIMITS.questionMax) {
      setError(`Please keep the question under ${LIMITS.questionMax} characters.`);
      return;
    }
    let schedule: ScheduleValues | null = null;
    if (scheduling) {
      const checked = checkSchedule(draft, Date.now());
      setScheduleErrors(checked.ok ? {} : checked.errors);
      if (!checked.ok) {
        setError('Please check the date and time fields above.');
        return;
      }
      schedule = checked.values;
    }
    setBusy(true);
    setError('');
    const result = await createCircle({ title: trimmed, template, question: trimmedQuestion, ...schedule });
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    // The creator is the facilitator: keep the key for this circle now, so "Enter" needs no fragment.
    updateCircleMemory(result.value.circleId, { facilitatorKey: result.value.facilitatorKey });
    setScheduled(schedule);
    setCreated(result.value);
  };

  if (created) {
    return (
      <BrandedPage className="page--home">
        <div className="card">
          <h1 ref={readyHeading} tabIndex={-1}>
            Your circle is ready
          </h1>
          <p className="lede">“{title.trim()}”</p>
          {question.trim() ? (
            <figure className="question question--small">
              <figcaption className="question__label">The question</figcaption>
              <blockquote className="question__text">{question.trim()}</blockquote>
            </figure>
          ) : null}
          {scheduled ? (
            <div className="when">
              <p className="when__date">{formatDateTime(scheduled.startsAt, scheduled.timeZone)}</p>
              <p className="when__other">
                {scheduled.listed ? 'Listed on the public calendar.' : 'Not listed: only people with the invite link know of it.'} Joining opens 15 minutes
                before the start; you can enter any time.
              </p>
              <div className="when__actions">
                <a className="button" href={eventIcsPath(created.circleId)} download>
                  Add to calendar
                </a>
              </div>
            </div>
          ) : null}
          <CopyField label="Invite link — share it with everyone joining" value={created.inviteUrl} copyLabel="Copy invite link" />
          <CopyField label="Facilitator link — keep it to yourself" value={created.facilitatorUrl} copyLabel="Copy facilitator link" />
          <p className="warning" role="note">
            <strong>Careful:</strong> anyone who opens the facilitator link can run this circle — advance stages, move the talking
            piece, remove people. Share only the invite link.
          </p>
          <div className="card__actions">
            <button type="button" className="button button--primary" onClick={() => navigate(`/c/${created.circleId}`)}>
              Enter as facilitator
            </button>
          </div>
        </div>
      </BrandedPage>
    );
  }

  return (
    <BrandedPage className="page--home">
      <div className="card">
        <h1>Gather a circle</h1>
        <p className="lede">Create a circle, share one link, and guide the group through the spiral together.</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor="circle-title">Circle title</label>
            <input
              id="circle-title"
              name="title"
              type="text"
              required
              maxLength={LIMITS.titleMax}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              aria-invalid={error && !title.trim() ? true : undefined}
              aria-describedby={error && !title.trim() ? 'create-error' : undefined}
              autoComplete="off"
            />
          </div>
          <fieldset className="radios">
            <legend>Kind of circle</legend>
            {TEMPLATE_KEYS.map((key) => (
              <label key={key} className="radio radio--card">
                <input type="radio" name="template" value={key} checked={template === key} onChange={() => setTemplate(key)} />
                <span>
                  <span className="radio__label">{TEMPLATES[key].label}</span>
                  <span className="radio__hint">{TEMPLATES[key].description}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="circle-question">
              Question <span className="field__optional">(optional)</span>
            </label>
            <textarea
              id="circle-question"
              name="question"
              rows={3}
              maxLength={LIMITS.questionMax}
              value={question}
              onChange={(e) => setQuestion(e.target.value)}
              aria-describedby="question-hint"
            />
            <p id="question-hint" className="hint">
              The question the circle will explore together — the heart of a Conversation Café. Everyone sees it on the invite page and in the
              room.
              {question.length > LIMITS.questionMax - 60 ? ` ${LIMITS.questionMax - question.length} characters left.` : ''}
            </p>
          </div>
          <fieldset className="radios">
            <legend>When</legend>
            <div className="when-choice">
              <label className="radio radio--card">
                <input type="radio" name="when" value="now" checked={!scheduling} onChange={() => setScheduling(false)} />
                <span>
                  <span className="radio__label">Now</span>
                  <span className="radio__hint">Open the circle straight away.</span>
                </span>
              </label>
              <label className="radio radio--card">
                <input type="radio" name="when" value="later" checked={scheduling} onChange={() => setScheduling(true)} />
                <span>
                  <span className="radio__label">Schedule</span>
                  <span className="radio__hint">Choose a date and time.</span>
                </span>
              </label>
            </div>
          </fieldset>
          {scheduling ? <ScheduleFields draft={draft} onChange={setDraft} errors={scheduleErrors} /> : null}
          {error ? (
            <p id="create-error" className="error" role="alert">
              {error}
            </p>
          ) : null}
          <p className="hint home__video-size">{videoSizeNote(P2P_SENDERS_DEFAULT)}</p>
          <button type="submit" className="button button--primary button--wide" disabled={busy}>
            {busy ? 'Creating…' : scheduling ? 'Schedule circle' : 'Create circle'}
          </button>
        </form>
        <p className="home__links">
          <a href="/calendar">See upcoming circles on the public calendar</a>
        </p>
      </div>
    </BrandedPage>
  );
}
