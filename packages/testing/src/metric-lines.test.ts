import { expectMetricLines } from './metric-lines';

const line = (values: Record<string, unknown>, dimensions: string[]) =>
  JSON.stringify({
    _aws: {
      Timestamp: 0,
      CloudWatchMetrics: [
        { Namespace: 'Test', Dimensions: [dimensions], Metrics: [{ Name: 'Hits', Unit: 'Count' }] },
      ],
    },
    ...values,
  });

const output = [
  'not a metric line',
  line({ service: 's', tenant: 'acme', Hits: 1 }, ['tenant', 'service']),
  line({ service: 's', Hits: 2 }, ['service']),
].join('\n');

describe('expectMetricLines', () => {
  it('passes when every line says what is expected, in order, and returns the lines', () => {
    // Act
    const lines = expectMetricLines(output, [
      {
        values: { tenant: 'acme', Hits: 1 },
        namespace: 'Test',
        dimensions: ['service', 'tenant'],
        metrics: [{ Name: 'Hits', Unit: 'Count' }],
      },
      { values: { Hits: 2 }, dimensions: ['service'], absent: ['tenant'] },
    ]);

    // Assess
    expect(lines).toHaveLength(2);
  });

  it.each([
    ['one line fewer expected', [{ values: { Hits: 1 } }]],
    ['another value', [{ values: { Hits: 3 } }, { values: { Hits: 2 } }]],
    ['another dimension set', [{ values: { Hits: 1 }, dimensions: ['service'] }, { values: { Hits: 2 } }]],
    ['a name that must be absent', [{ values: { Hits: 1 }, absent: ['tenant'] }, { values: { Hits: 2 } }]],
    ['another namespace', [{ values: { Hits: 1 }, namespace: 'Other' }, { values: { Hits: 2 } }]],
    [
      'another unit',
      [{ values: { Hits: 1 }, metrics: [{ Name: 'Hits', Unit: 'Milliseconds' }] }, { values: {} }],
    ],
  ])('fails on %s', (_, expected) => {
    // Act
    const check = () => expectMetricLines(output, expected);

    // Assess
    expect(check).toThrow();
  });
});
