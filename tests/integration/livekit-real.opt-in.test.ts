/**
 * OPT-IN: runs only against a real LiveKit server, when LIVEKIT_URL, LIVEKIT_API_KEY and
 * LIVEKIT_API_SECRET are set (e.g. `livekit-server --dev`: ws://localhost:7880, devkey, secret).
 * Without them it is skipped with a printed reason.
 */
import { createLogger, LiveKitMediaProvider, mediaRoomName } from '@spiral/server';
import { makeCircle } from '@spiral/shared/testing';
import { RoomServiceClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';

const url = process.env.LIVEKIT_URL;
const apiKey = process.env.LIVEKIT_API_KEY;
const apiSecret = process.env.LIVEKIT_API_SECRET;
const configured = Boolean(url && apiKey && apiSecret);
if (!configured) {
  console.log('[livekit-real] skipped: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to run against a real LiveKit');
}

describe.skipIf(!configured)('real LiveKit (opt-in)', () => {
  it('accepts our room admin calls and our permission update shape', async () => {
    const provider = new LiveKitMediaProvider({ url: url!, apiKey: apiKey!, apiSecret: apiSecret! }, createLogger('silent'));
    const state = makeCircle({ id: `optin${Date.now()}`, title: 'opt-in', createdAt: Date.now(), members: [{ id: 'p_optin', name: 'Opt-in' }] });
    const participant = state.participants[0]!;
    const rooms = new RoomServiceClient(url!.replace(/^ws/, 'http'), apiKey!, apiSecret!);
    const room = await rooms.createRoom({ name: mediaRoomName(state.id), emptyTimeout: 30 });
    expect(room.name).toBe(mediaRoomName(state.id));
    const grant = await provider.issueToken(state, participant);
    expect(grant.token.split('.')).toHaveLength(3);
    // Nobody is in the room: the update is a not_found that the provider treats as nothing to do.
    await provider.applySpeakingRights(state, [{ participantId: participant.id, maySpeak: true }]);
    await rooms.deleteRoom(mediaRoomName(state.id));
  });
});
