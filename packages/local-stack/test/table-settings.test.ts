import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTableSettings } from '../src/dynamodb/table-settings';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/svc-orders-tenant1';
const exists = async (table: string) => table === 'svc-orders-tenant1';
const missing = async () => false;

describe('createTableSettings (local stand-in for tags and point-in-time recovery)', () => {
  it('keeps the tags of CreateTable and merges TagResource into them, per table', async () => {
    // Prepare
    const settings = createTableSettings();
    settings.created({ TableName: 'svc-orders-tenant1', Tags: [{ Key: 'tenant', Value: 'tenant1' }] });

    // Act
    const tagged = await settings.answer(
      'TagResource',
      {
        ResourceArn: ARN,
        Tags: [
          { Key: 'service', Value: 'orders' },
          { Key: 'tenant', Value: 'tenant1' },
        ],
      },
      exists,
    );
    const listed = await settings.answer('ListTagsOfResource', { ResourceArn: ARN }, exists);

    // Assess
    expect(tagged).toEqual({ ok: true, body: {} });
    expect(listed).toEqual({
      ok: true,
      body: {
        Tags: [
          { Key: 'tenant', Value: 'tenant1' },
          { Key: 'service', Value: 'orders' },
        ],
      },
    });
  });

  it('removes tags with UntagResource', async () => {
    // Prepare
    const settings = createTableSettings();
    settings.created({
      TableName: ARN,
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
    });

    // Act
    await settings.answer('UntagResource', { ResourceArn: ARN, TagKeys: ['a'] }, exists);
    const listed = await settings.answer('ListTagsOfResource', { ResourceArn: ARN }, exists);

    // Assess
    expect(listed).toEqual({ ok: true, body: { Tags: [{ Key: 'b', Value: '2' }] } });
  });

  it('reports PITR off until UpdateContinuousBackups turns it on', async () => {
    // Prepare
    const settings = createTableSettings({ now: () => new Date('2026-01-01T00:00:00Z') });
    const table = { TableName: 'svc-orders-tenant1' };

    // Act
    const before = await settings.answer('DescribeContinuousBackups', table, exists);
    const updated = await settings.answer(
      'UpdateContinuousBackups',
      { ...table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      exists,
    );
    const after = await settings.answer('DescribeContinuousBackups', table, exists);

    // Assess
    expect(before).toEqual({
      ok: true,
      body: {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
        },
      },
    });
    expect(updated).toEqual(after);
    expect(after).toMatchObject({
      ok: true,
      body: {
        ContinuousBackupsDescription: {
          PointInTimeRecoveryDescription: {
            PointInTimeRecoveryStatus: 'ENABLED',
            EarliestRestorableDateTime: Date.parse('2026-01-01T00:00:00Z') / 1000,
          },
        },
      },
    });
  });

  it('forgets a deleted table: a new table of that name starts with no tags and PITR off', async () => {
    // Prepare
    const settings = createTableSettings();
    settings.created({ TableName: 'svc-orders-tenant1', Tags: [{ Key: 'a', Value: '1' }] });
    await settings.answer(
      'UpdateContinuousBackups',
      {
        TableName: 'svc-orders-tenant1',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
      exists,
    );

    // Act
    settings.deleted({ TableName: 'svc-orders-tenant1' });
    settings.created({ TableName: 'svc-orders-tenant1' });

    // Assess
    expect(await settings.answer('ListTagsOfResource', { ResourceArn: ARN }, exists)).toEqual({
      ok: true,
      body: { Tags: [] },
    });
    expect(
      await settings.answer('DescribeContinuousBackups', { TableName: 'svc-orders-tenant1' }, exists),
    ).toMatchObject({
      body: {
        ContinuousBackupsDescription: {
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
        },
      },
    });
  });

  it.each([
    ['TagResource', 'ResourceNotFoundException', { ResourceArn: ARN, Tags: [] }],
    ['ListTagsOfResource', 'ResourceNotFoundException', { ResourceArn: ARN }],
    ['DescribeContinuousBackups', 'TableNotFoundException', { TableName: 'svc-orders-tenant1' }],
  ])('answers %s on a missing table with %s, as DynamoDB does', async (operation, type, payload) => {
    // Act
    const answer = await createTableSettings().answer(operation, payload, missing);

    // Assess
    expect(answer).toMatchObject({ ok: false, type });
  });

  it.each([
    ['a missing ResourceArn', 'TagResource', { Tags: [] }],
    ['a reserved aws: tag key', 'TagResource', { ResourceArn: ARN, Tags: [{ Key: 'aws:x', Value: 'v' }] }],
    [
      'a tag value over 256 characters',
      'TagResource',
      { ResourceArn: ARN, Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] },
    ],
    ['TagKeys that are not a list', 'UntagResource', { ResourceArn: ARN, TagKeys: 'a' }],
    [
      'a PITR flag that is not a boolean',
      'UpdateContinuousBackups',
      {
        TableName: 'svc-orders-tenant1',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'yes' },
      },
    ],
  ])('refuses %s with a ValidationException', async (_, operation, payload) => {
    // Act
    const answer = await createTableSettings().answer(operation, payload, exists);

    // Assess
    expect(answer).toMatchObject({ ok: false, type: 'ValidationException' });
  });

  it('refuses more than 50 tags on a table', async () => {
    // Prepare
    const tags = Array.from({ length: 51 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));

    // Act
    const answer = await createTableSettings().answer(
      'TagResource',
      { ResourceArn: ARN, Tags: tags },
      exists,
    );

    // Assess
    expect(answer).toMatchObject({ ok: false, type: 'LimitExceededException' });
  });

  it('keeps the settings across restarts in its file', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'table-settings-'));
    const file = join(dir, 'table-settings.json');
    try {
      const first = createTableSettings({ file });
      first.created({ TableName: 'svc-orders-tenant1', Tags: [{ Key: 'tenant', Value: 'tenant1' }] });

      // Act
      const second = createTableSettings({ file });

      // Assess
      expect(await second.answer('ListTagsOfResource', { ResourceArn: ARN }, exists)).toEqual({
        ok: true,
        body: { Tags: [{ Key: 'tenant', Value: 'tenant1' }] },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers only the operations DynamoDB Local lacks', () => {
    // Act
    const settings = createTableSettings();

    // Assess
    expect(
      ['TagResource', 'UpdateContinuousBackups', 'DescribeContinuousBackups'].every(settings.answers),
    ).toBe(true);
    expect(['CreateTable', 'GetItem', 'DescribeTable'].some(settings.answers)).toBe(false);
  });
});
