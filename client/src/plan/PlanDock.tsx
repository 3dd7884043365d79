import { wouldChange, type CircleState, type Command } from '@spiral/shared';
import { nextStep, stepCount, stepInView } from './view';
import './plan.css';

export interface PlanDockProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void;
  onEditPlan: () => void;
}

/**
 * The facilitator's bar at the bottom of the screen, always in reach: where the plan is, one button
 * for the next step (offered only when the server would begin it), and the way into the plan.
 */
export function PlanDock({ state, me, act, onEditPlan }: PlanDockProps) {
  const view = stepInView(state);
  const next = nextStep(state);
  const canGoOn = me !== null && next !== null && wouldChange(state, me, { type: 'plan.next' });
  const steps = state.plan.steps.length;

  let where: string;
  if (steps === 0) where = 'No plan yet';
  else if (!view || view.upNext) where = `Not started · ${steps} ${steps === 1 ? 'step' : 'steps'}`;
  else where = `${stepCount(view.index, view.total)} · ${view.step.title}`;

  return (
    <section className="plan-dock" aria-label="Session plan" inert={state.silence !== null}>
      <div className="plan-dock__inner">
        <p className="plan-dock__where">
          <span className="plan-dock__where-text">{where}</span>
          {view && !view.upNext && next === null ? <span className="plan-dock__last">Last step</span> : null}
        </p>
        <div className="plan-dock__actions">
          <button type="button" className="button button--quiet plan-dock__edit" onClick={onEditPlan}>
            {steps === 0 ? 'Make a plan' : 'Edit plan'}
          </button>
          {canGoOn && next ? (
            <button
              type="button"
              className="button button--primary plan-dock__next"
              // The whole name stays when a phone shows only "Begin:" / "Next:".
              aria-label={`${state.plan.current === null ? 'Begin:' : 'Next:'} ${next.step.title}`}
              title={next.step.title}
              onClick={() => act({ type: 'plan.next' })}
            >
              <span className="plan-dock__next-verb">{state.plan.current === null ? 'Begin:' : 'Next:'}</span>{' '}
              <span className="plan-dock__next-title">{next.step.title}</span>
              <span aria-hidden="true" className="plan-dock__arrow">
                →
              </span>
            </button>
          ) : null}
        </div>
      </div>
    </section>
  );
}
