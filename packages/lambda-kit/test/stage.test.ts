import {
  deployParamsProblem,
  regionProblem,
  STAGE_MAX_LENGTH,
  stageProblem,
} from '@tenant-assistant/lambda-kit/stage';

describe('stageProblem', () => {
  it.each(['dev', 'prod', 'production', 'qa1', 'x'])('accepts %s', (stage) => {
    // Act / Assess
    expect(stageProblem(stage)).toBeUndefined();
  });

  it.each([
    ['a stage over the longest length', 'production1'],
    ['an empty stage', ''],
    ['a digit first', '1dev'],
    ['upper case', 'Dev'],
    ['a dash', 'my-dev'],
    ['an underscore', 'my_dev'],
    ['no stage at all', undefined],
  ])('refuses %s, saying what is accepted', (_, stage) => {
    // Act
    const problem = stageProblem(stage);

    // Assess
    expect(problem).toContain(`Stage "${stage}" is not accepted: 1–${STAGE_MAX_LENGTH} characters`);
  });

  it.each(['awsdev', 'amazon', 'mycognito'])(
    'refuses %s, which Cognito refuses in a domain prefix',
    (stage) => {
      // Act / Assess
      expect(stageProblem(stage)).toMatch(/contains "(aws|amazon|cognito)", which Cognito refuses/);
    },
  );
});

describe('regionProblem', () => {
  it.each(['us-east-1', 'eu-central-1', 'ap-southeast-4', 'us-gov-west-1'])('accepts %s', (region) => {
    // Act / Assess
    expect(regionProblem(region)).toBeUndefined();
  });

  it.each(['us-east', 'US-EAST-1', 'useast1', 'ap-southeasts-1', '', undefined])('refuses %s', (region) => {
    // Act / Assess
    expect(regionProblem(region)).toContain(`Region "${region}" is not accepted`);
  });
});

describe('deployParamsProblem', () => {
  const required = { webOrigin: 'the chat UI origin', callbackUrls: 'sign-in callback URLs' };

  it('names every missing or empty parameter of a deployed stage', () => {
    // Act
    const problem = deployParamsProblem('prod', { webOrigin: ' ' }, required);

    // Assess
    expect(problem).toBe(
      'Stage "prod" cannot be packaged or deployed: --param webOrigin=… is missing (the chat UI origin); --param callbackUrls=… is missing (sign-in callback URLs)',
    );
  });

  it('accepts a deployed stage with every parameter set', () => {
    // Act / Assess
    expect(
      deployParamsProblem(
        'prod',
        { webOrigin: 'https://a.example', callbackUrls: 'https://a.example/' },
        required,
      ),
    ).toBeUndefined();
  });

  it('asks nothing of the local stage, whose defaults are localhost', () => {
    // Act / Assess
    expect(deployParamsProblem('local', {}, required)).toBeUndefined();
  });
});
