import { useEffect } from 'react';
import { LIMITS } from '@spiral/shared/limits';
import { HomeLink, MessagePage } from '../components/MessagePage';
import { CircleLocked, NoSuchCircle } from '../pages/JoinPage';
import type { JoinErrorCode } from '@spiral/shared';
import type { CircleConnection } from './useCircleConnection';

export interface RefusedProps {
  code: JoinErrorCode;
  connection: CircleConnection;
  onNeedName: (message: string) => void;
  onForgetKey: () => void;
  /** Back to the invite page (its countdown), keeping the name. */
  onBackToInvite?: () => void;
}

/** The page for a refused join, one per refusal code, each with the way forward. */
export function Refused({ code, connection, onNeedName, onForgetKey, onBackToInvite }: RefusedProps) {
  const retry = (
    <button type="button" className="button button--primary" onClick={connection.retry}>
      Try again
    </button>
  );
  useEffect(() => {
    if (code === 'invalid') onNeedName(`That name cannot be used here. Please choose another (1 to ${LIMITS.nameMax} characters).`);
  }, [code, onNeedName]);
  switch (code) {
    case 'not_found':
      return <NoSuchCircle />;
    case 'locked':
      return <CircleLocked />;
    case 'full':
      return (
        <MessagePage title="This circle is full" actions={<HomeLink />}>
          <p>Every seat in this circle is taken. Ask the facilitator whether another circle is gathering.</p>
        </MessagePage>
      );
    case 'bad_key':
      return (
        <MessagePage
          title="This facilitator link is no longer valid"
          actions={
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                onForgetKey();
                connection.retry();
              }}
            >
              Join as a participant instead
            </button>
          }
        >
          <p>The facilitator link you used does not match this circle any more. If you are hosting, use the facilitator link you were given when the circle was created.</p>
        </MessagePage>
      );
    case 'removed':
      return (
        <MessagePage title="You have left this circle" actions={<HomeLink />}>
          <p>A facilitator removed you from this circle, so this browser cannot rejoin it.</p>
        </MessagePage>
      );
    case 'rate_limited':
      return (
        <MessagePage title="Too many joins at once" actions={retry}>
          <p>Many people are joining from your network right now. Wait a few seconds and try again.</p>
        </MessagePage>
      );
    case 'forbidden':
      return (
        <MessagePage title="This page cannot join the circle" actions={<HomeLink />}>
          <p>The server did not accept a connection from this address. Open the invite link directly rather than through another site.</p>
        </MessagePage>
      );
    case 'not_open':
      return (
        <MessagePage
          title="This circle has not opened yet"
          actions={
            onBackToInvite ? (
              <button type="button" className="button button--primary" onClick={onBackToInvite}>
                Back to the invite page
              </button>
            ) : (
              retry
            )
          }
        >
          <p>Joining opens 15 minutes before the start. The invite page counts down to it and opens the door by itself.</p>
        </MessagePage>
      );
    case 'invalid':
      return (
        <MessagePage title="Please choose another name">
          <p>That name cannot be used here.</p>
        </MessagePage>
      );
  }
}
