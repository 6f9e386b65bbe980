import type { AdminRoles } from '@tenant-assistant/tenant-context';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { type AdminClient, createAdminClient } from '../admin/admin-client';
import { adminRolesOfIdToken, isAnyAdmin, NO_ADMIN_ROLES } from '../auth/admin-roles';
import type { SignedInUser } from '../auth/claims';
import type { AuthSession } from '../auth/session';
import { createAnswerSocket } from '../chat/answer-socket';
import type { ConversationSummary } from '../chat/api-client';
import { type ApiClient, createApiClient, MAX_PROMPT_LENGTH } from '../chat/api-client';
import { ChatSession, type Turn } from '../chat/chat-session';
import type { AppConfig } from '../config';
import { AdminScreen, defaultAdminView } from './AdminScreen';
import { type AdminView, readAdminView, readLocation, writeAdminView, writeLocation } from './location';
import { TotpEnrolment } from './TotpEnrolment';
import { UsageScreen } from './UsageScreen';
import { useStore } from './use-store';

type Props = { auth: AuthSession; config: AppConfig; user: SignedInUser };

/** What both API clients need of the session: the browser's fetch and the (refreshed) ID token. */
const sessionDeps = (auth: AuthSession) => ({
  fetch: window.fetch.bind(window),
  getIdToken: () => auth.getIdToken(),
  onUnauthorized: () => auth.expire(),
});

const createApi = ({ auth, config }: Props): ApiClient =>
  createApiClient({
    apiUrl: config.apiUrl,
    ...(config.metricsUrl ? { metricsUrl: config.metricsUrl } : {}),
    ...sessionDeps(auth),
  });

const createAdmin = ({ auth, config }: Props): AdminClient =>
  createAdminClient({ baseUrl: config.adminApiUrl, ...sessionDeps(auth) });

/** The admin roles of the signed-in user's token (no role until the token is read). */
const useAdminRoles = (auth: AuthSession): AdminRoles => {
  const [roles, setRoles] = useState<AdminRoles>(NO_ADMIN_ROLES);
  useEffect(() => {
    let current = true;
    auth
      .getIdToken()
      .then((token) => current && setRoles(adminRolesOfIdToken(token)))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [auth]);
  return roles;
};

/** What the signed-in user looks at: the chat, the usage page or an admin screen (from the URL at start). */
type Screen = { kind: 'chat' } | { kind: 'usage' } | { kind: 'admin'; view: AdminView };

const screenOfLocation = (): Screen => {
  const view = readAdminView();
  return view ? { kind: 'admin', view } : { kind: 'chat' };
};

const createChat = ({ auth, config, user }: Props, api: ApiClient) => {
  const getIdToken = () => auth.getIdToken();
  return new ChatSession({
    api,
    userId: user.sub,
    openSocket: ({ onMessage, onStatus }) =>
      createAnswerSocket({
        url: config.webSocketUrl,
        getIdToken,
        createSocket: (url) => new WebSocket(url),
        onMessage,
        onStatus,
      }),
    onConversationChange: (conversationId) => writeLocation({ conversationId }),
  });
};

/** The chat: who is signed in, the conversation with streaming answers, the prompt box. */
export const ChatScreen = (props: Props) => {
  const { auth, user } = props;
  const [api] = useState(() => createApi(props));
  const [admin] = useState(() => createAdmin(props));
  const [chat] = useState(() => createChat(props, api));
  const state = useStore(chat);
  const roles = useAdminRoles(auth);
  const [enrolling, setEnrolling] = useState(false);
  const [screen, setScreen] = useState<Screen>(screenOfLocation);
  const showingUsage = screen.kind === 'usage';
  const prompt = useRef<HTMLTextAreaElement>(null);
  const promptId = useId();
  const hintId = useId();
  const errorId = useId();

  useEffect(() => {
    document.title = 'Chat · Tenant Assistant';
    chat.start();
    prompt.current?.focus();
    const open = () => {
      const next = screenOfLocation();
      setScreen(next);
      if (next.kind === 'admin') return;
      const { answerId, conversationId } = readLocation();
      if (answerId) void chat.openAnswer(answerId);
      else if (conversationId) void chat.openConversation(conversationId);
      else chat.newConversation();
    };
    open();
    window.addEventListener('popstate', open);
    const online = () => chat.reconnect();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('popstate', open);
      window.removeEventListener('online', online);
      chat.stop();
    };
  }, [chat]);

  const openAdmin = (view: AdminView) => {
    writeAdminView(view);
    setScreen({ kind: 'admin', view });
  };

  /** Leaving the admin area puts the conversation back in the URL. */
  const leaveAdmin = () => {
    if (screen.kind === 'admin') writeLocation({ conversationId: chat.getState().conversationId });
  };

  const openUsage = () => {
    leaveAdmin();
    setScreen({ kind: 'usage' });
  };

  /** Back to the chat. */
  const closeScreen = () => {
    leaveAdmin();
    setScreen({ kind: 'chat' });
    document.title = 'Chat · Tenant Assistant';
  };

  const send = async () => {
    const field = prompt.current;
    if (!field?.value.trim()) return;
    if (await chat.send(field.value)) field.value = '';
    field.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <div className="chat">
      <header className="topbar">
        <p className="brand">Tenant Assistant</p>
        <p className="who" data-testid="who">
          Signed in as <strong>{user.username}</strong> · tenant <strong>{user.tenantId}</strong>
        </p>
        <nav aria-label="Account" className="actions">
          <button
            type="button"
            onClick={() => {
              closeScreen();
              chat.newConversation();
              prompt.current?.focus();
            }}
          >
            New conversation
          </button>
          {isAnyAdmin(roles) && (
            <>
              <button type="button" aria-pressed={showingUsage} onClick={openUsage}>
                Usage
              </button>
              <button
                type="button"
                aria-pressed={screen.kind === 'admin'}
                onClick={() => openAdmin(defaultAdminView(roles))}
              >
                Admin
              </button>
            </>
          )}
          <button type="button" onClick={() => setEnrolling(true)}>
            Authenticator app
          </button>
          <button type="button" onClick={() => void auth.signOut()}>
            Sign out
          </button>
        </nav>
      </header>

      {showingUsage && <UsageScreen api={api} onClose={closeScreen} />}
      {screen.kind === 'admin' && (
        <AdminScreen
          admin={admin}
          roles={roles}
          tenantId={user.tenantId}
          view={screen.view}
          onView={openAdmin}
          onClose={closeScreen}
        />
      )}
      <div className="chat-body" hidden={screen.kind !== 'chat'}>
        <Conversations
          conversations={state.conversations}
          current={state.conversationId}
          onOpen={(conversationId) => {
            writeLocation({ conversationId });
            void chat.openConversation(conversationId);
          }}
        />

        <main className="conversation">
          <h1 className="visually-hidden">Conversation</h1>
          <Connection status={state.connection} onReconnect={() => chat.reconnect()} />
          {state.loading && <p role="status">Loading the conversation…</p>}
          {!state.loading && state.turns.length === 0 && !state.error && (
            <p className="empty">
              Ask about the return policy or your orders, for example “What is your return policy?”
            </p>
          )}
          <ol className="log" role="log" aria-live="polite" aria-label="Messages">
            {state.turns.map((turn) => (
              <TurnView
                key={turn.answerId}
                turn={turn}
                sending={state.sending}
                onRetry={() => void chat.retry(turn.answerId)}
              />
            ))}
          </ol>
        </main>

        <form
          className="composer"
          onSubmit={(event) => {
            event.preventDefault();
            void send();
          }}
        >
          <p id={errorId} className="error" role="alert" hidden={!state.error}>
            {state.error}
          </p>
          <label htmlFor={promptId}>Your question</label>
          <div className="composer-row">
            <textarea
              id={promptId}
              ref={prompt}
              name="prompt"
              rows={2}
              maxLength={MAX_PROMPT_LENGTH}
              aria-describedby={`${hintId} ${errorId}`}
              onKeyDown={onKeyDown}
            />
            <button type="submit" className="primary" disabled={state.sending} aria-busy={state.sending}>
              {state.sending ? 'Sending…' : 'Send'}
            </button>
          </div>
          <p id={hintId} className="hint">
            Enter sends, Shift+Enter starts a new line.
          </p>
        </form>
      </div>

      {enrolling && <TotpEnrolment auth={auth} onClose={() => setEnrolling(false)} />}
    </div>
  );
};

