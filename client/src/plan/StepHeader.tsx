import { useEffect, useRef, useState } from 'react';
import { GROUPING_LABELS, minutesText } from './draft';
import { stepCount, stepInView } from './view';
import type { CircleState } from '@spiral/shared';
import './plan.css';

/**
 * The top of the room, for everyone: the step in progress (or the first one, "up next") — its title
 * and prompt are the largest words on the screen — and the circle's question. Nothing when the circle
 * has neither a plan nor a question.
 */
export function StepHeader({ state }: { state: CircleState }) {
  const view = stepInView(state);
  const question = state.question.trim();
  const announcement = useStepAnnouncement(state);
  if (!view && !question) return null;

  const step = view?.step;
  const groupNote = step && step.grouping !== 'circle' ? `In ${GROUPING_LABELS[step.grouping].toLowerCase()}` : null;
  const eachNote = step && step.mode !== 'open' && step.speakerTimeMs !== null ? `About ${minutesText(step.speakerTimeMs)} min each` : null;
  const openNote = step && step.mode === 'open' ? 'Open conversation' : null;
  const notes = [groupNote, openNote, eachNote].filter((n): n is string => n !== null);

  return (
    <section className={`step-band${view?.upNext ? ' step-band--up-next' : ''}`} aria-labelledby={view ? 'step-heading' : 'question-label'}>
      <div className="step-band__inner">
        {view && step ? (
          <div className="step">
            <h2 id="step-heading" className="step__heading">
              <span className="step__count">
                {view.upNext ? <span className="step__up-next">Up next · </span> : null}
                {stepCount(view.index, view.total)}
              </span>{' '}
              <span className="sr-only">·</span>{' '}
              <span className="step__title">{step.title}</span>
            </h2>
            {step.prompt ? <p className="step__prompt">{step.prompt}</p> : null}
            {notes.length > 0 || view.upNext ? (
              <p className="step__notes">
                {view.upNext ? <span>Not begun yet</span> : null}
                {notes.map((n) => (
                  <span key={n}>{n}</span>
                ))}
              </p>
            ) : null}
          </div>
        ) : null}
        {question ? (
          <figure className="question step-band__question">
            <figcaption className="question__label" id="question-label">
              Our question
            </figcaption>
            <blockquote className="question__text">{question}</blockquote>
          </figure>
        ) : null}
      </div>
      <div className="sr-only" aria-live="polite">
        {announcement}
      </div>
    </section>
  );
}

/** "Now: step 2 of 5, Round 1." when a step begins (not on arrival: the heading says it then). */
function useStepAnnouncement(state: CircleState): string {
  const [message, setMessage] = useState('');
  const seen = useRef<string | null | undefined>(undefined);
  const view = stepInView(state);
  const key = state.plan.current === null ? null : `${state.plan.history.length}`;
  useEffect(() => {
    if (seen.current !== undefined && key !== seen.current && view && !view.upNext) {
      setMessage(`Now: ${stepCount(view.index, view.total).toLowerCase()}, ${view.step.title}. ${view.step.prompt}`);
    }
    seen.current = key;
  }, [key, view]);
  return message;
}
