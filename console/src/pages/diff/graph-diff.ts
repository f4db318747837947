/**
 * What changed between two versions of a campaign, over their compiled graphs
 * (GET /v1/campaigns/{key}/graph?version=…): every state and transition of
 * either version, marked added, removed, changed or the same, with the change
 * in words. Pure: no React, no fetching, unit-tested.
 */
import { STRATEGY_WORDS } from '../../../../src/domain/graph/words';
import type { ApiGraph, ApiGraphEdge, ApiGraphNode, ApiStepRow } from '../campaign/graph-model';

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
  /**
   * When the transition now comes before or after another of its state's in
   * first-match order, which the first that fires decides: "now checked
   * before → app". Null when its place among them is as it was.
   */
  moved: string | null;
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
  notes.push(...stepNotes(rowsOf(a), rowsOf(b)));
  if (a.strategy !== b.strategy && a.actions.length > 0 && b.actions.length > 0) notes.push(`strategy ${a.strategy ?? 'none'} → ${b.strategy ?? 'none'}`);
  // The state's own group's `if`: when it does not hold none of the actions is issued, though every action reads the same.
  const [ifA, ifB] = [a.condition ?? null, b.condition ?? null];
  if (ifA !== ifB) notes.push(ifA === null ? `actions: + if ${ifB}` : ifB === null ? `actions: − if ${ifA}` : `actions: if ${ifA} → if ${ifB}`);
  return notes;
}

/**
 * The transitions matched in both versions whose place in their state's
 * first-match order moved, each with what it now comes before or after:
 * "now checked before → app". The fewest are marked, those outside the
 * longest run of transitions kept in the same order (a swap of two marks one,
 * the other named in its note). Branches of one split share their order and
 * are never said to move against each other.
 */
function movedEdges(matched: Array<{ id: string; a: ApiGraphEdge; b: ApiGraphEdge }>, sharedPairs: Set<string>): Map<string, string> {
  const moved = new Map<string, string>();
  const byState = new Map<string, typeof matched>();
  for (const m of matched) byState.set(m.b.from, [...(byState.get(m.b.from) ?? []), m]);
  for (const list of byState.values()) {
    const seq = [...list].sort((x, y) => x.b.order - y.b.order || x.a.order - y.a.order || x.id.localeCompare(y.id));
    // Longest run whose older orders do not go down; of equal runs the one of later transitions is kept, so the ones that jumped ahead are marked.
    const best = seq.map(() => 1);
    const prev = seq.map(() => -1);
    let end = -1;
    for (let i = 0; i < seq.length; i++) {
      for (let j = 0; j < i; j++) {
        if (seq[j].a.order <= seq[i].a.order && best[j] + 1 >= best[i]) [best[i], prev[i]] = [best[j] + 1, j];
      }
      if (end < 0 || best[i] >= best[end]) end = i;
    }
    const kept = new Set<number>();
    for (let i = end; i >= 0; i = prev[i]) kept.add(i);
    seq.forEach((e, i) => {
      if (kept.has(i)) return;
      const name = (f: (typeof seq)[number]) => `→ ${f.b.to}${sharedPairs.has(`${f.b.from}→${f.b.to}`) ? ` (${f.b.label})` : ''}`;
      const nowBefore = seq.filter((f) => e.b.order < f.b.order && e.a.order > f.a.order).map(name);
      const nowAfter = seq.filter((f) => e.b.order > f.b.order && e.a.order < f.a.order).map(name);
      const said = [nowBefore.length > 0 ? `now checked before ${nowBefore.join(', ')}` : '', nowAfter.length > 0 ? `now checked after ${nowAfter.join(', ')}` : ''];
      moved.set(e.id, said.filter(Boolean).join('; '));
    });
  }
  return moved;
}

/** A row of a state's action tree as compared: the API's row, and for a group its number among the state's groups (1 first). */
type Row = ApiStepRow & { group: number | null };

function rowsOf(n: ApiGraphNode): Row[] {
  let groups = 0;
  return n.steps.map((s) => ({ ...s, group: s.kind === 'group' ? ++groups : null }));
}

/** Two rows are the same step when they say the same at the same depth (step ids are positions, not names). */
const rowKey = (r: ApiStepRow) => `${r.depth}\u0000${r.kind}\u0000${r.text}`;

/** The rows of `rows` left over once each is matched with one equal row of `other`: two equal actions becoming one is one removed. */
function unmatched(rows: Row[], other: Row[]): Row[] {
  const left = new Map<string, number>();
  for (const r of other) left.set(rowKey(r), (left.get(rowKey(r)) ?? 0) + 1);
  return rows.filter((r) => {
    const n = left.get(rowKey(r)) ?? 0;
    left.set(rowKey(r), n - 1);
    return n <= 0;
  });
}

