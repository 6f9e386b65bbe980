// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub and IAM policy variables are literal ${…} strings
import {
  effectiveTemplate,
  evaluateConditions,
  parseCloudFormationYaml,
  resolveIntrinsics,
  resolvePolicyDocument,
  rolesFromCloudFormationTemplate,
  UnresolvedIntrinsicError,
} from '../src';
import { tenantDataPolicy, tenantDataPolicyAsPackaged } from './fixtures';

describe('resolvePolicyDocument', () => {
  it('resolves Fn::Sub pseudo parameters and keeps ${!…} as IAM policy variables', () => {
    const resolved = resolvePolicyDocument(tenantDataPolicyAsPackaged, {
      accountId: '000000000000',
      region: 'us-east-1',
    });

    expect(resolved).toEqual(tenantDataPolicy);
  });

  it('refuses an unescaped policy variable in Fn::Sub, as CloudFormation would', () => {
    const document = {
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: { 'Fn::Sub': 'arn:x:${aws:PrincipalTag/tenantId}' } },
      ],
    };

    expect(() => resolvePolicyDocument(document)).toThrow(UnresolvedIntrinsicError);
    expect(() => resolvePolicyDocument(document)).toThrow(/\$\{!aws:PrincipalTag\/tenantId\}/);
  });

  it('keeps a policy variable written as a plain string untouched', () => {
    const document = {
      Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:x:${aws:PrincipalTag/tenantId}' }],
    };

    expect(resolvePolicyDocument(document)).toEqual(document);
  });
});

describe('resolveIntrinsics', () => {
  const template = {
    Parameters: { Stage: { Default: 'dev' } },
    Mappings: { Days: { tier: { basic: 10 } } },
    Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] } },
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { TableName: { 'Fn::Sub': 'app-${Stage}-config' } },
      },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'bus' } },
      Unnamed: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    },
  };

  it.each([
    [{ Ref: 'AWS::AccountId' }, '123456789012'],
    [{ Ref: 'Stage' }, 'dev'],
    [{ Ref: 'Table' }, 'app-dev-config'],
    [{ Ref: 'Unnamed' }, 'my-stack-Unnamed'],
    [{ 'Fn::GetAtt': ['Table', 'Arn'] }, 'arn:aws:dynamodb:eu-west-1:123456789012:table/app-dev-config'],
    [{ 'Fn::Sub': '${Bus.Arn}' }, 'arn:aws:events:eu-west-1:123456789012:event-bus/bus'],
    [{ 'Fn::Sub': ['${A}-${AWS::Region}', { A: { Ref: 'Stage' } }] }, 'dev-eu-west-1'],
    [{ 'Fn::Join': ['-', ['a', { Ref: 'Stage' }]] }, 'a-dev'],
    [{ 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] }, 'y'],
    [{ 'Fn::FindInMap': ['Days', 'tier', 'basic'] }, 10],
    [{ 'Fn::If': ['IsDev', 'yes', 'no'] }, 'yes'],
    [{ 'Fn::ImportValue': 'auth-dev-UserPoolId' }, 'us-east-1_LocalDev1'],
    [{ list: ['a', { Ref: 'AWS::NoValue' }, 'b'] }, { list: ['a', 'b'] }],
  ])('resolves %j', (input, expected) => {
    const context = {
      accountId: '123456789012',
      region: 'eu-west-1',
      stackName: 'my-stack',
      template,
      imports: { 'auth-dev-UserPoolId': 'us-east-1_LocalDev1' },
    };

    expect(resolveIntrinsics(input, context)).toEqual(expected);
  });

  it('names what it cannot resolve', () => {
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'missing' })).toThrow(/missing/);
    expect(() => resolveIntrinsics({ Ref: 'Nope' })).toThrow(/Nope/);
  });
});

describe('evaluateConditions', () => {
  it('evaluates Equals, Not, And, Or and named conditions', () => {
    // Prepare
    const template = {
      Parameters: { Stage: { Default: 'dev' } },
      Conditions: {
        Empty: { 'Fn::Equals': ['', ''] },
        NotEmpty: { 'Fn::Not': [{ Condition: 'Empty' }] },
        Both: { 'Fn::And': [{ Condition: 'Empty' }, { Condition: 'NotEmpty' }] },
        Either: { 'Fn::Or': [{ Condition: 'Empty' }, { Condition: 'NotEmpty' }] },
        IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] },
        SameAsString: { 'Fn::Equals': [1, '1'] },
      },
    };

    // Act
    const result = evaluateConditions(template);

    // Assess
    expect(result).toEqual({
      Empty: true,
      NotEmpty: false,
      Both: false,
      Either: true,
      IsDev: true,
      SameAsString: true,
    });
  });

  it('refuses a condition that refers to itself', () => {
    // Prepare
    const template = { Conditions: { Loop: { 'Fn::Not': [{ Condition: 'Loop' }] } } };

    // Act
    const evaluate = () => evaluateConditions(template);

    // Assess
    expect(evaluate).toThrow(UnresolvedIntrinsicError);
    expect(evaluate).toThrow(/circular/);
  });
});

