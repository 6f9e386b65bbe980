import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type AppConfig, parseConfig } from '../../src/config';
import { PublishError } from '../../src/errors';

/** What `serverless deploy` of this service leaves for the upload. */
export interface WebStackOutputs {
  readonly bucketName: string;
  readonly distributionId: string;
  readonly webUrl: string;
  readonly config: AppConfig;
}

export interface UploadDeps {
  readonly cloudFormation: CloudFormationClient;
  readonly s3: S3Client;
  readonly cloudFront: CloudFrontClient;
  /** Used as the invalidation's CallerReference. */
  readonly now?: () => number;
}

export interface UploadOptions {
  readonly stage: string;
  /** The built app (default `dist`). */
  readonly distDir: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content-Type by file extension (binary default). */
export const contentTypeOf = (key: string): string =>
  CONTENT_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';

/** Hashed files under assets/ never change; everything else must be revalidated on every load. */
export const cacheControlOf = (key: string): string =>
  key.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';

/** The stack name `serverless deploy` gives this service. */
export const stackNameOf = (stage: string): string => `tenant-assistant-web-${stage}`;

/** Reads and checks the outputs of the deployed web stack (AppConfig validated like the app does). */
export const readStackOutputs = async (
  client: CloudFormationClient,
  stage: string,
): Promise<WebStackOutputs> => {
  const stackName = stackNameOf(stage);
  let outputs: Record<string, string>;
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Object.fromEntries(
      (Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']),
    );
  } catch (error) {
    if ((error as Error).name === 'ValidationError') {
      throw new PublishError(
        `Stack ${stackName} not found: run \`serverless deploy --stage ${stage}\` first`,
        error,
      );
    }
    throw new PublishError(`Could not read stack ${stackName}: ${(error as Error).message}`, error);
  }
  const missing = ['BucketName', 'DistributionId', 'WebUrl', 'AppConfig'].filter((key) => !outputs[key]);
  if (missing.length > 0) throw new PublishError(`Stack ${stackName} has no output(s) ${missing.join(', ')}`);
  let config: AppConfig;
  try {
    config = parseConfig(JSON.parse(outputs.AppConfig as string));
  } catch (error) {
    throw new PublishError(
      `Output AppConfig of ${stackName} is not a valid config.json: ${String(error)}`,
      error,
    );
  }
  return {
    bucketName: outputs.BucketName as string,
    distributionId: outputs.DistributionId as string,
    webUrl: outputs.WebUrl as string,
    config,
  };
};

const listFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
};

/**
 * Uploads the built app and a config.json made from the stack's AppConfig output, then invalidates
 * CloudFront. Assets go first and index.html/config.json last, so a visitor never loads an index
 * that points to assets not uploaded yet. Source maps stay local (they would expose the source).
 */
export const uploadSite = async (
  deps: UploadDeps,
  options: UploadOptions,
): Promise<{ uploaded: string[]; webUrl: string; invalidationId?: string }> => {
  const stack = await readStackOutputs(deps.cloudFormation, options.stage);
  let files: string[];
  try {
    files = (await listFiles(options.distDir)).filter(
      (key) => !key.endsWith('.map') && key !== 'config.json',
    );
  } catch (error) {
    throw new PublishError(`Nothing to upload in ${options.distDir}: run \`pnpm run build\` first`, error);
  }
  if (!files.includes('index.html')) {
    throw new PublishError(`${options.distDir} has no index.html: run \`pnpm run build\` first`);
  }
  const last = (key: string) => (key === 'index.html' ? 1 : 0);
  const ordered = [...files].sort((a, b) => last(a) - last(b));
  for (const key of ordered) {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: stack.bucketName,
        Key: key,
        Body: await readFile(join(options.distDir, key)),
        ContentType: contentTypeOf(key),
        CacheControl: cacheControlOf(key),
      }),
    );
  }
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: stack.bucketName,
      Key: 'config.json',
      Body: `${JSON.stringify(stack.config, null, 2)}\n`,
      ContentType: 'application/json',
      CacheControl: 'no-cache',
    }),
  );
  const { Invalidation } = await deps.cloudFront.send(
    new CreateInvalidationCommand({
      DistributionId: stack.distributionId,
      InvalidationBatch: {
        CallerReference: `upload-${(deps.now ?? Date.now)()}`,
        Paths: { Quantity: 2, Items: ['/index.html', '/config.json'] },
      },
    }),
  );
  return {
    uploaded: [...ordered, 'config.json'],
    webUrl: stack.webUrl,
    ...(Invalidation?.Id ? { invalidationId: Invalidation.Id } : {}),
  };
};

/** AWS clients for the region of the stack (credentials from the usual AWS chain). */
export const defaultUploadDeps = (region: string): UploadDeps => ({
  cloudFormation: new CloudFormationClient({ region }),
  s3: new S3Client({ region }),
  cloudFront: new CloudFrontClient({ region }),
});
