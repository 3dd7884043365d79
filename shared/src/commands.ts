import { z } from 'zod';
import { STAGE_KEYS } from './stages.js';
import { BREAKOUT_MODES, GROUPINGS, LIMITS, PIECE_MODES, ROLES } from './state.js';
import { isTimeZone } from './gathering.js';
import { TEMPLATE_KEYS } from './templates.js';

/** Bidirectional controls: they reorder what follows, so a name could pretend to be another. */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Characters with no role in text that only hide or pad: removed (zero-width space, word joiner, BOM, soft hyphen, invisible operators). */
const STRIPPED = /[\u00ad\u180e\u200b\u2060-\u2064\ufeff]/gu;
/** Characters that show nothing on their own (joiners, variation selectors, fillers, tags): kept, but a text of only these is empty. */
const INVISIBLE = /[\s\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200c\u200d\u2800\u3164\ufe00-\ufe0f\uffa0\u{e0000}-\u{e0fff}]/gu;

/**
 * A name or title people read: normalised to NFC with the hiding characters removed and trimmed;
 * refused when it carries bidi controls or shows nothing once invisible characters are set aside.
 */
export function humanText(max: number) {
  return z
    .string()
    .transform((text) => text.normalize('NFC').replace(STRIPPED, ''))
    .pipe(
      z
        .string()
        .trim()
        .min(1)
        .max(max)
        .refine((text) => !BIDI_CONTROLS.test(text), { message: 'must not contain bidirectional control characters' })
        .refine((text) => text.replace(INVISIBLE, '') !== '', { message: 'must contain visible characters' }),
    );
}

export const nameSchema = humanText(LIMITS.nameMax);
export const titleSchema = humanText(LIMITS.titleMax);
export const timerLabelSchema = z.string().trim().max(LIMITS.labelMax);
export const participantIdSchema = z.string().min(1).max(64);

const noFields = <T extends string>(type: T) => z.object({ type: z.literal(type) });

export const questionSchema = z.string().trim().max(LIMITS.questionMax);
const msBetween = (min: number, max: number) => z.number().int().min(min).max(max);

/** One step of `plan.set`: every field but `id` required; unknown fields are dropped. */
export const planStepInputSchema = z
  .object({
    id: z.string().min(1).max(64).optional(),
    title: titleSchema,
    stage: z.enum(STAGE_KEYS),
    prompt: z.string().trim().max(LIMITS.promptMax),
    mode: z.enum(PIECE_MODES),
    speakerTimeMs: msBetween(LIMITS.speakerTimeMinMs, LIMITS.speakerTimeMaxMs).nullable(),
    durationMs: msBetween(LIMITS.timerMinMs, LIMITS.timerMaxMs).nullable(),
    grouping: z.enum(GROUPINGS),
  })
  .refine((step) => step.grouping === 'circle' || step.durationMs === null || (step.durationMs >= LIMITS.breakoutMinMs && step.durationMs <= LIMITS.breakoutMaxMs), {
    message: `a step in groups lasts ${LIMITS.breakoutMinMs / 1000} s to ${LIMITS.breakoutMaxMs / 60_000} min`,
    path: ['durationMs'],
  });
export type PlanStepInput = z.infer<typeof planStepInputSchema>;

const planStepsSchema = z
  .array(planStepInputSchema)
  .max(LIMITS.planStepsMax)
  .refine((steps) => {
    const ids = steps.flatMap((s) => (s.id === undefined ? [] : [s.id]));
    return new Set(ids).size === ids.length;
  }, 'two steps have the same id');

export const GESTURE_KINDS = ['heart', 'hear', 'thanks'] as const;
export type GestureKind = (typeof GESTURE_KINDS)[number];

/** `circle:gesture` as a client receives it. */
export const gestureSchema = z.object({ from: z.string(), kind: z.enum(GESTURE_KINDS), at: z.number() });

