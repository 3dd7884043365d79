import type { ReactNode } from 'react';
import type { CircleState } from '@spiral/shared';
import { VideoTile } from '../media/VideoTile';
import type { SeatMedia } from './Ring';
import { SpeakerTime } from './SpeakerTime';
import type { ServerClock } from './useServerClock';

/**
 * Who the middle of the ring shows: the holder of the piece; in open conversation, whoever is
 * speaking now (by their microphone); nobody while the piece lies in the centre.
 */
export function featuredSpeaker(state: CircleState, media: Readonly<Record<string, SeatMedia>> | undefined): string | null {
  if (state.piece.mode !== 'open') return state.piece.holderId;
  if (!media) return null;
  const speaking = state.participants.find((p) => media[p.id]?.speaking);
  return speaking?.id ?? null;
}

export interface SpotlightProps {
  state: CircleState;
  me: string | null;
  clock: Pick<ServerClock, 'now'>;
  media?: Readonly<Record<string, SeatMedia>>;
  /** The holder's own controls (Unmute, Pass), right under their picture. */
  children?: ReactNode;
}

/** The speaker, large, in the middle of the ring: their video (or initials), name and speaking time. */
export function Spotlight({ state, me, clock, media, children }: SpotlightProps) {
  const id = featuredSpeaker(state, media);
  const person = id ? state.participants.find((p) => p.id === id) : undefined;
  const seatMedia = person ? media?.[person.id] : undefined;
  let caption: ReactNode;
  if (person) caption = null;
  else if (state.piece.mode === 'open') caption = <p className="spotlight__note">Open conversation — everyone may speak</p>;
  else caption = <p className="spotlight__note">The talking piece lies in the centre</p>;
  return (
    <div className={`spotlight${person ? ' spotlight--speaker' : ' spotlight--empty'}`} aria-label="Speaking now" role="group">
      {person ? (
        <>
          <div className="spotlight__picture">
            <VideoTile name={person.name} stream={seatMedia?.stream ?? null} videoOn={seatMedia?.videoOn ?? false} speaking={seatMedia?.speaking ?? false} mirror={seatMedia?.mirror} />
          </div>
          <p className="spotlight__name">
            {person.name}
            {person.id === me ? ' (you)' : ''}
          </p>
          <SpeakerTime state={state} clock={clock} />
        </>
      ) : (
        <>
          <div className="spotlight__piece" aria-hidden="true" />
          {caption}
        </>
      )}
      {children ? <div className="spotlight__controls">{children}</div> : null}
    </div>
  );
}
