/**
 * mailbox [--to <username>] [--last] — the invitations and codes the local Cognito would have sent
 * (the LOCAL MAILBOX of the running system; nothing is sent anywhere).
 */
import { parseArgs } from 'node:util';
import { readMailbox } from '../mailbox';

const { values } = parseArgs({
  options: { to: { type: 'string' }, last: { type: 'boolean', default: false } },
});
const messages = readMailbox(values.to ? { username: values.to } : {});
const shown = values.last ? messages.slice(-1) : messages;
if (shown.length === 0) {
  console.log(values.to ? `No message to ${values.to}.` : 'The local mailbox is empty.');
}
for (const message of shown) {
  console.log(
    `${message.at}  to ${message.to} (${message.username})\n  ${message.subject}\n  ${message.body}\n`,
  );
}
