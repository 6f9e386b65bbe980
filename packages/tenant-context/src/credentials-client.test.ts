import { credentials } from '../test/credentials';
import { type ScopedCredentials, scopedDocumentClient } from './credentials';

describe('scopedDocumentClient', () => {
  it('signs with the scoped credentials', async () => {
    // Act
    const client = scopedDocumentClient(credentials);

    // Assess
    const resolved = await client.config.credentials();
    expect(resolved).toMatchObject({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    });
  });

  it('reuses the client for the same credentials', () => {
    expect(scopedDocumentClient({ ...credentials })).toBe(scopedDocumentClient(credentials));
  });

  it.each([
    ['another secret', { secretAccessKey: 'forged-secret-access-key-000000' }],
    ['another session token', { sessionToken: 'forged-session-token-00000' }],
    [
      'another secret and session token',
      { secretAccessKey: 'forged-secret-access-key-000000', sessionToken: 'forged-session-token-00000' },
    ],
  ])('never hands out a client for the same access key id with %s', async (_case, changed) => {
    // Prepare
    const genuine = scopedDocumentClient(credentials);
    const forged: ScopedCredentials = { ...credentials, ...changed };

    // Act
    const client = scopedDocumentClient(forged);

    // Assess
    expect(client).not.toBe(genuine);
    expect(await client.config.credentials()).toMatchObject({
      secretAccessKey: forged.secretAccessKey,
      sessionToken: forged.sessionToken,
    });
  });

  it('drops undefined attribute values when writing (document client marshalling)', () => {
    expect(scopedDocumentClient(credentials).config.translateConfig?.marshallOptions).toMatchObject({
      removeUndefinedValues: true,
    });
  });

  it('keeps at most 100 clients', () => {
    // Prepare
    const first = scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAEVICTED000000000' });

    // Act
    for (let index = 0; index < 100; index += 1) {
      scopedDocumentClient({ ...credentials, accessKeyId: `ASIAFILL${String(index).padStart(12, '0')}` });
    }

    // Assess
    expect(scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAEVICTED000000000' })).not.toBe(first);
  });

  const fill = (tag: string, count: number) => {
    for (let index = 0; index < count; index += 1) {
      scopedDocumentClient({ ...credentials, accessKeyId: `ASIA${tag}${String(index).padStart(12, '0')}` });
    }
  };

  it('keeps a client while fewer than 100 others were made after it', () => {
    // Prepare
    const kept = scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAKEPT000000000000' });

    // Act
    fill('KEEP', 99);

    // Assess
    expect(scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAKEPT000000000000' })).toBe(kept);
  });

  it('drops the least recently used client, not the oldest made', () => {
    // Prepare
    const used = scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAUSED000000000000' });
    fill('LRUA', 99);

    // Act
    scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAUSED000000000000' });
    fill('LRUB', 1);

    // Assess
    expect(scopedDocumentClient({ ...credentials, accessKeyId: 'ASIAUSED000000000000' })).toBe(used);
  });

  it('counts a client replaced for new credentials as the most recently used', () => {
    // Prepare
    scopedDocumentClient({ ...credentials, accessKeyId: 'ASIARENEW00000000000' });
    fill('RENA', 99);
    const renewed = scopedDocumentClient({
      ...credentials,
      accessKeyId: 'ASIARENEW00000000000',
      sessionToken: 'renewed-session-token-0000',
    });

    // Act
    fill('RENB', 1);

    // Assess
    expect(
      scopedDocumentClient({
        ...credentials,
        accessKeyId: 'ASIARENEW00000000000',
        sessionToken: 'renewed-session-token-0000',
      }),
    ).toBe(renewed);
  });
});
