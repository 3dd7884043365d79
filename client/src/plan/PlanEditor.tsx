import { keepTabInside } from '../lib/focusTrap';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { LIMITS, STAGES, wouldChange, type CircleState, type Command, type PlanStep, speaksOfStages } from '@spiral/shared';
import type { SendResult } from '../circle/useCircleConnection';
import { rejectionText } from '../circle/rejections';
import {
  blankStep,
  checkDraft,
  sameAsPlan,
  stepShape,
  toDraft,
  draftInput,
  type DraftStep,
  type StepErrors,
  type StepField,
} from './draft';
import { StepFields } from './StepFields';
import './plan.css';

export interface PlanEditorProps {
  state: CircleState;
  me: string | null;
  send: (cmd: Command) => Promise<SendResult>;
  act: (cmd: Command) => void;
  onClose: () => void;
}

type Control = 'title' | 'up' | 'down' | 'edit' | 'add';

const planSignature = (steps: readonly PlanStep[]) => JSON.stringify(steps);

/**
 * The plan editor, a dialog: the facilitator edits a local draft of the steps — add, edit, reorder,
 * remove — and saves it with `plan.set`. Snapshots never touch the draft: an untouched draft follows
 * the circle's plan, an edited one says so when the plan changed meanwhile.
 */