const STATUS_LABEL: Record<Turn['answer']['status'], string> = {
  PENDING: 'Thinking…',
  STREAMING: 'Answering…',
  COMPLETED: '',
  FAILED: 'Failed',
};

/** The user's conversations, newest first; opening one shows its history. */
const Conversations = ({
  conversations,
  current,
  onOpen,
}: {
  conversations: readonly ConversationSummary[] | undefined;
  current: string | undefined;
  onOpen: (conversationId: string) => void;
}) => {
  if (!conversations || conversations.length === 0) return null;
  return (
    <nav aria-label="Conversations" className="history">
      <details>
        <summary>Your conversations ({conversations.length})</summary>
        <ul>
          {conversations.map((conversation) => (
            <li key={conversation.conversationId}>
              <button
                type="button"
                className="link"
                aria-current={conversation.conversationId === current ? 'page' : undefined}
                title={new Date(conversation.lastPromptAt).toLocaleString()}
                onClick={() => onOpen(conversation.conversationId)}
              >
                {conversation.title || 'Untitled conversation'}
              </button>
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
};

const TurnView = ({ turn, sending, onRetry }: { turn: Turn; sending: boolean; onRetry: () => void }) => {
  const { answer } = turn;
  const working = answer.status === 'PENDING' || answer.status === 'STREAMING';
  return (
    <li className="turn" data-answer-id={turn.answerId} data-status={answer.status}>
      {turn.prompt && (
        <div className="bubble prompt">
          <span className="visually-hidden">You asked: </span>
          {turn.prompt}
        </div>
      )}
      <div className={`bubble answer ${answer.status.toLowerCase()}`} aria-busy={working}>
        <span className="visually-hidden">Assistant: </span>
        {answer.text && <span className="text">{answer.text}</span>}
        {working && <span className="working"> {STATUS_LABEL[answer.status]}</span>}
        {answer.status === 'FAILED' && (
          <span className="failure">
            <strong>{answer.timedOut ? 'Timed out' : STATUS_LABEL.FAILED}:</strong> {answer.reason}{' '}
            {turn.prompt && (
              <button type="button" className="link" onClick={onRetry} disabled={sending}>
                Try again
              </button>
            )}
          </span>
        )}
      </div>
    </li>
  );
};

const Connection = ({ status, onReconnect }: { status: string; onReconnect: () => void }) => {
  const lost = status === 'reconnecting' || status === 'closed';
  return (
    <div className={`connection ${lost ? 'lost' : ''}`} role="status">
      {lost && (
        <>
          Live connection lost — reconnecting. Answers still arrive, a little slower.{' '}
          <button type="button" className="link" onClick={onReconnect}>
            Reconnect now
          </button>
        </>
      )}
    </div>
  );
};