/** Every command a member may send with `circle:command`, validated at the transport. */
export const commandSchema = z.discriminatedUnion('type', [
  noFields('stage.advance'),
  z.object({ type: z.literal('stage.set'), stage: z.enum(STAGE_KEYS) }),
  z.object({
    type: z.literal('piece.pass'),
    to: participantIdSchema.optional(),
    /** v1.1: the holder as the sender saw it (null: the centre); a pass that no longer fits is `conflict`. */
    from: participantIdSchema.nullable().optional(),
  }),
  noFields('piece.release'),
  noFields('piece.take'),
  z.object({ type: z.literal('piece.mode'), mode: z.enum(PIECE_MODES) }),
  noFields('hand.raise'),
  z.object({ type: z.literal('hand.lower'), participantId: participantIdSchema.optional() }),
  z.object({
    type: z.literal('timer.start'),
    durationMs: z.number().int().min(LIMITS.timerMinMs).max(LIMITS.timerMaxMs),
    label: timerLabelSchema.optional(),
  }),
  noFields('timer.pause'),
  noFields('timer.resume'),
  noFields('timer.reset'),
  z.object({ type: z.literal('name.set'), name: nameSchema }),
  z.object({ type: z.literal('participant.remove'), participantId: participantIdSchema }),
  // Extension (issue 14): clear a wave of newcomers at once; facilitators and the sender are kept.
  z.object({ type: z.literal('participants.remove'), participantIds: z.array(participantIdSchema).min(1).max(200) }),
  z.object({ type: z.literal('circle.lock'), locked: z.boolean() }),
  // v1.1: the session plan, rhythm, witnessing, roles and seats.
  z.object({ type: z.literal('plan.set'), steps: planStepsSchema }),
  z.object({ type: z.literal('plan.go'), index: z.number().int().min(0) }),
  noFields('plan.next'),
  z.object({ type: z.literal('bell.ring'), strikes: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1) }),
  z.object({ type: z.literal('silence.start'), durationMs: msBetween(LIMITS.silenceMinMs, LIMITS.silenceMaxMs).optional() }),
  noFields('silence.end'),
  z.object({ type: z.literal('gesture.send'), kind: z.enum(GESTURE_KINDS) }),
  z.object({ type: z.literal('seats.order'), participantIds: z.array(participantIdSchema).max(500) }),
  z.object({
    type: z.literal('timer.add'),
    ms: msBetween(-LIMITS.timerAddMaxMs, LIMITS.timerAddMaxMs).refine((ms) => ms !== 0, 'add a non-zero amount'),
  }),
  z.object({ type: z.literal('participant.role'), participantId: participantIdSchema, role: z.enum(ROLES) }),
  z.object({
    type: z.literal('breakout.open'),
    size: z.number().int().min(2).max(4),
    groups: z.array(z.array(participantIdSchema).max(50)).max(50).optional(),
    prompt: z.string().trim().max(LIMITS.promptMax).optional(),
    durationMs: msBetween(LIMITS.breakoutMinMs, LIMITS.breakoutMaxMs).optional(),
    mode: z.enum(BREAKOUT_MODES).optional(),
  }),
  noFields('breakout.swap'),
  noFields('breakout.pass'),
  z.object({ type: z.literal('breakout.broadcast'), text: z.string().trim().min(1).max(LIMITS.broadcastMax) }),
  z.object({ type: z.literal('breakout.visit'), groupId: z.string().min(1).max(64).nullable() }),
  z.object({ type: z.literal('breakout.close'), afterMs: z.number().int().min(0).max(LIMITS.recallWarningMaxMs).optional() }),
  // Extension: a member in a group calls for the facilitator.
  noFields('breakout.help'),
  // Extensions: a Going Forth intention shared with the circle, or taken back.
  z.object({ type: z.literal('intention.share'), text: z.string().trim().min(1).max(LIMITS.intentionMax) }),
  noFields('intention.withdraw'),
  noFields('media.join'),
  // Extension: leave peer-to-peer media (LiveKit members simply disconnect from the media room).
  noFields('media.leave'),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];
export const COMMAND_TYPES = commandSchema.options.map((o) => o.shape.type.value) as readonly CommandType[];

