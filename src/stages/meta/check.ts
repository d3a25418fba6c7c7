/**
 * The validation render: every expression in tags, labels, annotations and flavor rendered once
 * with this event's context, in the input pass. A mistake there ({{ unclosed, an unknown name or
 * date attribute, enable= that is not true/false) is then an input error naming its input, before
 * any docker command, instead of a meta-stage failure after login and the builder probes.
 * Pure; loaded only when some value holds "{{" (see expressionTexts: it brings Handlebars and
 * moment-timezone, which a run without expressions never loads before its first docker command).
 */
import type { MetaContext } from '../../context/run-context.js';
import { errorMessage, InputError } from '../../errors.js';
import { type MetaExpressionInputs } from '../../inputs/meta.js';
import { dateHelpers, type ExprContext, renderGlobal, renderWith, versionData } from './expressions.js';

export interface ExpressionRun {
  meta: MetaContext;
  /** ms since epoch ({{date}}). */
  now: number;
}

/** Every expression problem, each naming its input and the line it is on. */
export function checkMetaExpressions(m: MetaExpressionInputs, run: ExpressionRun): InputError[] {
  const ex: ExprContext = { meta: run.meta, now: run.now, commitDate: run.meta.commitDate };
  const errors: InputError[] = [];
  const check = (input: string, where: string, fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      errors.push(new InputError(input, `${where}: ${errorMessage(err)}`));
    }
  };
  // a version pattern is rendered with a sample version: every name it may use is defined
  const sampleVersion = versionData('1.2.3', '1.2.3', 1, 2, 3);
  for (const rule of m.tagRules) {
    const where = `"${rule.source}"`;
    for (const key of ['value', 'prefix', 'suffix'] as const) {
      const text = rule.attrs[key];
      if (text !== undefined) check('tags', `${where} (${key})`, () => renderGlobal(text, ex));
    }
    check('tags', `${where} (enable)`, () => {
      const enabled = renderGlobal(rule.attrs.enable!, ex);
      if (enabled !== 'true' && enabled !== 'false')
        throw new Error(`renders to "${enabled}" on this event, must be true or false`);
    });
    if (rule.type === 'schedule')
      check('tags', `${where} (pattern)`, () => renderWith(rule.attrs.pattern!, dateHelpers(ex)));
    if (rule.type === 'semver' || rule.type === 'pep440')
      check('tags', `${where} (pattern)`, () => renderWith(rule.attrs.pattern!, sampleVersion));
  }
  check('flavor', 'prefix', () => renderGlobal(m.flavor.prefix, ex));
  check('flavor', 'suffix', () => renderGlobal(m.flavor.suffix, ex));
  for (const input of ['labels', 'annotations'] as const) {
    for (const line of m[input]) check(input, `"${line}"`, () => renderGlobal(line, ex));
  }
  return errors;
}
