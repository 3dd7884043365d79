import { lockHint, speaksOfStages, wouldChange, type CircleState, type Command } from '@spiral/shared';
import { RhythmBar } from '../rhythm/RhythmBar';
import { PlanDock } from '../plan/PlanDock';

export interface FacilitatorDockProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void;
  onEditPlan: () => void;
}

/**
 * The facilitator's dock: always on screen, at the bottom. The bell and silence, the piece, the stage,
 * a minute more, the door, and the plan's next step; everything else is in the side panel.
 */
export function FacilitatorDock({ state, me, act, onEditPlan }: FacilitatorDockProps) {
  const may = (cmd: Parameters<typeof wouldChange>[2]) => me !== null && wouldChange(state, me, cmd);
  const addMinute = { type: 'timer.add', ms: 60_000 } as const;
  return (
    <div className="dock" role="region" aria-label="Facilitator dock" inert={state.silence !== null}>
      <div className="dock__inner">
        <RhythmBar state={state} me={me} act={act} />
        <div className="dock__quick" role="group" aria-label="Quick actions">
          {may({ type: 'piece.take' }) ? (
            <button type="button" className="button" aria-label="Take the piece" onClick={() => act({ type: 'piece.take' })}>
              Take<span className="dock__more"> the piece</span>
            </button>
          ) : null}
          {speaksOfStages(state) ? (
            <button type="button" className="button" aria-label="Advance stage" onClick={() => act({ type: 'stage.advance' })}>
              Advance<span className="dock__more"> stage</span>
            </button>
          ) : null}
          {may(addMinute) ? (
            <button type="button" className="button" onClick={() => act(addMinute)}>
              +1 min
            </button>
          ) : null}
          <button type="button" className="button" aria-label="Lock the circle" aria-pressed={state.locked} title={lockHint(state.locked)} onClick={() => act({ type: 'circle.lock', locked: !state.locked })}>
            Lock<span className="dock__more"> the circle</span>
          </button>
        </div>
        <PlanDock state={state} me={me} act={act} onEditPlan={onEditPlan} />
      </div>
    </div>
  );
}
