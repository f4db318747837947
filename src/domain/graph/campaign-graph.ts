/**
 * The compiled plan as a drawable graph: the entry, every state with its
 * actions, end states, and one edge per transition target, each labelled in
 * words by what fires it. The console draws this as it is; it never reads
 * transitions out of a raw definition itself (issue 14).
 */
import type { CompiledPlan, CompiledStep, CompiledTransition } from '../compiler/plan';
import type { CompiledCondition } from '../conditions';
import { conditionInWords } from '../conditions/words';
import { durationInWords } from '../durations';
import { cronInWords, instantInWords, shareInWords, STRATEGY_WORDS } from './words';

/** The entry node's id; the funnel's edges from it use the same name. */
export const ENTRY_NODE = '(entry)';

export type GraphNodeKind = 'entry' | 'state' | 'end';
export type GraphEdgeKind = CompiledTransition['kind'] | 'entry';

export interface GraphAction {
  stepId: string;
  type: 'coupon' | 'points' | 'credit' | 'message' | 'webhook';
  /** e.g. "coupon from vip-20-off if user.vip == true", "points: sum('order.completed', 'amount') * 10 from pool loyalty", "coupon from welcome (unless the user holds one)". */
  text: string;
}

/**
 * One row of a state's action tree, in order, depth first: an action, or a
 * nested group (its steps follow it, one level deeper). The top group's
 * steps are at depth 0; its strategy is the node's `strategy`, its `if` the
 * node's `condition`.
 */
export type GraphStepRow =
  | { stepId: string; depth: number; kind: 'action'; type: GraphAction['type']; strategy: null; text: string }
  | { stepId: string; depth: number; kind: 'group'; type: null; strategy: 'parallel' | 'serial' | 'priority'; text: string };

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** The state's name, or "entry". */
  label: string;
  initial: boolean;
  /** How the state's action group runs (parallel, serial, priority); null without actions. */
  strategy: string | null;
  /**
   * The state's action group's own `if`, in words; null without one (or
   * without actions). When it does not hold, none of the state's actions is
   * issued (src/domain/machine/actions.ts), so it is said with the strategy.
   */
  condition: string | null;
  actions: GraphAction[];
  /** The same actions with the groups they sit in: nested groups are how alternatives (priority) and shares (parallel) are told apart. */
  steps: GraphStepRow[];
}

export interface GraphEdge {
  /** `<transition id>` or, for a split, `<transition id>/<branch>`. */
  id: string;
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** What fires it, in words: "order.completed if event.amount > 0", "after 3 days", "50% of users", "at 1 Dec 2026, 09:00 (Asia/Shanghai)". */
  label: string;
  /** First-match order within the state it leaves (0 for the entry). */
  order: number;
}

export interface GraphExit {
  eventType: string;
  condition: string | null;
  label: string;
}

export interface CampaignGraph {
  key: string;
  version: number;
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  exitOn: GraphExit[];
}

export function campaignGraph(plan: CompiledPlan): CampaignGraph {
  const entry: GraphNode = { id: ENTRY_NODE, kind: 'entry', label: 'entry', initial: false, strategy: null, condition: null, actions: [], steps: [] };
  const states = Object.values(plan.states).map(
    (s): GraphNode => ({
      id: s.name,
      kind: s.end ? 'end' : 'state',
      label: s.name,
      initial: s.name === plan.initial,
      strategy: s.actions?.strategy ?? null,
      condition: s.actions?.condition ? words(s.actions.condition) : null,
      actions: s.actions ? actionsOf(s.actions) : [],
      steps: s.actions ? s.actions.steps.flatMap((step) => rowsOf(step, 0)) : [],
    }),
  );
  const edges: GraphEdge[] = [
    { id: ENTRY_NODE, from: ENTRY_NODE, to: plan.initial, kind: 'entry', label: entryLabel(plan), order: 0 },
    ...Object.values(plan.states).flatMap((s) => s.transitions.flatMap((t) => edgesOf(s.name, t, plan.schedule.timezone))),
  ];
  const exitOn = plan.exitOn.map((e) => ({
    eventType: e.eventType,
    condition: e.condition?.text ?? null,
    label: e.condition ? `${e.eventType} if ${words(e.condition)}` : e.eventType,
  }));
  return { key: plan.key, version: plan.version, name: plan.name, nodes: [entry, ...states], edges, exitOn };
}

