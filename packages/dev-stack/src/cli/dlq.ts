/**
 * dlq list|show|redrive [<queue>] [--stage S] [--region R] [--max N] [--dry-run]
 * Each service's dead-letter queues (every AWS::SQS::Queue in the services' serverless.yml):
 * `list` counts their messages, `show <queue>` prints what each dead letter holds (function, why,
 * which event) without removing it, `redrive <queue>` gives each event back to its function as an
 * asynchronous invocation and deletes the message once Lambda accepted it. Without --stage: the
 * running local system (its SQS and Lambda stand-ins); with --stage: that deployed stage (real SQS
 * and Lambda through the AWS SDK's default credentials and region).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  countMessages,
  deadLetterQueuesOf,
  describePayload,
  redriveDeadLetters,
  showDeadLetters,
} from '../dlq';
import { SERVICES, STAGE } from '../stack';
import { REPO_ROOT, readStackInfo } from '../state';

const usage =
  'Usage: dlq list | dlq show <queue> | dlq redrive <queue> [--dry-run]   [--stage S --region R] [--max N]';

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      stage: { type: 'string' },
      region: { type: 'string' },
      max: { type: 'string', default: '10' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const [action, queueArg] = positionals;
  const max = Number(values.max);
  if (!action || !['list', 'show', 'redrive'].includes(action) || !Number.isInteger(max) || max < 1) {
    throw new Error(usage);
  }
  const local = values.stage === undefined;
  const info = local ? readStackInfo() : undefined;
  const region = info?.region ?? values.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const clientConfig = info ? { region, credentials: info.adminCredentials } : { region };
  const sqs = new SQSClient({ ...clientConfig, ...(info ? { endpoint: info.sqsUrl } : {}) });
  const lambda = new LambdaClient({ ...clientConfig, ...(info ? { endpoint: info.lambdaUrl } : {}) });
  const files = Object.values(SERVICES).map((service) => join(REPO_ROOT, service.dir, 'serverless.yml'));
  const queues = deadLetterQueuesOf(files, { stage: values.stage ?? STAGE, region });
  const where = local ? 'the local system' : `stage ${values.stage} in ${region}`;

  if (action === 'list') {
    console.log(`Dead-letter queues of ${where}:`);
    for (const queue of queues) {
      const count = await countMessages(sqs, queue.name);
      console.log(
        `  ${queue.name.padEnd(64)} ${String(count.visible).padStart(5)} message(s)${count.inFlight ? ` (+${count.inFlight} being handled)` : ''}`,
      );
    }
    return;
  }
  const queue = queues.find(
    (q) => q.name === queueArg || q.name.endsWith(`-${queueArg}`) || q.name.endsWith(`-${queueArg}-dlq`),
  );
  if (!queue) {
    throw new Error(`${usage}\nKnown queues: ${queues.map((q) => q.name).join(', ')}`);
  }
  if (action === 'show') {
    const messages = await showDeadLetters(sqs, queue.name, max);
    console.log(`${queue.name}: ${messages.length} message(s) shown (left in the queue)`);
    for (const { message, deadLetter } of messages) {
      if (!deadLetter) {
        console.log(`  ${message.MessageId}  (not a dead letter EventBridge or Lambda writes)`);
        continue;
      }
      console.log(
        `  ${deadLetter.messageId}  ${deadLetter.sentAt ?? ''}  ${deadLetter.kind}  → ${deadLetter.functionName}\n      why: ${deadLetter.reason || 'unknown'}\n      event: ${describePayload(deadLetter.payload)}`,
      );
    }
    return;
  }
  const result = await redriveDeadLetters({ sqs, lambda }, queue.name, { max, dryRun: values['dry-run'] });
  for (const letter of result.redriven) {
    console.log(
      `  ${values['dry-run'] ? 'would redrive' : 'redriven'} ${letter.messageId} → ${letter.functionName} (${describePayload(letter.payload)})`,
    );
  }
  for (const kept of result.kept) console.log(`  kept ${kept.messageId}: ${kept.why}`);
  console.log(
    `${queue.name}: ${result.redriven.length} ${values['dry-run'] ? 'to redrive' : 'redriven'}, ${result.kept.length} kept`,
  );
  if (result.kept.length > 0) process.exitCode = 1;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
