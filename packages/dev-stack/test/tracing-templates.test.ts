import { join } from 'node:path';
import {
  allRoleStatements,
  type CfnTemplate,
  isTraceWriteStatement,
  resourcesOfType,
} from '@tenant-assistant/testing';
import { packagedTemplate } from '../src/roles';
import { SERVICES, STAGE } from '../src/services';
import { REPO_ROOT } from '../src/state';

// X-Ray on every function, as packaged: active tracing, and a role that lets Lambda send the
// function's trace segments (the functions run with roles of their own, which the framework does
// not extend the way it extends its generated one).

jest.setTimeout(300_000);

const templates: [string, CfnTemplate][] = [];

beforeAll(async () => {
  for (const [key, service] of Object.entries(SERVICES))
    templates.push([key, await packagedTemplate(join(REPO_ROOT, service.dir), STAGE)]);
}, 300_000);

const functionsOf = () =>
  templates.flatMap(([key, template]) =>
    resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => ({ key, template, id, fn })),
  );

describe('X-Ray tracing in the packaged templates', () => {
  test('covers the 20 functions', () => {
    // Act / Assess
    expect(functionsOf()).toHaveLength(20);
  });

  test('turns active tracing on for every function', () => {
    // Act
    const untraced = functionsOf()
      .filter(({ fn }) => (fn.Properties?.TracingConfig as { Mode?: string } | undefined)?.Mode !== 'Active')
      .map(({ key, id }) => `${key}/${id}`);
    // Assess
    expect(untraced).toEqual([]);
  });

  test('lets every function’s role write its traces', () => {
    // Act
    const withoutTraceWrites = functionsOf()
      .filter(({ template, fn }) => {
        const roleId = (fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
          'Fn::GetAtt'
        ]?.[0];
        const role = roleId ? template.Resources[roleId] : undefined;
        return !role || !allRoleStatements(role).some(isTraceWriteStatement);
      })
      .map(({ key, id }) => `${key}/${id}`);
    // Assess
    expect(withoutTraceWrites).toEqual([]);
  });
});
