import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { TenantFilesError } from '../errors';

/**
 * The tenant-files port: the bucket where each tenant's files live under the prefix `<tenantId>/`
 * (the identity pool's role allows a user only their tenant's prefix).
 */
export interface TenantFiles {
  /** Deletes every object under the tenant's prefix; how many were deleted (0 when none is left). */
  deleteAll(tenantId: string): Promise<number>;
}

/**
 * The {@link TenantFiles} over an S3 bucket: ListObjectsV2 of `<tenantId>/` page by page (≤ 1,000
 * keys) and one DeleteObjects per page; a key S3 could not delete fails the call (a retry deletes the
 * rest).
 * @example const files = s3TenantFiles(s3, 'tenant-assistant-auth-dev-tenantfilesbucket-…');
 */
export const s3TenantFiles = (client: S3Client, bucket: string): TenantFiles => ({
  async deleteAll(tenantId) {
    const prefix = `${tenantId}/`;
    let deleted = 0;
    let continuationToken: string | undefined;
    do {
      const page = await send('ListObjectsV2', () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
          }),
        ),
      );
      const keys = (page.Contents ?? []).flatMap((object) =>
        object.Key?.startsWith(prefix) ? [{ Key: object.Key }] : [],
      );
      if (keys.length > 0) {
        const result = await send('DeleteObjects', () =>
          client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } })),
        );
        const failed = result.Errors ?? [];
        if (failed.length > 0) {
          throw new TenantFilesError(
            'DeleteObjects',
            new Error(`${failed.length} of ${keys.length} objects not deleted (first: ${failed[0]?.Code})`),
          );
        }
        deleted += keys.length;
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return deleted;
  },
});

/** The {@link TenantFiles} of a stage without a bucket (the local stage): nothing to delete. */
export const noTenantFiles: TenantFiles = { deleteAll: async () => 0 };

const send = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TenantFilesError) throw error;
    throw new TenantFilesError(operation, error);
  }
};
