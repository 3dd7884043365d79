import { useMemo, useRef, type CSSProperties, type ReactNode } from 'react';
import type { CircleState, Participant } from '@spiral/shared';
import { VideoTile } from '../media/VideoTile';
import type { ServerClock } from './useServerClock';
import type { GestureMark } from '../rhythm/gestures';
import { GestureIcon } from '../rhythm/icons';
import { useTurnPhase } from '../rhythm/speakerTurn';
import { galleryLayout, seatLayout, type Rect } from './seatLayout';
import { useElementSize } from './useElementSize';
import '../rhythm/rhythm.css';

/** What a seat shows of a member's media, when video is on. */
export interface SeatMedia {
  stream: MediaStream | null;
  videoOn: boolean;
  speaking: boolean;
  mirror?: boolean;
}

export type RoomView = 'ring' | 'gallery';

export interface RingProps {
  state: CircleState;
  me: string | null;
  /** Facilitators choose a seat to act on it; absent for participants (seats are then not buttons). */
  onSelect?: (participantId: string) => void;
  selectedId?: string | null;
  /** Video per member (absent while this member has video off). */
  media?: Readonly<Record<string, SeatMedia>>;
  /** Gestures floating now (on the speaker's seat, or near the centre when `targetId` is null). */
  marks?: readonly GestureMark[];
  /** For the holder's turn: "finish up", then "time" (without a clock, the seat shows neither). */
  clock?: Pick<ServerClock, 'now'>;
  /** The ring, or equal tiles in a grid. */
  view?: RoomView;
  /** What the middle of the ring shows: the speaker, large (in the gallery, under the tiles). */
  centre?: ReactNode;
  /** The chosen seat's actions, shown beside that seat. */
  seatActions?: ReactNode;
}

/** Until the ring is measured (and where nothing measures, as in unit tests): a laptop's ring. */
const UNMEASURED = { width: 880, height: 620 };

