// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not template literals
import type { CfnTemplate } from './serverless-package';
import { dependencyCycle, referencesIn } from './template-references';

const template = (resources: CfnTemplate['Resources']): CfnTemplate => ({ Resources: resources });

describe('dependencyCycle', () => {
  it('finds a cycle through Ref, Fn::GetAtt and Fn::Sub', () => {
    // Prepare
    const input = template({
      A: { Type: 'T', Properties: { X: { Ref: 'B' } } },
      B: { Type: 'T', Properties: { X: { 'Fn::GetAtt': ['C', 'Arn'] } } },
      C: { Type: 'T', Properties: { X: { 'Fn::Sub': '${A.Arn}/${!aws:PrincipalTag/x}' } } },
    });

    // Act
    const cycle = dependencyCycle(input);

    // Assess
    expect(cycle).toEqual(['A', 'B', 'C', 'A']);
  });

  it('finds a cycle through DependsOn', () => {
    // Prepare
    const input = template({
      A: { Type: 'T', DependsOn: 'B' },
      B: { Type: 'T', DependsOn: ['A'] },
    });

    // Act
    const cycle = dependencyCycle(input);

    // Assess
    expect(cycle).toEqual(['A', 'B', 'A']);
  });

  it('finds none in an acyclic template, pseudo parameters and parameters being no resources', () => {
    // Prepare
    const input = template({
      A: {
        Type: 'T',
        Properties: { X: { Ref: 'B' }, Y: { 'Fn::Sub': '${AWS::Region}' }, Z: { Ref: 'Stage' } },
      },
      B: { Type: 'T' },
    });

    // Act
    const cycle = dependencyCycle(input);

    // Assess
    expect(cycle).toBeUndefined();
  });
});

describe('referencesIn', () => {
  it('names every Ref, Fn::GetAtt and Fn::Sub variable with where it stands, not Fn::Sub’s own variables', () => {
    // Act
    const references = referencesIn(
      { A: [{ Ref: 'Bus' }], B: { 'Fn::Sub': ['${Own}-${Table.Arn}', { Own: { Ref: 'Stage' } }] } },
      'Resources.X',
    );

    // Assess
    expect(references).toEqual([
      { at: 'Resources.X.A[0]', id: 'Bus', via: 'Ref' },
      { at: 'Resources.X.B', id: 'Table', attribute: 'Arn', via: 'Fn::Sub' },
      { at: 'Resources.X.B.Fn::Sub.Own', id: 'Stage', via: 'Ref' },
    ]);
  });
});
