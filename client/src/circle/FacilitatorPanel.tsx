import { useState } from 'react';
import { SeatOrderEditor } from '../rhythm/SeatOrderEditor';
import { deviceTimeZone, formatDateTime } from '../lib/time';
import { OpenGroups } from '../breakouts/OpenGroups';
import { ClearNewcomers } from './ClearNewcomers';
import {
  commandSchema,
  LIMITS,
  lockHint,
  PIECE_MODE_INFO,
  PIECE_MODES,
  speaksOfStages,
  STAGES,
  timerStatus,
  wouldChange,
  type CircleState,
  type Command,
} from '@spiral/shared';

export interface FacilitatorPanelProps {
  state: CircleState;
  me: string | null;
  /** Sends a command; when it returns the ack's promise, "Give the piece" waits for it. */
  act: (cmd: Command) => void | Promise<unknown>;
  /** Kept for callers that pass them: the seat's actions are now beside the seat (`SeatActions`). */
  selectedId?: string | null;
  onClearSelection?: () => void;
  /** Opens the "Schedule…" dialog (date, details, delete); absent without a stored facilitator key. */
  onSchedule?: () => void;
}

export const TIMER_PRESETS_MIN = [1, 2, 3, 5, 10, 20] as const;

/** Everything only a facilitator can do. Rendered only for facilitators: participants never get it. */
export function FacilitatorPanel({ state, me, act, onSchedule }: FacilitatorPanelProps) {
  const [minutes, setMinutes] = useState<number>(2);
  const [custom, setCustom] = useState('');
  const [label, setLabel] = useState('');
  const { timer, piece } = state;
  // The facilitator's choice, checked by the command's own schema: the range is the protocol's.
  const customMs = custom.trim() === '' ? null : Math.round(Number(custom) * 60_000);
  const durationMs = customMs ?? minutes * 60_000;
  const startCommand = commandSchema.safeParse({ type: 'timer.start', durationMs, ...(label.trim() ? { label: label.trim() } : {}) });
  const customValid = customMs !== null && startCommand.success;
  const customInvalid = customMs !== null && !startCommand.success;
  // Offer only what the server would accept and what would change the circle.
  const may = (cmd: Parameters<typeof wouldChange>[2]) => me !== null && wouldChange(state, me, cmd);

  const takeMinute = { type: 'timer.add', ms: -60_000 } as const;

  const startTimer = () => {
    // A custom value that cannot be used must never quietly start a preset instead.
    if (startCommand.success) act(startCommand.data);
  };

  return (
    <section className="facilitator" aria-labelledby="facilitator-heading">
      <h2 id="facilitator-heading">Facilitator</h2>

      {speaksOfStages(state) ? (
        <div className="facilitator__group" role="group" aria-labelledby="fac-stage">
          <h3 id="fac-stage">Stage</h3>
          <div className="chips" role="group" aria-label="Choose a stage">
            {STAGES.map((s) => (
              <button
                key={s.key}
                type="button"
                className="chip"
                aria-pressed={s.key === state.stage.key}
                onClick={() => act({ type: 'stage.set', stage: s.key })}
              >
                {s.shortName}
              </button>
            ))}
          </div>
        </div>
      ) : null}

      <div className="facilitator__group" role="group" aria-labelledby="fac-piece">
        <h3 id="fac-piece">Talking piece</h3>
        <fieldset className="radios">
          <legend>Piece mode</legend>
          {PIECE_MODES.map((mode) => ({ mode, ...PIECE_MODE_INFO[mode] })).map((m) => (
            <label key={m.mode} className="radio">
              <input
                type="radio"
                name="piece-mode"
                value={m.mode}
                checked={piece.mode === m.mode}
                onChange={() => act({ type: 'piece.mode', mode: m.mode })}
              />
              <span>
                {m.label} <span className="radio__hint">— {m.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </div>

      <div className="facilitator__group">
        {me !== null && state.breakouts === null ? (
          <OpenGroups state={state} me={me} act={act} />
        ) : (
          <>
            <h3>Groups</h3>
            <p className="hint">The groups are meeting: see them, visit them and call them back from the overview.</p>
          </>
        )}
      </div>

      <div className="facilitator__group" role="group" aria-labelledby="fac-timer">
        <h3 id="fac-timer">Timer</h3>
        <div className="chips" role="group" aria-label="Timer length">
          {TIMER_PRESETS_MIN.map((m) => (
            <button
              key={m}
              type="button"
              className="chip"
              aria-pressed={!customValid && minutes === m}
              onClick={() => {
                setMinutes(m);
                setCustom('');
              }}
            >
              {m} min
            </button>
          ))}
        </div>
        <div className="field-row">
          <label className="field">
            <span>Custom minutes</span>
            <input
              type="number"
              inputMode="decimal"
              min={1}
              max={240}
              step="any"
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
              aria-invalid={customInvalid || undefined}
              aria-describedby={customInvalid ? 'custom-minutes-error' : undefined}
            />
            {customInvalid ? (
              <span id="custom-minutes-error" className="error" role="alert">
                Choose between 1 second (0.02) and 240 minutes.
              </span>
            ) : null}
          </label>
          <label className="field">
            <span>Timer label (optional)</span>
            <input type="text" maxLength={LIMITS.labelMax} value={label} onChange={(e) => setLabel(e.target.value)} />
          </label>
        </div>
        <div className="controls__row">
          <button type="button" className="button button--primary" onClick={startTimer} aria-disabled={customInvalid || undefined}>
            Start timer
          </button>
          {may({ type: 'timer.pause' }) ? (
            <button type="button" className="button" onClick={() => act({ type: 'timer.pause' })}>
              Pause timer
            </button>
          ) : null}
          {timerStatus(timer) === 'paused' ? (
            <button type="button" className="button" onClick={() => act({ type: 'timer.resume' })}>
              Resume timer
            </button>
          ) : null}
          {may({ type: 'timer.reset' }) ? (
            <button type="button" className="button" onClick={() => act({ type: 'timer.reset' })}>
              Reset timer
            </button>
          ) : null}
          {may(takeMinute) ? (
            <span className="timer-adjust" role="group" aria-label="Adjust the shared timer">
              {may(takeMinute) ? (
                <button type="button" className="button" onClick={() => act(takeMinute)}>
                  −1 min
                </button>
              ) : null}
            </span>
          ) : null}
        </div>
      </div>

      <p className="hint">Choose a seat in the circle to give that person the piece, lower their hand, make them a co-facilitator or remove them.</p>

      <div className="facilitator__group" role="group" aria-labelledby="fac-seats">
        <h3 id="fac-seats">Seats</h3>
        <SeatOrderEditor state={state} me={me} act={act} />
      </div>

      <div className="facilitator__group" role="group" aria-labelledby="fac-door">
        <h3 id="fac-door">The door</h3>
        <p className="hint">{lockHint(state.locked)}</p>
        <ClearNewcomers state={state} me={me} act={act} />
      </div>

      {onSchedule ? (
        <div className="facilitator__group" role="group" aria-labelledby="fac-schedule">
          <h3 id="fac-schedule">Date and details</h3>
          <p className="hint">
            {state.gathering.startsAt === null
              ? 'Not scheduled: this circle is open now.'
              : `${formatDateTime(state.gathering.startsAt, deviceTimeZone())} · ${state.gathering.listed ? 'on the public calendar' : 'not listed'}`}
          </p>
          <button type="button" className="button" onClick={onSchedule}>
            Schedule…
          </button>
        </div>
      ) : null}
    </section>
  );
}
