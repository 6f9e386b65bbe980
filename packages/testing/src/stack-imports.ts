import type { StackTemplate } from './serverless-package';
import { isRecord } from './template-references';
import type { TemplateProblem } from './template-schema';

/**
 * Every `Fn::ImportValue` of every stack against the exports of the stacks deployed before it
 * (`stacks` in deploy order): an import that names no export, or an export of a later stack (which
 * would make the stacks depend on each other in a circle or in the wrong order), is a problem, as
 * is an export name two stacks share. `resolve` turns a name expression into its string at deploy
 * time (the repo's intrinsic resolver) and returns undefined when it cannot.
 */
export const checkStackImports = (
  stacks: readonly StackTemplate[],
  resolve: (value: unknown, stack: StackTemplate) => string | undefined,
): {
  problems: (TemplateProblem & { stack: string })[];
  imports: { stack: string; at: string; name: string; from: string }[];
} => {
  const exporters = new Map<string, { stack: string; index: number }>();
  const problems: (TemplateProblem & { stack: string })[] = [];
  stacks.forEach((stack, index) => {
    for (const [key, output] of Object.entries(stack.template.Outputs ?? {})) {
      if (output.Export === undefined) continue;
      const name = resolve(output.Export.Name, stack);
      const at = `Outputs.${key}.Export.Name`;
      if (name === undefined)
        problems.push({ stack: stack.stack, at, message: 'export name does not resolve' });
      else if (exporters.has(name))
        problems.push({
          stack: stack.stack,
          at,
          message: `export ${name} is already exported by ${exporters.get(name)?.stack}`,
        });
      else exporters.set(name, { stack: stack.stack, index });
    }
  });
  const imports: { stack: string; at: string; name: string; from: string }[] = [];
  stacks.forEach((stack, index) => {
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) {
        for (const [i, item] of node.entries()) visit(item, `${at}[${i}]`);
        return;
      }
      if (!isRecord(node)) return;
      if ('Fn::ImportValue' in node) {
        const name = resolve(node['Fn::ImportValue'], stack);
        const exporter = name === undefined ? undefined : exporters.get(name);
        if (name === undefined)
          problems.push({ stack: stack.stack, at, message: 'Fn::ImportValue name does not resolve' });
        else if (!exporter)
          problems.push({ stack: stack.stack, at, message: `Fn::ImportValue ${name}: no stack exports it` });
        else if (exporter.stack === stack.stack)
          problems.push({
            stack: stack.stack,
            at,
            message: `Fn::ImportValue ${name}: a stack cannot import its own export`,
          });
        else if (exporter.index > index)
          problems.push({
            stack: stack.stack,
            at,
            message: `Fn::ImportValue ${name}: exported by ${exporter.stack}, which deploys after ${stack.stack}`,
          });
        else imports.push({ stack: stack.stack, at, name, from: exporter.stack });
        return;
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${at}.${key}`);
    };
    visit(stack.template.Resources, 'Resources');
    visit(stack.template.Outputs ?? {}, 'Outputs');
  });
  return { problems, imports };
};
