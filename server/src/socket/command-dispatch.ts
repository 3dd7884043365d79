import { type CircleCommand, type Command, type CommandAck, COMMAND_TYPES, type CommandType, commandSchema, isMediaCommand, isMediaCommandType, type MediaCommand, TRANSPORT_REFUSALS } from '@spiral/shared';
import { refused } from '../acks.js';
import type { ChangeBudgets } from '../change-budgets.js';
import type { MediaConnection } from '../media/media-provider.js';
import type { RateLimit } from '../rate-limits.js';
import { describeCommandProblem } from './describe-problem.js';
import type { EventRoute } from './event-route.js';
import type { SocketData } from './spiral-socket.js';

export interface CommandDispatchDeps {
  /** The circle's pipeline: every command but media. */
  circles: {
    command(circleId: string, participantId: string, command: CircleCommand, onChanged?: () => void): Promise<CommandAck>;
    /** Whether the member is one of the circle's facilitators now (asked only when the circle's budget is spent). */
    isFacilitator(circleId: string, participantId: string): Promise<boolean>;
  };
  /** The media seam: `media.join`, `media.leave`. */
  media: { command(circleId: string, participantId: string, command: MediaCommand, connection: MediaConnection): Promise<CommandAck> };
  limit: RateLimit;
  /** One gesture a second per member, shared by all of this process's connections. */
  gestureLimit: RateLimit;
  /** Changes per client address and per circle, shared by all of this process's connections (media and gestures are not changes). */
  budgets: ChangeBudgets;
  /** This connection's client address (after TRUST_PROXY). */
  address: string;
}

/** `circle:command` from one member's connection: media commands to the media seam, the rest to the circle. */
export function commandRoute(who: SocketData, connection: MediaConnection, deps: CommandDispatchDeps): EventRoute<Command, CommandAck> {
  const { circleId, participantId } = who;
  return {
    limit: deps.limit,
    limited: TRANSPORT_REFUSALS.rateLimited,
    budget: (payload) =>
      chargedAsChange(payload) ? deps.budgets.refusal(deps.address, circleId, () => deps.circles.isFacilitator(circleId, participantId)) : Promise.resolve(null),
    schema: commandSchema,
    invalid: (payload, issues) => ({ code: 'invalid', message: describeCommandProblem(payload, issues) }),
    async run(command) {
      if (isMediaCommand(command)) return deps.media.command(circleId, participantId, command, connection);
      if (command.type === 'gesture.send' && !(await deps.gestureLimit.allow(`${circleId}:${participantId}`))) {
        return refused(TRANSPORT_REFUSALS.gesturesTooFast);
      }
      return deps.circles.command(circleId, participantId, command, () => deps.budgets.charge(deps.address, circleId));
    },
  };
}

/** Whether a payload would be a change to the circle: media commands and gestures never are. */
function chargedAsChange(payload: unknown): boolean {
  const type = typeof payload === 'object' && payload !== null && 'type' in payload ? payload.type : undefined;
  return !(typeof type === 'string' && (type === 'gesture.send' || (COMMAND_TYPES as readonly string[]).includes(type) && isMediaCommandType(type as CommandType)));
}
