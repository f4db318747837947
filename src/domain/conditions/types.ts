/**
 * The contract of the condition language (CAMPAIGNS.md, "Conditions").
 * The compiler and the journey machine depend on these types only; the
 * implementation behind `conditions/index.ts` may change freely.
 */
import type { DomainIssue } from '../issues';
import type { Cond, StaticType } from './ast';

/** The event currently being handled, as conditions see it. `event.<property>` reads `properties`. */
export interface EventFacts {
  id: string;
  type: string;
  occurredAt: string;
  properties: Readonly<Record<string, unknown>>;
}

export interface JourneyFacts {
  enteredAt: string | null;
  stateEnteredAt: string | null;
  entries: number;
}

/**
 * Everything a condition can read. Time comes from the caller (workflow time),
 * never from the clock, so evaluation is deterministic and replay-safe.
 */
export interface FactContext {
  event: EventFacts | null;
  user: Readonly<Record<string, unknown>>;
  journey: JourneyFacts;
  /** Epoch milliseconds. */
  now: number;
  /** IANA zone for `monthDay` and day arithmetic; UTC when absent. */
  timezone?: string;
  /** The current value of an aggregate, by `AggregateSpec.key`; null when nothing was seen. */
  aggregate(key: string): unknown;
  /**
   * Whether a computed number reads as the decimal it stands for where that differs from its double
   * (decimalReading); absent: it does. A journey asks patch decimal-readings here, the first time it matters.
   */
  decimals?: () => boolean;
}

/** The aggregate functions the compiler knows (the vocabulary endpoint and the editor's completion read this list). */
export const AGGREGATE_FUNCTIONS = ['count', 'sum', 'min', 'max', 'avg', 'distinct'] as const;
export type AggregateFn = (typeof AGGREGATE_FUNCTIONS)[number];

/** Every function an expression may call: the aggregates, then the condition and time functions. */
export const CONDITION_FUNCTIONS: readonly string[] = [...AGGREGATE_FUNCTIONS, 'atLeast', 'exists', 'now', 'daysSince', 'monthDay'];

/**
 * One aggregate a condition reads, e.g. `sum('order.completed', 'amount')`.
 * The journey machine keeps, per aggregate key, the contribution of each event
 * received since the state was entered (so a cancelled event can be removed),
 * and answers `FactContext.aggregate(key)` with `reduceAggregate`.
 */
export interface AggregateSpec {
  /** Canonical text, equal for equal aggregates across conditions of one plan. */
  key: string;
  fn: AggregateFn;
  eventType: string;
  /** Property read from `event.properties` (sum/min/max/avg/distinct). */
  property?: string;
  /** For `count('type', <condition>)`: evaluated with `event` = the aggregated event. */
  filter?: CompiledCondition;
}

/** Why a condition did or did not hold, for the journey's decision trace. */
export interface ConditionTrace {
  result: boolean;
  /** Human-readable text of the condition (normalized). */
  text: string;
  /** The failing (or, for a holding condition, deciding) leaves with the values they saw. */
  leaves: Array<{ text: string; result: boolean; values: Record<string, unknown> }>;
}

export interface CompiledCondition {
  /** The normalized form all three notations compile to (JSON-serializable). */
  readonly normalized: Cond;
  readonly text: string;
  readonly aggregates: readonly AggregateSpec[];
  evaluate(ctx: FactContext): boolean;
  explain(ctx: FactContext): ConditionTrace;
}

/** A value expression: `sum('order.completed', 'amount') * 10`, a message data value. */
export interface CompiledValue {
  readonly text: string;
  readonly aggregates: readonly AggregateSpec[];
  evaluate(ctx: FactContext): unknown;
  /** What it is known to give before any fact is read ('any' for a fact); absent for a JSON constant. */
  readonly staticType?: StaticType;
  /** It reads no fact, aggregate or clock: it gives the same value every time, so it can be checked once, when compiled. */
  readonly constant?: boolean;
}

export type CompileOutcome<T> = { ok: true; value: T } | { ok: false; issues: DomainIssue[] };
