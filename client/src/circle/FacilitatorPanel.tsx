import { useState } from 'react';
import { LIMITS, STAGES, type CircleState, type Command, type PieceMode } from '@spiral/shared';

export interface FacilitatorPanelProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void;
  selectedId: string | null;
  onClearSelection: () => void;
}

export const TIMER_PRESETS_MIN = [1, 2, 3, 5, 10, 20] as const;

const MODES: { mode: PieceMode; label: string; hint: string }[] = [
  { mode: 'round', label: 'Round', hint: 'the piece goes round the circle' },
  { mode: 'popcorn', label: 'Popcorn', hint: 'the piece goes to raised hands, in order' },
  { mode: 'open', label: 'Open', hint: 'no piece; everyone may speak' },
];

/** Everything only a facilitator can do. Rendered only for facilitators: participants never get it. */
export function FacilitatorPanel({ state, me, act, selectedId, onClearSelection }: FacilitatorPanelProps) {
  const [minutes, setMinutes] = useState<number>(2);
  const [custom, setCustom] = useState('');
  const [label, setLabel] = useState('');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const { timer, piece } = state;
  const selected = selectedId ? state.participants.find((p) => p.id === selectedId) : undefined;
  const customMinutes = custom.trim() === '' ? null : Number(custom);
  const customValid = customMinutes !== null && Number.isFinite(customMinutes) && customMinutes * 60_000 >= LIMITS.timerMinMs && customMinutes * 60_000 <= LIMITS.timerMaxMs;
  const durationMs = Math.round((customValid && customMinutes !== null ? customMinutes : minutes) * 60_000);
  const paused = !timer.running && timer.durationMs > 0 && timer.remainingMs > 0 && timer.remainingMs < timer.durationMs;

  const customInvalid = custom.trim() !== '' && !customValid;
  const startTimer = () => {
    // A custom value that cannot be used must never quietly start a preset instead.
    if (customInvalid) return;
    const cmd: Command = { type: 'timer.start', durationMs };
    if (label.trim()) cmd.label = label.trim();
    act(cmd);
  };

  return (
    <section className="facilitator" aria-labelledby="facilitator-heading">
      <h2 id="facilitator-heading">Facilitator</h2>

      <div className="facilitator__group" role="group" aria-labelledby="fac-stage">
        <h3 id="fac-stage">Stage</h3>
        <button type="button" className="button button--primary" onClick={() => act({ type: 'stage.advance' })}>
          Advance stage
        </button>
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

      <div className="facilitator__group" role="group" aria-labelledby="fac-piece">
        <h3 id="fac-piece">Talking piece</h3>
        {piece.mode !== 'open' && piece.holderId !== me ? (
          <button type="button" className="button" onClick={() => act({ type: 'piece.take' })}>
            Take the piece
          </button>
        ) : null}
        <fieldset className="radios">
          <legend>Piece mode</legend>
          {MODES.map((m) => (
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
          {timer.running ? (
            <button type="button" className="button" onClick={() => act({ type: 'timer.pause' })}>
              Pause timer
            </button>
          ) : null}
          {paused ? (
            <button type="button" className="button" onClick={() => act({ type: 'timer.resume' })}>
              Resume timer
            </button>
          ) : null}
          {timer.durationMs > 0 ? (
            <button type="button" className="button" onClick={() => act({ type: 'timer.reset' })}>
              Reset timer
            </button>
          ) : null}
        </div>
      </div>

      <div className="facilitator__group" role="group" aria-labelledby="fac-seat">
        <h3 id="fac-seat">Someone in the circle</h3>
        {selected ? (
          <div className="seat-actions">
            <p>
              <strong>{selected.name}</strong> {selected.connected ? '(here)' : '(away)'}
            </p>
            <div className="controls__row">
              {piece.mode !== 'open' && piece.holderId !== selected.id && selected.connected ? (
                <button type="button" className="button" onClick={() => act({ type: 'piece.pass', to: selected.id })}>
                  Give the piece to {selected.name}
                </button>
              ) : null}
              {piece.queue.includes(selected.id) ? (
                <button type="button" className="button" onClick={() => act({ type: 'hand.lower', participantId: selected.id })}>
                  Lower {selected.name}’s hand
                </button>
              ) : null}
              {selected.id !== me ? (
                confirmRemove ? (
                  <>
                    <button
                      type="button"
                      className="button button--danger"
                      onClick={() => {
                        act({ type: 'participant.remove', participantId: selected.id });
                        setConfirmRemove(false);
                        onClearSelection();
                      }}
                    >
                      Yes, remove {selected.name}
                    </button>
                    <button type="button" className="button" onClick={() => setConfirmRemove(false)}>
                      Keep them
                    </button>
                  </>
                ) : (
                  <button type="button" className="button" onClick={() => setConfirmRemove(true)}>
                    Remove {selected.name}…
                  </button>
                )
              ) : null}
              <button
                type="button"
                className="button button--quiet"
                onClick={() => {
                  setConfirmRemove(false);
                  onClearSelection();
                }}
              >
                Done
              </button>
            </div>
          </div>
        ) : (
          <p className="hint">Choose a seat in the circle to give them the piece, lower their hand or remove them.</p>
        )}
      </div>

      <div className="facilitator__group" role="group" aria-labelledby="fac-door">
        <h3 id="fac-door">The door</h3>
        <button type="button" className="button" aria-pressed={state.locked} onClick={() => act({ type: 'circle.lock', locked: !state.locked })}>
          Lock the circle
        </button>
        <p className="hint">{state.locked ? 'Nobody new can join; people already seated can come back.' : 'Anyone with the invite link can join.'}</p>
      </div>
    </section>
  );
}
