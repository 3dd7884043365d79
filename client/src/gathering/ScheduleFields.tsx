import { useId, useMemo } from 'react';
import { LIMITS } from '@spiral/shared/limits';
import { deviceTimeZone, formatDateTime, timeZoneNames } from '../lib/time';
import { draftStartsAt, type ScheduleDraft, type ScheduleErrors, type ScheduleField } from './schedule';
import './gathering.css';

export interface ScheduleFieldsProps {
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
  errors: ScheduleErrors;
}

/** Date, time, time zone, length, description and "list publicly": the form's gathering fields. */
export function ScheduleFields({ draft, onChange, errors }: ScheduleFieldsProps) {
  const id = useId();
  const device = deviceTimeZone();
  const zones = useMemo(() => timeZoneNames([draft.timeZone, device]), [draft.timeZone, device]);
  const set = <K extends keyof ScheduleDraft>(key: K, value: ScheduleDraft[K]) => onChange({ ...draft, [key]: value });
  const startsAt = draftStartsAt(draft);
  const f = (field: ScheduleField) => `${id}-${field}`;
  const described = (field: ScheduleField, hint?: string) => [errors[field] ? `${f(field)}-error` : null, hint ?? null].filter(Boolean).join(' ') || undefined;
  const error = (field: ScheduleField) =>
    errors[field] ? (
      <p id={`${f(field)}-error`} className="error field__error">
        {errors[field]}
      </p>
    ) : null;

  return (
    <div className="schedule">
      <div className="schedule__row">
        <div className="field">
          <label htmlFor={f('date')}>Date</label>
          <input id={f('date')} type="date" required value={draft.date} onChange={(e) => set('date', e.target.value)} aria-invalid={errors.date ? true : undefined} aria-describedby={described('date')} />
          {error('date')}
        </div>
        <div className="field">
          <label htmlFor={f('time')}>Start time</label>
          <input
            id={f('time')}
            type="time"
            required
            value={draft.time}
            onChange={(e) => set('time', e.target.value)}
            aria-invalid={errors.time ? true : undefined}
            aria-describedby={described('time', `${id}-when`)}
          />
          {error('time')}
        </div>
      </div>
      <div className="field">
        <label htmlFor={f('timeZone')}>Time zone</label>
        <select
          id={f('timeZone')}
          value={draft.timeZone}
          onChange={(e) => set('timeZone', e.target.value)}
          aria-invalid={errors.timeZone ? true : undefined}
          aria-describedby={described('timeZone', `${id}-when`)}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, ' ')}
              {zone === device ? ' (this device)' : ''}
            </option>
          ))}
        </select>
        {error('timeZone')}
        <p id={`${id}-when`} className="hint" aria-live="polite">
          {startsAt !== null ? (
            <>
              Starts {formatDateTime(startsAt, draft.timeZone)}
              {draft.timeZone !== device ? ` — ${formatDateTime(startsAt, device)} on this device` : ''}. Each visitor sees it in their own time zone.
            </>
          ) : (
            'Each visitor sees the time in their own time zone.'
          )}
        </p>
      </div>
      <div className="field schedule__duration">
        <label htmlFor={f('durationMin')}>Duration (minutes)</label>
        <input
          id={f('durationMin')}
          type="number"
          inputMode="numeric"
          min={LIMITS.durationMinMin}
          max={LIMITS.durationMinMax}
          step={5}
          required
          value={draft.durationMin}
          onChange={(e) => set('durationMin', e.target.value)}
          aria-invalid={errors.durationMin ? true : undefined}
          aria-describedby={described('durationMin', `${id}-duration-hint`)}
        />
        <p id={`${id}-duration-hint`} className="hint">
          {LIMITS.durationMinMin} to {LIMITS.durationMinMax} minutes.
        </p>
        {error('durationMin')}
      </div>
      <div className="field">
        <label htmlFor={f('description')}>
          Description <span className="field__optional">(optional)</span>
        </label>
        <textarea
          id={f('description')}
          rows={3}
          maxLength={LIMITS.descriptionMax}
          value={draft.description}
          onChange={(e) => set('description', e.target.value)}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={described('description', `${id}-description-hint`)}
        />
        <p id={`${id}-description-hint`} className="hint">
          Who it is for, what to bring, how it will go. Shown on the invite page and the calendar.
        </p>
        {error('description')}
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.listed} onChange={(e) => set('listed', e.target.checked)} aria-describedby={`${id}-listed-hint`} />
        <span>
          <span className="check__label">List on the public calendar</span>
          <span id={`${id}-listed-hint`} className="radio__hint">
            Anyone can find it at /calendar and join from its invite link. Unlisted, only people with the link know of it.
          </span>
        </span>
      </label>
    </div>
  );
}
