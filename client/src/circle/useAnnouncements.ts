import { useEffect, useRef, useState } from 'react';
import { placeOf, stageInfo, timerStatus, type CircleState, speaksOfStages } from '@spiral/shared';
import { minutesText } from '../plan/draft';
import { describeBreakoutChanges } from '../breakouts/view';
import { useTurnPhase, type TurnPhase } from '../rhythm/speakerTurn';
import type { ServerClock } from './useServerClock';

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
  if (prev && timerStatus(next.timer) === 'running' && (timerStatus(prev.timer) !== 'running' || prev.timer.endsAt !== next.timer.endsAt)) {
    const label = next.timer.label ? `${next.timer.label}: ` : '';
    if (timerStatus(prev.timer) === 'paused') messages.push(`${label}the shared timer resumed.`.replace(/^t/, 'T'));
    else if (timerStatus(prev.timer) !== 'running') messages.push(`${label}the shared timer started, ${minutesText(next.timer.durationMs)} min.`.replace(/^t/, 'T'));
  }
  if (prev) {
    const before = new Map(prev.participants.map((p) => [p.id, p]));
    for (const p of next.participants) {
      if (p.id === me) continue;
      const was = before.get(p.id);
      if (!was) messages.push(`${p.name} joined the circle.`);
      else if (was.connected && !p.connected) messages.push(`${p.name} is away.`);
      else if (!was.connected && p.connected) messages.push(`${p.name} is back.`);
    }
    const still = new Set(next.participants.map((p) => p.id));
    for (const p of prev.participants) if (!still.has(p.id) && p.id !== me) messages.push(`${p.name} left the circle.`);
    // Facilitators hear each hand that goes up (the others see the queue).
    const meNext = me === null ? undefined : next.participants.find((p) => p.id === me);
    if (meNext?.role === 'facilitator') {
      for (const id of next.piece.queue) if (!prev.piece.queue.includes(id) && id !== me) messages.push(`${nameOf(id)} raised a hand.`);
    }
  }
  messages.push(...describeBreakoutChanges(prev, next, me));
  return messages;
}

/** What to say when the holder's turn reaches "finish up" or its end (time-based, not a change of state). */
export function describeTurn(state: CircleState, turn: { holderId: string; phase: TurnPhase } | null, me: string | null): string | null {
  if (!turn || turn.phase === 'speaking') return null;
  const you = turn.holderId === me;
  const name = state.participants.find((p) => p.id === turn.holderId)?.name ?? 'The speaker';
  if (turn.phase === 'finish-up') return you ? 'A little time is left in your turn.' : `A little time is left in ${name}’s turn.`;
  return you ? 'Your speaking time has ended.' : `${name}’s speaking time has ended.`;
}

/** Announcements closer together than this are said as one. */
const MERGE_WITHIN_MS = 250;

/** The latest announcement for the aria-live region: what changed in the circle, and the speaker's turn running out. */
export function useAnnouncements(state: CircleState | null, me: string | null, clock?: Pick<ServerClock, 'now'>): string {
  const prevRef = useRef<CircleState | null>(null);
  const turnRef = useRef('');
  const lastRef = useRef({ text: '', at: Number.NEGATIVE_INFINITY });
  const [message, setMessage] = useState('');
  const turn = useTurnPhase(state, clock);
  const turnKey = turn ? `${turn.holderId}:${turn.phase}` : '';
  useEffect(() => {
    if (!state) return;
    // One message per change, so a new snapshot and a turn's phase arriving together are both said.
    const messages = prevRef.current === state ? [] : describeChanges(prevRef.current, state, me);
    prevRef.current = state;
    if (turnKey !== turnRef.current) {
      turnRef.current = turnKey;
      const words = describeTurn(state, turn, me);
      if (words) messages.push(words);
    }
    if (messages.length > 0) {
      // Changes close together (two people joining at once) are said together: a live region
      // replaced within a moment is read once, so the replaced message would never be heard.
      const now = performance.now();
      const text = messages.join(' ');
      const said = now - lastRef.current.at < MERGE_WITHIN_MS ? `${lastRef.current.text} ${text}` : text;
      lastRef.current = { text: said, at: now };
      setMessage(said);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `turn` is read through turnKey
  }, [state, me, turnKey]);
  return message;
}
