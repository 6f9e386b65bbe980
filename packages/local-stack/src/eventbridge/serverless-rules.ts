import {
  functionLogicalId,
  ServerlessConfig,
  type ServerlessConfigOptions,
} from '../common/serverless-config';
import { ConfigurationError, InvalidEventPatternError } from '../errors';
import { type AsyncInvocationSettings, asyncSettingsOf, configResolver, sqsArn } from '../lambda/functions';
import { type EventPattern, validateEventPattern } from './pattern';

/** One EventBridge rule that targets a Lambda function of a service. */
export interface EventBridgeRule {
  service: string;
  functionName: string;
  /** Bus name (an ARN is reduced to its name); `default` when the rule names no bus. */
  eventBus: string;
  pattern: EventPattern;
  /** The rule's name, when the configuration gives one. */
  ruleName?: string;
  /** The function's `handler` as written in serverless.yml. */
  handler?: string;
  /** Retries of a failed delivery, from the rule target's retry policy (AWS default 185). */
  maximumRetryAttempts?: number;
  /** Oldest event the rule target still gets, seconds, from its retry policy (AWS default 86400). */
  maximumEventAgeSeconds?: number;
  /** The rule target's dead-letter queue (SQS ARN). */
  deadLetterQueueArn?: string;
  /** `<service>-<stage>-<functionName>`. */
  deployedName?: string;
  /** The target function's asynchronous invocation settings (retries, event age, on-failure destination). */
  functionAsync?: AsyncInvocationSettings;
  /**
   * The target function's `reservedConcurrency`: Lambda never runs more invocations of it at once
   * (further asynchronous invocations wait in Lambda's event queue), so neither does the stand-in.
   */
  reservedConcurrency?: number;
}

export interface LoadRulesOptions extends ServerlessConfigOptions {
  /** Values of `Fn::ImportValue` exports of other stacks (e.g. the bus name exported by chat-api). */
  imports?: Readonly<Record<string, unknown>>;
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `arn:aws:events:us-east-1:000000000000:event-bus/name` → `name`. */
export const eventBusName = (value: string): string => {
  const match = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value);
  return match ? (match[1] as string) : value;
};

/**
 * Reads a service's serverless.yml and returns every EventBridge rule that targets one of its
 * functions: the functions' `events: - eventBridge: {eventBus, pattern}` entries and
 * `AWS::Events::Rule` resources whose targets are the service's functions. Serverless variables are
 * resolved for the given stage (`${self:…}`, `${param:…}`, …) and then CloudFormation intrinsics
 * (`!GetAtt Bus.Name`, `!ImportValue …` from `options.imports`). Patterns are validated.
 */
