/**
 * Workflow expressions evaluated by GitHub's own engine (@actions/expressions), strictly: a
 * property that a context does not have is an error naming the expression, where GitHub would
 * quietly give an empty string (so a typo in the workflow fails the test instead of shipping
 * green). Only `secrets`, `env`, `vars` and `github.event` may be asked for what they do not
 * hold: an unset secret is empty on GitHub too, and an event payload differs per event.
 */
import { data, Evaluator, type Expr, Lexer, Parser } from '@actions/expressions';
import { isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

/** A JSON value, as the contexts hold them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The status of the job so far, for success(), failure(), always() and cancelled(). */
export interface Status {
  failed: boolean;
}

const LENIENT_ROOTS = new Set(['secrets', 'env', 'vars']);
const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'];

interface IndexNode {
  expr: Expr;
  index: Expr;
}
interface ContextNode {
  name: { lexeme: string };
}

/** The context name (or `(a function)`) an index chain starts at, and the path down to it. */
function chainOf(e: Expr): string[] {
  if ('index' in e) {
    const n = e as unknown as IndexNode;
    const key =
      'literal' in n.index
        ? String((n.index as unknown as { literal: data.ExpressionData }).literal.coerceString())
        : '*';
    return [...chainOf(n.expr), key];
  }
  if ('name' in e) return [(e as unknown as ContextNode).name.lexeme];
  return ['(value)'];
}

class StrictEvaluator extends Evaluator {
  constructor(
    n: Expr,
    private readonly ctx: data.Dictionary,
    functions: ConstructorParameters<typeof Evaluator>[2],
  ) {
    super(n, ctx, functions);
  }

  override visitContextAccess(ca: Parameters<Evaluator['visitContextAccess']>[0]): data.ExpressionData {
    if (this.ctx.get(ca.name.lexeme) === undefined) throw new Error(`unknown context '${ca.name.lexeme}'`);
    return super.visitContextAccess(ca);
  }

  override visitIndexAccess(ia: Parameters<Evaluator['visitIndexAccess']>[0]): data.ExpressionData {
    const result = super.visitIndexAccess(ia);
    if (result.kind !== data.Kind.Null) return result;
    const chain = chainOf(ia as unknown as Expr);
    const lenient = LENIENT_ROOTS.has(chain[0]!) || (chain[0] === 'github' && chain[1] === 'event');
    const holder = this.eval(ia.expr);
    if (!lenient && holder instanceof data.Dictionary) {
      const key = this.eval(ia.index).coerceString();
      if (holder.get(key) === undefined)
        throw new Error(`'${chain.join('.')}': '${key}' is not a property here (it has: ${keysOf(holder)})`);
    }
    return result;
  }
}

function keysOf(d: data.Dictionary): string {
  return (
    d
      .pairs()
      .map((p) => p.key)
      .join(', ') || 'nothing'
  );
}

function statusFunctions(status: Status) {
  const fn = (name: string, value: () => boolean) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value()),
  });
  return new Map([
    ['success', fn('success', () => !status.failed)],
    ['failure', fn('failure', () => status.failed)],
    ['always', fn('always', () => true)],
    ['cancelled', fn('cancelled', () => false)],
  ]);
}

/** Contexts as the engine's data: a plain object of JSON values per context name. */
export function toData(contexts: Record<string, Json>): data.Dictionary {
  const dict = new data.Dictionary();
  for (const [name, value] of Object.entries(contexts))
    dict.add(name, JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData);
  return dict;
}

function toJson(d: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(d, data.replacer) ?? 'null') as Json;
}

/** Evaluate one expression (without `${{ }}`); errors name the expression. */
export function evaluate(expression: string, contexts: Record<string, Json>, status: Status = { failed: false }): Json {
  try {
    const tokens = new Lexer(expression).lex().tokens;
    const names = Object.keys(contexts);
    const functions = statusFunctions(status);
    const tree = new Parser(
      tokens,
      names,
      STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
    ).parse();
    return toJson(new StrictEvaluator(tree, toData(contexts), functions).evaluate());
  } catch (err) {
    throw new Error(`\${{ ${expression} }}: ${(err as Error).message}`, { cause: err });
  }
}

/** A template token (a whole `with:` mapping, a matrix, a scalar) with every expression evaluated. */
export function evaluateToken(token: TemplateToken, contexts: Record<string, Json>, status?: Status): Json {
  if (isBasicExpression(token)) return evaluate(token.expression, contexts, status);
  if (isString(token)) return token.value;
  if (isBoolean(token) || isNumber(token)) return token.value;
  if (isSequence(token)) {
    const out: Json[] = [];
    for (let i = 0; i < token.count; i++) out.push(evaluateToken(token.get(i), contexts, status));
    return out;
  }
  if (isMapping(token)) {
    const out: Record<string, Json> = {};
    for (const pair of token)
      out[String(evaluateToken(pair.key, contexts, status))] = evaluateToken(pair.value, contexts, status);
    return out;
  }
  return null;
}

/** A value as a step's input or an env variable sees it: strings, with booleans and numbers spelled out. */
export function asText(v: Json): string {
  if (v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
