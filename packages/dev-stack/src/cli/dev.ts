/**
 * The run command: starts the whole system on 127.0.0.1, seeds it, serves the chat UI, prints
 * where to go, and stops everything on Ctrl-C. Flags: --reset (wipe local data), --known-passwords
 * (permanent development passwords instead of temporary ones), --verbose (every process's output).
 */
import { parseArgs } from 'node:util';
import { mailboxFile } from '../mailbox';
import { seedStack } from '../seed';
import { startStack } from '../stack';

const main = async () => {
  const { values } = parseArgs({
    options: {
      reset: { type: 'boolean', default: false },
      'known-passwords': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const verbose = values.verbose;
  console.log('Starting Tenant Assistant locally…');
  const stack = await startStack({
    reset: values.reset,
    log: (source, line) => {
      if (verbose) console.log(`[${source}] ${line}`);
    },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await stack.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    const users = await seedStack(stack.info, {
      knownPasswords: values['known-passwords'],
      log: (line) => console.log(`  ${line}`),
    });
    const { info } = stack;
    console.log(`
Tenant Assistant is running (ready in ${(stack.startupMs / 1000).toFixed(1)} s, seeded in ${((Date.now() - stack.startupMs - startedAt) / 1000).toFixed(1)} s).

  Chat UI         ${info.webUrl}
  Chat API        ${info.chatApiUrl}   (WebSocket ${info.webSocketUrl})
  Admin API       ${info.adminApiUrl}/admin   (auth service: tenants, users)
  Mailbox         ./scripts/mailbox   (invitations and codes the local Cognito would have sent: ${mailboxFile()})
  Cognito (local) ${info.cognitoUrl}   pool ${info.userPoolId}, web client ${info.webClientId}
  DynamoDB (IAM-enforcing gateway) ${info.dynamodbUrl}

Users (password${users.some((u) => u.temporary) ? 's marked * are temporary: set a new one at first sign-in' : ''}):
${users.map((u) => `  ${u.username.padEnd(15)} ${u.tenantId.padEnd(8)} ${u.password}${u.temporary ? ' *' : ''}${u.role ? `  (${u.role})` : ''}`).join('\n')}

Next steps:
  - open ${info.webUrl} and sign in as tenant1-user; ask "What is your return policy?"
  - or from a terminal: ./scripts/chat --user tenant1-user --new-password 'Choose-a-passw0rd!' "Which orders did I place?"
  - ./scripts/manage-orders tenant1-user add|clear|list
  - admin API: ./scripts/tenants list --as platform-admin; ./scripts/users invite new-user --email new@example.com --as tenant1-admin
  - debug one function: ./scripts/invoke-local order-action-group actionGroup events/get-return-policy.json --as tenant1-user

Press Ctrl-C to stop.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stack.close();
    process.exit(1);
  }
};

const startedAt = Date.now();
main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
