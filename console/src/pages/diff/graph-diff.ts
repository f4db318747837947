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
   * When the transition now comes before or after another of its state's
   * that may be checked for the same input (the first that fires wins): "now
   * checked before → app". Null when its place among them is as it was.
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

/** A transition matched in both versions: `a` the older, `b` the newer. */
interface Matched {
  id: string;
  a: ApiGraphEdge;
  b: ApiGraphEdge;
}

/** Transitions by state, then in the order they are checked (first match wins). */
const byFirstMatch = (x: ApiGraphEdge, y: ApiGraphEdge) => x.from.localeCompare(y.from) || x.order - y.order || x.id.localeCompare(y.id);

/** A transition's text in a diff: its label (what it was before, if edited) and how it moved among its competitors. */
export function edgeChangeText(e: Pick<DiffEdge, 'label' | 'before' | 'moved'>): string {
  return `${e.before ? `${e.before} → ${e.label}` : e.label}${e.moved ? ` (${e.moved})` : ''}`;
}

/**
 * Transitions have no name, so those between the same two states are matched
 * first by what fires them (the same kind and label is the same transition,
 * whatever its rank), and what is left by its rank among them (in
 * first-match order): a condition edited in place is "changed", a
 * transition to another state is one removed and one added, and removing or
 * adding one of two between the same states leaves the other as it was. The
 * id is the pair and the newer version's rank (a removed one's comes after
 * them).
 */
