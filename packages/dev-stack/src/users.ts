import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from './state';

/** A user the dev command created, with the password to sign in with (local development only). */
export interface SeededUser {
  username: string;
  tenantId: string;
  password: string;
  /** True when the password is temporary and must be changed at first sign-in. */
  temporary: boolean;
  /** An admin role, when the user has one. */
  role?: 'tenant admin' | 'platform admin';
}

const usersFile = (dataDir: string) => join(dataDir, 'users.json');

export const readSeededUsers = (dataDir = defaultDataDir()): SeededUser[] =>
  existsSync(usersFile(dataDir))
    ? (JSON.parse(readFileSync(usersFile(dataDir), 'utf8')) as SeededUser[])
    : [];

export const writeSeededUsers = (users: SeededUser[], dataDir = defaultDataDir()): void => {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(usersFile(dataDir), `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
};
