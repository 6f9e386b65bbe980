import { InvalidEventPatternError, matchesPattern, validateEventPattern } from '../src';

/** The sample event of the EventBridge user guide and the event-ruler README. */
const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
    location: 'New York',
    'file-name': 'photo.PNG',
    empty: '',
    nothing: null,
    tags: ['blue', 'green'],
    nested: { deeper: { value: 'x' } },
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
    'ipv6-source': '2001:db8::1',
  },
};

const d = (detail: Record<string, unknown>) => ({ detail });

describe('matchesPattern', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    // exact values, OR within an array, AND across fields
    [
      'exact match on top-level fields',
      { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      true,
    ],
    ['one of several values', d({ state: ['initializing', 'running'] }), true],
    ['no value matches', d({ state: ['stopped', 'terminated'] }), false],
    ['every field must match', { source: ['aws.ec2'], detail: { state: ['stopped'] } }, false],
    ['matching is case-sensitive', d({ state: ['RUNNING'] }), false],
    [
      'event array intersects pattern array',
      { resources: ['arn:other', 'arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'] },
      true,
    ],
    ['event array of scalars', d({ tags: ['green'] }), true],
    ['missing field', d({ color: ['green'] }), false],
    ['numbers compare numerically', d({ 'x-limit': [3.018e2] }), true],
    ['a number does not match its string', d({ 'c-count': ['5'] }), false],
    ['empty string', d({ empty: [''] }), true],
    ['empty string is not null', d({ nothing: [''] }), false],
    ['null', d({ nothing: [null] }), true],
    ['null is not an empty string', d({ empty: [null] }), false],
    ['nested objects', d({ nested: { deeper: { value: ['x'] } } }), true],
    ['nested objects, wrong value', d({ nested: { deeper: { value: ['y'] } } }), false],
    // prefix / suffix / equals-ignore-case / wildcard
    ['prefix', { time: [{ prefix: '2017-10-02' }] }, true],
    ['prefix, no match', { time: [{ prefix: '2018' }] }, false],
    ['prefix only matches strings', d({ 'c-count': [{ prefix: '5' }] }), false],
    ['prefix ignoring case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.E' } }] }, true],
    ['suffix', d({ 'file-name': [{ suffix: '.PNG' }] }), true],
    ['suffix is case-sensitive', d({ 'file-name': [{ suffix: '.png' }] }), false],
    ['suffix ignoring case', d({ 'file-name': [{ suffix: { 'equals-ignore-case': '.png' } }] }), true],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, true],
    ['wildcard', { 'detail-type': [{ wildcard: 'EC2*State-change*' }] }, true],
    ['wildcard, no match', { 'detail-type': [{ wildcard: 'EC2*Terminated' }] }, false],
    ['escaped wildcard is a literal star', d({ state: [{ wildcard: 'run\\*' }] }), false],
    // anything-but
    ['anything-but a string', d({ state: [{ 'anything-but': 'initializing' }] }), true],
    ['anything-but the value itself', d({ state: [{ 'anything-but': 'running' }] }), false],
    ['anything-but a list', d({ state: [{ 'anything-but': ['stopped', 'overloaded'] }] }), true],
    [
      'anything-but a list containing the value',
      d({ state: [{ 'anything-but': ['stopped', 'running'] }] }),
      false,
    ],
    ['anything-but numbers', d({ 'x-limit': [{ 'anything-but': [100, 200, 300] }] }), true],
    ['anything-but the number itself', d({ 'c-count': [{ 'anything-but': 5 }] }), false],
    ['anything-but prefix', d({ state: [{ 'anything-but': { prefix: 'init' } }] }), true],
    ['anything-but prefix of the value', d({ state: [{ 'anything-but': { prefix: 'run' } }] }), false],
    ['anything-but suffix', d({ 'file-name': [{ 'anything-but': { suffix: '.PNG' } }] }), false],
    ['anything-but suffix (other)', d({ 'file-name': [{ 'anything-but': { suffix: '.jpg' } }] }), true],
    [
      'anything-but ignoring case',
      d({ state: [{ 'anything-but': { 'equals-ignore-case': ['RUNNING'] } }] }),
      false,
    ],
    ['anything-but wildcard', d({ state: [{ 'anything-but': { wildcard: 'r*g' } }] }), false],
    ['anything-but needs the field', d({ color: [{ 'anything-but': 'red' }] }), false],
    // numeric
    ['numeric range', d({ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }), true],
    ['numeric upper bound', d({ 'd-count': [{ numeric: ['<', 10] }] }), true],
    ['numeric equality', d({ 'x-limit': [{ numeric: ['=', 3.018e2] }] }), true],
    ['numeric out of range', d({ 'c-count': [{ numeric: ['>', 5] }] }), false],
    ['numeric inclusive bound', d({ 'c-count': [{ numeric: ['>=', 5, '<', 6] }] }), true],
    ['numeric only matches numbers', d({ state: [{ numeric: ['>', 0] }] }), false],
    // cidr
    ['cidr', d({ 'source-ip': [{ cidr: '10.0.0.0/24' }] }), true],
    ['cidr, outside', d({ 'source-ip': [{ cidr: '10.0.1.0/24' }] }), false],
    ['cidr IPv6', d({ 'ipv6-source': [{ cidr: '2001:db8::/32' }] }), true],
    // exists
    ['exists true', d({ 'c-count': [{ exists: true }] }), true],
    ['exists false on a present field', d({ 'c-count': [{ exists: false }] }), false],
    ['exists false on a missing field', d({ 'e-count': [{ exists: false }] }), true],
    ['exists true on a null leaf', d({ nothing: [{ exists: true }] }), true],
    ['exists only sees leaves: true on an object', d({ nested: [{ exists: true }] }), false],
    ['exists only sees leaves: false on an object', d({ nested: [{ exists: false }] }), true],
    // $or
    [
      '$or, second branch',
      { source: ['aws.ec2'], $or: [{ 'detail-type': ['nope'] }, { detail: { state: ['running'] } }] },
      true,
    ],
    ['$or, no branch', { $or: [{ 'detail-type': ['nope'] }, { detail: { state: ['stopped'] } }] }, false],
    [
      '$or nested in detail',
      d({ $or: [{ 'c-count': [{ numeric: ['>', 100] }] }, { 'd-count': [3] }] }),
      true,
    ],
    [
      '$or with an inner $or',
      {
        $or: [
          { source: ['x'] },
          { detail: { state: ['running'], $or: [{ 'c-count': [1] }, { 'd-count': [3] }] } },
        ],
      },
      true,
    ],
    // arrays of objects
    ['a field inside array elements', d({ employees: { firstName: ['Anna'] } }), true],
    ['fields from one array element', d({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }), true],
    [
      'fields from different array elements never combine',
      d({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }),
      false,
    ],
    ['pattern values OR, event arrays intersect', d({ employees: { firstName: ['Nobody', 'Peter'] } }), true],
  ])('%s', (_name, pattern, expected) => {
    // Act / Assess
    expect(matchesPattern(pattern, ec2Event)).toBe(expected);
  });

  it('matches the complex example of the user guide', () => {
    // Prepare
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    };

    // Act / Assess
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
  });

  it('matches the Tenant Assistant rules', () => {
    // Prepare
    const prompt = {
      source: 'tenant-assistant.chat-api',
      'detail-type': 'PromptSubmitted',
      detail: { tenantId: 't1' },
    };
    const answers = {
      source: ['tenant-assistant.agent-invoker'],
      'detail-type': ['AnswerChunk', 'AnswerCompleted', 'AnswerFailed'],
    };

    // Act / Assess
    expect(
      matchesPattern({ source: ['tenant-assistant.chat-api'], 'detail-type': ['PromptSubmitted'] }, prompt),
    ).toBe(true);
    expect(matchesPattern(answers, prompt)).toBe(false);
  });
});

describe('validateEventPattern', () => {
  it.each<[string, unknown]>([
    ['a scalar value', { source: 'aws.ec2' }],
    ['an empty array', { source: [] }],
    ['an empty pattern', {}],
    ['an unknown operator', { source: [{ startsWith: 'a' }] }],
    ['two operators in one expression', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a numeric range upside down', { n: [{ numeric: ['>', 10, '<', 5] }] }],
    ['a numeric operator that does not exist', { n: [{ numeric: ['!=', 1] }] }],
    ['a non-boolean exists', { n: [{ exists: 'yes' }] }],
    ['a mixed anything-but list', { n: [{ 'anything-but': ['a', 1] }] }],
    ['consecutive wildcards', { n: [{ wildcard: 'a**b' }] }],
    ['an invalid cidr', { n: [{ cidr: '10.0.0.0/33' }] }],
    ['$or with one branch', { $or: [{ a: ['x'] }] }],
  ])('refuses %s', (_name, pattern) => {
    // Act / Assess
    expect(() => validateEventPattern(pattern)).toThrow(InvalidEventPatternError);
    expect(() => matchesPattern(pattern as Record<string, unknown>, ec2Event)).toThrow(
      InvalidEventPatternError,
    );
  });
});
