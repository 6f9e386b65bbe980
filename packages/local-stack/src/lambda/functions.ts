import { type CloudFormationTemplate, resolveIntrinsics } from '../cloudformation';
import { ServerlessConfig, type ServerlessConfigOptions } from '../common/serverless-config';
import { ConfigurationError, UnresolvedIntrinsicError } from '../errors';

/** A function's asynchronous invocation settings, as Lambda applies them (serverless.yml names). */
export interface AsyncInvocationSettings {
  /** Retries after a function error (0–2; AWS default 2). */
  maximumRetryAttempts?: number;
  /** Oldest event Lambda still runs, seconds (60–21600; AWS default 21600). */
  maximumEventAgeSeconds?: number;
  /** SQS queue ARN of `destinations.onFailure` (the invocation record goes there). */
  onFailureArn?: string;
}

/** One function of a service, as the local Lambda stand-ins need it. */
export interface LocalLambdaFunction extends AsyncInvocationSettings {
  service: string;
  /** The key in serverless.yml's `functions`. */
  functionName: string;
  /** `<service>-<stage>-<functionName>`, the deployed function's name. */
  deployedName: string;
  /** Most invocations running at once (`reservedConcurrency`). */
  reservedConcurrency?: number;
}

/** The SQS queue ARNs this stand-in can deliver to (`arn:aws:sqs:<region>:<account>:<name>`). */
export const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Resolves serverless variables, then CloudFormation intrinsics, of one value of a config. */
export const configResolver = (
  config: ServerlessConfig,
  path: string,
  imports?: Readonly<Record<string, unknown>>,
) => {
  const resources = config.resources();
  const context = {
    accountId: config.accountId,
    region: config.region,
    stackName: `${config.service}-${config.stage}`,
    template: resources as CloudFormationTemplate,
    imports: imports as Record<string, unknown> | undefined,
  };
  return (value: unknown, what: string): unknown => {
    const resolved = config.resolve(value);
    const leftover = /\$\{(?:self|sls|opt|env|param|aws):[^}]*\}/.exec(JSON.stringify(resolved) ?? '')?.[0];
    if (leftover) throw new ConfigurationError(`${path}: cannot resolve ${leftover} in ${what}`);
    try {
      return resolveIntrinsics(resolved, context);
    } catch (error) {
      if (error instanceof UnresolvedIntrinsicError) {
        throw new ConfigurationError(`${path}: ${what}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  };
};

const wholeNumber = (value: unknown, what: string, path: string, range: [number, number]): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < range[0] || number > range[1]) {
    throw new ConfigurationError(`${path}: ${what} must be a whole number from ${range[0]} to ${range[1]}`);
  }
  return number;
};

/** An SQS destination ARN, or a ConfigurationError saying what the stand-in supports. */
export const sqsArn = (value: unknown, what: string, path: string): string => {
  if (typeof value !== 'string' || !SQS_ARN.test(value)) {
    throw new ConfigurationError(
      `${path}: ${what} must be an SQS queue ARN (the local stand-ins deliver failures to SQS queues only)`,
    );
  }
  return value;
};

/** serverless.yml's numeric asynchronous-invocation keys, the setting each sets and Lambda's allowed range. */
const ASYNC_NUMBER_SETTINGS: [string, 'maximumRetryAttempts' | 'maximumEventAgeSeconds', [number, number]][] =
  [
    ['maximumRetryAttempts', 'maximumRetryAttempts', [0, 2]],
    ['maximumEventAge', 'maximumEventAgeSeconds', [60, 21_600]],
  ];

/**
 * The asynchronous invocation settings of one serverless.yml function definition:
 * `maximumRetryAttempts`, `maximumEventAge` and `destinations.onFailure` (an ARN, or
 * `{ type: sqs, arn }`), resolved and range-checked like Lambda's PutFunctionEventInvokeConfig.
 */
export const asyncSettingsOf = (
  definition: Json,
  resolve: (value: unknown, what: string) => unknown,
  what: string,
  path: string,
): AsyncInvocationSettings & { reservedConcurrency?: number } => {
  const settings: AsyncInvocationSettings & { reservedConcurrency?: number } = {};
  for (const [key, setting, range] of ASYNC_NUMBER_SETTINGS) {
    if (definition[key] === undefined) continue;
    settings[setting] = wholeNumber(
      resolve(definition[key], `${what}.${key}`),
      `${what}.${key}`,
      path,
      range,
    );
  }
  const destinations = isRecord(definition.destinations) ? definition.destinations : undefined;
  if (destinations?.onFailure !== undefined) {
    const onFailure = destinations.onFailure;
    const arn = isRecord(onFailure) ? onFailure.arn : onFailure;
    if (isRecord(onFailure) && onFailure.type !== undefined && onFailure.type !== 'sqs') {
      throw new ConfigurationError(
        `${path}: ${what}.destinations.onFailure.type must be sqs (the local stand-ins deliver failures to SQS queues only)`,
      );
    }
    settings.onFailureArn = sqsArn(
      resolve(arn, `${what}.destinations.onFailure`),
      `${what}.destinations.onFailure`,
      path,
    );
  }
  if (definition.reservedConcurrency !== undefined) {
    const value = Number(resolve(definition.reservedConcurrency, `${what}.reservedConcurrency`));
    if (!Number.isInteger(value) || value < 0) {
      throw new ConfigurationError(`${path}: ${what}.reservedConcurrency is not a whole number`);
    }
    settings.reservedConcurrency = value;
  }
  return settings;
};

/**
 * Every function of a service's serverless.yml with its deployed name, reserved concurrency and
 * asynchronous invocation settings (serverless variables resolved for the stage).
 *
 * @example const functions = loadFunctionsFromServerlessYml('services/chat-api/serverless.yml', { stage: 'local' });
 */
export const loadFunctionsFromServerlessYml = (
  path: string,
  options: ServerlessConfigOptions & { imports?: Readonly<Record<string, unknown>> } = {},
): LocalLambdaFunction[] => {
  const config = ServerlessConfig.load(path, options);
  const resolve = configResolver(config, path, options.imports);
  const functions = isRecord(config.raw.functions) ? config.raw.functions : {};
  return Object.entries(functions).flatMap(([functionName, definition]) =>
    isRecord(definition)
      ? [
          {
            service: config.service,
            functionName,
            deployedName: `${config.service}-${config.stage}-${functionName}`,
            ...asyncSettingsOf(definition, resolve, `functions.${functionName}`, path),
          },
        ]
      : [],
  );
};
