/**
 * "What would happen if I pressed this": `decide` itself, asked on the member's behalf without
 * sending anything. The UI offers a control only when the server would accept it and it would change
 * the circle, so a button and the server can never disagree.
 */
import type { CircleCommand } from './commands.js';
import { decide } from './decide.js';
import type { CircleState } from './state.js';

/**
 * Whether `command` from `actorId` would be accepted and change the circle now. No member command's
 * acceptance depends on the time, so a fixed `now` is used.
 */
export function wouldChange(state: CircleState, actorId: string, command: CircleCommand): boolean {
  const decision = decide(state, command, { actor: { kind: 'member', id: actorId }, now: 0, holderGraceMs: 0 });
  return decision.ok && decision.changed;
}
