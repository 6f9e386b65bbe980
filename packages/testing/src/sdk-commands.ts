import { dirname } from 'node:path';
import ts from 'typescript';

/**
 * The AWS SDK commands a Lambda handler's code can send, found statically: a TypeScript program
 * from the handler's file, followed from its `handler` export through every function, method and
 * value it references (in the project's own sources and the workspace packages', never into
 * node_modules), collecting each `new XxxCommand(…)` of an `@aws-sdk/*` package it reaches.
 *
 * A call through an interface (`deps.answers.get(…)`, the ports every handler receives) is followed
 * to each implementation of that member: object literals typed by the interface (a factory's
 * return type, `satisfies`) and classes that implement it. Methods of an object literal that is
 * typed by a project interface are reached only through such calls — so a function that receives
 * the service's whole `defaults` reaches only the adapters' methods it calls, not all of them.
 * Everything else a reached function contains (callbacks, middleware objects, nested functions) is
 * followed as part of it.
 */

/** One `new XxxCommand(…)` (or SDK waiter call, `waitUntilXxx(…)`) reachable from a handler. */
export interface SdkCommandUse {
  /** The SDK package the command comes from, e.g. `@aws-sdk/lib-dynamodb`. */
  clientPackage: string;
  /** The command's class, e.g. `QueryCommand`, or the waiter, e.g. `waitUntilTableExists`. */
  command: string;
  /** For a DynamoDB transaction: the kinds of item it holds (`Put`, `Update`, …). */
  transactItems: string[];
  /** Where it is constructed: `<file>:<line>`. */
  at: string;
}

export interface HandlerEntry {
  /** A name for the result (e.g. the function's key in serverless.yml). */
  name: string;
  /** The handler's file (absolute). */
  file: string;
  /** The handler's export (default `handler`). */
  exportName?: string;
}

const TRANSACT_ITEM_KINDS = ['Put', 'Update', 'Delete', 'ConditionCheck', 'Get'];

type Body = ts.Node;

const isFunctionLike = (node: ts.Node): node is ts.SignatureDeclaration & { body?: ts.Node } =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node) ||
  ts.isConstructorDeclaration(node);

/**
 * Parts reached only when something refers to them: named functions (declarations,
 * `const f = () => …`) and objects constructed into a variable (`const cache = new LRUCache({
 * fetchMethod … })`: its callbacks run when the variable is used).
 */
const isReachedByName = (node: ts.Node): boolean =>
  ts.isFunctionDeclaration(node) ||
  ((ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isNewExpression(node)) &&
    ts.isVariableDeclaration(node.parent) &&
    node.parent.initializer === node);

/** The name of what a declaration declares (a reference to nothing but itself). */
const isDeclarationName = (node: ts.Node): boolean =>
  (node.parent as { name?: ts.Node } | undefined)?.name === node &&
  !ts.isPropertyAccessExpression(node.parent);

