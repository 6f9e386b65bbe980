import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, type ListenOptions, type LocalEndpoint, readBody } from '../common/net';
import { sendAwsJson, serveStandIn } from '../common/server';
import type { AsyncInvoker, AsyncTarget } from './async-invocation';
import type { LocalLambdaFunction } from './functions';

export interface LocalLambdaOptions extends ListenOptions {
  /** The functions that can be invoked (e.g. from `loadFunctionsFromServerlessYml`). */
  functions: readonly LocalLambdaFunction[];
  /** Runs a function synchronously (`RequestResponse`); a thrown error is a function error. */
  invoke: (target: AsyncTarget, payload: unknown) => Promise<unknown>;
  /** Queues `Event` invocations (Lambda's asynchronous invocation: retries, on-failure destination). */
  asyncInvoker: AsyncInvoker;
}

export interface LocalLambda extends LocalEndpoint {}

const MAX_PAYLOAD = 6 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD = 256 * 1024;

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  sendAwsJson(res, status, body, 'application/json', headers);

const fault = (res: ServerResponse, status: number, type: string, message: string) =>
  send(res, status, { Type: 'User', message }, { 'x-amzn-errortype': type });

/**
 * LOCAL STAND-IN for the Lambda `Invoke` API (`POST /2015-03-31/functions/{name}/invocations`, the
 * path `@aws-sdk/client-lambda` uses), so tools such as `scripts/dlq redrive` call the same SDK
 * method locally as against AWS. `X-Amz-Invocation-Type: Event` queues the invocation in the local
 * asynchronous-invocation model (202); `RequestResponse` (default) runs it and answers its result,
 * with `X-Amz-Function-Error: Unhandled` when it failed; `DryRun` answers 204. The function is named
 * by name, ARN or partial ARN (a `:$LATEST` qualifier is accepted). No signatures, aliases or versions.
 */
export const startLocalLambda = async (options: LocalLambdaOptions): Promise<LocalLambda> => {
  const byName = new Map(options.functions.map((fn) => [fn.deployedName, fn]));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(
        new URL(req.url ?? '/', 'http://x').pathname,
      );
      if (req.method !== 'POST' || !match) {
        fault(res, 404, 'UnknownOperationException', 'The local Lambda stand-in supports Invoke only');
        return;
      }
      const reference = decodeURIComponent(match[1] as string).replace(/:\$LATEST$/, '');
      const name = reference.split(':function:').at(-1) ?? reference;
      const fn = byName.get(name);
      const raw = await readBody(req, MAX_PAYLOAD);
      if (!fn) {
        fault(res, 404, 'ResourceNotFoundException', `Function not found: ${reference}`);
        return;
      }
      let payload: unknown;
      try {
        payload = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      } catch {
        fault(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
        return;
      }
      const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      if (type === 'DryRun') {
        send(res, 204, undefined);
      } else if (type === 'Event') {
        if (raw.length > MAX_ASYNC_PAYLOAD) {
          fault(
            res,
            413,
            'RequestTooLargeException',
            'Request must be smaller than 262144 bytes for the InvokeAsync operation',
          );
          return;
        }
        options.asyncInvoker.invoke(fn, payload);
        send(res, 202, undefined);
      } else if (type === 'RequestResponse') {
        try {
          send(res, 200, (await options.invoke(fn, payload)) ?? null, {
            'x-amz-executed-version': '$LATEST',
          });
        } catch (error) {
          send(
            res,
            200,
            {
              errorType: error instanceof Error ? error.name : 'Error',
              errorMessage: error instanceof Error ? error.message : String(error),
            },
            { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' },
          );
        }
      } else {
        fault(res, 400, 'InvalidParameterValueException', `Unsupported invocation type ${type}`);
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        fault(res, 413, 'RequestTooLargeException', 'Request too large');
      else fault(res, 500, 'ServiceException', 'The local Lambda stand-in failed.');
    }
  };

  const { url, close: closeServer } = await serveStandIn(options, handle);
  return { url, close: closeServer };
};
