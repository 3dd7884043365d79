import { harvestFileName, harvestMarkdown, wouldChange, type CircleState, type Command } from '@spiral/shared';
import { downloadText } from '../lib/download';
import { stepShape } from './draft';
import './plan.css';

export interface PlanCardProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void;
  onEditPlan: () => void;
  /** Local time now (for the harvest's header and file name). */
  now?: () => number;
}

/** The facilitator's view of the plan beside the circle: the steps, done, now and to come; the editor; the harvest. */
export function PlanCard({ state, me, act, onEditPlan, now = Date.now }: PlanCardProps) {
  const { steps, current } = state.plan;
  const done = new Set(state.plan.history.map((h) => h.stepId));

  const downloadHarvest = () => {
    const at = now();
    downloadText(harvestFileName(state, at), harvestMarkdown(state, { now: at }));
  };

  return (
    <section className="plan-card" aria-labelledby="plan-card-heading">
      <h2 id="plan-card-heading">Session plan</h2>
      {steps.length === 0 ? (
        <p className="plan-card__empty">
          No plan yet. A plan is a list of steps — rounds, pairs, open talk — that you move through with one button.
        </p>
      ) : (
        <ol className="plan-outline" aria-label="Steps of the plan">
          {steps.map((step, index) => {
            const isCurrent = index === current;
            const state_ = isCurrent ? 'current' : done.has(step.id) ? 'done' : 'todo';
            const canGo = !isCurrent && me !== null && wouldChange(state, me, { type: 'plan.go', index });
            return (
              <li key={step.id} className={`plan-outline__step plan-outline__step--${state_}`} aria-current={isCurrent ? 'step' : undefined}>
                <span className="plan-outline__number" aria-hidden="true">
                  {state_ === 'done' ? '✓' : index + 1}
                </span>
                <span className="plan-outline__text">
                  <span className="plan-outline__title">
                    {step.title}
                    {isCurrent ? <span className="sr-only"> (now)</span> : state_ === 'done' ? <span className="sr-only"> (done)</span> : null}
                  </span>
                  <span className="plan-outline__shape">{stepShape(step)}</span>
                </span>
                {canGo ? (
                  <button type="button" className="chip plan-outline__go" aria-label={`Go to this step: ${step.title}`} onClick={() => act({ type: 'plan.go', index })}>
                    Go
                  </button>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      <div className="controls__row plan-card__actions">
        <button type="button" className="button" onClick={onEditPlan}>
          {steps.length === 0 ? 'Make a plan' : 'Edit plan'}
        </button>
        <button type="button" className="button button--quiet" onClick={downloadHarvest}>
          Download harvest (.md)
        </button>
      </div>
    </section>
  );
}
