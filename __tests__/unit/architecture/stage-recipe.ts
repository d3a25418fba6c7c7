/**
 * The stage recipe of CONTRIBUTING.md ("A new stage"), read from the files themselves, so a folder
 * that departs from it fails a unit test naming the folder or file:
 * - every folder of src/stages/ has plan.ts, act.ts and wiring.ts;
 * - only act.ts, act-<part>.ts and wiring.ts reach the outside world. Every other file is pure: it
 *   reads no `process`, imports the exec gateway (src/ports/exec.ts) in no form, not even a type (a
 *   function that takes the gateway runs commands), and value-imports no effectful module.
 *
 * "Effectful" is decided from imports alone, so the check needs no type information: a module is
 * effectful when it is a stage's act or wiring file, imports an I/O module (IO_BUILTINS, `@actions/*`)
 * statically or with `import()`, or value-imports an effectful module of its own tree, followed
 * through every relative import. Type-only imports carry no code, so they never count.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import ts from 'typescript';

export const RECIPE_FILES = ['plan.ts', 'act.ts', 'wiring.ts'] as const;

/** Node's modules that touch files, processes, the network or the host. */
const IO_BUILTINS = new Set([
  'fs',
  'fs/promises',
  'child_process',
  'os',
  'net',
  'http',
  'https',
  'http2',
  'dns',
  'tls',
  'dgram',
  'readline',
  'stream',
  'stream/promises',
  'worker_threads',
  'process',
]);

/** The one gateway every command goes through: a pure file does not even name its types. */
const EXEC_PORT = path.join('ports', 'exec.ts');

/** act.ts, act-<part>.ts and wiring.ts may do I/O; every other file of a stage is pure. */
export function mayDoIo(fileName: string): boolean {
  return fileName === 'wiring.ts' || /^act(-[a-z0-9-]+)?\.ts$/.test(fileName);
}

export function isIoModule(specifier: string): boolean {
  return IO_BUILTINS.has(specifier.replace(/^node:/, '')) || specifier.startsWith('@actions/');
}

interface Imported {
  specifier: string;
  typeOnly: boolean;
}

interface ModuleFacts {
  imports: Imported[];
  readsProcess: boolean;
}

/** A module's imports (static, re-exports, `import()`), and whether it reads the global `process`. */
function readModule(file: string): ModuleFacts {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const facts: ModuleFacts = { imports: [], readsProcess: false };
  const visit = (node: ts.Node): void => {
    const imported = importOf(node);
    if (imported) facts.imports.push(imported);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process') {
      facts.readsProcess = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

function importOf(node: ts.Node): Imported | undefined {
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    return { specifier: node.moduleSpecifier.text, typeOnly: typeOnlyImport(node) };
  }
  if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    return { specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly };
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const [arg] = node.arguments;
    if (arg && ts.isStringLiteral(arg)) return { specifier: arg.text, typeOnly: false };
  }
  return undefined;
}

function typeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'`: run for its effects
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly);
}

/** A relative specifier (`./x.js`) as the .ts file it names; undefined for a package or a builtin. */
function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const file = path.resolve(path.dirname(from), specifier).replace(/\.js$/, '.ts');
  return fs.existsSync(file) ? file : undefined;
}

function isStageIoFile(file: string): boolean {
  return path.basename(path.dirname(path.dirname(file))) === 'stages' && mayDoIo(path.basename(file));
}

/**
 * Why a module is effectful, as the chain of imports that reaches I/O; undefined when it is pure.
 * A module met again on the way (an import cycle) is taken as pure on that path.
 */
function ioChain(
  file: string,
  memo: Map<string, string[] | undefined>,
  seen = new Set<string>(),
): string[] | undefined {
  if (memo.has(file)) return memo.get(file);
  if (seen.has(file)) return undefined;
  seen.add(file);
  let chain: string[] | undefined = isStageIoFile(file) ? [] : undefined;
  for (const { specifier, typeOnly } of readModule(file).imports) {
    if (chain || typeOnly) continue;
    const local = resolveLocal(file, specifier);
    const inner = isIoModule(specifier) ? [] : local ? ioChain(local, memo, seen) : undefined;
    if (inner) chain = [specifier, ...inner];
  }
  memo.set(file, chain);
  return chain;
}

/** What keeps one pure file of a stage from being pure, each line naming the file. */
function pureFileProblems(file: string, where: string, memo: Map<string, string[] | undefined>): string[] {
  const problems: string[] = [];
  const { imports, readsProcess } = readModule(file);
  if (readsProcess) problems.push(`${where} reads process: only act*.ts and wiring.ts may`);
  for (const { specifier, typeOnly } of imports) {
    const local = resolveLocal(file, specifier);
    if (local?.endsWith(EXEC_PORT)) {
      problems.push(`${where} imports the exec gateway (${specifier}): what runs commands belongs in act*.ts`);
      continue;
    }
    if (typeOnly) continue;
    const chain = isIoModule(specifier) ? [] : local ? ioChain(local, memo) : undefined;
    if (chain) {
      const via = [specifier, ...chain].join(' → ');
      problems.push(`${where} imports ${via}: I/O belongs in act*.ts or wiring.ts`);
    }
  }
  return problems;
}

/** Every way the folders of `stagesDir` depart from the recipe, each naming the folder or file; empty when none. */
export function checkStageRecipe(stagesDir: string): string[] {
  const problems: string[] = [];
  const memo = new Map<string, string[] | undefined>();
  const folders = fs
    .readdirSync(stagesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    const files = fs.readdirSync(path.join(stagesDir, folder)).filter((f) => f.endsWith('.ts'));
    for (const wanted of RECIPE_FILES) {
      if (!files.includes(wanted)) problems.push(`stages/${folder}/ has no ${wanted}`);
    }
    for (const name of files.filter((f) => !mayDoIo(f)).sort()) {
      problems.push(...pureFileProblems(path.join(stagesDir, folder, name), `stages/${folder}/${name}`, memo));
    }
  }
  return problems;
}
