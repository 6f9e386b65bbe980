/**
 * chat --user <username> [--password P] [--new-password P] [--conversation ID] "<prompt>"
 * Signs in through the local Cognito, sends the prompt to the local chat-api and streams the
 * answer from the WebSocket as it arrives.
 */
import { parseArgs } from 'node:util';
import { awaitAnswer, openSocket, signIn, submitPrompt } from '../client';
import { readStackInfo } from '../state';
import { readSeededUsers } from '../users';

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      user: { type: 'string', short: 'u' },
      password: { type: 'string' },
      'new-password': { type: 'string' },
      conversation: { type: 'string' },
    },
  });
  const prompt = positionals.join(' ').trim();
  if (!values.user || !prompt) {
    throw new Error(
      'Usage: chat --user <username> [--password P] [--new-password P] [--conversation ID] "<prompt>"',
    );
  }
  const stack = readStackInfo();
  const seeded = readSeededUsers().find((u) => u.username === values.user);
  const password = values.password ?? seeded?.password;
  if (!password) throw new Error(`No password known for ${values.user}: pass --password`);
  const session = await signIn(stack, values.user, password, values['new-password']);
  const socket = await openSocket(stack, session);
  try {
    const { answerId, conversationId } = await submitPrompt(stack, session, prompt, values.conversation);
    let printed = '';
    const answer = await awaitAnswer(stack, session, answerId, {
      socket,
      onChunk: (text) => {
        printed += text;
        process.stdout.write(text);
      },
    });
    const text = answer.text ?? '';
    if (answer.status === 'COMPLETED' && text !== printed) {
      // chunks were missed (socket reconnect or polling fallback): finish with the stored answer
      process.stdout.write(
        text.startsWith(printed) ? text.slice(printed.length) : `${printed ? '\n' : ''}${text}`,
      );
    }
    if (answer.status === 'FAILED') {
      process.stdout.write(`\n[answer failed: ${answer.reason ?? 'unknown reason'}]\n`);
      process.exitCode = 2;
    } else {
      process.stdout.write('\n');
    }
    console.error(`(conversation ${conversationId}, answer ${answerId})`);
  } finally {
    await socket.close();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
