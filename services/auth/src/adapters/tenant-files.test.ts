import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from '../../test/support';
import { TenantFilesError } from '../errors';
import { s3TenantFiles } from './tenant-files';

// There is no local S3 stand-in: the bucket side of offboarding is tested here, against the SDK's mock.
const s3Mock = mockClient(S3Client);
const files = s3TenantFiles(new S3Client({ region: 'us-east-1' }), 'tenant-files');

beforeEach(() => s3Mock.reset());

describe('s3TenantFiles.deleteAll', () => {
  it('deletes every page of objects under the tenant’s prefix and counts them', async () => {
    // Prepare
    s3Mock
      .on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'acme/1' }, { Key: 'acme/2' }],
        IsTruncated: true,
        NextContinuationToken: 't',
      })
      .resolvesOnce({ Contents: [{ Key: 'acme/3' }], IsTruncated: false });
    s3Mock.on(DeleteObjectsCommand).resolves({});

    // Act
    const deleted = await files.deleteAll('acme');

    // Assess
    expect(deleted).toBe(3);
    const lists = s3Mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
    expect(lists).toEqual([
      { Bucket: 'tenant-files', Prefix: 'acme/' },
      { Bucket: 'tenant-files', Prefix: 'acme/', ContinuationToken: 't' },
    ]);
    expect(s3Mock.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects)).toEqual([
      [{ Key: 'acme/1' }, { Key: 'acme/2' }],
      [{ Key: 'acme/3' }],
    ]);
  });

  it('deletes nothing and returns 0 when the prefix is empty (a repeat)', async () => {
    // Prepare
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });

    // Act
    const deleted = await files.deleteAll('acme');

    // Assess
    expect(deleted).toBe(0);
    expect(s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it('never deletes a key outside the tenant’s prefix, even if a listing returned one', async () => {
    // Prepare: `acme` must not reach `acme-corp/`
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'acme-corp/x' }, { Key: 'acme/y' }] });
    s3Mock.on(DeleteObjectsCommand).resolves({});

    // Act
    await files.deleteAll('acme');

    // Assess
    expect(s3Mock.commandCalls(DeleteObjectsCommand)[0]?.args[0].input.Delete?.Objects).toEqual([
      { Key: 'acme/y' },
    ]);
  });

  it('fails with TenantFilesError when S3 refuses a call or leaves keys undeleted', async () => {
    // Prepare
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'acme/1' }] });
    s3Mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'acme/1', Code: 'AccessDenied' }] });

    // Act
    const partial = files.deleteAll('acme');

    // Assess
    await expect(partial).rejects.toThrow(TenantFilesError);
    s3Mock.on(ListObjectsV2Command).rejects(awsError('AccessDenied'));
    await expect(files.deleteAll('acme')).rejects.toThrow(/ListObjectsV2 failed \(AccessDenied/);
  });
});
