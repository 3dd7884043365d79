import type { CircleState, Gesture, RemovedReason } from '@spiral/shared';
import type { CircleBroadcaster } from '../circle-service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { MemberConnections } from './member-connections.js';
import type { SlowReaders } from './slow-readers.js';
import type { SpiralServer, SpiralSocket } from './spiral-socket.js';

export interface SocketBroadcasterDeps {
  io: SpiralServer;
  members: MemberConnections;
  /** Members whose connections are not draining: left out of broadcasts, sent the newest when they drain. */
  slowReaders: SlowReaders;
  circles: { state(circleId: string): Promise<CircleState | null> };
  clock: Clock;
  logger: Logger;
}

/**
 * Snapshots out: every change to the circle's room, a newcomer's welcome and first snapshot (never
 * older than one the room has already had), and removals.
 */
export class SocketBroadcaster implements CircleBroadcaster {
  /** The newest version broadcast per circle (bounded by the circles this process has served). */
  private readonly lastBroadcast = new Map<string, number>();

  constructor(private readonly deps: SocketBroadcasterDeps) {}

  state(state: CircleState): void {
    this.lastBroadcast.set(state.id, state.version);
    const behind = this.deps.slowReaders.holdBack(state);
    (behind.length === 0 ? this.deps.io.to(state.id) : this.deps.io.to(state.id).except(behind)).emit('circle:state', state);
  }

  /** Gestures are of the moment: a member who is behind simply misses them. */
  gesture(circleId: string, gesture: Gesture): void {
    const behind = this.deps.slowReaders.behindIn(circleId);
    (behind.length === 0 ? this.deps.io.to(circleId) : this.deps.io.to(circleId).except(behind)).emit('circle:gesture', gesture);
  }

  close(): void {
    this.deps.slowReaders.close();
  }

  disconnect(circleId: string, participantId: string, reason: RemovedReason): void {
    this.deps.members.dismiss(circleId, participantId, reason);
  }

  /** `circle:welcome`, then the circle's room, then the current snapshot; a failure closes the connection. */
  async welcome(socket: SpiralSocket): Promise<void> {
    const { circleId, participantId, sessionToken } = socket.data;
    try {
      socket.emit('circle:welcome', { participantId, sessionToken, serverTime: this.deps.clock.now() });
      await socket.join(circleId);
      const state = await this.deps.circles.state(circleId);
      // A newer snapshot may already have reached this socket through the room: never send an older one.
      if (state && socket.connected && state.version >= (this.lastBroadcast.get(circleId) ?? 0)) socket.emit('circle:state', state);
    } catch (error) {
      this.deps.logger.error({ err: error, circleId }, 'could not send the first snapshot');
      socket.disconnect(true);
    }
  }
}
