import type { CSSProperties } from 'react';
import { BELL_STRIKE_GAP_MS } from '../circle/sound';
import { bellCueDurationMs } from './bell';
import { BellIcon } from './icons';
import type { BellCueState } from './useBell';

/**
 * What everyone sees of a bell: soft ripples from the middle of the screen (one per strike) and a small
 * "Bell" sign, with "Bell" for screen readers. Always mounted, so its live region is ready before the
 * first bell.
 *
 * For browser tests, the element carries the last bell this screen scheduled (nothing global is exposed):
 * `data-bell-id`, `data-bell-strikes`, `data-bell-scheduled-at` — when its first strike sounds, on this
 * page's own clock (`Date.now()` ms) — and `data-bell-sounded` ("false" with "Sounds off"). A bell that
 * arrived more than 2 s late leaves them unchanged. `data-ringing` is present while the cue shows.
 */
export function BellCue({ cue }: { cue: BellCueState | null }) {
  const ringing = cue?.ringing === true;
  const words = cue ? (cue.strikes === 1 ? 'Bell' : `Bell, ${cue.strikes} strikes`) : '';
  return (
    <div
      className={`bell-cue${ringing ? ' bell-cue--ringing' : ''}`}
      data-testid="bell-cue"
      data-bell-id={cue?.id}
      data-bell-strikes={cue?.strikes}
      data-bell-scheduled-at={cue ? Math.round(cue.localAt) : undefined}
      data-bell-sounded={cue ? String(cue.sounded) : undefined}
      data-ringing={ringing ? '' : undefined}
    >
      {ringing && cue ? (
        <>
          <div className="bell-cue__ripples" aria-hidden="true">
            {Array.from({ length: cue.strikes }, (_, i) => (
              <span key={`${cue.id}-${i}`} className="bell-cue__ripple" style={{ animationDelay: `${(i * BELL_STRIKE_GAP_MS) / 1000}s` } as CSSProperties} />
            ))}
          </div>
          <div className="bell-cue__sign" aria-hidden="true" style={{ animationDuration: `${bellCueDurationMs(cue.strikes) / 1000}s` }}>
            <BellIcon size={16} /> Bell
          </div>
        </>
      ) : null}
      <p className="sr-only" aria-live="polite">
        {ringing ? words : ''}
      </p>
    </div>
  );
}
