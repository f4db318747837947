/**
 * The condition language (CAMPAIGNS.md, "Conditions"): three notations, one
 * normalized form, closures compiled once. Pure: safe in the workflow sandbox.
 */
import type { DomainIssue } from '../issues';
import { buildCondition, buildConditionValue, buildValue } from './compiled';
import { Lowering } from './lower';
import { NotationReader } from './notations';
import type { Syn } from './syntax';
import type { CompileOutcome, CompiledCondition, CompiledValue } from './types';

export * from './types';
export { aggregateContribution, currentDistinctKey, distinctKey, reduceAggregate } from './aggregates';
export { BUILT_IN_FACTS } from './facts';
export type { Cond as NormalizedCondition, StaticType, Val as NormalizedValue } from './ast';
export { printCond as conditionText, printVal as valueText } from './print';

/**
 * Compiles a condition in any notation; never throws, whatever `source` is.
 * `admission`: when given, what is wrong with the literals of each leaf goes
 * there, at the leaf's path (NotationReader), whether or not it compiles.
 */
export function compileCondition(source: unknown, path: string, admission?: DomainIssue[]): CompileOutcome<CompiledCondition> {
  return guarded(path, () => {
    const issues: DomainIssue[] = [];
    const syn = new NotationReader(issues, admission).condition(source, path);
    const cond = new Lowering(issues).cond(syn);
    return finish(issues, cond, path, buildCondition);
  });
}

/**
 * Compiles a value: a JSON number, boolean or null is a constant; a string is
 * an expression (`"sum('order.completed', 'amount') * 10"`, `"'text'"`).
 * `admission`: as compileCondition's.
 */
export function compileValue(source: unknown, path: string, admission?: DomainIssue[]): CompileOutcome<CompiledValue> {
  return guarded(path, () => {
    if (source === null || typeof source === 'boolean' || (typeof source === 'number' && Number.isFinite(source))) {
      const value = source;
      return { ok: true, value: { text: JSON.stringify(value), aggregates: [], evaluate: () => value } };
    }
    if (typeof source !== 'string') {
      return { ok: false, issues: [{ path, message: 'expected a value: a number, true/false, null, or an expression string' }] };
    }
    const issues: DomainIssue[] = [];
    const syn: Syn = new NotationReader(issues, admission).expression(source, path);
    const lowering = new Lowering(issues);
    if (Lowering.isConditionSyntax(syn)) return finish(issues, lowering.cond(syn), path, buildConditionValue);
    const typed = lowering.value(syn);
    return finish(issues, typed?.val ?? null, path, (val) => ({ ...buildValue(val), staticType: typed!.type }));
  });
}

function finish<A, T>(issues: DomainIssue[], ast: A | null, path: string, build: (a: A) => T): CompileOutcome<T> {
  if (issues.length > 0) return { ok: false, issues };
  if (ast === null) return { ok: false, issues: [{ path, message: 'invalid condition' }] };
  return { ok: true, value: build(ast) };
}

/** Last line of defence for the "never throws" promise: a bug becomes an issue, not a crash of the API. */
function guarded<T>(path: string, run: () => CompileOutcome<T>): CompileOutcome<T> {
  try {
    return run();
  } catch (e) {
    return { ok: false, issues: [{ path, message: `internal error while compiling: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}
export { literalProblems } from './lexer';
export { parseExpression } from './parser';