const words = (c: CompiledCondition) => conditionInWords(c.normalized);

/** A batch entry by its schedule in words and zone ("every Monday at 09:00 (Asia/Shanghai)"); a cron shape without words, as written. */
function entryLabel(plan: CompiledPlan): string {
  const cron = plan.entry.cron;
  const on = cron ? `${cronInWords(cron) ?? `on cron ${cron}`} (${plan.entry.timezone})` : plan.entry.types.join(' or ');
  return plan.entry.condition ? `${on} if ${words(plan.entry.condition)}` : on;
}

/** `timezone`: the campaign's (schedule.timezone, UTC when absent), in which an `at` is said. */
function edgesOf(from: string, t: CompiledTransition, timezone: string): GraphEdge[] {
  const base = { from, order: t.index };
  switch (t.kind) {
    case 'on':
      return [{ ...base, id: t.id, to: t.to, kind: t.kind, label: t.condition ? `${t.eventType} if ${words(t.condition)}` : t.eventType }];
    case 'when':
      return [{ ...base, id: t.id, to: t.to, kind: t.kind, label: `when ${words(t.condition)}` }];
    case 'after':
      return [{ ...base, id: t.id, to: t.to, kind: t.kind, label: `after ${durationInWords(t.duration)}` }];
    case 'at':
      return [{ ...base, id: t.id, to: t.to, kind: t.kind, label: `at ${instantInWords(t.at, timezone)}` }];
    case 'immediate':
      return [{ ...base, id: t.id, to: t.to, kind: t.kind, label: t.condition ? `if ${words(t.condition)}` : 'right away' }];
    case 'split': {
      const total = t.branches.reduce((sum, b) => sum + b.weight, 0);
      return t.branches.map((b, i) => ({ ...base, id: `${t.id}/${i}`, to: b.to, kind: t.kind, label: shareInWords(b.weight, total) }));
    }
  }
}

/** The group's actions depth first, in the order they are listed. */
function actionsOf(step: CompiledStep): GraphAction[] {
  if (step.kind === 'group') return step.steps.flatMap(actionsOf);
  const a = step.action;
  const amount = (x: { literal: number } | { expression: { text: string } }) => ('literal' in x ? String(x.literal) : x.expression.text);
  // The pool and unlessHolding change what is issued, so they are said: the diff compares versions by this text.
  const fromPool = (pool: string | null) => (pool === null ? '' : ` from pool ${pool}`);
  const what =
    a.type === 'coupon'
      ? `coupon from ${a.pool}${a.unlessHolding ? ' (unless the user holds one)' : ''}`
      : a.type === 'points'
        ? `points: ${amount(a.amount)}${fromPool(a.pool)}`
        : a.type === 'credit'
          ? `credit: ${amount(a.amount)} ${a.currency}${fromPool(a.pool)}`
          : a.type === 'message'
            ? `${a.channel} message "${a.template}"`
            : `webhook ${hostOf(a.url)}`;
  return [{ stepId: step.stepId, type: a.type, text: step.condition ? `${what} if ${words(step.condition)}` : what }];
}

/** A step and, for a group, its steps after it one level deeper. */
function rowsOf(step: CompiledStep, depth: number): GraphStepRow[] {
  if (step.kind === 'group') {
    const how = `${step.strategy}: ${STRATEGY_WORDS[step.strategy]}`;
    const head: GraphStepRow = { stepId: step.stepId, depth, kind: 'group', type: null, strategy: step.strategy, text: step.condition ? `${how} if ${words(step.condition)}` : how };
    return [head, ...step.steps.flatMap((s) => rowsOf(s, depth + 1))];
  }
  const [action] = actionsOf(step);
  return [{ stepId: action.stepId, depth, kind: 'action', type: action.type, strategy: null, text: action.text }];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
