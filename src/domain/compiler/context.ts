/**
 * What the compiler passes around while it walks a campaign: the issues found
 * so far, and the aggregates, pools and step ids seen, so that one walk both
 * validates and builds the plan.
 */
import type { PoolKind } from '../campaign/schema';
import {
  compileCondition,
  compileValue,
  parseExpression,
  type AggregateSpec,
  type CompiledCondition,
  type CompiledValue,
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
    const literals = this.literalIssues();
    const outcome = compileCondition(source, path, literals);
    this.issues.push(...(literals ?? []));
    if (!outcome.ok) {
      this.issues.push(...outcome.issues);
      return null;
    }
    // A fallback: the same checks on the normalized form, for what no leaf showed (a literal in a fact leaf's `fact`, say).
    if (literals?.length === 0) for (const message of normalizedLiteralProblems(outcome.value.normalized)) this.report(path, message);
    this.noteAggregates(outcome.value.aggregates);
    return outcome.value;
  }

  value(source: unknown, path: string): CompiledValue | null {
    const literals = this.literalIssues();
    const outcome = compileValue(source, path, literals);
    this.issues.push(...(literals ?? []));
    if (!outcome.ok) {
      this.issues.push(...outcome.issues);
      return null;
    }
    this.noteAggregates(outcome.value.aggregates);
    return outcome.value;
  }

  /**
   * Like `value`, but a string that does not parse as an expression (the
   * lexer or the parser refuses it: `Welcome back!`) is literal text, not an
   * error. One that parses and does not compile (`user.firstName + ' '`, an
   * unknown function) is refused, at its path and position, when admitting;
   * a stored version compiles as it was accepted, such a string as text.
   */
  valueOrLiteral(source: unknown, path: string): { expression: CompiledValue } | { literal: unknown } {
    if (typeof source !== 'string' || !parseExpression(source, path).ok) return { literal: source };
    const literals = this.literalIssues();
    const outcome = compileValue(source, path, literals);
    if (!outcome.ok) {
      if (this.admitting) this.issues.push(...(literals ?? []), ...outcome.issues);
      return { literal: source };
    }
    this.issues.push(...(literals ?? []));
    this.noteAggregates(outcome.value.aggregates);
    return { expression: outcome.value };
  }

  /** Admitting only: where the literal checks report (a stored version compiles as it was accepted, for its running journeys). */
  private literalIssues(): DomainIssue[] | undefined {
    return this.admitting ? [] : undefined;
  }

  private noteAggregates(specs: readonly AggregateSpec[]): void {
    for (const spec of specs) {
      if (!this.aggregates.has(spec.key)) this.aggregates.set(spec.key, spec);
    }
  }
}
