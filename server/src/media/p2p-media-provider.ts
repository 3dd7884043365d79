import { type CircleState, type IceServerConfig, p2pFull, type Participant, TRANSPORT_REFUSALS } from '@spiral/shared';
import { refused } from '../acks.js';
import type { MediaConnection, MediaJoinAck, MediaProvider } from './media-provider.js';
import type { PeerMediaSessions } from './peer-media-sessions.js';

/** The Socket.IO room of the connections in a circle's peer-to-peer session. */
export const peerMediaRoom = (circleId: string) => `${circleId}:media`;

export interface P2pMediaSettings {
  sessions: PeerMediaSessions;
  iceServers: IceServerConfig[];
}

/**
 * Video without a media server: browsers connect to each other directly, for a small circle. The
 * server keeps who is in each circle's session (by connection), tells everyone in it who is there
 * (`media:peers`), and relays their signals (see the socket layer's signal relay).
 */
export class P2pMediaProvider implements MediaProvider {
  constructor(private readonly settings: P2pMediaSettings) {}

  async join(circle: CircleState, participant: Participant, connection: MediaConnection): Promise<MediaJoinAck> {
    const { sessions, iceServers } = this.settings;
    if (!sessions.join(circle.id, participant.id, connection.id)) {
      return refused(p2pFull(sessions.maxPeers));
    }
    try {
      await connection.join(peerMediaRoom(circle.id));
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
    this.announce(circle.id, connection);
    return { ok: true, mode: 'p2p', iceServers, peers: sessions.peers(circle.id).filter((id) => id !== participant.id) };
  }

  leave(circleId: string, participantId: string, connection: MediaConnection): void {
    void connection.leave(peerMediaRoom(circleId));
    if (this.settings.sessions.leave(circleId, participantId, connection.id)) this.announce(circleId, connection);
  }

  /** The connection a member's session runs on, if they are in it. */
  connectionOf(circleId: string, participantId: string): string | undefined {
    return this.settings.sessions.socketOf(circleId, participantId);
  }

  /** Nothing to apply: no server carries the media; each browser follows the circle's state. */
  async applySpeakingRights(): Promise<void> {}

  /** Nothing to do here: the removed member's connection is closed, and closing leaves the session. */
  async removeParticipant(): Promise<void> {}

  private announce(circleId: string, connection: MediaConnection): void {
    connection.announce(peerMediaRoom(circleId), this.settings.sessions.peers(circleId));
  }
}
