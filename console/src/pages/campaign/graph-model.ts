/**
 * The campaign graph as the console draws it: the API's compiled graph
 * (GET /v1/campaigns/{key}/graph) joined with the funnel (entered and now per
 * state, taken per edge). Pure: no React, no fetching, unit-tested.
 */

import { STRATEGY_WORDS } from '../../../../src/domain/graph/words';
import { amount } from '../../ui/numbers';

export interface ApiGraphNode {
  id: string;
  kind: 'entry' | 'state' | 'end';
  label: string;
  initial: boolean;
  strategy: string | null;
  /** The state's action group's own `if` in words, null without one: when it does not hold, none of the actions is issued (campaign-graph.ts, GraphNode). */
  condition: string | null;
  actions: Array<{ stepId: string; type: string; text: string }>;
  /** The actions with their nested groups, depth first (src/domain/graph/campaign-graph.ts, GraphStepRow). */
  steps: ApiStepRow[];
  temporalUrl: string | null;
}

export interface ApiStepRow {
  stepId: string;
  depth: number;
  kind: 'action' | 'group';
  type: string | null;
  strategy: string | null;
  text: string;
}

/** A row of a state's action tree with the rows nested in it (a group's steps). */
export interface StepItem {
  row: ApiStepRow;
  children: StepItem[];
}

/** The rows (depth first, each with its depth) as the tree they describe: a node draws a group inside a group as a list inside a list. */
export function stepTree(rows: readonly ApiStepRow[]): StepItem[] {
  const top: StepItem[] = [];
  // The open groups' child lists, by depth: a row at depth d goes into the list at d.
  const lists: StepItem[][] = [top];
  for (const row of rows) {
    const item: StepItem = { row, children: [] };
    const depth = Math.min(row.depth, lists.length - 1);
    lists.length = depth + 1;
    lists[depth].push(item);
    if (row.kind === 'group') lists.push(item.children);
  }
  return top;
}

export interface ApiGraphEdge {
  id: string;
  from: string;
  to: string;
  kind: string;
  label: string;
  order: number;
}

export interface ApiGraph {
  nodes: ApiGraphNode[];
  edges: ApiGraphEdge[];
  exitOn: Array<{ eventType: string; condition: string | null; label: string }>;
}

export interface ApiFunnel {
  states: Array<{ state: string; entered: number; current: number }>;
  edges: Array<{ from: string; to: string; count: number }>;
}

/** The funnel's name for the state a path leaves to when exitOn or an operator ends it. */
export const EXITED = '(exited)';

export interface ModelNode extends ApiGraphNode {
  /** Users who ever arrived (the entry: entries into the campaign, re-entries included); null before the funnel loads. */
  entered: number | null;
  /** Journeys there now (per version, summed); null for the entry and before the funnel loads. */
  current: number | null;
  /** What a screen reader says for the node. */
  accessibleName: string;
}

export interface ModelEdge {
  id: string;
  source: string;
  target: string;
  kind: string;
  label: string;
  /** Transitions taken from `source` to `target`; null before the funnel loads. */
  count: number | null;
  /** True when several transitions join the same two states: the funnel counts them together. */
  countShared: boolean;
}

export interface GraphModel {
  nodes: ModelNode[];
  edges: ModelEdge[];
  /** Paths ended by exitOn or an operator, from any state. */
  exited: number | null;
}

const pairKey = (from: string, to: string) => `${from}\u0000${to}`;

