/**
 * What the compiler passes around while it walks a campaign: the issues found
 * so far, and the aggregates, pools and step ids seen, so that one walk both
 * validates and builds the plan.
 */
import type { PoolKind } from '../campaign/schema';
import {
  compileCondition,
  compileValue,
  literalProblems,
  parseExpression,
  type AggregateSpec,
  type CompiledCondition,
  type CompiledValue,
} from '../conditions';
import { normalizedLiteralProblems } from '../conditions/literal-issues';
import type { Syn } from '../conditions/syntax';
import type { DomainIssue } from '../issues';
import { misreadPropertyIssues } from './aggregate-properties';

const FACT_ROOTS: ReadonlySet<string> = new Set(['event', 'user', 'journey']);

/**
 * Whether a message data value that does not compile is a name that only
 * looks like a fact: a dotted name whose root is none (`promo.png`,
 * `settings.notifications`) or a root word alone (`user`, `event`). Such a
 * value is sent as written, as it always was.
 */
function isTextName(syn: Syn): boolean {
  if (syn.kind !== 'name') return false;
  const [root, ...rest] = syn.segments;
  return rest.length === 0 ? FACT_ROOTS.has(root) : !FACT_ROOTS.has(root);
}

/** `issue`, saying how to send the data value `source` as written: quoted, as an expression string (`"'promo.png'"`). */
function sendAsWritten(issue: DomainIssue, source: string): DomainIssue {
  const quoted = `'${source.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return { ...issue, message: `${issue.message}; to send this text as written, quote it: ${JSON.stringify(quoted)}` };
}

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
    this.noteAggregates(outcome.value.aggregates, path, source);
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
    this.noteAggregates(outcome.value.aggregates, path, source);
    return outcome.value;
  }

  /**
   * Like `value`, but a string that does not parse as an expression (the
   * lexer or the parser refuses it: `Welcome back!`) is literal text, not an
   * error, and so is a dotted name with no fact root (`promo.png`,
   * `order.completed`) or a lone root word (`user`): ordinary payload text,
   * sent as written. Any other string that parses and does not compile
   * (`user.firstName + ' '`, an unknown function) is refused, at its path
   * and position, when admitting, each issue saying how to send the text as
   * written (quoted); a stored version compiles as it was accepted, such a
   * string as text.
   */
  valueOrLiteral(source: unknown, path: string): { expression: CompiledValue } | { literal: unknown } {
    if (typeof source !== 'string') return { literal: source };
    const parsed = parseExpression(source, path);
    if (!parsed.ok) return { literal: source };
    // The literal checks of a data value, with data's wording (what NotationReader would run on this one string).
    const literals = this.admitting ? literalProblems(source, 'data').map(({ message, position }): DomainIssue => ({ path, message, position })) : [];
    const outcome = compileValue(source, path);
    if (!outcome.ok) {
      if (this.admitting && !isTextName(parsed.syn)) this.issues.push(...[...literals, ...outcome.issues].map((issue) => sendAsWritten(issue, source)));
      return { literal: source };
    }
    this.issues.push(...literals.map((issue) => sendAsWritten(issue, source)));
    this.noteAggregates(outcome.value.aggregates, path, source);
    return { expression: outcome.value };
  }

  /** Admitting only: where the literal checks report (a stored version compiles as it was accepted, for its running journeys). */
  private literalIssues(): DomainIssue[] | undefined {
    return this.admitting ? [] : undefined;
  }

  /** `path`, `source`: where the aggregates are written, for the admitting checks on them. */
  private noteAggregates(specs: readonly AggregateSpec[], path: string, source: unknown): void {
    if (this.admitting) this.issues.push(...misreadPropertyIssues(specs, path, source));
    for (const spec of specs) {
      if (!this.aggregates.has(spec.key)) this.aggregates.set(spec.key, spec);
    }
  }
}
