/**
 * Publishes the built app to the deployed web stack:
 *   pnpm run build && npx serverless deploy --stage prod && pnpm run upload -- --stage prod [--region eu-west-1]
 */
import { parseArgs } from 'node:util';
import { defaultUploadDeps, uploadSite } from './lib/upload-site';

// `pnpm run x -- --flag` passes the `--` through: drop it.
const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));

const { values } = parseArgs({
  args,
  options: {
    stage: { type: 'string', default: 'dev' },
    region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
    dist: { type: 'string', default: 'dist' },
  },
});

try {
  const result = await uploadSite(defaultUploadDeps(values.region), {
    stage: values.stage,
    distDir: values.dist,
  });
  console.log(`Uploaded ${result.uploaded.length} files; invalidation ${result.invalidationId ?? '(none)'}.`);
  console.log(`Open ${result.webUrl}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
