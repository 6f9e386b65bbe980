import { createServer, type Server } from 'node:net';
import { assertPortsFree, DEFAULT_PORTS, resolvePorts, TEST_PORT_OFFSETS, testPorts } from './ports';

describe('resolvePorts', () => {
  test('returns the documented defaults without overrides', () => {
    // Act
    const ports = resolvePorts({});

    // Assess
    expect(ports).toEqual(DEFAULT_PORTS);
  });

  test('shifts every port by TA_PORT_OFFSET and applies single overrides', () => {
    // Act
    const ports = resolvePorts({ TA_PORT_OFFSET: '100', TA_PORT_CHAT_API_HTTP: '4567' });

    // Assess
    expect(ports.cognito).toBe(9329);
    expect(ports.chatApiHttp).toBe(4567);
    expect(ports.web).toBe(5273);
  });

  test('refuses a port that is not a number, and two services on one port', () => {
    // Act / Assess
    expect(() => resolvePorts({ TA_PORT_WEB: 'abc' })).toThrow('TA_PORT_WEB must be a port number');
    expect(() => resolvePorts({ TA_PORT_WEB: '3000' })).toThrow(
      /Ports clash: chatApiHttp and web both use 3000/,
    );
    expect(() => resolvePorts({ TA_PORT_OFFSET: '-1' })).toThrow(/TA_PORT_OFFSET/);
  });
});

describe('testPorts', () => {
  test('keeps every suite below the ephemeral port range, and no two suites on one port', () => {
    // Prepare
    const used = new Map<number, string>();
    const clashes: string[] = [];

    // Act
    for (const [suite, offset] of Object.entries(TEST_PORT_OFFSETS)) {
      for (const port of Object.values(testPorts(offset, {}))) {
        const other = used.get(port);
        if (other) clashes.push(`${suite} and ${other} on ${port}`);
        used.set(port, suite);
      }
    }

    // Assess
    expect(clashes).toEqual([]);
    expect(Math.max(...used.keys())).toBeLessThan(32_768);
  });
});

describe('assertPortsFree', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  test('names a taken port and the variable that moves it', async () => {
    // Prepare
    server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    const ports = resolvePorts({ TA_PORT_OFFSET: '20000' });
    ports.web = port;

    // Act / Assess
    await expect(assertPortsFree(ports)).rejects.toThrow(new RegExp(`${port} \\(web\\) — set TA_PORT_WEB`));
  });
});
