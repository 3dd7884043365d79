/**
 * Every refusal's words, in one catalogue keyed by situation: `decide`, the server's transport and the
 * client all take their texts from here. Zod-free, so any bundle may import it.
 */
import type { CommandErrorCode, JoinErrorCode, Rejection } from './errors.js';
import { JOIN_OPENS_BEFORE_MS } from './gathering.js';
import { LIMITS } from './limits.js';

export interface Refusal<C extends string = CommandErrorCode> {
  readonly code: C;
  readonly message: string;
}

const refusal = <C extends string>(code: C, message: string): Refusal<C> => Object.freeze({ code, message });

/** Refusals of a member's command by the rules of the circle (`decide`). */
export const RULE_REFUSALS = {
  notMember: refusal('forbidden', 'You are not a member of this circle.'),
  serverOnly: refusal('forbidden', 'Only the server may do that.'),
  facilitatorOnly: refusal('forbidden', 'Only a facilitator can do that.'),
  passNotHolder: refusal('forbidden', 'Only the person holding the piece, or a facilitator, can pass it.'),
  releaseNotHolder: refusal('forbidden', 'Only the person holding the piece, or a facilitator, can lay it in the centre.'),
  lowerOthersHand: refusal('forbidden', "Only a facilitator can lower someone else's hand."),
  noSuchMember: refusal('not_found', 'That person is not in this circle.'),
  noPieceInOpen: refusal('conflict', 'There is no talking piece in an open circle.'),
  pieceMoved: refusal('conflict', 'The piece has just moved on; look again at who holds it.'),
  timerNotRunning: refusal('conflict', 'The timer is not running.'),
  timerAlreadyRunning: refusal('conflict', 'The timer is already running.'),
  timerNoTimeLeft: refusal('conflict', 'The timer has no time left; start or reset it.'),
  removeSelf: refusal('conflict', 'A facilitator cannot remove themselves.'),
  idTaken: refusal('conflict', 'That participant id is taken.'),
  // v1.1
  noSuchStep: refusal('not_found', 'There is no such step in the plan.'),
  planFinished: refusal('conflict', 'That was the last step of the plan.'),
  noSilence: refusal('conflict', 'There is no silence to end.'),
  timerNotStarted: refusal('conflict', 'Start the timer first; there is no time to add to.'),
  lastFacilitator: refusal('conflict', 'Someone else must be a facilitator before the last one steps down.'),
  seatsNotEveryone: refusal('invalid', 'A new seat order must name every member of the circle exactly once.'),
  groupsInvalid: refusal('invalid', 'Each group must name members who are here, each in one group only, and no group may be empty.'),
  breakoutsOpen: refusal('conflict', 'The groups are already open; recall them first.'),
  nobodyToGroup: refusal('conflict', 'Nobody is here to go into groups yet.'),
  noBreakouts: refusal('conflict', 'There are no groups open.'),
  breakoutsOpenMode: refusal('conflict', 'In open groups everyone may speak: there are no turns to pass.'),
  noSuchGroup: refusal('not_found', 'There is no such group.'),
  recallAnnounced: refusal('conflict', 'Everyone is already on their way back.'),
  passNotSpeaker: refusal('forbidden', 'Only the one whose turn it is in the group, or a visiting facilitator, can pass the turn.'),
  notVisiting: refusal('forbidden', 'Visit a group first to pass its turn.'),
  notInGroup: refusal('forbidden', 'Only a member of a group can call for the facilitator.'),

} as const satisfies Record<string, Rejection>;

/** A `to` who is seated but not connected. */
export const memberAway = (name: string): Rejection => refusal('conflict', `${name} is away right now.`);

/** Refusals by the server's transport, before or beside the rules. */
export const TRANSPORT_REFUSALS = {
  noSuchCircle: refusal('not_found', 'There is no such circle.'),
  rateLimited: refusal('rate_limited', 'Too many commands at once; slow down a little.'),
  signalsRateLimited: refusal('rate_limited', 'Too many media signals at once.'),
  gesturesTooFast: refusal('rate_limited', 'One gesture a second is enough.'),
  addressBusy: refusal('rate_limited', 'Too many changes are coming from your network at once; wait a moment and try again.'),
  circleBusy: refusal('rate_limited', 'This circle is changing very fast right now; wait a moment and try again.'),
  internal: refusal('internal', 'Something went wrong on the server; nothing was changed.'),
  mediaUnavailable: refusal('media_unavailable', 'Video is unavailable right now.'),
  signalInvalid: refusal('invalid', 'A media signal needs "to" and a description or a candidate.'),
  signalNotJoined: refusal('forbidden', 'Join the peer-to-peer media session first (media.join).'),
  signalNoPeer: refusal('not_found', "That member is not in this circle's media session."),
  mediaConnectionClosed: refusal('media_unavailable', 'The connection closed while joining video.'),
} as const satisfies Record<string, Refusal>;

