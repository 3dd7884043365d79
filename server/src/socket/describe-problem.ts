import { COMMAND_TYPES } from '@spiral/shared';

/** A human-readable reason a command failed schema validation. */
export function describeCommandProblem(raw: unknown, issues: readonly { path: PropertyKey[]; message: string }[]): string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'A command must be an object with a "type".';
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !(COMMAND_TYPES as readonly string[]).includes(type)) {
    return `Unknown command type; expected one of ${COMMAND_TYPES.join(', ')}.`;
  }
  const first = issues[0];
  const field = first ? first.path.map(String).join('.') : '';
  return field ? `${type}: "${field}" ${first?.message ?? 'is not valid'}.` : `${type}: the command is not valid.`;
}