describe('effectiveTemplate', () => {
  it('decides Fn::If, drops AWS::NoValue and what a false condition guards, keeps other intrinsics', () => {
    // Prepare
    const template = {
      Conditions: { Yes: { 'Fn::Equals': ['1', '1'] }, No: { 'Fn::Equals': ['1', '2'] } },
      Resources: {
        Kept: {
          Type: 'T',
          Properties: {
            A: { 'Fn::If': ['Yes', 'a', 'b'] },
            B: { 'Fn::If': ['No', 'x', { Ref: 'AWS::NoValue' }] },
            C: { 'Fn::Sub': ['${X}', { X: { 'Fn::If': ['Yes', { Ref: 'Dropped' }, 'z'] } }] },
          },
        },
        Dropped: { Type: 'T', Condition: 'No' },
      },
      Outputs: { Gone: { Condition: 'No', Value: 'v' }, Shown: { Value: { Ref: 'Kept' } } },
    };

    // Act
    const result = effectiveTemplate(template);

    // Assess
    expect(result.Resources).toEqual({
      Kept: {
        Type: 'T',
        Properties: { A: 'a', C: { 'Fn::Sub': ['${X}', { X: { Ref: 'Dropped' } }] } },
      },
    });
    expect(result.Outputs).toEqual({ Shown: { Value: { Ref: 'Kept' } } });
    expect(result.Conditions).toBe(template.Conditions);
  });

  it('names an undefined condition', () => {
    // Prepare
    const template = { Resources: { A: { Type: 'T', Properties: { X: { 'Fn::If': ['Nope', 1, 2] } } } } };

    // Act
    const apply = () => effectiveTemplate(template);

    // Assess
    expect(apply).toThrow(/condition "Nope" is not defined/);
  });
});

describe('parseCloudFormationYaml', () => {
  it('parses short-form intrinsic tags into their long forms', () => {
    const parsed = parseCloudFormationYaml(`
Resource:
  - !Sub "arn:aws:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/orders-\${!aws:PrincipalTag/tenantId}"
  - !GetAtt Table.Arn
  - !Join ['', [!Ref Stage, '-x']]
  - !Sub
    - '\${Name}-y'
    - Name: !Ref Stage
`);

    expect(parsed).toEqual({
      Resource: [
        {
          'Fn::Sub':
            'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders-${!aws:PrincipalTag/tenantId}',
        },
        { 'Fn::GetAtt': ['Table', 'Arn'] },
        { 'Fn::Join': ['', [{ Ref: 'Stage' }, '-x']] },
        { 'Fn::Sub': ['${Name}-y', { Name: { Ref: 'Stage' } }] },
      ],
    });
  });
});

describe('rolesFromCloudFormationTemplate', () => {
  it('collects trust policy, inline policies and attached policy resources per role ARN', () => {
    // Prepare
    const template = {
      Resources: {
        DataRole: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
            Policies: [
              {
                PolicyName: 'Inline',
                PolicyDocument: {
                  Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }],
                },
              },
            ],
            ManagedPolicyArns: [
              'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
              { Ref: 'Managed' },
            ],
            MaxSessionDuration: 7200,
          },
        },
        Managed: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }] },
          },
        },
        Extra: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'Extra',
            Roles: [{ Ref: 'DataRole' }],
            PolicyDocument: { Statement: [{ Effect: 'Deny', Action: 'dynamodb:Scan', Resource: '*' }] },
          },
        },
      },
    };

    // Act
    const roles = rolesFromCloudFormationTemplate(template, {
      stackName: 'svc-dev',
      accountId: '111111111111',
    });

    // Assess
    const role = roles['arn:aws:iam::111111111111:role/svc-dev-DataRole'];
    expect(role?.trustPolicy?.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' },
    ]);
    expect(role?.policies.map((p) => p.name)).toEqual(['Inline', 'Managed', 'Extra']);
    expect(role?.maxSessionDurationSeconds).toBe(7200);
    expect(role?.unmodelledManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ]);
  });
});
