import { useEffect, useState } from 'react';
import { createCognitoAdapter } from '../auth/cognito-adapter';
import { AuthSession } from '../auth/session';
import type { AppConfig } from '../config';
import { AuthScreens } from './AuthScreens';
import { ChatScreen } from './ChatScreen';
import { useStore } from './use-store';

/** Signs the user in, then shows the chat. Tokens live in sessionStorage: closing the tab forgets them. */
export const App = ({ config }: { config: AppConfig }) => {
  const [auth] = useState(
    () => new AuthSession({ cognito: createCognitoAdapter(config, window.sessionStorage) }),
  );
  const state = useStore(auth);

  useEffect(() => {
    void auth.start();
  }, [auth]);

  if (state.status === 'starting') {
    return (
      <main className="centered">
        <p role="status">Loading…</p>
      </main>
    );
  }
  if (state.status === 'signedIn') {
    return <ChatScreen key={state.user.sub} auth={auth} config={config} user={state.user} />;
  }
  return <AuthScreens auth={auth} state={state} />;
};