export function graphModel(graph: ApiGraph, funnel?: ApiFunnel | null): GraphModel {
  const states = new Map(funnel?.states.map((s) => [s.state, s]) ?? []);
  const taken = new Map<string, number>();
  for (const e of funnel?.edges ?? []) taken.set(pairKey(e.from, e.to), (taken.get(pairKey(e.from, e.to)) ?? 0) + e.count);
  const count = (from: string, to: string) => (funnel ? (taken.get(pairKey(from, to)) ?? 0) : null);

  const pairs = new Map<string, number>();
  for (const e of graph.edges) pairs.set(pairKey(e.from, e.to), (pairs.get(pairKey(e.from, e.to)) ?? 0) + 1);

  const nodes = graph.nodes.map((n): ModelNode => {
    const entered =
      n.kind === 'entry'
        ? funnel
          ? graph.edges.filter((e) => e.from === n.id).reduce((sum, e) => sum + (count(e.from, e.to) ?? 0), 0)
          : null
        : funnel
          ? (states.get(n.id)?.entered ?? 0)
          : null;
    const current = n.kind === 'state' && funnel ? (states.get(n.id)?.current ?? 0) : null;
    return { ...n, entered, current, accessibleName: accessibleName(n, entered, current) };
  });

  const edges = graph.edges.map(
    (e): ModelEdge => ({
      id: e.id,
      source: e.from,
      target: e.to,
      kind: e.kind,
      label: e.label,
      count: count(e.from, e.to),
      countShared: (pairs.get(pairKey(e.from, e.to)) ?? 0) > 1,
    }),
  );

  const exited = funnel ? funnel.edges.filter((e) => e.to === EXITED).reduce((sum, e) => sum + e.count, 0) : null;
  return { nodes, edges, exited };
}

/**
 * What a node's first count counts. A state's is distinct users (the
 * funnel's `entered`); the entry's is the sum of the funnel's edges out of it,
 * every entry counted, so with re-entries allowed it is more than the
 * initial state's users: said as entries, so the gap does not read as users
 * lost at the door.
 */
export function enteredWords(kind: ApiGraphNode['kind'], count: number | null): { word: string; title: string } {
  if (kind !== 'entry') return { word: 'entered', title: 'Distinct users who ever arrived here' };
  return { word: count === 1 ? 'entry' : 'entries', title: 'Entries into the campaign, re-entries included: a user who entered three times counts three' };
}

/** A state's strategy line: "serial: in order", with the group's `if` after it as nested group heads have theirs ("serial: in order if user.vip == true"). */
export function strategyText(strategy: string, condition: string | null = null): string {
  return `${strategy}: ${STRATEGY_WORDS[strategy] ?? strategy}${condition ? ` if ${condition}` : ''}`;
}

/**
 * The line under a state's actions with its group's strategy and `if`, or null when none is drawn. The group's `if`
 * is said even over one action: without it a reward only some users get reads as everyone's.
 */
export function strategyLine(n: Pick<ApiGraphNode, 'strategy' | 'condition' | 'steps'>): string | null {
  return n.strategy && (n.steps.length > 1 || n.condition) ? strategyText(n.strategy, n.condition) : null;
}

function accessibleName(n: ApiGraphNode, entered: number | null, current: number | null): string {
  const what = n.kind === 'entry' ? 'Entry' : n.kind === 'end' ? `End state ${n.label}` : `State ${n.label}`;
  const enteredText = entered === null ? null : n.kind === 'entry' ? `${amount(entered)} ${enteredWords(n.kind, entered).word} (re-entries included)` : `${amount(entered)} entered`;
  const counts = [enteredText, current !== null ? `${amount(current)} there now` : null].filter(Boolean).join(', ');
  const actions = n.actions.length > 0 ? `; actions${n.condition ? ` if ${n.condition}` : ''}: ${actionsInWords(n)}` : '';
  return `${what}${counts ? `, ${counts}` : ''}${actions}`;
}

/**
 * A state's actions as a screen reader says them: each nested group with its
 * strategy and `if` ("group priority: first that succeeds if user.vip == true
 * (coupon from gold; points: 50)"), so a conditional alternative is not heard
 * as unconditional. The flat list when the rows are not there.
 */
function actionsInWords(n: ApiGraphNode): string {
  if (n.steps.length === 0) return n.actions.map((a) => a.text).join('; ');
  const said = (items: StepItem[]): string => items.map((i) => (i.row.kind === 'group' ? `group ${i.row.text} (${said(i.children)})` : i.row.text)).join('; ');
  return said(stepTree(n.steps));
}