/** Commands about a member's media session, answered by the server's media provider, not by `decide`. */
export const MEDIA_COMMAND_TYPES = ['media.join', 'media.leave'] as const satisfies readonly CommandType[];
export type MediaCommand = Extract<Command, { type: (typeof MEDIA_COMMAND_TYPES)[number] }>;
/** Commands that change the circle: the ones `decide` takes. */
export type CircleCommand = Exclude<Command, MediaCommand>;
export type CircleCommandType = CircleCommand['type'];
export const CIRCLE_COMMAND_TYPES = COMMAND_TYPES.filter((type): type is CircleCommandType => !isMediaCommandType(type));

export function isMediaCommandType(type: CommandType): type is MediaCommand['type'] {
  return (MEDIA_COMMAND_TYPES as readonly CommandType[]).includes(type);
}

export function isMediaCommand(command: Command): command is MediaCommand {
  return isMediaCommandType(command.type);
}

/** `POST /api/circles` body. */
/** The gathering fields of `POST /api/circles` and `PATCH /api/circles/:id` ("in the future" is the server's check). */
const gatheringFields = {
  question: questionSchema,
  startsAt: z.number().int().positive(),
  durationMin: z.number().int().min(LIMITS.durationMinMin).max(LIMITS.durationMinMax),
  description: z.string().trim().max(LIMITS.descriptionMax),
  listed: z.boolean(),
  timeZone: z.string().refine(isTimeZone, 'not an IANA time zone, e.g. "Europe/Berlin"'),
};

export const createCircleBodySchema = z.object({
  title: titleSchema,
  template: z.enum(TEMPLATE_KEYS).optional(),
  question: gatheringFields.question.optional(),
  startsAt: gatheringFields.startsAt.optional(),
  durationMin: gatheringFields.durationMin.optional(),
  description: gatheringFields.description.optional(),
  listed: gatheringFields.listed.optional(),
  timeZone: gatheringFields.timeZone.optional(),
});
export type CreateCircleBody = z.infer<typeof createCircleBodySchema>;

/** `PATCH /api/circles/:circleId` (with the facilitator key): any of these, each checked as on creation. */
export const patchCircleBodySchema = z.object({
  title: titleSchema.optional(),
  question: gatheringFields.question.optional(),
  startsAt: gatheringFields.startsAt.optional(),
  durationMin: gatheringFields.durationMin.optional(),
  description: gatheringFields.description.optional(),
  listed: gatheringFields.listed.optional(),
  timeZone: gatheringFields.timeZone.optional(),
});
export type PatchCircleBody = z.infer<typeof patchCircleBodySchema>;

/**
 * The Socket.IO handshake `auth`: its one description. A bad `circleId` is refused `not_found`, any
 * other bad field `invalid`; the name is judged later (a returning member's token ignores it).
 */
export const joinAuthSchema = z.object({
  circleId: z.string().min(1).max(64),
  name: z.unknown().optional(),
  facilitatorKey: z.string().optional(),
  sessionToken: z.string().optional(),
});
export type JoinAuth = z.infer<typeof joinAuthSchema>;

const sessionDescriptionSchema = z.object({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().max(14_000).optional(),
});

const iceCandidateSchema = z.object({
  candidate: z.string().max(1_000),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

/** `media:signal` from a client: one WebRTC offer/answer or ICE candidate for one peer in the same circle. */
export const mediaSignalSchema = z
  .object({
    to: participantIdSchema,
    /** The sender's media session (a reload starts a new one): a receiver replaces its link on a change. */
    session: z.string().min(1).max(64).optional(),
    description: sessionDescriptionSchema.optional(),
    candidate: iceCandidateSchema.nullable().optional(),
  })
  .refine((m) => m.description !== undefined || m.candidate !== undefined, {
    message: 'a signal carries a description or a candidate',
  });
export type MediaSignal = z.infer<typeof mediaSignalSchema>;

/** ICE servers for peer-to-peer media (`ICE_SERVERS`). */
export const iceServersSchema = z.array(
  z.object({
    urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);
export type IceServerConfig = z.infer<typeof iceServersSchema>[number];
