/**
 * What changed between two versions of a campaign, over their compiled graphs
 * (GET /v1/campaigns/{key}/graph?version=…): every state and transition of
 * either version, marked added, removed, changed or the same, with the change
 * in words. Pure: no React, no fetching, unit-tested.
 */
import type { ApiGraph, ApiGraphEdge, ApiGraphNode } from '../campaign/graph-model';

export type Change = 'added' | 'removed' | 'changed' | 'same';

export interface DiffNode {
  id: string;
  kind: ApiGraphNode['kind'];
  label: string;
  initial: boolean;
  /** The actions as the newer version has them (the older one's for a removed state). */
  actions: ApiGraphNode['actions'];
  change: Change;
  /** What changed, in words ("now an end state", "+ 50 points"). */
  notes: string[];
}

export interface DiffEdge {
  /** Stable across the two versions: the two states and which of the transitions between them. */
  id: string;
  source: string;
  target: string;
  kind: string;
  label: string;
  /** The older label when the transition changed. */
  before: string | null;
  change: Change;
}

export interface GraphDiff {
  nodes: DiffNode[];
  edges: DiffEdge[];
  exitOn: Array<{ label: string; change: 'added' | 'removed' | 'same' }>;
  /** States and transitions per change, for the summary line. */
  counts: Record<Exclude<Change, 'same'>, number>;
}

/**
 * Transitions have no name, so one is matched with the transition between the
 * same two states at the same rank among them (in first-match order): a
 * condition edited in place is "changed", a transition to another state is
 * one removed and one added.
 */
function keyed(edges: ApiGraphEdge[]): Map<string, ApiGraphEdge> {
  const seen = new Map<string, number>();
  const out = new Map<string, ApiGraphEdge>();
  for (const e of [...edges].sort((a, b) => a.from.localeCompare(b.from) || a.order - b.order || a.id.localeCompare(b.id))) {
    const pair = `${e.from}→${e.to}`;
    const n = seen.get(pair) ?? 0;
    seen.set(pair, n + 1);
    out.set(`${pair}#${n}`, e);
  }
  return out;
}

function nodeNotes(a: ApiGraphNode, b: ApiGraphNode): string[] {
  const notes: string[] = [];
  if (a.kind !== b.kind) notes.push(b.kind === 'end' ? 'now an end state' : 'no longer an end state');
  if (a.initial !== b.initial) notes.push(b.initial ? 'now the initial state' : 'no longer the initial state');
  const before = a.actions.map((x) => x.text);
  const after = b.actions.map((x) => x.text);
  for (const t of after) if (!before.includes(t)) notes.push(`+ ${t}`);
  for (const t of before) if (!after.includes(t)) notes.push(`− ${t}`);
  if (before.length === after.length && before.every((t) => after.includes(t)) && before.join('\n') !== after.join('\n')) notes.push('actions reordered');
  if (a.strategy !== b.strategy && a.actions.length > 0 && b.actions.length > 0) notes.push(`strategy ${a.strategy ?? 'none'} → ${b.strategy ?? 'none'}`);
  return notes;
}

export function graphDiff(before: ApiGraph, after: ApiGraph): GraphDiff {
  const older = new Map(before.nodes.map((n) => [n.id, n]));
  const newer = new Map(after.nodes.map((n) => [n.id, n]));
  const nodes: DiffNode[] = [];
  // The newer version's order, then what it dropped.
  for (const b of after.nodes) {
    const a = older.get(b.id);
    const notes = a ? nodeNotes(a, b) : [];
    nodes.push({ id: b.id, kind: b.kind, label: b.label, initial: b.initial, actions: b.actions, change: !a ? 'added' : notes.length > 0 ? 'changed' : 'same', notes });
  }
  for (const a of before.nodes) {
    if (!newer.has(a.id)) nodes.push({ id: a.id, kind: a.kind, label: a.label, initial: a.initial, actions: a.actions, change: 'removed', notes: [] });
  }

  const olderEdges = keyed(before.edges);
  const newerEdges = keyed(after.edges);
  const edges: DiffEdge[] = [];
  for (const [id, b] of newerEdges) {
    const a = olderEdges.get(id);
    const changed = a !== undefined && (a.label !== b.label || a.kind !== b.kind);
    edges.push({ id, source: b.from, target: b.to, kind: b.kind, label: b.label, before: changed ? a.label : null, change: !a ? 'added' : changed ? 'changed' : 'same' });
  }
  for (const [id, a] of olderEdges) {
    if (!newerEdges.has(id)) edges.push({ id, source: a.from, target: a.to, kind: a.kind, label: a.label, before: null, change: 'removed' });
  }

  const exitBefore = new Set(before.exitOn.map((e) => e.label));
  const exitAfter = new Set(after.exitOn.map((e) => e.label));
  const exitOn = [
    ...after.exitOn.map((e) => ({ label: e.label, change: exitBefore.has(e.label) ? ('same' as const) : ('added' as const) })),
    ...before.exitOn.filter((e) => !exitAfter.has(e.label)).map((e) => ({ label: e.label, change: 'removed' as const })),
  ];

  const counts = { added: 0, removed: 0, changed: 0 };
  for (const x of [...nodes, ...edges]) if (x.change !== 'same') counts[x.change] += 1;
  return { nodes, edges, exitOn, counts };
}
