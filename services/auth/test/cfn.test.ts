import type { CfnTemplate } from '@tenant-assistant/testing';
import { findCycle } from './cfn';

const template = (resources: CfnTemplate['Resources']): CfnTemplate => ({ Resources: resources });

describe('findCycle', () => {
  it('finds a cycle through Ref, Fn::GetAtt and Fn::Sub', () => {
    // Prepare
    const input = template({
      A: { Type: 'T', Properties: { X: { Ref: 'B' } } },
      B: { Type: 'T', Properties: { X: { 'Fn::GetAtt': ['C', 'Arn'] } } },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      C: { Type: 'T', Properties: { X: { 'Fn::Sub': '${A.Arn}/${!aws:PrincipalTag/x}' } } },
    });

    // Act
    const cycle = findCycle(input);

    // Assess
    expect(cycle).toEqual(['A', 'B', 'C', 'A']);
  });

  it('finds none in an acyclic template', () => {
    // Prepare
    const input = template({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      A: { Type: 'T', Properties: { X: { Ref: 'B' }, Y: { 'Fn::Sub': '${AWS::Region}' } } },
      B: { Type: 'T' },
    });

    // Act
    const cycle = findCycle(input);

    // Assess
    expect(cycle).toBeUndefined();
  });
});
