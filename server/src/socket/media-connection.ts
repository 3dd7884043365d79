import type { MediaConnection } from '../media/media-provider.js';
import type { SpiralServer, SpiralSocket } from './spiral-socket.js';

/** A member's socket as the media provider sees it: its rooms, and a word to a room. */
export function mediaConnection(io: SpiralServer, socket: SpiralSocket): MediaConnection {
  return {
    id: socket.id,
    get open() {
      return socket.connected;
    },
    join: async (room) => socket.join(room),
    leave: async (room) => socket.leave(room),
    announce: (room, peers) => io.to(room).emit('media:peers', { peers }),
  };
}
