import type { CSSProperties } from 'react';
import type { CircleState, Participant } from '@spiral/shared';
import { useMediaQuery } from './useMediaQuery';
import { VideoTile } from '../media/VideoTile';
import type { ServerClock } from './useServerClock';
import type { GestureMark } from '../rhythm/gestures';
import { GestureIcon } from '../rhythm/icons';
import { useTurnPhase } from '../rhythm/speakerTurn';
import '../rhythm/rhythm.css';

/** What a seat shows of a member's media, when video is on. */
export interface SeatMedia {
  stream: MediaStream | null;
  videoOn: boolean;
  speaking: boolean;
  mirror?: boolean;
}

export interface RingProps {
  state: CircleState;
  me: string | null;
  /** Facilitators select a seat to act on it; absent for participants (seats are then not buttons). */
  onSelect?: (participantId: string) => void;
  selectedId?: string | null;
  /** Video per member (absent while this member has video off). */
  media?: Readonly<Record<string, SeatMedia>>;
  /** Gestures floating now (on the speaker's seat, or near the centre when `targetId` is null). */
  marks?: readonly GestureMark[];
  /** For the holder's turn: "finish up", then "time" (without a clock, the seat shows neither). */
  clock?: Pick<ServerClock, 'now'>;
}

const SEAT_RADIUS = 40; // % of the ring's size, from its centre
const PIECE_RADIUS = 25;
const MAX_RING_SEATS = 24;
/** Past this many seats each shows its name on one line, and presence by its border only. */
const CROWDED_FROM = 12;

/** Seats in seat order, clockwise from the top: the same order and geometry on every screen. */
export function seatsInOrder(participants: readonly Participant[]): Participant[] {
  return [...participants].sort((a, b) => a.seat - b.seat);
}

export function seatPosition(index: number, count: number, radius: number): { left: number; top: number } {
  const angle = -Math.PI / 2 + (2 * Math.PI * index) / Math.max(1, count);
  return { left: 50 + radius * Math.cos(angle), top: 50 + radius * Math.sin(angle) };
}

function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return n + (s[(v - 20) % 10] ?? s[v] ?? s[0] ?? 'th');
}

/** A small raised hand, drawn (emoji fonts are not everywhere). */
function HandIcon() {
  return (
    <svg className="seat__hand-icon" viewBox="0 0 16 16" width="12" height="12" focusable="false">
      <g fill="currentColor">
        <rect x="3" y="4" width="2.2" height="7" rx="1.1" />
        <rect x="5.6" y="1.5" width="2.2" height="9" rx="1.1" />
        <rect x="8.2" y="1" width="2.2" height="9.5" rx="1.1" />
        <rect x="10.8" y="2.5" width="2.2" height="8" rx="1.1" />
        <path d="M3 8h10v3.5A4.5 4.5 0 0 1 8.5 16h-1A4.5 4.5 0 0 1 3 11.5Z" />
      </g>
    </svg>
  );
}

/** Gestures that float over one place; each drifts a little sideways so a burst stays readable. */
function Marks({ marks }: { marks: readonly GestureMark[] }) {
  if (marks.length === 0) return null;
  return (
    <span className="gesture-marks" aria-hidden="true">
      {marks.map((m) => (
        <span key={m.key} className={`gesture-mark gesture-mark--${m.kind}`} style={{ '--dx': ((m.key * 7) % 5) - 2 } as CSSProperties}>
          <GestureIcon kind={m.kind} size={20} />
        </span>
      ))}
    </span>
  );
}

