import type { Rejection } from './errors.js';
import type { CircleState } from './state.js';
import type { Effect } from './decide.js';

/** What one transition produces before versioning: the next state and its effects, or a refusal. */
export type Outcome = { state: CircleState; effects?: Effect[] } | Rejection;

export const isRejection = (o: Outcome): o is Rejection => 'code' in o;