export function PlanEditor({ state, me, send, act, onClose }: PlanEditorProps) {
  const [base, setBase] = useState<PlanStep[]>(state.plan.steps);
  const [draft, setDraft] = useState<DraftStep[]>(() => state.plan.steps.map(toDraft));
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, StepErrors>>({});
  const [summary, setSummary] = useState('');
  const [saving, setSaving] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const pendingFocus = useRef<{ key: string; control: Control } | { field: string } | null>(null);
  const returnFocus = useRef<Element | null>(null);
  const titleId = useId();
  const stages = speaksOfStages(state);

  const dirty = !sameAsPlan(draft, base);
  const serverSteps = state.plan.steps;
  const changedElsewhere = planSignature(serverSteps) !== planSignature(base);

  // A snapshot with another plan: an untouched draft simply follows it.
  useEffect(() => {
    if (saving || !changedElsewhere || dirty) return;
    const open = new Set(draft.filter((d) => expanded.has(d.key)).map((d) => d.id));
    const next = serverSteps.map(toDraft);
    setBase(serverSteps);
    setDraft(next);
    setExpanded(new Set(next.filter((d) => open.has(d.id)).map((d) => d.key)));
  }, [saving, changedElsewhere, dirty, serverSteps, draft, expanded]);

  // Open: remember where focus was, lock the page behind, focus the dialog's heading.
  useEffect(() => {
    returnFocus.current = document.activeElement;
    heading.current?.focus();
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
      if (returnFocus.current instanceof HTMLElement) returnFocus.current.focus();
    };
  }, []);

  // After a move, an add or a removal, put focus where the facilitator expects it.
  useEffect(() => {
    const want = pendingFocus.current;
    if (!want || !dialog.current) return;
    pendingFocus.current = null;
    let target: HTMLElement | null;
    if ('field' in want) target = document.getElementById(want.field);
    else if (want.control === 'add') target = dialog.current.querySelector<HTMLElement>('[data-control="add"]');
    else target = dialog.current.querySelector<HTMLElement>(`[data-step="${want.key}"] [data-control="${want.control}"]`);
    target?.focus();
  });

  const update = (key: string, patch: Partial<DraftStep>, field?: StepField) => {
    setDraft((d) => d.map((s) => (s.key === key ? { ...s, ...patch } : s)));
    if (field && errors[key]?.[field]) {
      setErrors((e) => {
        const mine = { ...e[key] };
        delete mine[field];
        return { ...e, [key]: mine };
      });
    }
  };

  const toggle = (key: string) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const move = (index: number, by: -1 | 1) => {
    const to = index + by;
    if (to < 0 || to >= draft.length) return;
    const next = [...draft];
    const [step] = next.splice(index, 1);
    if (!step) return;
    next.splice(to, 0, step);
    setDraft(next);
    // The same button on the moved step keeps focus (at either end it stays focusable, aria-disabled).
    pendingFocus.current = { key: step.key, control: by === -1 ? 'up' : 'down' };
  };

  const remove = (index: number) => {
    const step = draft[index];
    if (!step) return;
    const next = draft.filter((_, i) => i !== index);
    setDraft(next);
    const neighbour = next[index] ?? next[index - 1];
    pendingFocus.current = neighbour ? { key: neighbour.key, control: 'edit' } : { key: '', control: 'add' };
  };

  const add = () => {
    if (draft.length >= LIMITS.planStepsMax) return;
    const step = blankStep(draft[draft.length - 1]);
    setDraft([...draft, step]);
    setExpanded((open) => new Set(open).add(step.key));
    pendingFocus.current = { field: `${step.key}-title` };
  };

  const useLatest = () => {
    setBase(serverSteps);
    const next = serverSteps.map(toDraft);
    setDraft(next);
    setExpanded(new Set());
    setErrors({});
    setSummary('');
  };

  const save = async () => {
    const checked = checkDraft(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      const bad = draft.filter((d) => checked.errors[d.key]);
      setExpanded((open) => new Set([...open, ...bad.map((d) => d.key)]));
      setSummary(bad.length === 1 ? 'One step needs a change before the plan can be saved.' : `${bad.length} steps need a change before the plan can be saved.`);
      const first = bad[0];
      const field = first ? (Object.keys(checked.errors[first.key] ?? {})[0] as StepField | undefined) : undefined;
      if (first && field) pendingFocus.current = { field: `${first.key}-${field}` };
      return;
    }
    setErrors({});
    setSummary('');
    setSaving(true);
    const result = await send({ type: 'plan.set', steps: checked.steps });
    setSaving(false);
    if (result.ok) onClose();
    else setSummary(rejectionText(result));
  };

  const requestClose = () => {
    if (dirty) setConfirmClose(true);
    else onClose();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (confirmClose) setConfirmClose(false);
      else requestClose();
      return;
    }
    keepTabInside(e, dialog.current, heading.current);
  };

  const currentId = state.plan.current === null ? null : (serverSteps[state.plan.current]?.id ?? null);
  const full = draft.length >= LIMITS.planStepsMax;
  const errorCount = useMemo(() => Object.values(errors).filter((e) => Object.keys(e).length > 0).length, [errors]);

  return (
    // Below a silence (which rests the whole screen); the draft waits underneath.
    <div className="plan-editor__backdrop" inert={state.silence !== null} onMouseDown={(e) => e.target === e.currentTarget && requestClose()}>
      <div ref={dialog} className="plan-editor" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <header className="plan-editor__header">
          <h2 id={titleId} ref={heading} tabIndex={-1}>
            The session plan
          </h2>
          <button type="button" className="button button--quiet plan-editor__close" onClick={requestClose} aria-label="Close the plan editor">
            <span aria-hidden="true">×</span>
          </button>
        </header>
        <p className="hint plan-editor__intro">
          Each step sets the talking piece, the time per speaker, a timer and how people gather. Changes reach the circle only when you save.
        </p>

        {changedElsewhere && dirty && !saving ? (
          <div className="plan-editor__notice" role="alert">
            <p>
              <strong>The plan changed while you were editing</strong> — perhaps another facilitator saved theirs. Saving will replace it with yours.
            </p>
            <button type="button" className="button" onClick={useLatest}>
              Load the latest plan instead
            </button>
          </div>
        ) : null}

        <div className="plan-editor__body">
          {draft.length === 0 ? (
            <p className="plan-editor__empty">No steps yet. Add the first one: a round to arrive, a question, a practice.</p>
          ) : (
            <ol className="plan-steps" aria-label="Steps">
              {draft.map((step, index) => {
                const open = expanded.has(step.key);
                const name = step.title.trim() || 'Untitled step';
                const stepErrors = errors[step.key] ?? {};
                const hasErrors = Object.keys(stepErrors).length > 0;
                const serverIndex = step.id === undefined ? -1 : serverSteps.findIndex((s) => s.id === step.id);
                const canGo = serverIndex >= 0 && me !== null && wouldChange(state, me, { type: 'plan.go', index: serverIndex });
                const isCurrent = step.id !== undefined && step.id === currentId;
                const input = draftInput(step);
                const shapeOk = typeof input.speakerTimeMs !== 'number' || !Number.isNaN(input.speakerTimeMs);
                const durationOk = typeof input.durationMs !== 'number' || !Number.isNaN(input.durationMs);
                return (
                  <li key={step.key} data-step={step.key} className={`plan-step${isCurrent ? ' plan-step--current' : ''}${hasErrors ? ' plan-step--invalid' : ''}`}>
                    <div className="plan-step__row">
                      <span className="plan-step__number" aria-hidden="true">
                        {index + 1}
                      </span>
                      <div className="plan-step__summary">
                        <span className="plan-step__title">
                          {name}
                          {isCurrent ? <span className="plan-step__now">Now</span> : null}
                          {step.id === undefined ? <span className="plan-step__new">New</span> : null}
                        </span>
                        <span className="plan-step__shape">
                          {shapeOk && durationOk
                            ? stepShape({ mode: step.mode, grouping: step.grouping, speakerTimeMs: input.speakerTimeMs as number | null, durationMs: input.durationMs as number | null })
                            : 'Check the times'}
                          {stages ? ` · ${STAGES.find((s) => s.key === step.stage)?.shortName ?? ''}` : ''}
                        </span>
                      </div>
                    </div>
                    <div className="plan-step__tools">
                      <button
                        type="button"
                        className="chip"
                        data-control="edit"
                        aria-expanded={open}
                        aria-controls={open ? `${step.key}-fields` : undefined}
                        aria-label={`${open ? 'Close' : 'Edit'}: ${name}`}
                        onClick={() => toggle(step.key)}
                      >
                        {open ? 'Close' : 'Edit'}
                      </button>
                      <button
                        type="button"
                        className="chip"
                        data-control="up"
                        aria-label={`Move up: ${name}`}
                        aria-disabled={index === 0 || undefined}
                        onClick={() => move(index, -1)}
                      >
                        <span aria-hidden="true">↑</span> Up
                      </button>
                      <button
                        type="button"
                        className="chip"
                        data-control="down"
                        aria-label={`Move down: ${name}`}
                        aria-disabled={index === draft.length - 1 || undefined}
                        onClick={() => move(index, 1)}
                      >
                        <span aria-hidden="true">↓</span> Down
                      </button>
                      {canGo ? (
                        <button type="button" className="chip" aria-label={`Go to this step: ${name}`} onClick={() => act({ type: 'plan.go', index: serverIndex })}>
                          Go to this step
                        </button>
                      ) : null}
                      <button type="button" className="chip chip--danger" aria-label={`Remove: ${name}`} onClick={() => remove(index)}>
                        Remove
                      </button>
                    </div>
                    {open ? <StepFields step={step} index={index} name={name} errors={stepErrors} stages={stages} update={update} /> : null}
                  </li>
                );
              })}
            </ol>
          )}
          <div className="plan-editor__add">
            <button type="button" className="button" data-control="add" aria-disabled={full || undefined} onClick={add}>
              <span aria-hidden="true">+</span> Add a step
            </button>
            {full ? <p className="hint">A plan holds at most {LIMITS.planStepsMax} steps.</p> : null}
          </div>
        </div>

        <footer className="plan-editor__footer">
          {summary ? (
            <p className="error plan-editor__summary" role="alert">
              {summary}
            </p>
          ) : errorCount === 0 && dirty ? (
            <p className="hint plan-editor__summary">Unsaved changes.</p>
          ) : null}
          {confirmClose ? (
            <div className="plan-editor__confirm" role="group" aria-label="Unsaved changes">
              <p>Close without saving? Your changes to the plan will be lost.</p>
              <div className="controls__row">
                <button type="button" className="button" autoFocus onClick={() => setConfirmClose(false)}>
                  Keep editing
                </button>
                <button type="button" className="button button--danger" onClick={onClose}>
                  Discard changes
                </button>
              </div>
            </div>
          ) : (
            <div className="controls__row plan-editor__buttons">
              <button type="button" className="button" onClick={requestClose}>
                {dirty ? 'Cancel' : 'Close'}
              </button>
              <button type="button" className="button button--primary" disabled={!dirty || saving} onClick={() => void save()}>
                {saving ? 'Saving…' : 'Save plan'}
              </button>
            </div>
          )}
        </footer>
      </div>
    </div>
  );
}
