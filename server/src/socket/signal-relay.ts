import { type MediaSignal, mediaSignalSchema, type RelayedMediaSignal, type SignalAck, TRANSPORT_REFUSALS } from '@spiral/shared';
import { refused } from '../acks.js';
import type { PeerDirectory } from '../media/p2p-media-provider.js';
import type { RateLimit } from '../rate-limits.js';
import type { EventRoute } from './event-route.js';
import type { SocketData, SpiralServer } from './spiral-socket.js';

export type { PeerDirectory } from '../media/p2p-media-provider.js';

/** Hand a signal to a connection of this process; false when there is no such connection. */
export type SignalDelivery = (connectionId: string, signal: RelayedMediaSignal) => boolean;

export interface SignalRelayDeps {
  peers: PeerDirectory;
  deliver: SignalDelivery;
  limit: RateLimit;
}

/**
 * `media:signal`: one WebRTC offer, answer or ICE candidate, passed to another member of the same
 * place's peer-to-peer session (the main circle, or one breakout group), marked with the sender —
 * only from the connection in the session. Signals never cross from one place to another.
 */
export function signalRoute(who: SocketData, connectionId: string, deps: SignalRelayDeps): EventRoute<MediaSignal, SignalAck> {
  const { circleId, participantId } = who;
  return {
    limit: deps.limit,
    limited: TRANSPORT_REFUSALS.signalsRateLimited,
    schema: mediaSignalSchema,
    invalid: () => TRANSPORT_REFUSALS.signalInvalid,
    async run({ to, ...signal }) {
      const mine = deps.peers.sessionOf(circleId, participantId);
      if (mine?.connectionId !== connectionId) return refused(TRANSPORT_REFUSALS.signalNotJoined);
      const target = to === participantId ? undefined : deps.peers.sessionOf(circleId, to);
      if (target?.place !== mine.place || !deps.deliver(target.connectionId, { ...signal, from: participantId })) {
        return refused(TRANSPORT_REFUSALS.signalNoPeer);
      }
      return { ok: true };
    },
  };
}

/** Delivery to the sockets of this Socket.IO server. */
export function socketDelivery(io: SpiralServer): SignalDelivery {
  return (connectionId, signal) => {
    const target = io.sockets.sockets.get(connectionId);
    target?.emit('media:signal', signal);
    return target !== undefined;
  };
}
