import { useEffect, useRef } from 'react';
import { placeOf, wouldChange, type CircleState, type Command } from '@spiral/shared';
import type { ServerClock } from '../circle/useServerClock';
import type { SeatMedia } from '../circle/Ring';
import { VideoTile } from '../media/VideoTile';
import { Remaining } from './Remaining';
import { groupKind, groupName, letterOf, listNames, nameIn, roleIn, visitorsOf, type GroupRole } from './view';
import './breakouts.css';

export interface GroupViewProps {
  state: CircleState;
  me: string;
  clock: Pick<ServerClock, 'now'>;
  act: (cmd: Command) => void | Promise<unknown>;
  /** Video per member of this place (absent while this member has video off). */
  media?: Readonly<Record<string, SeatMedia>>;
}

const ROLE_HEADLINE: Record<GroupRole, string> = {
  speak: 'You speak',
  listen: 'You listen',
  open: 'Open conversation',
  visiting: 'You are visiting',
};

/**
 * A member's room while they are in a group (it takes the ring's place): the facilitator's latest
 * word, the prompt, who speaks and who listens, the people of the group large, the group's time and
 * the recall. For a visiting facilitator, the same room with "Back to the main circle".
 * What each button would do is asked of `wouldChange`; nothing here decides who may speak.
 */