export function Ring({ state, me, onSelect, selectedId = null, media, marks = [], clock }: RingProps) {
  const turn = useTurnPhase(state, clock);
  const seats = seatsInOrder(state.participants);
  const narrow = useMediaQuery('(max-width: 479px)');
  // A phone shows a list past 8 seats; any screen does past 24, where names would no longer fit the ring.
  const asList = (narrow && seats.length > 8) || seats.length > MAX_RING_SEATS;
  const { holderId, mode, queue } = state.piece;
  const pieceOn = mode !== 'open';
  const holderIndex = holderId ? seats.findIndex((p) => p.id === holderId) : -1;
  const piecePos = holderIndex >= 0 ? seatPosition(holderIndex, seats.length, PIECE_RADIUS) : { left: 50, top: 50 };
  const holderName = holderIndex >= 0 ? seats[holderIndex]?.name : undefined;

  return (
    <section className={`ring${asList ? ' ring--list' : seats.length > CROWDED_FROM ? ' ring--crowded' : ''}`} aria-labelledby="ring-heading">
      <h2 id="ring-heading" className="sr-only">
        The circle, in seat order
      </h2>
      <ol className="ring__seats" style={{ '--seats': seats.length } as CSSProperties}>
        {seats.map((p, index) => {
          const pos = seatPosition(index, seats.length, SEAT_RADIUS);
          const handAt = queue.indexOf(p.id);
          const holds = pieceOn && p.id === holderId;
          const phase = holds && turn?.holderId === p.id && turn.phase !== 'speaking' ? turn.phase : null;
          const classes = ['seat', media ? 'seat--media' : '', p.connected ? 'seat--here' : 'seat--away', holds ? 'seat--holder' : '', phase ? `seat--${phase}` : '', p.id === me ? 'seat--me' : '', p.id === selectedId ? 'seat--selected' : '']
            .filter(Boolean)
            .join(' ');
          const details: string[] = [];
          if (p.role === 'facilitator') details.push('facilitator');
          details.push(p.connected ? 'here' : 'away');
          if (holds) details.push('holds the talking piece');
          if (phase === 'finish-up') details.push('finishing up');
          if (phase === 'over') details.push('time is up');
          if (handAt >= 0) details.push(`hand raised, ${ordinal(handAt + 1)} in the queue`);
          const seatMedia = media?.[p.id];
          if (seatMedia?.speaking) details.push('speaking');
          const body = (
            <>
              {seatMedia ? <VideoTile name={p.name} stream={seatMedia.stream} videoOn={seatMedia.videoOn} speaking={seatMedia.speaking} mirror={seatMedia.mirror} /> : null}
              <span className="seat__name">
                {p.name}
                {p.id === me ? <span className="seat__you"> (you)</span> : null}
              </span>
              <span className="seat__meta">
                {p.role === 'facilitator' ? <span className="seat__role">host · </span> : null}
                <span className="seat__presence">{p.connected ? 'here' : 'away'}</span>
              </span>
              {handAt >= 0 ? (
                <span className="seat__hand" aria-hidden="true">
                  <HandIcon /> {handAt + 1}
                </span>
              ) : null}
              {phase ? (
                <span className="seat__turn" aria-hidden="true">
                  {phase === 'over' ? 'time' : 'finish up'}
                </span>
              ) : null}
              {holds && asList ? (
                <span className="seat__piece-inline" aria-hidden="true">
                  ●
                </span>
              ) : null}
              <span className="sr-only">, {details.join(', ')}</span>
            </>
          );
          return (
            <li
              key={p.id}
              className={classes}
              style={asList ? undefined : { left: `${pos.left}%`, top: `${pos.top}%` }}
              data-participant-id={p.id}
              title={p.name}
              data-seat={p.seat}
            >
              {onSelect ? (
                <button type="button" className="seat__button" aria-pressed={p.id === selectedId} onClick={() => onSelect(p.id)}>
                  {body}
                </button>
              ) : (
                <div className="seat__body">{body}</div>
              )}
              <Marks marks={marks.filter((m) => m.targetId === p.id)} />
            </li>
          );
        })}
      </ol>
      <div className="ring__centre-marks" data-testid="centre-marks">
        <Marks marks={marks.filter((m) => m.targetId === null || !seats.some((p) => p.id === m.targetId))} />
      </div>
      {pieceOn && !asList ? (
        <div
          className={`piece${holderIndex >= 0 ? '' : ' piece--centre'}`}
          style={{ left: `${piecePos.left}%`, top: `${piecePos.top}%` }}
          data-holder={holderId ?? ''}
          aria-hidden="true"
          title={holderName ? `${holderName} holds the talking piece` : 'The talking piece lies in the centre'}
        />
      ) : null}
      {pieceOn ? (
        <p className="ring__centre-note" data-testid="piece-status">
          {holderName ? `${holderName} holds the talking piece` : 'The talking piece lies in the centre'}
        </p>
      ) : (
        <p className="ring__centre-note">Open conversation — everyone may speak</p>
      )}
    </section>
  );
}
