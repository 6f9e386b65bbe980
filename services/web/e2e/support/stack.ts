import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedStack, startStack, TEST_PORT_OFFSETS, testPorts } from '@tenant-assistant/dev-stack';

/** The password the browser tests choose at each user's first sign-in. */
export const NEW_PASSWORD = 'E2e-N3w-Passw0rd!';

/**
 * Starts the whole local system for one test file (ports shifted by 23000 so a running dev stack
 * is not disturbed, data in memory), seeded with temporary passwords like a fresh `dev` run, and
 * the built web app (services/web/dist) served as the run command serves it.
 */
export const startE2eStack = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tenant-assistant-web-e2e-'));
  const stack = await startStack({
    dataDir,
    inMemory: true,
    web: true,
    ports: testPorts(Number(process.env.TA_E2E_PORT_OFFSET ?? TEST_PORT_OFFSETS.web)),
  });
  try {
    const users = await seedStack(stack.info, { dataDir });
    return {
      webUrl: stack.info.webUrl,
      /** The running system's addresses and client ids (e.g. the admin API, to check what the UI changed). */
      info: stack.info,
      /** Its data directory (the local mailbox, where Cognito's invitations land). */
      dataDir,
      newPassword: NEW_PASSWORD,
      /** The temporary password the seed gave this user. */
      passwordOf: (username: string) => {
        const user = users.find((u) => u.username === username);
        if (!user?.temporary) throw new Error(`${username} has no temporary password`);
        return user.password;
      },
      close: async () => {
        await stack.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stack.close();
    throw error;
  }
};

export type E2eStack = Awaited<ReturnType<typeof startE2eStack>>;
