import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { cacheControlOf, contentTypeOf, uploadSite } from '../scripts/lib/upload-site';
import { PublishError } from '../src/errors';

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const cloudFront = mockClient(CloudFrontClient);

const APP_CONFIG = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_AbC123',
  userPoolClientId: 'webclient',
  authFlow: 'USER_SRP_AUTH',
  apiUrl: 'https://api.example.com',
  webSocketUrl: 'wss://ws.example.com/dev',
  adminApiUrl: 'https://admin.example.com',
};

const outputs = (overrides: Record<string, string | undefined> = {}) =>
  Object.entries({
    BucketName: 'web-bucket',
    DistributionId: 'E123',
    WebUrl: 'https://d111.cloudfront.net',
    AppConfig: JSON.stringify(APP_CONFIG),
    ...overrides,
  })
    .filter(([, value]) => value !== undefined)
    .map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

const deps = () => ({
  cloudFormation: new CloudFormationClient({}),
  s3: new S3Client({}),
  cloudFront: new CloudFrontClient({}),
  now: () => 42,
});

let dist: string;

beforeEach(async () => {
  cloudFormation.reset();
  s3.reset();
  cloudFront.reset();
  dist = await mkdtemp(join(tmpdir(), 'web-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html>');
  await writeFile(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(dist, 'assets', 'index-abc.js.map'), '{}');
  await writeFile(join(dist, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(dist, 'config.json'), '{"local":true}');
  s3.on(PutObjectCommand).resolves({});
  cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1' } as never });
});

afterEach(() => rm(dist, { recursive: true, force: true }));

/** The stack is deployed with `outputs(overrides)`. */
const deployedWith = (overrides: Record<string, string | undefined> = {}) =>
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'x',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: outputs(overrides),
      },
    ],
  });

describe('uploadSite', () => {
  it('uploads assets, then index.html, then config.json from the stack output, and invalidates', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand, { StackName: 'tenant-assistant-web-prod' }).resolves({
      Stacks: [
        { StackName: 'x', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: outputs() },
      ],
    });

    // Act
    const result = await uploadSite(deps(), { stage: 'prod', distDir: dist });

    // Assess
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => [put.Key, put.ContentType, put.CacheControl])).toEqual([
      ['assets/index-abc.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['assets/index-abc.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['index.html', 'text/html; charset=utf-8', 'no-cache'],
      ['config.json', 'application/json', 'no-cache'],
    ]);
    expect(puts.every((put) => put.Bucket === 'web-bucket')).toBe(true);
    expect(JSON.parse(String(puts[3]?.Body))).toEqual(APP_CONFIG);
    expect(cloudFront.commandCalls(CreateInvalidationCommand)[0]?.args[0].input).toEqual({
      DistributionId: 'E123',
      InvalidationBatch: {
        CallerReference: 'upload-42',
        Paths: { Quantity: 2, Items: ['/index.html', '/config.json'] },
      },
    });
    expect(result).toEqual({
      uploaded: ['assets/index-abc.css', 'assets/index-abc.js', 'index.html', 'config.json'],
      webUrl: 'https://d111.cloudfront.net',
      invalidationId: 'I1',
    });
  });

  it('refuses when the stack is not deployed, and uploads nothing', async () => {
    // Prepare
    const missing = Object.assign(new Error('Stack with id tenant-assistant-web-dev does not exist'), {
      name: 'ValidationError',
    });
    cloudFormation.on(DescribeStacksCommand).rejects(missing);

    // Act / Assess
    await expect(uploadSite(deps(), { stage: 'dev', distDir: dist })).rejects.toThrow(
      'Stack tenant-assistant-web-dev not found: run `serverless deploy --stage dev` first',
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('says why the stack could not be read (e.g. no credentials)', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(new Error('Could not load credentials from any providers'));

    // Act / Assess
    await expect(uploadSite(deps(), { stage: 'dev', distDir: dist })).rejects.toThrow(
      'Could not read stack tenant-assistant-web-dev: Could not load credentials from any providers',
    );
  });

  it('refuses a stack without the expected outputs', async () => {
    // Prepare
    deployedWith({ BucketName: undefined });

    // Act / Assess
    await expect(uploadSite(deps(), { stage: 'dev', distDir: dist })).rejects.toThrow(
      'has no output(s) BucketName',
    );
  });

  it('refuses an AppConfig output that is not a valid configuration, and uploads nothing', async () => {
    // Prepare
    deployedWith({ AppConfig: JSON.stringify({ ...APP_CONFIG, webSocketUrl: 'https://nope' }) });

    // Act
    const error = await uploadSite(deps(), { stage: 'dev', distDir: dist }).catch(
      (caught: unknown) => caught,
    );

    // Assess
    expect(error).toBeInstanceOf(PublishError);
    expect((error as Error).message).toContain('webSocketUrl: must be a ws:// or wss:// URL');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('refuses an AppConfig output without the admin API (a stack deployed before the admin area)', async () => {
    const { adminApiUrl: _, ...before } = APP_CONFIG;
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'x',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: outputs({ AppConfig: JSON.stringify(before) }),
        },
      ],
    });
    await expect(uploadSite(deps(), { stage: 'dev', distDir: dist })).rejects.toThrow(
      /AppConfig of tenant-assistant-web-dev is not a valid config\.json: .*adminApiUrl/,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('refuses when nothing was built', async () => {
    // Prepare
    deployedWith();
    await expect(uploadSite(deps(), { stage: 'dev', distDir: join(dist, 'missing') })).rejects.toThrow(
      'run `pnpm run build` first',
    );
    await rm(join(dist, 'index.html'));

    // Act / Assess
    await expect(uploadSite(deps(), { stage: 'dev', distDir: dist })).rejects.toThrow('has no index.html');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

describe('contentTypeOf / cacheControlOf', () => {
  it('serves known types and caches only hashed assets for long', () => {
    // Act / Assess
    expect(contentTypeOf('a/B.SVG')).toBe('image/svg+xml');
    expect(contentTypeOf('blob')).toBe('application/octet-stream');
    expect(cacheControlOf('assets/x.js')).toContain('immutable');
    expect(cacheControlOf('favicon.ico')).toBe('no-cache');
  });
});
