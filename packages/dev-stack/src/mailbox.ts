import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from './state';

/**
 * A message the local Cognito stand-in would have sent (LOCAL MAILBOX, development and tests only):
 * invitations carry the temporary password in `body`, rendered with the pool's own template.
 */
export interface MailboxMessage {
  at: string;
  to: string;
  username: string;
  kind: 'invitation' | 'code';
  subject: string;
  body: string;
}

/** Where the local Cognito appends its messages (one JSON object a line). */
export const mailboxFile = (dataDir = defaultDataDir()) => join(dataDir, 'mailbox.jsonl');

/** Every message of the local mailbox, oldest first; only those to `username` when given. */
export const readMailbox = (options: { dataDir?: string; username?: string } = {}): MailboxMessage[] => {
  const file = mailboxFile(options.dataDir);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as MailboxMessage)
    .filter(
      (message) => !options.username || message.username.toLowerCase() === options.username.toLowerCase(),
    );
};

/**
 * The temporary password of the latest invitation to `username` (the pool's template says
 * "… your temporary password is <password>"), or undefined.
 */
export const latestTemporaryPassword = (options: {
  dataDir?: string;
  username: string;
}): string | undefined => {
  const invitation = readMailbox(options)
    .filter((message) => message.kind === 'invitation')
    .at(-1);
  return invitation ? /temporary password is (\S+)/.exec(invitation.body)?.[1] : undefined;
};
