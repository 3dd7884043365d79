import { type CircleState, type IceServerConfig, p2pPlaceFull, p2pSenders, type P2pMediaAck, type P2pSeating, type Participant, placeKey, placeOf, TRANSPORT_REFUSALS } from '@spiral/shared';
import { refused } from '../acks.js';
import type { MediaConnection, MediaJoinAck, MediaProvider } from './media-provider.js';
import type { PeerMediaSessions, PeerSeat } from './peer-media-sessions.js';

/**
 * The Socket.IO room of the connections in one place's peer-to-peer session: the main circle
 * (`main`) or a breakout group (its id).
 */
export const peerMediaRoom = (circleId: string, place: string) => `${circleId}:media:${place}`;

/** Who is in which place's peer-to-peer session, by the connection that joined it (for the signal relay). */
export interface PeerDirectory {
  sessionOf(circleId: string, participantId: string): { place: string; connectionId: string } | undefined;
}

export interface P2pMediaSettings {
  sessions: PeerMediaSessions;
  iceServers: IceServerConfig[];
}

/**
 * Video without a media server: browsers connect to each other directly, for a small circle. Up to
 * `maxPeers` members of a place send; as many again join receiving only (see `p2pSenders` and
 * `sending-quality.ts` in shared: who sends at which quality follows the piece). Peers
 * connect only within a place: the main circle and every breakout group have a session of their own.
 * The server keeps who is in each session (by connection), tells everyone in it who is there
 * (`media:peers`), and relays their signals within it (see the socket layer's signal relay).
 */
export class P2pMediaProvider implements MediaProvider, PeerDirectory {
  constructor(private readonly settings: P2pMediaSettings) {}

  /**
   * Seat the member in the session of their place now. A member whose place changed (and who joins
   * again, as clients do) first leaves their old place's session, which hears it.
   */
  async join(circle: CircleState, participant: Participant, connection: MediaConnection): Promise<MediaJoinAck> {
    const { sessions, iceServers } = this.settings;
    const place = placeKey(placeOf(circle, participant.id));
    const previous = sessions.seatOf(circle.id, participant.id);
    // Another place, or the same place from an older connection: that seat is given up first.
    if (previous && (previous.place !== place || previous.connection.id !== connection.id)) {
      this.vacate(circle.id, participant.id, previous, previous.place !== place);
    }
    if (!sessions.join(circle.id, participant.id, { place, connection })) {
      return refused(p2pPlaceFull(sessions.capacity));
    }
    try {
      await connection.join(peerMediaRoom(circle.id, place));
    } catch (error) {
      this.leave(circle.id, participant.id, connection);
      throw error;
    }
    // Closed while joining: its departure has been handled already, so it must not stay as a ghost
    // holding a place (and a room) in the session.
    if (!connection.open) {
      this.leave(circle.id, participant.id, connection);
      return refused(TRANSPORT_REFUSALS.mediaConnectionClosed);
    }
    this.announce(circle.id, place, connection);
    const everyone = sessions.peers(circle.id, place);
    // Beyond the senders a member receives only: the rule is shared, so their browser (which
    // follows the piece and the peer list from here on) reaches the same answer.
    const ack: P2pMediaAck & P2pSeating = {
      ok: true,
      mode: 'p2p',
      iceServers,
      peers: everyone.filter((id) => id !== participant.id),
      place,
      sendersMax: sessions.maxPeers,
      receiveOnly: !p2pSenders(circle, everyone, sessions.maxPeers).has(participant.id),
    };
    return ack;
  }

  /** `connection` leaves whichever session it holds the member's seat in; the others there hear it. */
  leave(circleId: string, participantId: string, connection: MediaConnection): void {
    const seat = this.settings.sessions.seatOf(circleId, participantId);
    if (seat && seat.connection.id === connection.id) this.vacate(circleId, participantId, seat, true);
  }

  /** The place and connection of a member's seat, if they are in a session of this circle. */
  sessionOf(circleId: string, participantId: string): { place: string; connectionId: string } | undefined {
    const seat = this.settings.sessions.seatOf(circleId, participantId);
    return seat && { place: seat.place, connectionId: seat.connection.id };
  }

  /** Nothing to apply: no server carries the media; each browser follows the circle's state. */
  async applySpeakingRights(): Promise<void> {}

  /** Nothing to do here: the removed member's connection is closed, and closing leaves the session. */
  async removeParticipant(): Promise<void> {}

  /**
   * Members whose place changed leave their old place's session at once (each old place hears it
   * once), so that no signal passes between places even before they join again for the new one.
   */
  followPlaces(circle: CircleState): void {
    const { sessions } = this.settings;
    const left = new Map<string, MediaConnection>();
    for (const [participantId, seat] of sessions.seats(circle.id)) {
      if (seat.place === placeKey(placeOf(circle, participantId))) continue;
      this.vacate(circle.id, participantId, seat, false);
      left.set(seat.place, seat.connection);
    }
    for (const [place, connection] of left) this.announce(circle.id, place, connection);
  }

  /** Give up `seat`: its connection leaves the place's room; `announce`: tell those still there. */
  private vacate(circleId: string, participantId: string, seat: PeerSeat, announce: boolean): void {
    if (!this.settings.sessions.leave(circleId, participantId, seat.connection.id)) return;
    void seat.connection.leave(peerMediaRoom(circleId, seat.place));
    if (announce) this.announce(circleId, seat.place, seat.connection);
  }

  private announce(circleId: string, place: string, connection: MediaConnection): void {
    connection.announce(peerMediaRoom(circleId, place), this.settings.sessions.peers(circleId, place));
  }
}
