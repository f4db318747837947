/**
 * What the compiler passes around while it walks a campaign: the issues found
 * so far, and the aggregates, pools and step ids seen, so that one walk both
 * validates and builds the plan.
 */
import type { PoolKind } from '../campaign/schema';
import {
  compileCondition,
  compileValue,
  type AggregateSpec,
  type CompiledCondition,
  type CompiledValue,
  literalProblems,
} from '../conditions';
import { normalizedLiteralProblems } from '../conditions/literal-issues';
import type { DomainIssue } from '../issues';

export interface PoolRef {
  readonly key: string;
  readonly kind: PoolKind | string;
  /** A credit pool's currency (fixed when the pool is created); absent or null: none, or not known. */
  readonly currency?: string | null;
}

export class CompileContext {
  readonly issues: DomainIssue[] = [];
  readonly aggregates = new Map<string, AggregateSpec>();
  readonly poolsUsed = new Set<string>();
  /** Step id → the JSON path that declared it, to report duplicates. */
  readonly stepIds = new Map<string, string>();
  readonly pools: ReadonlyMap<string, PoolRef> | null;

  /** `admitting`, `now`: see CompileOptions. */
  constructor(
    pools: ReadonlyArray<PoolRef> | undefined,
    readonly admitting = false,
    private readonly now?: number,
  ) {
    this.pools = pools ? new Map(pools.map((p) => [p.key, p])) : null;
  }

  /**
   * When the campaign is admitted (epoch ms): CompileOptions.now, else the
   * clock, read here only, so a stored version's compile (in a replayed
   * workflow too) never reads it.
   */
  admittedAt(): number {
    return this.now ?? Date.now();
  }

  report(path: string, message: string, position?: number): void {
    this.issues.push(position === undefined ? { path, message } : { path, message, position });
  }

  condition(source: unknown, path: string): CompiledCondition | null {
    if (source === undefined) return null;
    const found = this.checkLiterals(source, path);
    const outcome = compileCondition(source, path);
    if (!outcome.ok) {
      this.issues.push(...outcome.issues);
      return null;
    }
    // The other notations (and word operators) have no tokens to check: their normalized form is checked instead.
    if (this.admitting && found === 0) for (const message of normalizedLiteralProblems(outcome.value.normalized)) this.report(path, message);
    this.noteAggregates(outcome.value.aggregates);
    return outcome.value;
  }

  value(source: unknown, path: string): CompiledValue | null {
    this.checkLiterals(source, path);
    const outcome = compileValue(source, path);
    if (!outcome.ok) {
      this.issues.push(...outcome.issues);
      return null;
    }
    this.noteAggregates(outcome.value.aggregates);
    return outcome.value;
  }

  /** Like `value`, but a string that is not an expression is literal text, not an error. */
  valueOrLiteral(source: unknown, path: string): { expression: CompiledValue } | { literal: unknown } {
    if (typeof source !== 'string') return { literal: source };
    const outcome = compileValue(source, path);
    if (!outcome.ok) return { literal: source };
    this.checkLiterals(source, path);
    this.noteAggregates(outcome.value.aggregates);
    return { expression: outcome.value };
  }

  /** Admitting only: a stored version compiles as it was accepted, for its running journeys. */
  private checkLiterals(source: unknown, path: string): number {
    if (!this.admitting || typeof source !== 'string') return 0;
    const problems = literalProblems(source);
    for (const { message, position } of problems) this.report(path, message, position);
    return problems.length;
  }

  private noteAggregates(specs: readonly AggregateSpec[]): void {
    for (const spec of specs) {
      if (!this.aggregates.has(spec.key)) this.aggregates.set(spec.key, spec);
    }
  }
}