export const loadRulesFromServerlessYml = (
  path: string,
  options: LoadRulesOptions = {},
): EventBridgeRule[] => {
  const config = ServerlessConfig.load(path, options);
  const service = config.service;
  const resources = config.resources();
  const finish = configResolver(config, path, options.imports);

  const busOf = (value: unknown, what: string): string => {
    if (value === undefined || value === null) return 'default';
    const resolved = finish(value, what);
    if (typeof resolved !== 'string')
      throw new ConfigurationError(`${path}: ${what} is not a bus name or ARN`);
    return eventBusName(resolved);
  };

  const patternOf = (value: unknown, what: string): EventPattern => {
    const pattern = finish(value, what);
    try {
      validateEventPattern(pattern);
    } catch (error) {
      if (error instanceof InvalidEventPatternError) {
        throw new ConfigurationError(`${path}: ${what}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    return pattern;
  };

  const reservedConcurrencyOf = (definition: Json, what: string): number | undefined => {
    if (definition.reservedConcurrency === undefined) return undefined;
    const value = Number(finish(definition.reservedConcurrency, `${what}.reservedConcurrency`));
    if (!Number.isInteger(value) || value < 0) {
      throw new ConfigurationError(`${path}: ${what}.reservedConcurrency is not a whole number`);
    }
    return value;
  };

  /** Where exhausted deliveries go and how long they are retried (see `delivery-settings.ts`). */
  const deliverySettings = (
    functionName: string,
    definition: Json,
    maximumEventAge: unknown,
    deadLetterQueueArn: string | undefined,
  ): Pick<
    EventBridgeRule,
    'deployedName' | 'functionAsync' | 'maximumEventAgeSeconds' | 'deadLetterQueueArn'
  > => {
    const { reservedConcurrency: _reserved, ...functionAsync } = asyncSettingsOf(
      definition,
      finish,
      `functions.${functionName}`,
      path,
    );
    return {
      deployedName: `${service}-${config.stage}-${functionName}`,
      ...(Object.keys(functionAsync).length > 0 ? { functionAsync } : {}),
      ...(typeof maximumEventAge === 'number' ? { maximumEventAgeSeconds: maximumEventAge } : {}),
      ...(deadLetterQueueArn ? { deadLetterQueueArn } : {}),
    };
  };

  const rules: EventBridgeRule[] = [];
  const functions = isRecord(config.raw.functions) ? config.raw.functions : {};
  const handlers = new Map<string, string | undefined>();
  for (const [functionName, definition] of Object.entries(functions)) {
    if (!isRecord(definition)) continue;
    const handler = typeof definition.handler === 'string' ? definition.handler : undefined;
    handlers.set(functionLogicalId(functionName), functionName);
    const events = Array.isArray(definition.events) ? definition.events : [];
    events.forEach((event, index) => {
      if (!isRecord(event) || !isRecord(event.eventBridge)) return;
      const bridge = event.eventBridge;
      if (bridge.pattern === undefined || config.resolve(bridge.enabled) === false) return;
      const what = `functions.${functionName}.events[${index}].eventBridge`;
      const retryPolicy = isRecord(bridge.retryPolicy) ? bridge.retryPolicy : undefined;
      const retries = retryPolicy
        ? finish(retryPolicy.maximumRetryAttempts, `${what}.retryPolicy`)
        : undefined;
      const ruleName = bridge.name === undefined ? undefined : finish(bridge.name, `${what}.name`);
      const reserved = reservedConcurrencyOf(definition, `functions.${functionName}`);
      const maxAge =
        retryPolicy?.maximumEventAge === undefined
          ? undefined
          : finish(retryPolicy.maximumEventAge, `${what}.retryPolicy`);
      const deadLetter =
        bridge.deadLetterQueueArn === undefined
          ? undefined
          : sqsArn(
              finish(bridge.deadLetterQueueArn, `${what}.deadLetterQueueArn`),
              `${what}.deadLetterQueueArn`,
              path,
            );
      rules.push({
        ...deliverySettings(functionName, definition, maxAge, deadLetter),
        service,
        functionName,
        eventBus: busOf(bridge.eventBus, `${what}.eventBus`),
        pattern: patternOf(bridge.pattern, `${what}.pattern`),
        ...(typeof ruleName === 'string' ? { ruleName } : {}),
        ...(handler ? { handler } : {}),
        ...(typeof retries === 'number' ? { maximumRetryAttempts: retries } : {}),
        ...(reserved === undefined ? {} : { reservedConcurrency: reserved }),
      });
    });
  }

  // AWS::Events::Rule resources whose targets are this service's functions.
  for (const [logicalId, resource] of Object.entries(resources.Resources)) {
    if (!isRecord(resource) || resource.Type !== 'AWS::Events::Rule') continue;
    const props = isRecord(resource.Properties) ? resource.Properties : {};
    if (props.EventPattern === undefined || config.resolve(props.State) === 'DISABLED') continue;
    const targets = Array.isArray(props.Targets) ? props.Targets : [];
    for (const target of targets) {
      if (!isRecord(target)) continue;
      const arn = target.Arn;
      const getAtt = isRecord(arn) ? arn['Fn::GetAtt'] : undefined;
      const targetLogicalId = Array.isArray(getAtt) ? getAtt[0] : undefined;
      const functionName = typeof targetLogicalId === 'string' ? handlers.get(targetLogicalId) : undefined;
      if (!functionName) continue;
      const what = `resources.Resources.${logicalId}`;
      const definition = functions[functionName] as Json;
      const retryPolicy = isRecord(target.RetryPolicy) ? target.RetryPolicy : undefined;
      const retries = retryPolicy
        ? finish(retryPolicy.MaximumRetryAttempts, `${what}.Targets.RetryPolicy`)
        : undefined;
      const ruleName = props.Name === undefined ? undefined : finish(props.Name, `${what}.Name`);
      const reserved = reservedConcurrencyOf(definition, `functions.${functionName}`);
      const maxAge =
        retryPolicy?.MaximumEventAgeInSeconds === undefined
          ? undefined
          : finish(retryPolicy.MaximumEventAgeInSeconds, `${what}.Targets.RetryPolicy`);
      const deadLetterConfig = isRecord(target.DeadLetterConfig) ? target.DeadLetterConfig : undefined;
      const deadLetter =
        deadLetterConfig?.Arn === undefined
          ? undefined
          : sqsArn(
              finish(deadLetterConfig.Arn, `${what}.Targets.DeadLetterConfig`),
              `${what}.Targets.DeadLetterConfig.Arn`,
              path,
            );
      rules.push({
        ...deliverySettings(functionName, definition, maxAge, deadLetter),
        service,
        functionName,
        eventBus: busOf(props.EventBusName, `${what}.EventBusName`),
        pattern: patternOf(props.EventPattern, `${what}.EventPattern`),
        ...(typeof ruleName === 'string' ? { ruleName } : {}),
        ...(typeof definition.handler === 'string' ? { handler: definition.handler } : {}),
        ...(typeof retries === 'number' ? { maximumRetryAttempts: retries } : {}),
        ...(reserved === undefined ? {} : { reservedConcurrency: reserved }),
      });
    }
  }
  return rules;
};
