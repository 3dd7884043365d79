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
} as const;