export function GroupView({ state, me, clock, act, media }: GroupViewProps) {
  const breakouts = state.breakouts;
  const place = placeOf(state, me);
  const groupId = place.kind === 'group' ? place.group.id : null;
  const heading = useRef<HTMLHeadingElement>(null);
  // Arriving in a group unmounts the control that had focus: give it to the group's heading, so the
  // keyboard and screen-reader user starts here (never taking it from a control someone is using).
  useEffect(() => {
    if (groupId !== null && (document.activeElement === null || document.activeElement === document.body)) heading.current?.focus();
  }, [groupId]);
  if (!breakouts || place.kind !== 'group') return null;
  const { group } = place;
  const role = roleIn(breakouts, place, me);
  const turns = breakouts.mode === 'turns';
  const name = groupName(breakouts, group);
  const others = group.memberIds.filter((id) => id !== me);
  const visitors = visitorsOf(breakouts, group).filter((id) => id !== me);
  const speaker = group.speakerId;
  const speakerName = speaker ? nameIn(state, speaker) : null;
  const mayPass = wouldChange(state, me, { type: 'breakout.pass' });
  const mayCall = wouldChange(state, me, { type: 'breakout.help' });
  const called = !place.visiting && group.helpAt !== null;
  const listeners = group.memberIds.filter((id) => id !== speaker && id !== me).map((id) => nameIn(state, id));

  const roleHint = (() => {
    // Silence holds in the groups too: nobody speaks, whatever the turn (maySpeak says so as well).
    if (state.silence !== null) return 'Silence: nobody speaks now. A bell will end it.';
    switch (role) {
      case 'speak':
        return listeners.length > 0 ? `${listNames(listeners)} ${listeners.length === 1 ? 'listens' : 'listen'} in silence. Pass the turn when you are done.` : 'Pass the turn when you are done.';
      case 'listen':
        return `${speakerName ?? 'Someone'} speaks. Listen without a word; your turn comes.`;
      case 'open':
        return 'Everyone in the group may speak.';
      case 'visiting':
        return turns && speakerName ? `${speakerName} speaks now. You may speak here too.` : 'You may speak here.';
    }
  })();
  const headline = role === 'visiting' ? `${ROLE_HEADLINE.visiting} ${name}` : ROLE_HEADLINE[role];
  const letter = turns && !place.visiting ? letterOf(group, me) : '';

  const person = (id: string, size: 'large' | 'small') => {
    const seat = media?.[id];
    const isMe = id === me;
    const visiting = !group.memberIds.includes(id);
    const personName = nameIn(state, id);
    const tags: string[] = [];
    if (visiting) tags.push('facilitator, visiting');
    else if (turns) tags.push(`${letterOf(group, id)} · ${id === speaker ? 'speaks' : 'listens'}`);
    return (
      <li key={id} className={`group-person group-person--${size}${turns && id === speaker ? ' group-person--speaker' : ''}`} data-participant-id={id}>
        <VideoTile name={personName} stream={seat?.stream ?? null} videoOn={seat?.videoOn ?? false} speaking={seat?.speaking ?? false} mirror={seat?.mirror} />
        <span className="group-person__name">
          {isMe ? 'You' : personName}
          {tags.length > 0 ? (
            <>
              {' '}
              <span className="group-person__tag">{tags.join(', ')}</span>
            </>
          ) : null}
        </span>
      </li>
    );
  };

  const step = state.plan.current === null ? undefined : state.plan.steps[state.plan.current];
  const headingWith = place.visiting ? group.memberIds.map((id) => nameIn(state, id)) : others.map((id) => nameIn(state, id));

  return (
    <section className={`group-view group-view--${role}`} aria-labelledby="group-heading" data-group-id={group.id}>
      {breakouts.closingAt !== null ? (
        <div className="group-view__recall" role="group" aria-label="Recall">
          <Remaining at={breakouts.closingAt} clock={clock} label="Back to the main circle in" className="remaining--recall" />
          <span className="group-view__recall-note">Take a moment to finish up.</span>
        </div>
      ) : null}
      <header className="group-view__head">
        {step && step.grouping !== 'circle' ? <p className="group-view__step">{step.title}</p> : null}
        <h2 id="group-heading" className="group-view__title" ref={heading} tabIndex={-1}>
          {name}
          {headingWith.length > 0 ? (
            <>
              {' '}
              <span className="group-view__with">· {place.visiting ? '' : 'with '}{listNames(headingWith)}</span>
            </>
          ) : null}
        </h2>
        {breakouts.endsAt !== null && breakouts.closingAt === null ? <Remaining at={breakouts.endsAt} clock={clock} label="Time left" className="remaining--group" /> : null}
      </header>

      {breakouts.message ? (
        <section className="group-view__message" aria-labelledby="group-message-label">
          <p id="group-message-label" className="group-view__message-label">
            From the facilitator
          </p>
          <p className="group-view__message-text">{breakouts.message.text}</p>
        </section>
      ) : null}

      {breakouts.prompt ? (
        <figure className="group-view__prompt">
          <figcaption className="group-view__prompt-label">The prompt</figcaption>
          <blockquote className="group-view__prompt-text">{breakouts.prompt}</blockquote>
        </figure>
      ) : null}

      <div className="group-view__me">
        <div className="group-view__turn">
          {/* Keyed on the speaker: the cue's animation plays again at every swap. */}
          <div key={speaker ?? 'open'} className={`group-view__role group-view__role--${role}`} data-role={role}>
            <p className="group-view__role-headline">
              {letter ? <span className="group-view__letter" aria-hidden="true">{letter}</span> : null}
              {headline}
              {letter ? (
                <>
                  {' '}
                  <span className="sr-only">(you are {letter})</span>
                </>
              ) : null}
            </p>
            <p className="group-view__role-hint">{roleHint}</p>
          </div>
          <div className="group-view__actions controls__row">
            {mayPass ? (
              <button type="button" className="button button--primary" onClick={() => act({ type: 'breakout.pass' })}>
                Pass the turn
              </button>
            ) : null}
            {place.visiting ? (
              <button type="button" className="button" onClick={() => act({ type: 'breakout.visit', groupId: null })}>
                Back to the main circle
              </button>
            ) : mayCall ? (
              <button type="button" className="button" onClick={() => act({ type: 'breakout.help' })}>
                Call the facilitator
              </button>
            ) : null}
            {/* Not a live region: the screen's announcer says these once (describeBreakoutChanges). */}
            <p className="group-view__status" data-testid="group-status">
              {called ? 'The facilitator has been called.' : visitors.length > 0 && !place.visiting ? `${listNames(visitors.map((id) => nameIn(state, id)))} ${visitors.length === 1 ? 'is' : 'are'} here with you.` : ''}
            </p>
          </div>
        </div>
        <ul className="group-view__self" aria-label="You">
          {person(me, 'small')}
        </ul>
      </div>

      <ul className={`group-view__people group-view__people--${Math.min(others.length + visitors.length, 3)}`} aria-label={`Your ${place.visiting ? 'group' : groupKind(group).toLowerCase()}`}>
        {(place.visiting ? group.memberIds : others).map((id) => person(id, 'large'))}
        {visitors.map((id) => person(id, 'large'))}
      </ul>
    </section>
  );
}
