import { z } from 'zod';
import { UNSCHEDULED } from './gathering.js';
import { STAGE_KEYS } from './stages.js';

export const PIECE_MODES = ['round', 'popcorn', 'open'] as const;
export type PieceMode = (typeof PIECE_MODES)[number];

export const ROLES = ['facilitator', 'participant'] as const;
export type Role = (typeof ROLES)[number];

export { LIMITS } from './limits.js';

export const participantSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  connected: z.boolean(),
  seat: z.number().int(),
  /** Extension: when this member's connection dropped (server ms); null while here. */
  awaySince: z.number().nullable(),
});
export type Participant = z.infer<typeof participantSchema>;

export const stageStateSchema = z.object({
  key: z.enum(STAGE_KEYS),
  cycle: z.number().int().min(1),
  since: z.number(),
});

export const pieceStateSchema = z.object({
  mode: z.enum(PIECE_MODES),
  holderId: z.string().nullable(),
  since: z.number().nullable(),
  queue: z.array(z.string()),
});
export type PieceState = z.infer<typeof pieceStateSchema>;

export const timerStateSchema = z.object({
  label: z.string(),
  durationMs: z.number().int().min(0),
  running: z.boolean(),
  endsAt: z.number().nullable(),
  remainingMs: z.number().min(0),
});
export type TimerState = z.infer<typeof timerStateSchema>;

export const settingsSchema = z.object({
  speakerTimeMs: z.number().int().positive(),
  facilitatorsMaySpeak: z.boolean(),
  maxParticipants: z.number().int().positive(),
});
export type CircleSettings = z.infer<typeof settingsSchema>;

export const GROUPINGS = ['circle', 'pairs', 'triads', 'quads'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const planStepSchema = z.object({
  id: z.string(),
  title: z.string(),
  stage: z.enum(STAGE_KEYS),
  prompt: z.string(),
  mode: z.enum(PIECE_MODES),
  /** Per-speaker time in this step; null keeps the circle's. */
  speakerTimeMs: z.number().int().nullable(),
  /** The step's shared timer; null: no timer. */
  durationMs: z.number().int().nullable(),
  grouping: z.enum(GROUPINGS),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const planStateSchema = z.object({
  steps: z.array(planStepSchema),
  /** Index of the step in progress; null: not started. */
  current: z.number().int().min(0).nullable(),
  /** Extension: the steps as they were begun, for the harvest ("the plan as run"). */
  history: z.array(z.object({ stepId: z.string(), title: z.string(), startedAt: z.number() })).default([]),
});
export type PlanState = z.infer<typeof planStateSchema>;

export const STRIKES = [1, 2, 3] as const;
export const bellSchema = z.object({ id: z.number().int().min(1), strikes: z.union([z.literal(1), z.literal(2), z.literal(3)]), at: z.number() });
export type Bell = z.infer<typeof bellSchema>;

export const silenceSchema = z.object({ since: z.number(), endsAt: z.number().nullable() });
export type Silence = z.infer<typeof silenceSchema>;

export const BREAKOUT_MODES = ['turns', 'open'] as const;
export const breakoutsSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  mode: z.enum(BREAKOUT_MODES),
  groups: z.array(
    z.object({
      id: z.string(),
      memberIds: z.array(z.string()),
      speakerId: z.string().nullable(),
      /** Extension: when a member of the group called for the facilitator; null once answered by a visit. */
      helpAt: z.number().nullable().default(null),
    }),
  ),
  message: z.object({ text: z.string(), at: z.number() }).nullable(),
  visits: z.record(z.string(), z.string()),
  endsAt: z.number().nullable(),
  closingAt: z.number().nullable(),
});
export type Breakouts = z.infer<typeof breakoutsSchema>;

/** Extension: a Going Forth intention a member chose to share with the circle. */
export const intentionSchema = z.object({ participantId: z.string(), text: z.string(), at: z.number() });
export type Intention = z.infer<typeof intentionSchema>;

export const gatheringSchema = z.object({
  startsAt: z.number().nullable(),
  durationMin: z.number().int().nullable(),
  description: z.string(),
  listed: z.boolean(),
  timeZone: z.string().nullable(),
});

export const circleStateSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** Extension: the template chosen at creation. */
  template: z.enum(['wtr-spiral', 'conversation-cafe', 'open']),
  version: z.number().int().min(0),
  locked: z.boolean(),
  stage: stageStateSchema,
  participants: z.array(participantSchema),
  piece: pieceStateSchema,
  timer: timerStateSchema,
  settings: settingsSchema,
  agreements: z.array(z.string()),
  // v1.1. Defaults let a circle stored before v1.1 load as a v1.1 circle.
  plan: planStateSchema.default({ steps: [], current: null, history: [] }),
  bell: bellSchema.nullable().default(null),
  silence: silenceSchema.nullable().default(null),
  breakouts: breakoutsSchema.nullable().default(null),
  /** Extension: the circle's question (a Conversation Café's above all); '' when none. */
  question: z.string().default(''),
  /** Extension: the Going Forth intentions members have shared. */
  intentions: z.array(intentionSchema).default([]),
  /** Extension (gatherings): the circle's date, length, description, listing and time zone. */
  gathering: gatheringSchema.default({ ...UNSCHEDULED }),
  /** Extension: the server time of the circle's last change (for retention). */
  activeAt: z.number().default(0),
});
export type CircleState = z.infer<typeof circleStateSchema>;
