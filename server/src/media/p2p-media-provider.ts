import type { CircleState, IceServerConfig, Participant } from '@spiral/shared';
import type { MediaConnection, MediaJoinAck, MediaProvider } from './media-provider.js';
import type { PeerMediaSessions } from './peer-media-sessions.js';

/** The Socket.IO room of the connections in a circle's peer-to-peer session. */
export const peerMediaRoom = (circleId: string) => `${circleId}:media`;

/** Why a full peer-to-peer session turns a member away, and what the host can do about it. */
const p2pFullMessage = (maxPeers: number) =>
  `Peer-to-peer video holds at most ${maxPeers} people. For a larger circle the host needs a LiveKit server (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET).`;

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
      return { ok: false, error: { code: 'media_unavailable', message: p2pFullMessage(sessions.maxPeers) } };
    }
    await connection.join(peerMediaRoom(circle.id));
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
