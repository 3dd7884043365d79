/**
 * The HTTP API's response bodies, for the client to check what it receives (`@spiral/shared/http`).
 * Written with `zod/mini` so the first page's JavaScript stays small.
 */
import * as z from 'zod/mini';
import { STAGE_KEYS } from './stages.js';
import { TEMPLATE_KEYS } from './templates.js';

/** The public summary served by `GET /api/circles/:circleId`. */
export const circleSummarySchema = z.object({
  circleId: z.string(),
  title: z.string(),
  stage: z.enum(STAGE_KEYS),
  participantCount: z.int().check(z.minimum(0)),
  locked: z.boolean(),
  /** v1.1: the circle's question, null when it has none. */
  question: z.optional(z.nullable(z.string())),
  /** Extension: the template, so a page can speak of a café as a café. */
  template: z.optional(z.enum(TEMPLATE_KEYS)),
  /** Gatherings: null where unset. */
  startsAt: z.optional(z.nullable(z.number())),
  durationMin: z.optional(z.nullable(z.number())),
  description: z.optional(z.nullable(z.string())),
  timeZone: z.optional(z.nullable(z.string())),
  /** Extension (gatherings): whether the circle is on the public calendar (for the facilitator's edit form). */
  listed: z.optional(z.boolean()),
});
export type CircleSummary = z.infer<typeof circleSummarySchema>;

/** One circle on the public calendar (`GET /api/calendar`). */
export const calendarEntrySchema = z.object({
  circleId: z.string(),
  title: z.string(),
  question: z.nullable(z.string()),
  startsAt: z.number(),
  durationMin: z.number(),
  description: z.nullable(z.string()),
  timeZone: z.nullable(z.string()),
  inviteUrl: z.string(),
  /** Extension: for the calendar page's filter by template. */
  template: z.optional(z.enum(TEMPLATE_KEYS)),
});
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;

export const calendarSchema = z.object({ circles: z.array(calendarEntrySchema) });

/** `201` from `POST /api/circles`. */
export const createdCircleSchema = z.object({
  circleId: z.string(),
  facilitatorKey: z.string(),
  inviteUrl: z.string(),
  facilitatorUrl: z.string(),
});
export type CreatedCircle = z.infer<typeof createdCircleSchema>;

/** Every HTTP error body: `{ "error": { "code", "message" } }`. */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
