import type { LogLine } from '@tenant-assistant/testing';

/** The tenant log keys of a captured log line. */
export const tenantKeysOf = (line: LogLine | undefined) => ({
  tenant_id: line?.tenant_id,
  user_id: line?.user_id,
});
