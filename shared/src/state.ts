import { z } from 'zod';
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
});
export type CircleState = z.infer<typeof circleStateSchema>;