/** Seats in seat order, clockwise from the top: the same order and geometry on every screen. */
export function seatsInOrder(participants: readonly Participant[]): Participant[] {
  return [...participants].sort((a, b) => a.seat - b.seat);
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

const px = (r: Rect): CSSProperties => ({ left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });

/** Where the chosen seat's actions go: beside the seat, inside the ring, towards its middle. */
function popoverPlace(seat: Rect, size: { width: number; height: number }): CSSProperties {
  const width = Math.min(288, size.width - 8);
  const left = Math.max(4, Math.min(size.width - width - 4, seat.left + seat.width / 2 - width / 2));
  const upper = seat.top + seat.height / 2 < size.height / 2;
  return upper ? { left: `${left}px`, top: `${seat.top + seat.height + 6}px`, width: `${width}px` } : { left: `${left}px`, bottom: `${size.height - seat.top + 6}px`, width: `${width}px` };
}

export function Ring({ state, me, onSelect, selectedId = null, media, marks = [], clock, view = 'ring', centre, seatActions }: RingProps) {
  const turn = useTurnPhase(state, clock);
  const seats = seatsInOrder(state.participants);
  const areaRef = useRef<HTMLDivElement>(null);
  const size = useElementSize(areaRef, UNMEASURED);
  const gallery = view === 'gallery';
  // A narrow ring keeps more room under the speaker's picture: the holder's buttons wrap there.
  const centreCaption = size.width < 560 ? 160 : 120;
  const layout = useMemo(() => seatLayout({ width: size.width, height: size.height, count: seats.length, centreCaption }), [size.width, size.height, seats.length, centreCaption]);
  const grid = useMemo(
    () => (gallery ? galleryLayout({ width: size.width, height: Math.max(0, size.height), count: seats.length }) : null),
    [gallery, size.width, size.height, seats.length],
  );
  const { holderId, mode, queue } = state.piece;
  const pieceOn = mode !== 'open';
  const holderIndex = holderId ? seats.findIndex((p) => p.id === holderId) : -1;
  const holderName = holderIndex >= 0 ? seats[holderIndex]?.name : undefined;
  const boxes: Rect[] = seats.map((_, i) => {
    if (grid) {
      const col = i % grid.columns;
      const row = Math.floor(i / grid.columns);
      return { left: col * (grid.tileWidth + 8), top: row * (grid.tileHeight + 8), width: grid.tileWidth, height: grid.tileHeight };
    }
    return layout.seats[i]!;
  });
  const seatWidth = grid ? grid.tileWidth : layout.seatWidth;
  const labelShown = seatWidth >= 56;
  const holderBox = holderIndex >= 0 ? boxes[holderIndex] : undefined;
  // The piece rests on the holder's seat, at its corner nearest the middle; in the middle when nobody holds it.
  const piecePos = holderBox
    ? { left: holderBox.left + (holderBox.left + holderBox.width / 2 < size.width / 2 ? holderBox.width : 0), top: holderBox.top + (holderBox.top + holderBox.height / 2 < size.height / 2 ? holderBox.height : 0) }
    : { left: size.width / 2, top: layout.centre.top };
  const selectedIndex = selectedId ? seats.findIndex((p) => p.id === selectedId) : -1;
  const selectedBox = selectedIndex >= 0 ? boxes[selectedIndex] : undefined;

  return (
    <section
      className={`ring${gallery ? ' ring--gallery' : ''}${labelShown ? '' : ' ring--crowded'}`}
      aria-labelledby="ring-heading"
      data-seat-width={Math.round(seatWidth)}
      data-centre-width={gallery ? undefined : Math.round(layout.centre.width)}
    >
      <h2 id="ring-heading" className="sr-only">
        The circle, in seat order
      </h2>
      <div className="ring__area" ref={areaRef}>
        <ol className="ring__seats">
          {seats.map((p, index) => {
            const handAt = queue.indexOf(p.id);
            const holds = pieceOn && p.id === holderId;
            const phase = holds && turn?.holderId === p.id && turn.phase !== 'speaking' ? turn.phase : null;
            const seatMedia = media?.[p.id];
            const classes = ['seat', seatMedia ? 'seat--media' : '', p.connected ? 'seat--here' : 'seat--away', holds ? 'seat--holder' : '', phase ? `seat--${phase}` : '', p.id === me ? 'seat--me' : '', p.id === selectedId ? 'seat--selected' : '', seatMedia?.speaking ? 'seat--speaking' : '']
              .filter(Boolean)
              .join(' ');
            const details: string[] = [];
            if (p.role === 'facilitator') details.push('facilitator');
            details.push(p.connected ? 'here' : 'away');
            if (holds) details.push('holds the talking piece');
            if (phase === 'finish-up') details.push('finishing up');
            if (phase === 'over') details.push('time is up');
            if (handAt >= 0) details.push(`hand raised, ${ordinal(handAt + 1)} in the queue`);
            if (seatMedia?.speaking) details.push('speaking');
            const body = (
              <>
                <VideoTile name={p.name} stream={seatMedia?.stream ?? null} videoOn={seatMedia?.videoOn ?? false} speaking={seatMedia?.speaking ?? false} mirror={seatMedia?.mirror} />
                <span className={labelShown ? 'seat__name' : 'seat__name sr-only'}>
                  {p.name}
                  {p.id === me ? <span className="seat__you"> (you)</span> : null}
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
                <span className="sr-only">, {details.join(', ')}</span>
              </>
            );
            return (
              <li key={p.id} className={classes} style={px(boxes[index]!)} data-participant-id={p.id} title={p.name} data-seat={p.seat}>
                {onSelect ? (
                  <button
                    type="button"
                    className="seat__button"
                    aria-expanded={p.id === selectedId}
                    aria-controls={p.id === selectedId ? 'seat-actions' : undefined}
                    onClick={() => onSelect(p.id)}
                  >
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
        {gallery ? null : (
          <div className="ring__centre" style={px(layout.centre)} data-testid="centre-spotlight">
            {centre}
            <div className="ring__centre-marks" data-testid="centre-marks">
              <Marks marks={marks.filter((m) => m.targetId === null || !seats.some((p) => p.id === m.targetId))} />
            </div>
          </div>
        )}
        {pieceOn ? (
          <div
            className={`piece${holderIndex >= 0 ? '' : ' piece--centre'}`}
            style={{ left: `${piecePos.left}px`, top: `${piecePos.top}px` }}
            data-holder={holderId ?? ''}
            aria-hidden="true"
            title={holderName ? `${holderName} holds the talking piece` : 'The talking piece lies in the centre'}
          />
        ) : null}
        {selectedBox && seatActions ? (
          <div className="seat-popover" id="seat-actions" style={popoverPlace(selectedBox, size)}>
            {seatActions}
          </div>
        ) : null}
      </div>
      {gallery ? (
        <div className="ring__gallery-centre">
          {centre}
          <div className="ring__centre-marks" data-testid="centre-marks">
            <Marks marks={marks.filter((m) => m.targetId === null || !seats.some((p) => p.id === m.targetId))} />
          </div>
        </div>
      ) : null}
      <p className="sr-only" data-testid="piece-status">
        {pieceOn ? (holderName ? `${holderName} holds the talking piece` : 'The talking piece lies in the centre') : 'Open conversation — everyone may speak'}
      </p>
    </section>
  );
}
