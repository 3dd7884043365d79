/**
 * The breakouts' invariants, asserted by the property tests of `shared/` after every step. Not
 * exported from the package.
 */
import { expect } from 'vitest';
import type { CircleCommand } from './commands.js';
import type { Decision, SystemCommand } from './decide.js';
import type { CircleState } from './state.js';

/** What must hold of any circle's breakouts. */
export function expectBreakoutInvariants(state: CircleState): void {
  const { breakouts } = state;
  if (breakouts === null) return;
  const seated = new Map(state.participants.map((p) => [p.id, p]));
  const groupIds = breakouts.groups.map((g) => g.id);
  expect(new Set(groupIds).size).toBe(groupIds.length);
  for (const id of groupIds) expect(id.startsWith(`${breakouts.id}g`)).toBe(true);
  // Every group member is a seated member, in exactly one group; no group is empty.
  const members = breakouts.groups.flatMap((g) => g.memberIds);
  expect(new Set(members).size).toBe(members.length);
  for (const id of members) expect(seated.has(id)).toBe(true);
  for (const group of breakouts.groups) {
    expect(group.memberIds.length).toBeGreaterThan(0);
    // The turn is a member's in `turns` mode; nobody's in `open`.
    if (breakouts.mode === 'turns') expect(group.memberIds).toContain(group.speakerId);
    else expect(group.speakerId).toBeNull();
  }
  // Visits: facilitators, to groups that exist.
  for (const [facilitatorId, groupId] of Object.entries(breakouts.visits)) {
    expect(seated.get(facilitatorId)?.role).toBe('facilitator');
    expect(groupIds).toContain(groupId);
  }
}

/** What a transition may do to the breakouts. */
export function expectBreakoutTransition(before: CircleState, command: CircleCommand | SystemCommand, decision: Decision): void {
  if (!decision.ok) return;
  const after = decision.state;
  expectBreakoutInvariants(after);
  const opening = command.type === 'breakout.open' || command.type === 'plan.go' || command.type === 'plan.next';
  if (command.type === 'breakout.open') {
    expect(before.breakouts).toBeNull();
    expect(after.breakouts).not.toBeNull();
    const connected = before.participants.filter((p) => p.connected);
    const grouped = after.breakouts!.groups.flatMap((g) => g.memberIds).sort();
    if (command.groups === undefined) {
      // Without groups: exactly the connected participants.
      expect(grouped).toEqual(connected.filter((p) => p.role === 'participant').map((p) => p.id).sort());
    } else {
      expect(after.breakouts!.groups.map((g) => g.memberIds)).toEqual(command.groups);
    }
  }
  if (command.type === 'breakout.close' && (command.afterMs ?? 0) === 0) expect(after.breakouts).toBeNull();
  if (command.type === 'member.join') expect(after.breakouts).toEqual(before.breakouts);
  // Nobody is ever added to an open group (a newcomer stays in the main circle); no group appears.
  if (!opening && before.breakouts && after.breakouts) {
    expect(after.breakouts.id).toBe(before.breakouts.id);
    for (const group of after.breakouts.groups) {
      const was = before.breakouts.groups.find((g) => g.id === group.id);
      expect(was).toBeDefined();
      for (const id of group.memberIds) expect(was!.memberIds).toContain(id);
      // The turn moves only by a swap or a pass — or when its speaker leaves.
      if (group.speakerId !== was!.speakerId) {
        if (group.memberIds.length === was!.memberIds.length) expect(['breakout.swap', 'breakout.pass']).toContain(command.type);
        else expect(group.memberIds).not.toContain(was!.speakerId);
      }
    }
  }
  if (!before.breakouts && !opening) expect(after.breakouts).toBeNull();
  // Breakouts close only by breakout.close, the return at closingAt, or a new step.
  if (before.breakouts && !after.breakouts) {
    expect(['breakout.close', 'breakout.finish', 'plan.go', 'plan.next']).toContain(command.type);
  }
  if (decision.changed) expect(after.version).toBe(before.version + 1);
}
