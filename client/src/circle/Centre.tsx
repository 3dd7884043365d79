import { STAGES, stageInfo, timerStatus, type CircleState, speaksOfStages } from '@spiral/shared';
import { Countdown } from './Countdown';
import type { ServerClock } from './useServerClock';

/** The shared timer, for the status strip. A step without a timer leaves it idle, still named after an earlier step: not shown then. */
export function SharedTimer({ state, clock }: { state: CircleState; clock: Pick<ServerClock, 'now'> }) {
  const step = state.plan.current === null ? undefined : state.plan.steps[state.plan.current];
  if (step !== undefined && step.durationMs === null && timerStatus(state.timer) === 'idle') return null;
  return <Countdown timer={state.timer} clock={clock} />;
}

/**
 * Where we are in the spiral and the guidance for it (never in a Conversation Café, which has rounds
 * and a question instead), and the agreements. The timer is in the status strip; the speaker's time in
 * the ring's spotlight.
 */
export function Centre({ state }: { state: CircleState; clock?: Pick<ServerClock, 'now'> }) {
  const stage = stageInfo(state.stage.key);
  if (!speaksOfStages(state)) {
    if (state.agreements.length === 0) return null;
    return (
      <section className="centre centre--plain" aria-label="Agreements">
        <Agreements agreements={state.agreements} />
      </section>
    );
  }
  return (
    <section className="centre" aria-labelledby="stage-heading">
      <p className="centre__eyebrow">
        Now · cycle {state.stage.cycle}
      </p>
      <h2 id="stage-heading" className="centre__stage" data-stage={stage.key}>
        {stage.name}
      </h2>
      <p className="centre__guidance">{stage.guidance}</p>
      <ol className="spiral" aria-label={`The spiral, cycle ${state.stage.cycle}`}>
        {STAGES.map((s, i) => {
          const current = s.key === state.stage.key;
          return (
            <li key={s.key} className={`spiral__stage${current ? ' spiral__stage--current' : ''}`} aria-current={current ? 'step' : undefined}>
              <span className="spiral__dot" aria-hidden="true">
                {i + 1}
              </span>
              <span className="spiral__name">{s.shortName}</span>
            </li>
          );
        })}
      </ol>
      <Agreements agreements={state.agreements} />
    </section>
  );
}

function Agreements({ agreements }: { agreements: readonly string[] }) {
  if (agreements.length === 0) return null;
  return (
    <section className="agreements" aria-labelledby="agreements-heading">
      <h3 id="agreements-heading">Our agreements</h3>
      <ul>
        {agreements.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
    </section>
  );
}