function matchEdges(before: ApiGraphEdge[], after: ApiGraphEdge[]): { matched: Matched[]; added: Array<{ id: string; b: ApiGraphEdge }>; removed: Array<{ id: string; a: ApiGraphEdge }>; sharedPairs: Set<string>; severalPairs: Set<string> } {
  const pairOf = (e: ApiGraphEdge) => `${e.from}→${e.to}`;
  const inOrder = (edges: ApiGraphEdge[]) => [...edges].sort(byFirstMatch);
  const older = new Map<string, ApiGraphEdge[]>();
  for (const a of inOrder(before)) older.set(pairOf(a), [...(older.get(pairOf(a)) ?? []), a]);
  const newer = new Map<string, ApiGraphEdge[]>();
  for (const b of inOrder(after)) newer.set(pairOf(b), [...(newer.get(pairOf(b)) ?? []), b]);
  // Pairs with more than one transition in either version: there a match by rank is a guess.
  const severalPairs = new Set([...older, ...newer].filter(([, edges]) => edges.length > 1).map(([pair]) => pair));
  const matched: Matched[] = [];
  const added: Array<{ id: string; b: ApiGraphEdge }> = [];
  for (const [pair, news] of newer) {
    const left = [...(older.get(pair) ?? [])];
    const partner = news.map((b) => takeFirst(left, (a) => a.kind === b.kind && a.label === b.label));
    news.forEach((b, rank) => {
      const a = partner[rank] ?? left.shift();
      if (a) matched.push({ id: `${pair}#${rank}`, a, b });
      else added.push({ id: `${pair}#${rank}`, b });
    });
    older.set(pair, left);
  }
  const removed = [...older].flatMap(([pair, left]) => left.map((a, k) => ({ id: `${pair}#${(newer.get(pair)?.length ?? 0) + k}`, a })));
  const sharedPairs = new Set([...newer].filter(([, news]) => news.length > 1).map(([pair]) => pair));
  return { matched, added, removed, sharedPairs, severalPairs };
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
 * Which inputs a transition is checked on, as the journey machine picks its
 * candidates (src/domain/machine/transitions.ts): an `on` only on an event of
 * its type; a branch or split only on arrival; a `when`, and a timer once due,
 * on every input (arrival, any event, a timer, aggregates changed). "any" for
 * these last.
 */
function lane(e: ApiGraphEdge): string {
  if (e.kind === 'on') return `on ${e.label.split(' ')[0]}`; // the label starts with the event type, which has no space
  return e.kind === 'immediate' || e.kind === 'split' ? 'arrival' : 'any';
}

/** Whether the two may be candidates for one input, so that which comes first can decide which fires. */
const compete = (x: ApiGraphEdge, y: ApiGraphEdge) => lane(x) === lane(y) || lane(x) === 'any' || lane(y) === 'any';

/** Whether the two are checked the other way round in the newer version (branches of one split share their order, and never are). */
const swapped = (x: Matched, y: Matched) => (x.b.order < y.b.order && x.a.order > y.a.order) || (x.b.order > y.b.order && x.a.order < y.a.order);

/** Of two sets of positions, whether `x` is the better to keep: the larger, and of equal ones the one of later transitions (so the ones that jumped ahead are marked). */
function betterKept(x: number[], y: number[]): boolean {
  if (x.length !== y.length) return x.length > y.length;
  const [dx, dy] = [[...x].sort((p, q) => q - p), [...y].sort((p, q) => q - p)];
  const i = dx.findIndex((p, k) => p !== dy[k]);
  return i >= 0 && dx[i] > dy[i];
}

const best = (options: number[][]): number[] => options.reduce((x, y) => (betterKept(y, x) ? y : x), []);

/**
 * The most of `seq` (one state's transitions in the newer order) to leave
 * unmarked with no two of them that compete checked the other way round.
 * Those checked on every input ("any") compete with all: the kept ones of
 * them are in order, and between two in a row of them (or before the first,
 * after the last) each other lane keeps its longest run in order, lanes being
 * free of each other.
 */
function keptInOrder(seq: Matched[]): Set<number> {
  const positions = seq.map((_, i) => i);
  const anyLane = positions.filter((i) => lane(seq[i].b) === 'any');
  /** The longest run of `among` (positions, ascending) whose older orders do not go down. */
  const run = (among: number[]): number[] => {
    const ending: number[][] = [];
    among.forEach((p, i) => (ending[i] = [...best(among.slice(0, i).flatMap((q, j) => (seq[q].a.order <= seq[p].a.order ? [ending[j]] : []))), p]));
    return best(ending);
  };
  /** The others between two kept "any" ones (null: the start or the end), each lane its longest run. */
  const between = (lo: number | null, hi: number | null): number[] => {
    const inside = positions.filter((p) => lane(seq[p].b) !== 'any' && (lo === null || (p > lo && !swapped(seq[p], seq[lo]))) && (hi === null || (p < hi && !swapped(seq[p], seq[hi]))));
    const lanes = new Map<string, number[]>();
    for (const p of inside) lanes.set(lane(seq[p].b), [...(lanes.get(lane(seq[p].b)) ?? []), p]);
    return [...lanes.values()].flatMap(run);
  };
  // upTo[k]: the best kept up to and with anyLane[k] as the last kept "any" one.
  const upTo: number[][] = [];
  anyLane.forEach((p, k) => {
    const from = [between(null, p), ...anyLane.slice(0, k).flatMap((q, j) => (swapped(seq[q], seq[p]) ? [] : [[...upTo[j], ...between(q, p)]]))];
    upTo[k] = [...best(from), p];
  });
  return new Set(best([between(null, null), ...anyLane.map((q, k) => [...upTo[k], ...between(q, null)])]));
}

/**
 * The transitions matched in both versions whose place in their state's
 * first-match order moved against one they compete with (both may be checked
 * for one input: `on` transitions of one event type, branches on arrival, a
 * `when` or a timer against all), each with what it now comes before or after
 * among those: "now checked before → app". The fewest are marked (a swap of
 * two marks one, the other named in its note). Transitions that can never be
 * candidates together (`on` two event types, an `on` and a branch) are not
 * said to move against each other: which fires cannot change.
 */
function movedEdges(matched: Matched[], sharedPairs: Set<string>): Map<string, string> {
  const moved = new Map<string, string>();
  const byState = new Map<string, Matched[]>();
  for (const m of matched) byState.set(m.b.from, [...(byState.get(m.b.from) ?? []), m]);
  for (const list of byState.values()) {
    const seq = [...list].sort((x, y) => x.b.order - y.b.order || x.a.order - y.a.order || x.id.localeCompare(y.id));
    const kept = keptInOrder(seq);
    seq.forEach((e, i) => {
      if (kept.has(i)) return;
      const name = (f: Matched) => `→ ${f.b.to}${sharedPairs.has(`${f.b.from}→${f.b.to}`) ? ` (${f.b.label})` : ''}`;
      const rivals = seq.filter((f) => compete(e.b, f.b) && swapped(e, f));
      const nowBefore = rivals.filter((f) => e.b.order < f.b.order).map(name);
      const nowAfter = rivals.filter((f) => e.b.order > f.b.order).map(name);
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

  const { matched, added, removed, sharedPairs, severalPairs } = matchEdges(before.edges, after.edges);
  const relabelled = (m: Matched) => m.a.label !== m.b.label || m.a.kind !== m.b.kind;
  // A relabelled match among several transitions between the same two states is a guess (by rank, not trigger): its
  // place is not compared. The only transition between two states in both versions is the same one, trigger edited
  // or not, so its place is compared (and the others against it).
  const guessed = (m: Matched) => relabelled(m) && severalPairs.has(`${m.b.from}→${m.b.to}`);
  const moved = movedEdges(matched.filter((m) => !guessed(m)), sharedPairs);
  const edges: DiffEdge[] = [];
  const listed = [...matched.map((m) => ({ id: m.id, a: m.a as ApiGraphEdge | undefined, b: m.b })), ...added.map((x) => ({ id: x.id, a: undefined, b: x.b }))];
  listed.sort((x, y) => byFirstMatch(x.b, y.b));
  for (const { id, a, b } of listed) {
    const changed = a !== undefined && relabelled({ id, a, b });
    const change = !a ? 'added' : changed || moved.has(id) ? 'changed' : 'same';
    edges.push({ id, source: b.from, target: b.to, kind: b.kind, label: b.label, before: changed ? a.label : null, moved: moved.get(id) ?? null, change });
  }
  for (const { id, a } of [...removed].sort((x, y) => byFirstMatch(x.a, y.a))) edges.push({ id, source: a.from, target: a.to, kind: a.kind, label: a.label, before: null, moved: null, change: 'removed' });

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
