import { type CircleCommand, type Command, type CommandAck, commandSchema, isMediaCommand, type MediaCommand, TRANSPORT_REFUSALS } from '@spiral/shared';
import { refused } from '../acks.js';
import type { ChangeBudgets } from '../change-budgets.js';
import type { MediaConnection } from '../media/media-provider.js';
import type { RateLimit } from '../rate-limits.js';
import { describeCommandProblem } from './describe-problem.js';
import type { EventRoute } from './event-route.js';
import type { SocketData } from './spiral-socket.js';

export interface CommandDispatchDeps {
  /** The circle's pipeline: every command but media. */
  circles: { command(circleId: string, participantId: string, command: CircleCommand): Promise<CommandAck> };
  /** The media seam: `media.join`, `media.leave`. */
  media: { command(circleId: string, participantId: string, command: MediaCommand, connection: MediaConnection): Promise<CommandAck> };
  limit: RateLimit;
  /** One gesture a second per member, shared by all of this process's connections. */
  gestureLimit: RateLimit;
  /** Changes per client address and per circle, shared by all of this process's connections. */
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
    budget: () => deps.budgets.spend(deps.address, circleId),
    schema: commandSchema,
    invalid: (payload, issues) => ({ code: 'invalid', message: describeCommandProblem(payload, issues) }),
    async run(command) {
      if (isMediaCommand(command)) return deps.media.command(circleId, participantId, command, connection);
      if (command.type === 'gesture.send' && !(await deps.gestureLimit.allow(`${circleId}:${participantId}`))) {
        return refused(TRANSPORT_REFUSALS.gesturesTooFast);
      }
      return deps.circles.command(circleId, participantId, command);
    },
  };
}