/** The SDK package a declaration comes from (`…/node_modules/@aws-sdk/lib-dynamodb/…`). */
const sdkPackageOf = (fileName: string): string | undefined => {
  const matches = [...fileName.matchAll(/\/node_modules\/(@aws-sdk\/[^/]+)\//g)];
  return matches.at(-1)?.[1];
};

/**
 * The SDK commands each handler can send (see the module's comment for how they are found).
 * `tsconfig` is the project's config the program is read with (its paths and export conditions).
 *
 * @example const uses = sdkCommandsOf([{ name: 'getAnswer', file }], join(serviceDir, 'tsconfig.json'));
 */
export const sdkCommandsOf = (
  entries: readonly HandlerEntry[],
  tsconfig: string,
): Map<string, SdkCommandUse[]> => {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`Cannot read ${tsconfig}`);
  const program = ts.createProgram({
    rootNames: entries.map((entry) => entry.file),
    options: { ...parsed.options, noEmit: true },
  });
  const checker = program.getTypeChecker();
  const isProjectFile = (file: ts.SourceFile) =>
    !file.isDeclarationFile && !file.fileName.includes('/node_modules/');

  // Implementations of each interface member, and the object-literal methods reached only through them.
  const implementations = new Map<ts.Declaration, Body[]>();
  const deferred = new Set<ts.Node>();
  const addImplementation = (member: ts.Symbol | undefined, body: Body) => {
    const declarations = (member?.declarations ?? []).filter((d) => isProjectFile(d.getSourceFile()));
    for (const declaration of declarations)
      implementations.set(declaration, [...(implementations.get(declaration) ?? []), body]);
    return declarations.length > 0;
  };
  const functionOfMember = (element: ts.ObjectLiteralElementLike): Body | undefined => {
    if (ts.isMethodDeclaration(element) || ts.isGetAccessorDeclaration(element)) return element;
    if (!ts.isPropertyAssignment(element)) return undefined;
    let value: ts.Expression = element.initializer;
    while (ts.isParenthesizedExpression(value) || ts.isSatisfiesExpression(value) || ts.isAsExpression(value))
      value = value.expression;
    return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
  };
  /** Methods of object literals that no type describes (e.g. a service's `defaults`), by name. */
  const untypedMembers = new Map<string, { body: Body; object: ts.ObjectLiteralExpression }[]>();
  const indexImplementations = (node: ts.Node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const contextual = checker.getContextualType(node);
      for (const element of node.properties) {
        const body = functionOfMember(element);
        const name = element.name && ts.isIdentifier(element.name) ? element.name.text : undefined;
        if (!body || !name) continue;
        if (!contextual) {
          untypedMembers.set(name, [...(untypedMembers.get(name) ?? []), { body, object: node }]);
          deferred.add(body);
          continue;
        }
        const members = contextual.isUnion() ? contextual.types : [contextual];
        let typed = false;
        for (const type of members) typed = addImplementation(type.getProperty(name), body) || typed;
        if (typed) deferred.add(body);
      }
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      for (const clause of node.heritageClauses ?? []) {
        for (const heritage of clause.types) {
          const type = checker.getTypeAtLocation(heritage);
          for (const member of node.members) {
            if (!ts.isMethodDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
            addImplementation(type.getProperty(member.name.text), member);
          }
        }
      }
    }
    ts.forEachChild(node, indexImplementations);
  };
  for (const file of program.getSourceFiles()) if (isProjectFile(file)) indexImplementations(file);

  const resolved = (symbol: ts.Symbol | undefined) =>
    symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

  /**
   * Methods of untyped object literals that implement an interface member: same name, and the
   * object is assignable to the interface (e.g. `defaults.publish` for `deps.publish(…)`).
   */
  const untypedImplementations = (declaration: ts.TypeElement, symbol: ts.Symbol): Body[] => {
    const parent = declaration.parent;
    const ownerSymbol =
      ts.isInterfaceDeclaration(parent) || ts.isClassDeclaration(parent)
        ? parent.name && checker.getSymbolAtLocation(parent.name)
        : undefined;
    const owner = ownerSymbol
      ? checker.getDeclaredTypeOfSymbol(ownerSymbol)
      : checker.getTypeAtLocation(parent);
    // Property by property: the literal's own (fresh) type would fail on its extra properties.
    const implementsOwner = (object: ts.ObjectLiteralExpression) => {
      const type = checker.getTypeAtLocation(object);
      return owner.getProperties().every((property) => {
        const own = type.getProperty(property.name);
        if (!own) return (property.flags & ts.SymbolFlags.Optional) !== 0;
        return checker.isTypeAssignableTo(checker.getTypeOfSymbol(own), checker.getTypeOfSymbol(property));
      });
    };
    return (untypedMembers.get(symbol.name) ?? [])
      .filter(({ object }) => implementsOwner(object))
      .map(({ body }) => body);
  };

  /** What a reference to a declaration makes reachable. */
  const bodiesOf = (declaration: ts.Declaration, symbol: ts.Symbol): Body[] => {
    if (!isProjectFile(declaration.getSourceFile())) return [];
    if (isFunctionLike(declaration)) return [declaration];
    if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration))
      return declaration.initializer ? [declaration.initializer] : [];
    if (ts.isPropertyAssignment(declaration)) return [declaration.initializer];
    if (ts.isShorthandPropertyAssignment(declaration)) {
      const value = checker.getShorthandAssignmentValueSymbol(declaration);
      return (value?.declarations ?? []).flatMap((d) => bodiesOf(d, value as ts.Symbol));
    }
    if (ts.isPropertySignature(declaration) || ts.isMethodSignature(declaration))
      return [...(implementations.get(declaration) ?? []), ...untypedImplementations(declaration, symbol)];
    if (ts.isClassDeclaration(declaration) || ts.isClassExpression(declaration))
      return declaration.members.filter(
        (member) =>
          ts.isConstructorDeclaration(member) || (ts.isPropertyDeclaration(member) && member.initializer),
      );
    if (ts.isExportAssignment(declaration)) return [declaration.expression];
    if (ts.isBindingElement(declaration) && declaration.initializer) return [declaration.initializer];
    return [];
  };

  const transactItemsOf = (expression: ts.NewExpression): string[] => {
    const input = expression.arguments?.[0];
    if (!input || !ts.isObjectLiteralExpression(input)) return [];
    const items = input.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'TransactItems',
    );
    if (!items || !ts.isArrayLiteralExpression(items.initializer)) return [];
    const kinds = new Set<string>();
    for (const element of items.initializer.elements) {
      const type = checker.getTypeAtLocation(ts.isSpreadElement(element) ? element.expression : element);
      const itemTypes = ts.isSpreadElement(element)
        ? [checker.getIndexTypeOfType(type, ts.IndexKind.Number) ?? type]
        : [type];
      for (const itemType of itemTypes)
        for (const property of itemType.getProperties())
          if (TRANSACT_ITEM_KINDS.includes(property.name) && !(property.flags & ts.SymbolFlags.Optional))
            kinds.add(property.name);
    }
    return [...kinds];
  };

  const reachable = (start: Body): SdkCommandUse[] => {
    const uses = new Map<string, SdkCommandUse>();
    const seen = new Set<ts.Node>([start]);
    const queue: Body[] = [start];
    const enqueue = (body: Body) => {
      if (seen.has(body)) return;
      seen.add(body);
      queue.push(body);
    };
    const visit = (node: ts.Node, root: Body) => {
      if (node !== root && (deferred.has(node) || isReachedByName(node))) return;
      if (ts.isNewExpression(node)) {
        const symbol = resolved(checker.getSymbolAtLocation(node.expression));
        const declaration = symbol?.declarations?.[0];
        const clientPackage = declaration && sdkPackageOf(declaration.getSourceFile().fileName);
        if (clientPackage && symbol && /Command$/.test(symbol.name)) {
          const file = node.getSourceFile();
          const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          const at = `${file.fileName}:${line}`;
          uses.set(at, {
            clientPackage,
            command: symbol.name,
            transactItems: /^Transact/.test(symbol.name) ? transactItemsOf(node) : [],
            at,
          });
        }
      }
      if (ts.isCallExpression(node)) {
        // An SDK waiter (`waitUntilTableExists(…)`) sends its operation until the state is reached.
        const symbol = resolved(checker.getSymbolAtLocation(node.expression));
        const declaration = symbol?.declarations?.[0];
        const clientPackage = declaration && sdkPackageOf(declaration.getSourceFile().fileName);
        if (clientPackage && symbol && /^waitUntil/.test(symbol.name)) {
          const file = node.getSourceFile();
          const at = `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
          uses.set(at, { clientPackage, command: symbol.name, transactItems: [], at });
        }
      }
      if (ts.isShorthandPropertyAssignment(node)) {
        const value = checker.getShorthandAssignmentValueSymbol(node);
        for (const declaration of value?.declarations ?? [])
          for (const body of bodiesOf(declaration, value as ts.Symbol)) enqueue(body);
        return;
      }
      if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && !isDeclarationName(node)) {
        const symbol = resolved(checker.getSymbolAtLocation(node));
        for (const declaration of symbol?.declarations ?? [])
          for (const body of bodiesOf(declaration, symbol as ts.Symbol)) enqueue(body);
      }
      ts.forEachChild(node, (child) => visit(child, root));
    };
    while (queue.length > 0) {
      const body = queue.shift() as Body;
      visit(body, body);
    }
    return [...uses.values()].sort((a, b) => a.at.localeCompare(b.at));
  };

  const result = new Map<string, SdkCommandUse[]>();
  for (const entry of entries) {
    const file = program.getSourceFile(entry.file);
    if (!file) throw new Error(`${entry.file} is not in the program of ${tsconfig}`);
    const module = checker.getSymbolAtLocation(file);
    const exported =
      module && checker.getExportsOfModule(module).find((s) => s.name === (entry.exportName ?? 'handler'));
    const symbol = resolved(exported);
    const starts = (symbol?.declarations ?? []).flatMap((d) => bodiesOf(d, symbol as ts.Symbol));
    if (starts.length === 0)
      throw new Error(
        `${entry.file} exports no ${entry.exportName ?? 'handler'} (from ${dirname(tsconfig)})`,
      );
    const uses = new Map<string, SdkCommandUse>();
    for (const start of starts) for (const use of reachable(start)) uses.set(use.at, use);
    result.set(entry.name, [...uses.values()]);
  }
  return result;
};
