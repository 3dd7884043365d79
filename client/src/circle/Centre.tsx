import { STAGES, stageInfo, type CircleState } from '@spiral/shared';
import { Countdown } from './Countdown';
import { SpeakerTime } from './SpeakerTime';
import type { ServerClock } from './useServerClock';

/** The centre of the circle: where we are in the spiral, the guidance for it, the shared timer. */
export function Centre({ state, clock }: { state: CircleState; clock: Pick<ServerClock, 'now'> }) {
  const stage = stageInfo(state.stage.key);
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
      <div className="centre__times">
        <Countdown timer={state.timer} clock={clock} />
        <SpeakerTime state={state} clock={clock} />
      </div>
      {state.agreements.length > 0 ? (
        <section className="agreements" aria-labelledby="agreements-heading">
          <h3 id="agreements-heading">Our agreements</h3>
          <ul>
            {state.agreements.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
