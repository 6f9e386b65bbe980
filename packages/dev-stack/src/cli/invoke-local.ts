/**
 * invoke-local <service> <function> <event.json> [--as <username>]
 * Runs `serverless invoke local --stage local` for one function of one service against the
 * running local system (same endpoints and credentials the system gives that service). With
 * --as, the sample event is made real for that seeded user first: a fresh ID token for HTTP and
 * WebSocket events, fresh tenant-scoped credentials for action-group events, the user's tenant,
 * sub and a new answer id for EventBridge events.
 */
import { parseArgs } from 'node:util';
import { INVOKABLE_SERVICES, invokeLocal } from '../invoke-local';
import { readStackInfo } from '../state';

const usage = `Usage: invoke-local <${INVOKABLE_SERVICES.join('|')}> <function> <event.json> [--as <username>]`;

const main = async () => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { as: { type: 'string' } } });
  const [service, fn, event] = positionals;
  if (!service || !INVOKABLE_SERVICES.includes(service) || !fn || !event || positionals.length !== 3)
    throw new Error(usage);
  const { status } = await invokeLocal(
    readStackInfo(),
    { service, fn, event, ...(values.as ? { as: values.as } : {}) },
    { output: 'inherit' },
  );
  process.exit(status);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
