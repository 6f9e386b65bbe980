// Started by dynamodb-local.test.ts in its own Node process: starts DynamoDB Local, prints the Java
// pid, then waits to be killed (SIGKILL, so no clean-up code of ours runs).
import { startDynamoDbLocal } from '../../src/dynamodb/local';

startDynamoDbLocal({ port: 0 }).then(
  (local) => {
    process.stdout.write(`PID ${local.pid}\n`);
    setInterval(() => undefined, 1000);
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
