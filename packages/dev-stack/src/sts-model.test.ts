import { modelAssumeRole } from './sts-model';

describe('modelAssumeRole', () => {
  it('costs one call per user per usable period when one container serves every prompt', () => {
    // Act: 100 users, one prompt a minute each, one container, credentials usable 3300 s
    const r = modelAssumeRole({ users: 100, promptsPerUserHour: 60, containers: 1, cacheEntries: 1000 });

    // Assess: 100 / (3300 + 60) s
    expect(r.assumeRolePerSecond).toBeCloseTo(100 / 3360, 4);
    expect(r.missRatio).toBeLessThan(0.02);
  });

  it('approaches one call per prompt when prompts spread over many more containers than a user sends in an hour', () => {
    // Act
    const r = modelAssumeRole({ users: 1_000_000, promptsPerUserHour: 2, answerSeconds: 3 });

    // Assess
    expect(r.containers).toBe(1667);
    expect(r.missRatio).toBeGreaterThan(0.99);
    expect(r.assumeRolePerSecond).toBeGreaterThan(550);
  });

  it('misses on every prompt of the pairs a container cannot keep', () => {
    // Act
    const small = modelAssumeRole({
      users: 10_000,
      promptsPerUserHour: 60,
      containers: 1,
      cacheEntries: 1000,
    });
    const large = modelAssumeRole({
      users: 10_000,
      promptsPerUserHour: 60,
      containers: 1,
      cacheEntries: 100_000,
    });

    // Assess
    expect(small.missRatio).toBeGreaterThan(0.85);
    expect(large.missRatio).toBeLessThan(0.02);
  });

  it('cannot keep credentials longer than the container lives', () => {
    // Act
    const r = modelAssumeRole({ users: 100, promptsPerUserHour: 60, containers: 1, containerSeconds: 600 });

    // Assess
    expect(r.usableSeconds).toBe(600);
    expect(r.assumeRolePerSecond).toBeCloseTo(100 / 660, 4);
  });
});
