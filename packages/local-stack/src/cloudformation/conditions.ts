import { Resolver } from './intrinsics';
import { type CloudFormationTemplate, type IntrinsicContext, isRecord } from './template';

/** The value of every condition of the template (`Conditions`), as CloudFormation evaluates them. */
export const evaluateConditions = (
  template: CloudFormationTemplate,
  context: Omit<IntrinsicContext, 'template'> = {},
): Record<string, boolean> => {
  const resolver = new Resolver({ ...context, template });
  return Object.fromEntries(
    Object.keys(template.Conditions ?? {}).map((name) => [
      name,
      resolver.condition(name, `Conditions.${name}`),
    ]),
  );
};

/**
 * The template as CloudFormation would deploy it: resources and outputs whose `Condition` is false
 * are gone, every `Fn::If` is decided and `AWS::NoValue` dropped. Every other intrinsic (`Ref`,
 * `Fn::Sub`, `Fn::GetAtt`, …) stays as written, so tests can still see what refers to what.
 */
export const effectiveTemplate = <T extends CloudFormationTemplate>(
  template: T,
  context: Omit<IntrinsicContext, 'template'> = {},
): T => {
  const resolver = new Resolver({ ...context, template }, 'conditions');
  const kept = (section: Record<string, unknown> | undefined, name: string) =>
    section === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(section)
            .filter(([, entry]) => {
              const condition = isRecord(entry) ? entry.Condition : undefined;
              return typeof condition !== 'string' || resolver.condition(condition, `${name}.${condition}`);
            })
            .map(([id, entry]) => [id, resolver.resolve(entry, `${name}.${id}`)]),
        );
  const resources = kept(template.Resources, 'Resources');
  const outputs = kept(template.Outputs, 'Outputs');
  return {
    ...template,
    ...(resources ? { Resources: resources } : {}),
    ...(outputs ? { Outputs: outputs } : {}),
  };
};
