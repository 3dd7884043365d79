import { useEffect, useRef, useState } from 'react';
import { placeOf, stageInfo, timerStatus, type CircleState, speaksOfStages } from '@spiral/shared';
import { describeBreakoutChanges } from '../breakouts/view';

/** What changed between two snapshots that a screen-reader user should hear about. */
export function describeChanges(prev: CircleState | null, next: CircleState, me: string | null): string[] {
  const messages: string[] = [];
  const nameOf = (id: string) => next.participants.find((p) => p.id === id)?.name ?? 'Someone';
  // A café has no stages to announce (its steps are announced by the step header).
  if (speaksOfStages(next) && (!prev || prev.stage.key !== next.stage.key || prev.stage.cycle !== next.stage.cycle)) {
    messages.push(`Stage: ${stageInfo(next.stage.key).name}${next.stage.cycle > 1 ? `, cycle ${next.stage.cycle}` : ''}.`);
  }
  if (prev && prev.piece.mode !== next.piece.mode) {
    messages.push(next.piece.mode === 'open' ? 'Open conversation: everyone may speak.' : `Talking piece mode: ${next.piece.mode}.`);
  }
  // In a group, the main circle's piece is not this member's concern: the group's turns are.
  const inGroup = me !== null && placeOf(next, me).kind === 'group';
  if (!inGroup && next.piece.mode !== 'open' && (!prev || prev.piece.holderId !== next.piece.holderId)) {
    const holder = next.piece.holderId;
    if (holder === null) {
      if (prev) messages.push('The talking piece is in the centre.');
    } else if (holder === me) messages.push('You hold the talking piece.');
    else messages.push(`${nameOf(holder)} holds the talking piece.`);
  }
  if (prev && me) {
    const before = prev.piece.queue.indexOf(me);
    const after = next.piece.queue.indexOf(me);
    if (after >= 0 && before !== after && after === 0) messages.push('You are next in the queue.');
  }
  if (prev && timerStatus(prev.timer) === 'running' && timerStatus(next.timer) === 'finished') {
    messages.push("The shared timer is done.");
  }
  messages.push(...describeBreakoutChanges(prev, next, me));
  return messages;
}

/** The latest announcement for the aria-live region. */
export function useAnnouncements(state: CircleState | null, me: string | null): string {
  const prevRef = useRef<CircleState | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (!state) return;
    const messages = describeChanges(prevRef.current, state, me);
    prevRef.current = state;
    if (messages.length > 0) setMessage(messages.join(' '));
  }, [state, me]);
  return message;
}
