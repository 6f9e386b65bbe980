'use strict';
/**
 * Serverless Framework plugin — LOCAL STAND-IN for Lambda's execution-role credentials (development
 * only; it does nothing unless the local system asks for it).
 *
 * In AWS each function runs with credentials of its own execution role. Locally one
 * `serverless offline` process runs every function of a service, so the process environment cannot
 * carry them; this plugin gives each function its own `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
 * `AWS_SESSION_TOKEN` in its function environment, for `serverless offline` and
 * `serverless invoke local`. The credentials come from the JSON file named by
 * `TA_LOCAL_FUNCTION_CREDENTIALS` (`{ "<function name>": { accessKeyId, secretAccessKey,
 * sessionToken } }`), written by the local system, which minted them as sessions of each function's
 * role as packaged; its stand-ins evaluate every call made with them against that role.
 *
 * Without the variable the plugin changes nothing; with it, any stage but `local` is refused, and
 * a function without credentials in the file is an error (it would otherwise run with whatever the
 * process has).
 *
 * With the variable, `serverless offline` also stops esbuild's service process once
 * serverless-esbuild has bundled the functions (this plugin is listed after it, so its hook runs
 * later): the idle Go process otherwise keeps ~400 MB per service for the system's whole life.
 * esbuild starts a new one by itself when serverless-esbuild's watcher rebuilds.
 */
const { readFileSync } = require('node:fs');

const VARIABLE = 'TA_LOCAL_FUNCTION_CREDENTIALS';
const LOCAL_STAGE = 'local';

class LocalFunctionCredentials {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options ?? {};
    this.hooks = {
      initialize: () => this.apply(),
      'before:offline:start:init': () => this.releaseEsbuild(),
    };
  }

  releaseEsbuild() {
    if (!process.env[VARIABLE]) return undefined;
    let esbuild;
    try {
      const bundler = require.resolve('serverless-esbuild', {
        paths: [this.serverless.serviceDir ?? process.cwd()],
      });
      esbuild = require(require.resolve('esbuild', { paths: [bundler] }));
    } catch {
      return undefined; // the service does not bundle with serverless-esbuild
    }
    return esbuild.stop?.();
  }

  apply() {
    const file = process.env[VARIABLE];
    if (!file) return;
    const commands = this.serverless.processedInput?.commands ?? [];
    const runsFunctions = commands[0] === 'offline' || (commands[0] === 'invoke' && commands[1] === 'local');
    if (!runsFunctions) return;
    const stage = this.options.stage ?? this.serverless.service.provider.stage;
    const fail = (message) => {
      throw new this.serverless.classes.Error(message);
    };
    if (stage !== LOCAL_STAGE)
      fail(`${VARIABLE} gives local credentials to the '${LOCAL_STAGE}' stage only (stage: ${stage})`);
    let credentials;
    try {
      credentials = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      fail(`${VARIABLE}: cannot read ${file}: ${error.message}`);
    }
    for (const [key, definition] of Object.entries(this.serverless.service.functions ?? {})) {
      const name = definition.name ?? `${this.serverless.service.service}-${stage}-${key}`;
      const own = credentials[name];
      if (!own?.accessKeyId || !own.secretAccessKey)
        fail(
          `${VARIABLE}: no credentials for the function ${name} in ${file} (restart the local system after adding a function)`,
        );
      definition.environment = {
        ...(definition.environment ?? {}),
        AWS_ACCESS_KEY_ID: own.accessKeyId,
        AWS_SECRET_ACCESS_KEY: own.secretAccessKey,
        ...(own.sessionToken ? { AWS_SESSION_TOKEN: own.sessionToken } : {}),
      };
    }
  }
}

module.exports = LocalFunctionCredentials;
