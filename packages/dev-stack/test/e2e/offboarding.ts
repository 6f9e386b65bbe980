import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand as DocScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ordersTableName } from '@tenant-assistant/tenant-context';
import { awaitAnswer, ChatApiError, openSocket, signIn, submitPrompt } from '../../src/client';
import { findTenantUser } from '../../src/orders';
import { KNOWN_DEV_PASSWORD } from '../../src/seed';
import type { E2eSystem } from './system';

/** Offboarding a tenant: deleted everywhere but its tombstone, the others untouched. Deletes tenant3 for good: run it last. */
export const offboardingTests = (system: E2eSystem) => {
  const { admin, adminClients, session } = system;

  describe('offboarding on the local system', () => {
    /** The agent-invoker's idempotency records are left to their TTL (hashes of answer ids; documented). */
    const LEFT_TO_TTL = /-agent-invoker-local-idempotency$/;

    /** Every item of every table of the local system, by table (the admin credentials scan). */
    const everyItem = async () => {
      const { region, dynamodbUrl, adminCredentials: credentials } = system.stack.info;
      const raw = new DynamoDBClient({ region, endpoint: dynamodbUrl, credentials });
      const db = DynamoDBDocumentClient.from(raw);
      const { TableNames = [] } = await raw.send(new ListTablesCommand({}));
      const tables: Record<string, string[]> = {};
      for (const table of TableNames.filter((name) => !LEFT_TO_TTL.test(name))) {
        const items: string[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await db.send(new DocScanCommand({ TableName: table, ExclusiveStartKey: start }));
          items.push(...(page.Items ?? []).map((item) => JSON.stringify(item)));
          start = page.LastEvaluatedKey;
        } while (start);
        tables[table] = items.sort();
      }
      return tables;
    };

    test('deletes every item of the tenant everywhere but its tombstone, leaves the others untouched and refuses its users', async () => {
      // Prepare: activity of tenant3 (an answered prompt, an open socket), its users' ids and tokens
      const { cognito } = adminClients();
      const subs = await Promise.all(
        ['tenant3-user', 'tenant3-admin'].map(
          async (username) => (await findTenantUser(cognito, system.stack.info.userPoolId, username)).userId,
        ),
      );
      const user = await signIn(system.stack.info, 'tenant3-user', KNOWN_DEV_PASSWORD);
      const socket = await openSocket(system.stack.info, user);
      const answered = await awaitAnswer(
        system.stack.info,
        user,
        (await submitPrompt(system.stack.info, user, 'What is your return policy?')).answerId,
        { timeoutMs: 60_000 },
      );
      const isTenant3 = (item: string) => item.includes('tenant3') || subs.some((sub) => item.includes(sub));
      /** Whether an item is still live at `atSeconds` (the local TTL removes expired ones, e.g. last minute's rate-limit counters). */
      const liveAt = (item: string, atSeconds: number) => {
        const { expiresAt } = JSON.parse(item) as { expiresAt?: unknown };
        return typeof expiresAt !== 'number' || expiresAt > atSeconds;
      };
      /** The other tenants' items, live at `atSeconds`. */
      const others = (tables: Record<string, string[]>, atSeconds: number) =>
        Object.fromEntries(
          Object.entries(tables).map(([table, items]) => [
            table,
            items.filter((i) => !isTenant3(i) && liveAt(i, atSeconds)),
          ]),
        );
      const before = await everyItem();
      const platform = await session('platform-admin');

      // Act
      const unconfirmed = await admin(platform, 'POST', '/admin/tenants/tenant3/offboard', {
        confirm: 'tenant2',
      });
      const accepted = await admin(platform, 'POST', '/admin/tenants/tenant3/offboard', {
        confirm: 'tenant3',
      });
      let tombstone = await admin<{ status: string }>(platform, 'GET', '/admin/tenants/tenant3');
      for (let waited = 0; tombstone.body.status !== 'OFFBOARDED' && waited < 120_000; waited += 500) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        tombstone = await admin(platform, 'GET', '/admin/tenants/tenant3');
      }
      const after = await everyItem();
      const afterAt = Math.floor(Date.now() / 1000);
      const prompt = await submitPrompt(system.stack.info, user, 'Still there?').catch(
        (error: unknown) => error,
      );
      const signInAgain = await signIn(system.stack.info, 'tenant3-user', KNOWN_DEV_PASSWORD).catch(
        (e: unknown) => e,
      );
      await socket.close();

      // Assess
      expect(answered.status).toBe('COMPLETED');
      expect(Object.values(before).flat().filter(isTenant3).length).toBeGreaterThan(3);
      expect(unconfirmed.status).toBe(400);
      expect(accepted).toMatchObject({ status: 202 });
      expect(tombstone.body).toMatchObject({
        tenantId: 'tenant3',
        status: 'OFFBOARDED',
        offboarding: {
          services: {
            auth: { status: 'DONE', deleted: { users: 2, groups: 2, files: 0 } },
            'chat-api': { status: 'DONE' },
            'order-action-group': { status: 'DONE', deleted: { tenantConfig: 1, ordersTable: 1 } },
          },
        },
      });
      expect(Object.keys(tombstone.body).sort()).toEqual([
        'createdAt',
        'offboarding',
        'status',
        'tenantId',
        'updatedAt',
      ]);
      const left = Object.entries(after).flatMap(([table, items]) =>
        items.filter(isTenant3).map(() => table),
      );
      expect(left).toEqual(['tenant-assistant-auth-local-tenants']);
      expect(Object.keys(after)).not.toContain(
        ordersTableName(system.stack.info.ordersTablePrefix, 'tenant3'),
      );
      expect(others(after, afterAt)).toEqual(
        Object.fromEntries(
          Object.entries(others(before, afterAt)).filter(([table]) => !table.endsWith('-orders-tenant3')),
        ),
      );
      expect(prompt).toBeInstanceOf(ChatApiError);
      expect((prompt as ChatApiError).status).toBe(403);
      expect(signInAgain).toBeInstanceOf(Error);
    }, 180_000);
  });
};