/** Takes out of `rows` the first row `match` accepts. */
function takeFirst<T>(rows: T[], match: (r: T) => boolean): T | undefined {
  const i = rows.findIndex(match);
  return i < 0 ? undefined : rows.splice(i, 1)[0];
}

/**
 * What changed in a state's action tree, in words. The groups are compared
 * too, not just the actions in them: a nested group going from priority (the
 * first reward that succeeds) to parallel (all of them) changes what is given
 * while every action reads the same.
 */
function stepNotes(before: Row[], after: Row[]): string[] {
  const removed = unmatched(before, after);
  const added = unmatched(after, before);
  if (removed.length === 0 && added.length === 0) {
    if (before.map(rowKey).join('\n') === after.map(rowKey).join('\n')) return [];
    return [before.some((r) => r.kind === 'group') || after.some((r) => r.kind === 'group') ? 'actions reordered or moved between groups' : 'actions reordered'];
  }
  const notes: string[] = [];
  // A group at the same depth on both sides whose heading changed: its strategy or its `if`.
  for (const b of added.filter((r) => r.kind === 'group')) {
    const a = takeFirst(removed, (r) => r.kind === 'group' && r.depth === b.depth);
    if (!a) continue;
    added.splice(added.indexOf(b), 1);
    notes.push(...groupChanges(a, b));
  }
  // The same action at another depth: moved into or out of a nested group.
  for (const b of added.filter((r) => r.kind === 'action')) {
    const a = takeFirst(removed, (r) => r.kind === 'action' && r.text === b.text);
    if (!a) continue;
    added.splice(added.indexOf(b), 1);
    notes.push(`${b.text}: moved ${b.depth > a.depth ? 'into' : 'out of'} a nested group`);
  }
  const said = (r: Row) => (r.kind === 'group' ? `group: ${r.text}` : r.text);
  return [...notes, ...added.map((r) => `+ ${said(r)}`), ...removed.map((r) => `− ${said(r)}`)];
}

/** "group 1: priority → parallel", "group 1: + if user.vip == true". */
function groupChanges(a: Row, b: Row): string[] {
  const name = `group ${b.group ?? '?'}`;
  const [ifA, ifB] = [groupCondition(a), groupCondition(b)];
  // A heading this does not read (no strategy in words before the `if`): both said as they are, rather than a guess.
  if (ifA === undefined || ifB === undefined) return [`${name}: ${a.text} → ${b.text}`];
  const notes: string[] = [];
  if (a.strategy !== b.strategy) notes.push(`${name}: ${a.strategy ?? 'none'} → ${b.strategy ?? 'none'}`);
  if (ifA !== ifB) notes.push(ifA === null ? `${name}: + if ${ifB}` : ifB === null ? `${name}: − if ${ifA}` : `${name}: if ${ifA} → if ${ifB}`);
  return notes;
}

/** A group row's `if` (null without one), read after its strategy in words as the API writes it; undefined when the text is not of that form. */
function groupCondition(r: ApiStepRow): string | null | undefined {
  const how = `${r.strategy ?? ''}: ${STRATEGY_WORDS[r.strategy ?? ''] ?? r.strategy ?? ''}`;
  if (r.text === how) return null;
  return r.text.startsWith(`${how} if `) ? r.text.slice(how.length + ' if '.length) : undefined;
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
  const matched = [...newerEdges].flatMap(([id, b]) => {
    const a = olderEdges.get(id);
    return a ? [{ id, a, b }] : [];
  });
  const sharedPairs = new Set([...newerEdges.keys()].filter((id) => !id.endsWith('#0')).map((id) => id.slice(0, id.lastIndexOf('#'))));
  const moved = movedEdges(matched, sharedPairs);
  const edges: DiffEdge[] = [];
  for (const [id, b] of newerEdges) {
    const a = olderEdges.get(id);
    const relabelled = a !== undefined && (a.label !== b.label || a.kind !== b.kind);
    const change = !a ? 'added' : relabelled || moved.has(id) ? 'changed' : 'same';
    edges.push({ id, source: b.from, target: b.to, kind: b.kind, label: b.label, before: relabelled ? a.label : null, moved: moved.get(id) ?? null, change });
  }
  for (const [id, a] of olderEdges) {
    if (!newerEdges.has(id)) edges.push({ id, source: a.from, target: a.to, kind: a.kind, label: a.label, before: null, moved: null, change: 'removed' });
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
