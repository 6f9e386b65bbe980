import { ConfigurationError } from '../errors';

/**
 * The IAM action an AWS SDK (v3) command needs: the service's action prefix from the client's
 * package, the action from the command's name — e.g. `QueryCommand` of `@aws-sdk/client-dynamodb`
 * or `@aws-sdk/lib-dynamodb` → `dynamodb:Query`. For the least-privilege check of the functions'
 * roles (what their code sends, judged against what their roles grant).
 */

/** Action prefix of each SDK client package the project uses. */
const PREFIX_OF_PACKAGE: Readonly<Record<string, string>> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  '@aws-sdk/client-cognito-identity-provider': 'cognito-idp',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-bedrock-agent-runtime': 'bedrock',
  '@aws-sdk/client-apigatewaymanagementapi': 'execute-api',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-s3': 's3',
};

/** lib-dynamodb's document commands, named after the item-level API they send. */
const DOCUMENT_COMMANDS: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
};

/**
 * IAM has no action for a transaction: it authorizes each of its items as the item-level action
 * (a `ConditionCheck` item as `dynamodb:ConditionCheckItem`).
 */
const TRANSACT_ITEM_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};
const TRANSACT_COMMANDS = new Set(['TransactWrite', 'TransactGet', 'TransactWriteItems', 'TransactGetItems']);

/** Commands whose IAM action is not `<prefix>:<name>`. */
const SPECIAL_ACTIONS: Readonly<Record<string, string>> = {
  // The WebSocket management API is authorized as execute-api:ManageConnections.
  'execute-api:PostToConnection': 'execute-api:ManageConnections',
  'execute-api:GetConnection': 'execute-api:ManageConnections',
  'execute-api:DeleteConnection': 'execute-api:ManageConnections',
  // Lambda's Invoke API is the lambda:InvokeFunction action.
  'lambda:Invoke': 'lambda:InvokeFunction',
  // S3 authorizes listing a bucket as s3:ListBucket and a batch delete as s3:DeleteObject per key.
  's3:ListObjectsV2': 's3:ListBucket',
  's3:DeleteObjects': 's3:DeleteObject',
};

/** The operation each SDK waiter sends (`waitUntilTableExists` polls DescribeTable). */
const WAITER_OPERATIONS: Readonly<Record<string, string>> = {
  waitUntilTableExists: 'DescribeTable',
  waitUntilTableNotExists: 'DescribeTable',
};

/** The SDK client packages {@link iamActionOf} knows. */
export const SDK_CLIENT_PACKAGES = Object.keys(PREFIX_OF_PACKAGE);

/**
 * The IAM actions of an SDK command or waiter (one, but for a DynamoDB transaction: one per kind of item it
 * holds, `transactItems` — the keys of its `TransactItems` entries). Empty for a package that is not
 * an AWS service client; an AWS client package it does not know is a ConfigurationError (never
 * silently no action).
 * @example iamActionsOf('@aws-sdk/lib-dynamodb', 'GetCommand') // ['dynamodb:GetItem']
 * @example iamActionsOf('@aws-sdk/lib-dynamodb', 'TransactWriteCommand', ['Put', 'Update'])
 */
export const iamActionsOf = (
  clientPackage: string,
  commandName: string,
  transactItems: readonly string[] = [],
): string[] => {
  const prefix = PREFIX_OF_PACKAGE[clientPackage];
  if (!prefix) {
    if (clientPackage.startsWith('@aws-sdk/client-'))
      throw new ConfigurationError(
        `${clientPackage}: its IAM service prefix is not known (PREFIX_OF_PACKAGE)`,
      );
    return [];
  }
  const name = WAITER_OPERATIONS[commandName] ?? commandName.replace(/Command$/, '');
  if (prefix === 'dynamodb' && TRANSACT_COMMANDS.has(name)) {
    if (transactItems.length === 0)
      throw new ConfigurationError(`${commandName}: which kinds of item it holds are needed`);
    return [...new Set(transactItems.map((kind) => TRANSACT_ITEM_ACTIONS[kind] ?? `dynamodb:${kind}Item`))];
  }
  const operation = clientPackage === '@aws-sdk/lib-dynamodb' ? (DOCUMENT_COMMANDS[name] ?? name) : name;
  const action = `${prefix}:${operation}`;
  return [SPECIAL_ACTIONS[action] ?? action];
};
