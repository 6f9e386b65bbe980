import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tableNameFrom } from './authorization';

/**
 * LOCAL STAND-IN for two DynamoDB features that DynamoDB Local lacks (it answers
 * `UnknownOperationException`): table tags (`TagResource`, `UntagResource`, `ListTagsOfResource`,
 * and `Tags` in `CreateTable`) and continuous backups (`UpdateContinuousBackups`,
 * `DescribeContinuousBackups`, i.e. point-in-time recovery). The DynamoDB gateway answers these
 * operations from here, after IAM allowed them, so code that tags its tables and turns PITR on runs
 * unchanged locally and a test can read the settings back. Like DynamoDB: a table's settings go
 * with it when it is deleted, the operations on a missing table answer `ResourceNotFoundException`,
 * tag keys and values are checked for length, a table holds at most 50 tags, and PITR is off
 * until turned on. Nothing is actually backed up (no restore). With `file`, the settings are kept
 * across restarts (beside DynamoDB Local's own data).
 */

type Json = Record<string, unknown>;

/** A result for the caller, or the DynamoDB error (type and message) to answer with status 400. */
export type TableSettingsAnswer = { ok: true; body: Json } | { ok: false; type: string; message: string };

export interface TableSettings {
  /** The operations answered here instead of DynamoDB Local. */
  answers(operation: string): boolean;
  /** Answers one of them; `tableExists` asks DynamoDB Local whether the table exists. */
  answer(
    operation: string,
    payload: Json,
    tableExists: (tableName: string) => Promise<boolean>,
  ): Promise<TableSettingsAnswer>;
  /** A `CreateTable` that DynamoDB Local accepted: keeps its `Tags`. */
  created(payload: Json): void;
  /** A `DeleteTable` that DynamoDB Local accepted: the table's settings go with it. */
  deleted(payload: Json): void;
}

interface Settings {
  tags: Record<string, string>;
  pointInTimeRecovery: boolean;
  /** When PITR was last turned on (the earliest restorable time, as DynamoDB reports it). */
  recoverySince?: string;
}

const OPERATIONS = new Set([
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateContinuousBackups',
  'DescribeContinuousBackups',
]);
const MAX_TAGS = 50;

class SettingsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const requiredString = (payload: Json, name: string): string => {
  const value = payload[name];
  if (typeof value !== 'string' || value === '') {
    throw new SettingsFault(
      'ValidationException',
      `1 validation error detected: Value null at '${name[0]?.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

/** `Tags` as DynamoDB checks them: keys 1–128 characters, values at most 256, not `aws:`-prefixed. */
const tagsOf = (value: unknown): Record<string, string> => {
  if (!Array.isArray(value)) throw new SettingsFault('ValidationException', 'Tags must be a list');
  const tags: Record<string, string> = {};
  for (const tag of value) {
    const key = isRecord(tag) ? tag.Key : undefined;
    const tagValue = isRecord(tag) ? tag.Value : undefined;
    if (typeof key !== 'string' || key.length < 1 || key.length > 128 || typeof tagValue !== 'string') {
      throw new SettingsFault('ValidationException', 'Each tag needs a Key of 1-128 characters and a Value');
    }
    if (tagValue.length > 256) {
      throw new SettingsFault('ValidationException', `The value of tag ${key} is longer than 256 characters`);
    }
    if (key.startsWith('aws:')) {
      throw new SettingsFault('ValidationException', 'Tag keys starting with "aws:" are reserved for AWS');
    }
    tags[key] = tagValue;
  }
  return tags;
};

const continuousBackups = (settings: Settings | undefined) => ({
  ContinuousBackupsDescription: {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: settings?.pointInTimeRecovery
      ? {
          PointInTimeRecoveryStatus: 'ENABLED',
          RecoveryPeriodInDays: 35,
          EarliestRestorableDateTime: Date.parse(settings.recoverySince ?? '') / 1000,
          LatestRestorableDateTime: Date.now() / 1000,
        }
      : { PointInTimeRecoveryStatus: 'DISABLED' },
  },
});

/** Creates the store (see the module comment); `file` keeps it across restarts. */
export const createTableSettings = (options: { file?: string; now?: () => Date } = {}): TableSettings => {
  const now = options.now ?? (() => new Date());
  const tables = new Map<string, Settings>(
    options.file ? Object.entries(readSettingsFile(options.file)) : [],
  );
  const save = () => {
    if (!options.file) return;
    mkdirSync(dirname(options.file), { recursive: true });
    const temporary = `${options.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(Object.fromEntries(tables), null, 2));
    renameSync(temporary, options.file);
  };
  const settingsOf = (table: string): Settings => {
    const existing = tables.get(table);
    if (existing) return existing;
    const fresh: Settings = { tags: {}, pointInTimeRecovery: false };
    tables.set(table, fresh);
    return fresh;
  };

  const act = async (
    operation: string,
    payload: Json,
    tableExists: (tableName: string) => Promise<boolean>,
  ): Promise<Json> => {
    const byArn = operation.endsWith('Resource');
    const table = tableNameFrom(requiredString(payload, byArn ? 'ResourceArn' : 'TableName'));
    if (!(await tableExists(table))) {
      throw new SettingsFault(
        byArn ? 'ResourceNotFoundException' : 'TableNotFoundException',
        byArn
          ? `Requested resource not found: ResourceArn: ${payload.ResourceArn} not found`
          : `Table not found: ${table}`,
      );
    }
    switch (operation) {
      case 'TagResource': {
        const settings = settingsOf(table);
        const merged = { ...settings.tags, ...tagsOf(payload.Tags) };
        if (Object.keys(merged).length > MAX_TAGS) {
          throw new SettingsFault('LimitExceededException', `A table can have at most ${MAX_TAGS} tags`);
        }
        settings.tags = merged;
        save();
        return {};
      }
      case 'UntagResource': {
        const keys = payload.TagKeys;
        if (!Array.isArray(keys)) throw new SettingsFault('ValidationException', 'TagKeys must be a list');
        const settings = settingsOf(table);
        for (const key of keys) if (typeof key === 'string') delete settings.tags[key];
        save();
        return {};
      }
      case 'ListTagsOfResource':
        return {
          Tags: Object.entries(tables.get(table)?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
        };
      case 'UpdateContinuousBackups': {
        const specification = payload.PointInTimeRecoverySpecification;
        const enabled = isRecord(specification) ? specification.PointInTimeRecoveryEnabled : undefined;
        if (typeof enabled !== 'boolean') {
          throw new SettingsFault(
            'ValidationException',
            'PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled must be true or false',
          );
        }
        const settings = settingsOf(table);
        if (enabled && !settings.pointInTimeRecovery) settings.recoverySince = now().toISOString();
        settings.pointInTimeRecovery = enabled;
        save();
        return continuousBackups(settings);
      }
      default:
        return continuousBackups(tables.get(table));
    }
  };

  return {
    answers: (operation) => OPERATIONS.has(operation),
    async answer(operation, payload, tableExists) {
      try {
        return { ok: true, body: await act(operation, payload, tableExists) };
      } catch (error) {
        if (!(error instanceof SettingsFault)) throw error;
        return { ok: false, type: error.type, message: error.message };
      }
    },
    created(payload) {
      const table = typeof payload.TableName === 'string' ? tableNameFrom(payload.TableName) : undefined;
      if (!table) return;
      let tags: Record<string, string> = {};
      try {
        tags = Array.isArray(payload.Tags) ? tagsOf(payload.Tags) : {};
      } catch {
        // DynamoDB Local accepted tags this store would refuse: keep none rather than fail the create
      }
      tables.set(table, { tags, pointInTimeRecovery: false });
      save();
    },
    deleted(payload) {
      const table = typeof payload.TableName === 'string' ? tableNameFrom(payload.TableName) : undefined;
      if (table && tables.delete(table)) save();
    },
  };
};

const readSettingsFile = (file: string): Record<string, Settings> => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed)) throw new Error(`${file} does not hold table settings`);
  return parsed as Record<string, Settings>;
};
