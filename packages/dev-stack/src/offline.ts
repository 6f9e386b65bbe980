import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';

export interface ServerlessOfflineOptions {
  /** Service folder (holds serverless.yml). */
  serviceDir: string;
  /** Short name for log prefixes. */
  name: string;
  stage: string;
  httpPort: number;
  websocketPort: number;
  lambdaPort: number;
  /** Environment for the framework and the handlers (endpoints, credentials). */
  env: NodeJS.ProcessEnv;
  /** Receives the process's output lines. */
  log?: (line: string) => void;
  /** Give up waiting for readiness after this long (default 90 s). */
  timeoutMs?: number;
}

export interface RunningProcess {
  readonly name: string;
  readonly pid: number | undefined;
  close(): Promise<void>;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Stops a detached child and everything it started (its process group): TERM, then KILL. */
export const stopProcessGroup = async (child: ChildProcess, graceMs = 5000): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // anything left in the group
};

/**
 * Starts `serverless offline start` for one service (HTTP, WebSocket and Lambda invoke endpoints,
 * all on 127.0.0.1) and resolves when its Lambda port answers.
 */
export const startServerlessOffline = async (options: ServerlessOfflineOptions): Promise<RunningProcess> => {
  const bin = join(options.serviceDir, 'node_modules', '.bin', 'serverless');
  if (!existsSync(bin))
    throw new Error(`serverless is not installed in ${options.serviceDir} (run pnpm install)`);
  // Its own esbuild work folder (serverless.yml reads TA_ESBUILD_WORK_FOLDER): another system's
  // `serverless offline` in the same service folder would otherwise rebuild this one's bundles away.
  const workFolder = `.esbuild-offline-${options.lambdaPort}`;
  const child = spawn(
    bin,
    [
      'offline',
      'start',
      '--stage',
      options.stage,
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(options.httpPort),
      '--websocketPort',
      String(options.websocketPort),
      '--lambdaPort',
      String(options.lambdaPort),
    ],
    {
      cwd: options.serviceDir,
      env: { ...options.env, TA_ESBUILD_WORK_FOLDER: workFolder },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const close = async () => {
    await stopProcessGroup(child);
    await rm(join(options.serviceDir, workFolder), { recursive: true, force: true });
  };
  const output: string[] = [];
  const onData = (data: Buffer) => {
    for (const line of data.toString().split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 200) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (!(await portOpen(options.lambdaPort))) {
    if (child.exitCode !== null) {
      throw new Error(
        `${options.name}: serverless offline exited (${child.exitCode}):\n${output.join('\n')}`,
      );
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`${options.name}: serverless offline was not ready in time:\n${output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { name: options.name, pid: child.pid, close };
};

/** Error raised when a local Lambda invocation fails (handler error or unreachable endpoint). */
export class LambdaInvokeError extends Error {
  constructor(
    message: string,
    readonly functionName: string,
    readonly payload?: unknown,
    /** The function ran and failed (`X-Amz-Function-Error`), rather than not being reached. */
    readonly functionError = false,
  ) {
    super(message);
    this.name = 'LambdaInvokeError';
  }
}

/**
 * Invokes a function through serverless-offline's Lambda API
 * (`POST /2015-03-31/functions/<name>/invocations`), like AWS Lambda's Invoke.
 */
export const invokeLocalLambda = async (
  lambdaPort: number,
  functionName: string,
  payload: unknown,
): Promise<unknown> => {
  const response = await fetch(
    `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/${functionName}/invocations`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(120_000),
    },
  );
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok || response.headers.get('x-amz-function-error')) {
    throw new LambdaInvokeError(
      `${functionName} failed (HTTP ${response.status})`,
      functionName,
      body,
      Boolean(response.headers.get('x-amz-function-error')),
    );
  }
  return body;
};
