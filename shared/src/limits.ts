/**
 * The protocol's lengths and ranges, as plain numbers: no zod here, so the first page's JavaScript can
 * import them (`@spiral/shared/limits`) without the schemas. The schemas in `commands.ts` use them.
 */
export const LIMITS = {
  nameMax: 60,
  titleMax: 120,
  labelMax: 120,
  timerMinMs: 1_000,
  timerMaxMs: 14_400_000,
  /** v1.1 */
  questionMax: 300,
  promptMax: 500,
  planStepsMax: 40,
  speakerTimeMinMs: 10_000,
  speakerTimeMaxMs: 1_800_000,
  breakoutMinMs: 10_000,
  breakoutMaxMs: 3_600_000,
  silenceMinMs: 5_000,
  silenceMaxMs: 1_800_000,
  timerAddMaxMs: 600_000,
  strikesMax: 3,
  broadcastMax: 300,
  recallWarningMaxMs: 120_000,
  /** Gatherings */
  durationMinMin: 15,
  durationMinMax: 600,
  descriptionMax: 2_000,
  /** Extension: a Going Forth intention. */
  intentionMax: 500,
} as const;

/**
 * Peer-to-peer video (no media server): how many members of a place send by default (the server's
 * `P2P_MAX_PEERS`); see `sending-quality.ts` for why 12 fits a home uplink.
 */
export const P2P_SENDERS_DEFAULT = 12;
