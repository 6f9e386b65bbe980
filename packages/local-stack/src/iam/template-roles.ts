import { intrinsicResolver, resolvePolicyDocument } from '../cloudformation/intrinsics';
import type { CloudFormationTemplate, IntrinsicContext } from '../cloudformation/template';
import type { NamedPolicy, RoleDefinition, RoleRegistry } from './types';

const toArray = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

type Resources = NonNullable<CloudFormationTemplate['Resources']>;
type TemplateRole = { arn: string; name: string; definition: RoleDefinition };

interface RoleReading {
  resources: Resources;
  ctx: IntrinsicContext;
  resolver: ReturnType<typeof intrinsicResolver>;
}

/** The role's inline `Policies`. */
const inlinePolicies = ({ ctx, resolver }: RoleReading, logicalId: string, props: Record<string, unknown>) =>
  toArray(props.Policies).map((policy, index): NamedPolicy => {
    const p = resolver.resolve(policy) as { PolicyName?: string; PolicyDocument?: unknown };
    return {
      name: String(p.PolicyName ?? `${logicalId}Policy${index}`),
      document: resolvePolicyDocument(p.PolicyDocument, ctx),
    };
  });

/** `ManagedPolicyArns`: the template's own managed policies, and the ARNs of the others (unmodelled). */
const managedPolicies = ({ resources, ctx, resolver }: RoleReading, props: Record<string, unknown>) => {
  const policies: NamedPolicy[] = [];
  const unmodelled: string[] = [];
  for (const managedArn of toArray(resolver.resolve(props.ManagedPolicyArns)).map(String)) {
    const local = Object.entries(resources).find(
      ([id, r]) => r?.Type === 'AWS::IAM::ManagedPolicy' && resolver.ref(id) === managedArn,
    );
    if (local?.[1]) {
      policies.push({
        name: local[0],
        document: resolvePolicyDocument(local[1].Properties?.PolicyDocument, ctx),
      });
    } else {
      unmodelled.push(managedArn);
    }
  }
  return { policies, unmodelled };
};

const roleOf = (reading: RoleReading, logicalId: string, props: Record<string, unknown>): TemplateRole => {
  const { ctx, resolver } = reading;
  const managed = managedPolicies(reading, props);
  const maxSession = props.MaxSessionDuration;
  return {
    arn: String(resolver.getAtt(logicalId, 'Arn')),
    name: String(resolver.ref(logicalId)),
    definition: {
      trustPolicy: props.AssumeRolePolicyDocument
        ? resolvePolicyDocument(props.AssumeRolePolicyDocument, ctx)
        : undefined,
      policies: [...inlinePolicies(reading, logicalId, props), ...managed.policies],
      maxSessionDurationSeconds: maxSession === undefined ? undefined : Number(resolver.resolve(maxSession)),
      unmodelledManagedPolicyArns: managed.unmodelled.length ? managed.unmodelled : undefined,
    },
  };
};

/** Standalone `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` resources that name roles in `Roles`. */
const attachStandalonePolicies = ({ resources, ctx, resolver }: RoleReading, roles: TemplateRole[]) => {
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::IAM::Policy' && resource?.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const props = resource.Properties ?? {};
    const roleNames = toArray(resolver.resolve(props.Roles)).map(String);
    if (roleNames.length === 0) continue;
    const document = resolvePolicyDocument(props.PolicyDocument, ctx);
    const policyName = String(resolver.resolve(props.PolicyName) ?? logicalId);
    for (const role of roles) {
      if (roleNames.includes(role.name)) role.definition.policies.push({ name: policyName, document });
    }
  }
};

/**
 * Extracts every `AWS::IAM::Role` of a (packaged) CloudFormation template as a role registry for the
 * STS stand-in and the DynamoDB gateway: trust policy, inline `Policies`, and the template's own
 * `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` resources attached to the role. A role without an
 * explicit `RoleName` is named `<stackName>-<LogicalId>` (CloudFormation would add a random suffix).
 */
export const rolesFromCloudFormationTemplate = (
  template: CloudFormationTemplate,
  context: Omit<IntrinsicContext, 'template'> = {},
): RoleRegistry => {
  const ctx: IntrinsicContext = { ...context, template };
  const reading: RoleReading = { resources: template.Resources ?? {}, ctx, resolver: intrinsicResolver(ctx) };
  const roles = Object.entries(reading.resources)
    .filter(([, resource]) => resource?.Type === 'AWS::IAM::Role')
    .map(([logicalId, resource]) => roleOf(reading, logicalId, resource?.Properties ?? {}));
  attachStandalonePolicies(reading, roles);
  return Object.fromEntries(roles.map((role) => [role.arn, role.definition]));
};