/** A full peer-to-peer video session, and what the host can do about it. */
export const p2pFull = (maxPeers: number): Refusal<'media_unavailable'> =>
  refusal(
    'media_unavailable',
    `Peer-to-peer video holds at most ${maxPeers} people. For a larger circle the host needs a LiveKit server (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET).`,
  );

/** Refusals of the join handshake, one per code the server may send as `connect_error`. */
export const JOIN_REFUSALS = {
  rate_limited: refusal('rate_limited', 'Too many people are joining from this network at once.'),
  forbidden: refusal('forbidden', 'The server does not accept connections from this page.'),
  not_found: refusal('not_found', 'There is no such circle.'),
  invalid: refusal('invalid', `Please give a name of 1 to ${LIMITS.nameMax} characters.`),
  bad_key: refusal('bad_key', 'This facilitator link is not valid for this circle.'),
  removed: refusal('removed', 'A facilitator removed you from this circle.'),
  not_open: refusal('not_open', `This circle has not opened yet: joining opens ${JOIN_OPENS_BEFORE_MS / 60_000} minutes before it starts.`),
  locked: refusal('locked', 'This circle is locked: no new participants can join.'),
  full: refusal('full', 'This circle is full.'),
} as const satisfies { [C in JoinErrorCode]: Refusal<C> };

/** Refusals the client makes itself, when a command never reached the server or got no answer. */
export const CLIENT_REFUSALS = {
  timeout: refusal('timeout', 'No answer from the server. Check your connection.'),
  offline: refusal('offline', 'Not connected just now; try again in a moment.'),
  /** A refusal that came without words (a server older or newer than this page). */
  unexplained: refusal('unexplained', 'That did not go through. Please try again.'),
} as const;

/**
 * What a member is told about their video, in people's words: the client shows it beside the video
 * controls; the server's refusals say the same.
 */
export const MEDIA_NOTES = {
  /** Beyond the P2P senders: this member receives everyone and is not sent. */
  receiveOnly:
    'This circle is larger than a direct call can carry, so you can see and hear everyone but your camera and microphone stay off. Your facilitator can use a video server for larger circles.',
  /** A receive-only member whose turn has come (they hold the piece): they are sent after all. */
  nowSending: 'There is room for you now: the circle can see and hear you.',
  /** The same, for a member who chose to join with their camera off. */
  nowHeard: 'There is room for you now: the circle can hear you.',
  noCamera: 'No camera was found: the circle can hear you, and you can see everyone.',
  noDevices: 'No camera or microphone could be used: you can see and hear everyone, but the circle cannot see or hear you.',
  /** No camera API at all: a plain-http address that is not this computer, or a very old browser. */
  unsupported: 'This page cannot use a camera or microphone here (browsers allow them only on a secure https address), so you can see and hear everyone but the circle cannot see or hear you.',
  blocked: 'The browser did not let this page use your camera and microphone, so you can see and hear everyone but the circle cannot see or hear you. Allow them in the site settings and reload to be seen.',
} as const;

/** Told to a facilitator when they create a circle: the size beyond which video needs a server. */
export const videoSizeNote = (sendersMax: number): string =>
  `Video runs directly between browsers for up to ${sendersMax} people; beyond that, newcomers can see and hear but are not seen. A larger circle needs a video server (LiveKit) set up by whoever runs this site.`;

/**
 * A place whose peer-to-peer session is full even for receiving only (senders and receive-only seats
 * alike), in people's words; the operator's side of it (a LiveKit server) is in the README and
 * `videoSizeNote`. Replaces `p2pFull`, which spoke to operators.
 */
export const p2pPlaceFull = (capacity: number): Refusal<'media_unavailable'> =>
  refusal(
    'media_unavailable',
    `This circle is larger than a direct video call can carry (${capacity} people), so video cannot start for you. You are still in the circle; your facilitator can use a video server for larger circles.`,
  );
