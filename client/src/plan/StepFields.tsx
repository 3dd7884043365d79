import type { ReactNode } from 'react';
import { LIMITS, PIECE_MODE_INFO, PIECE_MODES, STAGES } from '@spiral/shared';
import { GROUPING_KEYS, GROUPING_LABELS, typedMinutes, type DraftStep, type StepErrors, type StepField } from './draft';

export interface StepFieldsProps {
  step: DraftStep;
  index: number;
  name: string;
  errors: StepErrors;
  /** Whether the circle speaks of the spiral's stages (a café does not). */
  stages: boolean;
  update: (key: string, patch: Partial<DraftStep>, field?: StepField) => void;
}

/** One step's fields in the plan editor, each with its hint and the reason it cannot be saved. */
export function StepFields({ step, index, name, errors: stepErrors, stages, update }: StepFieldsProps) {
  return (
      <div className="plan-step__fields" id={`${step.key}-fields`} role="group" aria-label={`Step ${index + 1}: ${name}`}>
        <Field id={`${step.key}-title`} label="Title" error={stepErrors.title}>
          {(a) => (
            <input {...a} type="text" maxLength={LIMITS.titleMax} value={step.title} onChange={(e) => update(step.key, { title: e.target.value }, 'title')} />
          )}
        </Field>
        <Field id={`${step.key}-prompt`} label="Prompt" hint="What everyone reads while the step runs." error={stepErrors.prompt}>
          {(a) => <textarea {...a} rows={3} maxLength={LIMITS.promptMax} value={step.prompt} onChange={(e) => update(step.key, { prompt: e.target.value }, 'prompt')} />}
        </Field>
        <div className="plan-step__grid">
          {stages ? (
            <Field id={`${step.key}-stage`} label="Stage of the spiral" error={stepErrors.stage}>
              {(a) => (
                <select {...a} value={step.stage} onChange={(e) => update(step.key, { stage: e.target.value as DraftStep['stage'] }, 'stage')}>
                  {STAGES.map((s) => (
                    <option key={s.key} value={s.key}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field id={`${step.key}-mode`} label="Talking piece" hint={`${PIECE_MODE_INFO[step.mode].hint[0]?.toUpperCase()}${PIECE_MODE_INFO[step.mode].hint.slice(1)}.`} error={stepErrors.mode}>
            {(a) => (
              <select {...a} value={step.mode} onChange={(e) => update(step.key, { mode: e.target.value as DraftStep['mode'] }, 'mode')}>
                {PIECE_MODES.map((m) => (
                  <option key={m} value={m}>
                    {PIECE_MODE_INFO[m].label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={`${step.key}-grouping`} label="People gather as" error={stepErrors.grouping}>
            {(a) => (
              <select {...a} value={step.grouping} onChange={(e) => update(step.key, { grouping: e.target.value as DraftStep['grouping'] }, 'grouping')}>
                {GROUPING_KEYS.map((g) => (
                  <option key={g} value={g}>
                    {GROUPING_LABELS[g]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={`${step.key}-speakerTimeMs`} label="Minutes per speaker" hint="Empty: keep the circle’s time." error={stepErrors.speakerTimeMs}>
            {(a) => (
              <input
                {...a}
                type="text"
                inputMode="decimal"
                placeholder="keep"
                value={step.speaker.text}
                onChange={(e) => update(step.key, { speaker: { ...typedMinutes(e.target.value), shownFor: step.speaker.shownFor } }, 'speakerTimeMs')}
              />
            )}
          </Field>
          <Field id={`${step.key}-durationMs`} label="Step timer, minutes" hint="Empty: no timer." error={stepErrors.durationMs}>
            {(a) => (
              <input
                {...a}
                type="text"
                inputMode="decimal"
                placeholder="none"
                value={step.duration.text}
                onChange={(e) => update(step.key, { duration: { ...typedMinutes(e.target.value), shownFor: step.duration.shownFor } }, 'durationMs')}
              />
            )}
          </Field>
        </div>
      </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  children: (attributes: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled field with its hint and, next to it, the reason it cannot be saved. */
function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className={`field plan-field${error ? ' plan-field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(error ? { 'aria-invalid': true as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="error plan-field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
