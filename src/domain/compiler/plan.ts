/**
 * The compiled plan: what the journey machine runs. A plan is immutable and
 * pinned per campaign version (DESIGN.md decision 3); it is built once per
 * version and cached, so everything the machine needs per event (transitions
 * by event type, parsed durations, compiled conditions) is precomputed here.
 */
import type { Campaign, PoolKind, Strategy } from '../campaign/schema';
import type { AggregateSpec, CompiledCondition, CompiledValue } from '../conditions';
import type { Duration } from '../durations';

export interface CompiledPlan {
  readonly key: string;
  readonly version: number;
  readonly name: string;
  /** Event types that start journeys (routed with signalWithStart). */
  readonly entryTypes: readonly string[];
  /** Event types running journeys wait for: `on` transitions, exitOn, and every type an aggregate reads. */
  readonly listenTypes: readonly string[];
  readonly entry: CompiledEntry;
  readonly audience: CompiledCondition | null;
  readonly schedule: CompiledSchedule;
  readonly participation: CompiledParticipation;
  readonly exitOn: readonly CompiledExit[];
  readonly initial: string;
  readonly states: Readonly<Record<string, CompiledState>>;
  /** Every aggregate any condition or value of the plan reads, by `AggregateSpec.key`. */
  readonly aggregates: Readonly<Record<string, AggregateSpec>>;
  readonly summary: PlanSummary;
  /** The validated definition the plan was compiled from (defaults applied). */
  readonly definition: Campaign;
}

export interface PlanSummary {
  readonly key: string;
  readonly version: number;
  readonly name: string;
  readonly states: readonly string[];
  readonly endStates: readonly string[];
  readonly initial: string;
  readonly entryTypes: readonly string[];
  readonly entryCron: string | null;
  readonly listenTypes: readonly string[];
  readonly actions: number;
  readonly transitions: number;
  readonly pools: readonly string[];
}

export interface CompiledEntry {
  readonly types: readonly string[];
  readonly condition: CompiledCondition | null;
  readonly cron: string | null;
  readonly timezone: string;
}

export interface CompiledSchedule {
  /** Epoch ms, inclusive; null = no bound. */
  readonly startsAt: number | null;
  readonly endsAt: number | null;
  readonly timezone: string;
  readonly quietHours: QuietHoursWindow | null;
}

/** Minutes after local midnight; `from > to` wraps past midnight (22:00-08:00). */
export interface QuietHoursWindow {
  readonly fromMinute: number;
  readonly toMinute: number;
  readonly text: string;
}

export interface CompiledParticipation {
  readonly maxEntries: number;
  readonly cooldown: Duration | null;
  readonly frequency: { readonly max: number; readonly per: Duration } | null;
  readonly mode: 'serial' | 'parallel';
  /** Paths active at once; 1 in serial mode, null = unlimited. */
  readonly maxActive: number | null;
}

export interface CompiledExit {
  readonly index: number;
  readonly eventType: string;
  readonly condition: CompiledCondition | null;
}

/**
 * Transitions one input may cause before the machine stops the path where it
 * is: a guard against conditions firing back and forth. The compiler refuses
 * a chain of immediate transitions longer than this, which would stop short.
 */
export const MAX_TRANSITIONS_PER_INPUT = 64;

export type TransitionKind = 'on' | 'when' | 'after' | 'at' | 'immediate' | 'split';

interface TransitionBase {
  /** Position in the state's list: the first-match order. */
  readonly index: number;
  /** Explicit id, or `<state>#<index>`. */
  readonly id: string;
  readonly kind: TransitionKind;
  /** One line for traces and timer summaries, e.g. "collecting → nudged after P3D". */
  readonly text: string;
}

export interface OnTransition extends TransitionBase {
  readonly kind: 'on';
  readonly to: string;
  readonly eventType: string;
  readonly condition: CompiledCondition | null;
}
export interface WhenTransition extends TransitionBase {
  readonly kind: 'when';
  readonly to: string;
  readonly condition: CompiledCondition;
}
export interface AfterTransition extends TransitionBase {
  readonly kind: 'after';
  readonly to: string;
  readonly duration: Duration;
}
export interface AtTransition extends TransitionBase {
  readonly kind: 'at';
  readonly to: string;
  /** Epoch ms. */
  readonly at: number;
}
export interface ImmediateTransition extends TransitionBase {
  readonly kind: 'immediate';
  readonly to: string;
  readonly condition: CompiledCondition | null;
}
export interface SplitTransition extends TransitionBase {
  readonly kind: 'split';
  readonly branches: ReadonlyArray<{ readonly to: string; readonly weight: number }>;
}

export type CompiledTransition =
  | OnTransition
  | WhenTransition
  | AfterTransition
  | AtTransition
  | ImmediateTransition
  | SplitTransition;

export interface CompiledState {
  readonly name: string;
  readonly end: boolean;
  readonly actions: CompiledGroup | null;
  readonly transitions: readonly CompiledTransition[];
  /** Indices of `on` transitions by event type, in order. */
  readonly onByType: Readonly<Record<string, readonly number[]>>;
  /** True when the state has transitions that fire without waiting (immediate or split). */
  readonly hasImmediate: boolean;
  /** Indices of `after` and `at` transitions: they need timers. */
  readonly timed: readonly number[];
}

export type CompiledStep = CompiledGroup | CompiledAction;

export interface CompiledGroup {
  readonly kind: 'group';
  readonly stepId: string;
  readonly strategy: Strategy;
  readonly condition: CompiledCondition | null;
  readonly steps: readonly CompiledStep[];
}

export interface CompiledAction {
  readonly kind: 'action';
  readonly stepId: string;
  readonly condition: CompiledCondition | null;
  readonly action: CompiledActionSpec;
}

/** An action with its expressions compiled; the machine evaluates them when the step runs. */
export type CompiledActionSpec =
  | { readonly type: 'coupon'; readonly pool: string; readonly unlessHolding: boolean }
  | { readonly type: 'points'; readonly amount: CompiledAmount; readonly pool: string | null }
  | { readonly type: 'credit'; readonly amount: CompiledAmount; readonly currency: string; readonly pool: string | null }
  | {
      readonly type: 'message';
      readonly channel: 'push' | 'sms' | 'email' | 'inapp';
      readonly template: string;
      readonly data: Readonly<Record<string, CompiledDataValue>>;
    }
  | { readonly type: 'webhook'; readonly url: string; readonly body: unknown };

export type CompiledAmount = { readonly literal: number } | { readonly expression: CompiledValue };
export type CompiledDataValue = { readonly literal: unknown } | { readonly expression: CompiledValue };

export const REWARD_ACTIONS: ReadonlySet<string> = new Set(['coupon', 'points', 'credit']);

export function isReward(spec: CompiledActionSpec): spec is Extract<CompiledActionSpec, { type: 'coupon' | 'points' | 'credit' }> {
  return REWARD_ACTIONS.has(spec.type);
}

export function poolKindOf(spec: CompiledActionSpec): PoolKind | null {
  return spec.type === 'coupon' || spec.type === 'points' || spec.type === 'credit' ? spec.type : null;
}
