import type { CfnTemplate } from '@tenant-assistant/testing';
import { effectiveTemplate, evaluateConditions, findCycle } from './cfn';

const template = (
  resources: CfnTemplate['Resources'],
  conditions?: Record<string, unknown>,
): CfnTemplate => ({
  Resources: resources,
  ...(conditions ? { Conditions: conditions } : {}),
});

describe('evaluateConditions', () => {
  it('evaluates Equals, Not, And, Or and named conditions over literals', () => {
    const conditions = {
      Empty: { 'Fn::Equals': ['', ''] },
      NotEmpty: { 'Fn::Not': [{ Condition: 'Empty' }] },
      Both: { 'Fn::And': [{ Condition: 'Empty' }, { Condition: 'NotEmpty' }] },
      Either: { 'Fn::Or': [{ Condition: 'Empty' }, { Condition: 'NotEmpty' }] },
    };

    const result = evaluateConditions(template({}, conditions));

    expect(result).toEqual({ Empty: true, NotEmpty: false, Both: false, Either: true });
  });
});

describe('effectiveTemplate', () => {
  it('resolves Fn::If, drops AWS::NoValue and resources whose condition is false', () => {
    const input = template(
      {
        Kept: {
          Type: 'T',
          Properties: {
            A: { 'Fn::If': ['Yes', 'a', 'b'] },
            B: { 'Fn::If': ['No', 'x', { Ref: 'AWS::NoValue' }] },
          },
        },
        Dropped: { Type: 'T', Condition: 'No' },
      },
      { Yes: { 'Fn::Equals': ['1', '1'] }, No: { 'Fn::Equals': ['1', '2'] } },
    );

    const result = effectiveTemplate(input);

    expect(result.Resources).toEqual({ Kept: { Type: 'T', Properties: { A: 'a' } } });
  });
});

describe('findCycle', () => {
  it('finds a cycle through Ref, Fn::GetAtt and Fn::Sub', () => {
    const input = template({
      A: { Type: 'T', Properties: { X: { Ref: 'B' } } },
      B: { Type: 'T', Properties: { X: { 'Fn::GetAtt': ['C', 'Arn'] } } },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      C: { Type: 'T', Properties: { X: { 'Fn::Sub': '${A.Arn}/${!aws:PrincipalTag/x}' } } },
    });

    expect(findCycle(input)).toEqual(['A', 'B', 'C', 'A']);
  });

  it('finds none in an acyclic template', () => {
    const input = template({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      A: { Type: 'T', Properties: { X: { Ref: 'B' }, Y: { 'Fn::Sub': '${AWS::Region}' } } },
      B: { Type: 'T' },
    });

    expect(findCycle(input)).toBeUndefined();
  });
});
