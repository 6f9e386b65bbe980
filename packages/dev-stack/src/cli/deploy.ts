/**
 * deploy --stage <stage> --web-origin <https://…> [--region <region>] [--dry-run]
 * Deploys every service to one stage in dependency order, then builds and uploads the chat UI.
 * First it packages every service for that stage and region (offline) and prints, per service, the
 * parameters it will use and which stack exports each of its imports; a refused stage or region, a
 * missing parameter or an import no earlier stack exports stops it before anything is deployed.
 * `--dry-run` stops after the plan and prints the commands it would run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEPLOY_ORDER, deployOptionsProblem, deployParams, formatPlan, planDeployment } from '../deploy-plan';
import { REPO_ROOT } from '../state';

const usage = 'Usage: deploy --stage <stage> --web-origin <https://…> [--region <region>] [--dry-run]';

const main = async () => {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
      'web-origin': { type: 'string', default: '' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (!values.stage) throw new Error(`--stage is required (e.g. dev, prod)\n${usage}`);
  const options = { stage: values.stage, region: values.region, webOrigin: values['web-origin'] };
  const problem = deployOptionsProblem(options);
  if (problem) throw new Error(problem);
  console.log(`Packaging every service for stage ${options.stage} in ${options.region} (offline)…`);
  const plan = await planDeployment(options);
  console.log(formatPlan(plan));
  const params = deployParams(options);
  const commands: [string, string[]][] = [
    ...DEPLOY_ORDER.map((service): [string, string[]] => [
      'pnpm',
      [
        '--dir',
        join('services', service),
        'exec',
        'serverless',
        'deploy',
        '--stage',
        options.stage,
        '--region',
        options.region,
        ...Object.entries(params[service]).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
      ],
    ]),
    ['pnpm', ['--dir', 'services/web', 'run', 'build']],
    [
      'pnpm',
      ['--dir', 'services/web', 'run', 'upload', '--', '--stage', options.stage, '--region', options.region],
    ],
  ];
  for (const [command, args] of commands) {
    console.log(`+ ${command} ${args.join(' ')}`);
    if (values['dry-run']) continue;
    const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
