import { useState } from 'react';
import { AUTO_RECALL_AFTER_MS, commandSchema, LIMITS, placeOf, wouldChange, type CircleState, type Command } from '@spiral/shared';
import type { ServerClock } from '../circle/useServerClock';
import { Remaining } from './Remaining';
import { groupName, inMainCircle, letterOf, listNames, nameIn, visitorsOf } from './view';
import './breakouts.css';

export interface BreakoutOverviewProps {
  state: CircleState;
  me: string;
  clock: Pick<ServerClock, 'now'>;
  act: (cmd: Command) => void | Promise<unknown>;
}

/** The warning the facilitator's "Recall" gives before everyone returns. */

/**
 * The facilitator's view of the groups: every group at a glance (its people, who speaks, a call for
 * help highlighted), one click to visit a group, and the word to every group, "Swap all" and the
 * recall. Each control is offered when `wouldChange` says the server would take it.
 */
export function BreakoutOverview({ state, me, clock, act }: BreakoutOverviewProps) {
  const [draft, setDraft] = useState('');
  const breakouts = state.breakouts;
  if (!breakouts) return null;
  const may = (cmd: Command) => wouldChange(state, me, cmd as Parameters<typeof wouldChange>[2]);
  // While visiting, the group's room above has "Back to the main circle".
  const here = placeOf(state, me);
  const visitingId = here.kind === 'group' && here.visiting ? here.group.id : null;
  const mainIds = inMainCircle(state);
  const calls = breakouts.groups.filter((g) => g.helpAt !== null);
  const broadcast = commandSchema.safeParse({ type: 'breakout.broadcast', text: draft });
  const tooLong = draft.trim().length > LIMITS.broadcastMax;
  const swap = { type: 'breakout.swap' } as const;
  const warn = { type: 'breakout.close', afterMs: AUTO_RECALL_AFTER_MS } as const;
  const now = { type: 'breakout.close' } as const;

  const send = () => {
    if (!broadcast.success) return;
    void Promise.resolve(act(broadcast.data)).then((result) => {
      if (!result || (result as { ok?: boolean }).ok !== false) setDraft('');
    });
  };

  return (
    <section className="overview" aria-labelledby="overview-heading">
      <header className="overview__head">
        <h2 id="overview-heading">
          {breakouts.groups.length === 1 ? 'One group' : `${breakouts.groups.length} groups`}
          {' '}
          <span className="overview__mode">· {breakouts.mode === 'turns' ? 'taking turns' : 'open conversation'}</span>
        </h2>
        {breakouts.closingAt !== null ? (
          <Remaining at={breakouts.closingAt} clock={clock} label="Everyone returns in" className="remaining--recall" />
        ) : breakouts.endsAt !== null ? (
          <Remaining at={breakouts.endsAt} clock={clock} label="Time left" className="remaining--group" />
        ) : null}
      </header>
      {breakouts.prompt ? <p className="overview__prompt">{breakouts.prompt}</p> : null}
      <div className="overview__actions" role="group" aria-label="All groups">
        {may(swap) ? (
          <button type="button" className="button" onClick={() => act(swap)}>
            Swap all
          </button>
        ) : null}
        {may(warn) ? (
          <button type="button" className="button" onClick={() => act(warn)}>
            Recall in {AUTO_RECALL_AFTER_MS / 1000} s
          </button>
        ) : null}
        {may(now) ? (
          <button type="button" className="button button--danger" onClick={() => act(now)}>
            Recall now
          </button>
        ) : null}
      </div>

      {calls.length > 0 ? (
        <p className="overview__calls">
          {listNames(calls.map((g) => groupName(breakouts, g)))} {calls.length === 1 ? 'calls' : 'call'} for you.
        </p>
      ) : null}

      <ul className="overview__groups" aria-label="The groups">
        {breakouts.groups.map((group) => {
          const name = groupName(breakouts, group);
          const visitors = visitorsOf(breakouts, group);
          const visit = { type: 'breakout.visit', groupId: group.id } as const;
          const names = group.memberIds.map((id) => nameIn(state, id));
          const youAreHere = visitingId === group.id;
          const classes = ['group-card', group.helpAt !== null ? 'group-card--help' : '', youAreHere ? 'group-card--here' : ''].filter(Boolean).join(' ');
          return (
            <li key={group.id} className={classes} data-group-id={group.id}>
              <h3 className="group-card__name">
                {name}
                {group.helpAt !== null ? (
                  <>
                    {' '}
                    <span className="group-card__help">· calls for you</span>
                  </>
                ) : null}
              </h3>
              <ul className="group-card__members">
                {group.memberIds.map((id) => {
                  const speaks = breakouts.mode === 'turns' && group.speakerId === id;
                  return (
                    <li key={id} className={speaks ? 'group-card__member group-card__member--speaks' : 'group-card__member'}>
                      {breakouts.mode === 'turns' ? (
                        <span className="group-card__letter" aria-hidden="true">
                          {letterOf(group, id)}
                        </span>
                      ) : null}
                      {nameIn(state, id)}
                      {speaks ? (
                        <>
                          {' '}
                          <span className="group-card__speaks">· speaks</span>
                        </>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              {visitors.length > 0 ? <p className="group-card__visitors">With {listNames(visitors.map((id) => (id === me ? 'you' : nameIn(state, id))))}</p> : null}
              {youAreHere ? (
                <p className="group-card__here">You are here</p>
              ) : may(visit) ? (
                <button type="button" className={group.helpAt !== null ? 'button button--primary' : 'button'} aria-label={`Visit ${name}: ${listNames(names)}`} onClick={() => act(visit)}>
                  Visit
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>

      <p className="overview__main">
        <span className="overview__main-label">In the main circle:</span>{' '}
        {mainIds.length === 0 ? 'nobody' : listNames(mainIds.map((id) => (id === me ? 'you' : nameIn(state, id))))}
      </p>

      <form
        className="overview__broadcast"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <div className="field">
          <label htmlFor="broadcast-text">A word to every group</label>
          <textarea
            id="broadcast-text"
            rows={2}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={tooLong || undefined}
            aria-describedby="broadcast-help"
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                send();
              }
            }}
          />
          <span id="broadcast-help" className={tooLong ? 'error' : 'hint'}>
            {tooLong ? `At most ${LIMITS.broadcastMax} characters (${draft.trim().length} now).` : breakouts.message ? `Last sent: “${breakouts.message.text}”` : 'Shown large in every group, e.g. “Take a minute to finish up.”'}
          </span>
        </div>
        <button type="submit" className="button button--primary" aria-disabled={!broadcast.success || undefined}>
          Send to all groups
        </button>
      </form>
    </section>
  );
}
