/**
 * chat --user <username> [--password P] [--new-password P] [--conversation ID] "<prompt>"
 * Signs in through the local Cognito, sends the prompt to the local chat-api and streams the
 * answer from the WebSocket as it arrives (chunks in seq order). It stops waiting at the answer's
 * deadline and says so; on a failure or time-out it offers to send the same prompt again in the
 * same conversation (on a terminal), or prints the command that does (exit code 2).
 */
import { createInterface } from 'node:readline/promises';
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
    let conversation = values.conversation;
    for (;;) {
      const outcome = await ask(stack, session, socket, prompt, conversation);
      conversation = outcome.conversationId;
      if (outcome.status === 'COMPLETED') return;
      // Stopped waiting (timed out) or failed: offer the same prompt again, in the same conversation.
      const again = `./scripts/chat --user ${values.user} --conversation ${conversation} ${JSON.stringify(prompt)}`;
      if (!(await confirm('Try again? [y/N] '))) {
        console.error(`To try again: ${again}`);
        process.exitCode = 2;
        return;
      }
    }
  } finally {
    await socket.close();
  }
};

/** Sends one prompt and prints its answer as it streams; says clearly when it failed or timed out. */
const ask = async (
  stack: ReturnType<typeof readStackInfo>,
  session: Awaited<ReturnType<typeof signIn>>,
  socket: Awaited<ReturnType<typeof openSocket>>,
  prompt: string,
  conversation: string | undefined,
) => {
  const { answerId, conversationId, deadlineAt } = await submitPrompt(stack, session, prompt, conversation);
  let printed = '';
  const answer = await awaitAnswer(stack, session, answerId, {
    socket,
    ...(deadlineAt ? { deadlineAt } : {}),
    onChunk: (text) => {
      printed += text;
      process.stdout.write(text);
    },
  });
  const text = answer.text ?? '';
  if (answer.status === 'COMPLETED' && text !== printed) {
    // The completion is authoritative: chunks were missed or differ, so print the whole text.
    process.stdout.write(
      text.startsWith(printed) ? text.slice(printed.length) : `${printed ? '\n' : ''}${text}`,
    );
  }
  if (answer.status === 'FAILED') {
    process.stdout.write(`${printed ? '\n' : ''}[no answer: ${answer.reason ?? 'the assistant failed'}]\n`);
  } else {
    process.stdout.write('\n');
  }
  console.error(`(conversation ${conversationId}, answer ${answerId})`);
  return { status: answer.status, conversationId };
};

/** Asks a yes/no question on an interactive terminal; false when there is none. */
const confirm = async (question: string): Promise<boolean> => {
  if (!process.stdin.isTTY) return false;
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await lines.question(question)).trim());
  } finally {
    lines.close();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
