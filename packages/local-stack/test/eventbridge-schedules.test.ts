import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigurationError,
  loadSchedulesFromServerlessYml,
  parseRateExpression,
  type ScheduledFunction,
  startLocalScheduler,
} from '../src';

const serverlessYml = (body: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'schedules-'));
  const path = join(dir, 'serverless.yml');
  writeFileSync(path, body);
  return path;
};

describe('loadSchedulesFromServerlessYml', () => {
  it('reads rate schedules of functions, with stage parameters resolved, and skips disabled ones', () => {
    // Prepare
    const path = serverlessYml(`service: fixture-sweeper
params:
  default:
    every: rate(1 minute)
provider:
  name: aws
functions:
  sweep:
    handler: src/sweep.handler
    events:
      - schedule: \${param:every}
  hourly:
    handler: src/hourly.handler
    events:
      - schedule:
          rate: [rate(2 hours)]
  off:
    handler: src/off.handler
    events:
      - schedule:
          rate: rate(5 minutes)
          enabled: false
  http:
    handler: src/http.handler
    events:
      - httpApi: { method: GET, path: / }
`);

    // Act
    const schedules = loadSchedulesFromServerlessYml(path, { stage: 'local' });

    // Assess
    expect(schedules).toEqual([
      { service: 'fixture-sweeper', functionName: 'sweep', expression: 'rate(1 minute)', rateMs: 60_000 },
      { service: 'fixture-sweeper', functionName: 'hourly', expression: 'rate(2 hours)', rateMs: 7_200_000 },
    ]);
  });

  it('refuses a schedule it cannot run locally', () => {
    expect(() => parseRateExpression('cron(0 12 * * ? *)')).toThrow(ConfigurationError);
    expect(() => parseRateExpression('rate(0 minutes)')).toThrow(ConfigurationError);
    expect(parseRateExpression('rate(3 days)')).toBe(3 * 86_400_000);
  });
});

describe('startLocalScheduler', () => {
  const sweep: ScheduledFunction = {
    service: 'svc',
    functionName: 'sweep',
    expression: 'rate(1 minute)',
    rateMs: 60_000,
  };

  it('invokes a scheduled function every interval with a Scheduled Event, never two runs at once', async () => {
    // Prepare
    const events: unknown[] = [];
    let running = 0;
    let overlapping = false;
    const scheduler = startLocalScheduler({
      schedules: [sweep],
      region: 'us-east-1',
      accountId: '000000000000',
      stage: 'local',
      intervalMs: () => 20,
      invoke: async (_schedule, event) => {
        running += 1;
        if (running > 1) overlapping = true;
        events.push(event);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running -= 1;
      },
    });

    // Act
    await new Promise((resolve) => setTimeout(resolve, 230));
    await scheduler.close();

    // Assess
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(overlapping).toBe(false);
    expect(events[0]).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/svc-local-sweep-schedule'],
      detail: {},
    });
  });

  it('runs a function on demand, and reports a failed run without stopping the schedule', async () => {
    // Prepare
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = startLocalScheduler({
      schedules: [sweep],
      region: 'us-east-1',
      accountId: '000000000000',
      stage: 'local',
      invoke: async () => {
        calls += 1;
        if (calls === 1) throw new Error('handler failed');
        return 'ok';
      },
      onError: (_schedule, error) => errors.push(error),
    });

    // Act
    const first = await scheduler.runNow('sweep');
    const second = await scheduler.runNow('sweep');
    await scheduler.close();

    // Assess
    expect([first, second]).toEqual([undefined, 'ok']);
    expect(errors).toEqual([new Error('handler failed')]);
    expect(() => scheduler.runNow('nothing')).toThrow(ConfigurationError);
  });
});
