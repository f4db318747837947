import dagre from '@dagrejs/dagre';

export interface Box {
  id: string;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A box on the drawing: its top-left corner and size. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  /** Top-left corner of each node. */
  nodes: Map<string, Point>;
  /** Each edge's route (node boundary to node boundary) and the centre of its label, on the route. */
  edges: Map<string, { points: Point[]; label: Point }>;
  /** The whole drawing, labels included. */
  width: number;
  height: number;
}

/** The widest an edge label is drawn (styles.css, .edge-label max-width); longer text wraps. */
export const LABEL_MAX_WIDTH = 360;
/** An average character of the 12 px system font, the label's padding and border, and one wrapped line (styles.css line-height). */
const CHAR_PX = 7;
const LABEL_PAD_PX = 24;
const LABEL_LINE_PX = 16;

/**
 * Room for a label of this text in the layout: one line as wide as the text
 * up to LABEL_MAX_WIDTH, then as many lines as it wraps into (counted with
 * a margin, since lines break between words), so the layout keeps a long
 * label (a changed condition in a diff: before → after) clear of the nodes.
 */
export function labelSize(text: string): { width: number; height: number } {
  const oneLine = Math.ceil(text.length * CHAR_PX) + LABEL_PAD_PX;
  if (oneLine <= LABEL_MAX_WIDTH) return { width: oneLine, height: 24 };
  const lines = Math.ceil((text.length * CHAR_PX) / ((LABEL_MAX_WIDTH - LABEL_PAD_PX) * 0.85));
  return { width: LABEL_MAX_WIDTH, height: 8 + lines * LABEL_LINE_PX };
}

/**
 * A layered (Sugiyama) layout, top to bottom. Labels are laid out too, as
 * boxes of their own between the layers, so two edges leaving one state never
 * put their labels on top of each other.
 */
export function layeredLayout(boxes: Box[], edges: Array<{ id: string; source: string; target: string; text: string }>): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 60, edgesep: 24, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  // dagre keeps nodes in plain objects keyed by id, where a state called `constructor` or
  // `__proto__` (a version stored before such names were refused, or one being typed) reads a
  // built-in member and the layout throws: it is given indexes, never the names.
  const index = new Map(boxes.map((b, i) => [b.id, `n${i}`]));
  boxes.forEach((b, i) => g.setNode(`n${i}`, { width: b.width, height: b.height }));
  const laidEdges = edges.map((e, i) => ({ e, v: index.get(e.source), w: index.get(e.target), name: `e${i}` }));
  for (const { e, v, w, name } of laidEdges) if (v && w) g.setEdge(v, w, { ...labelSize(e.text), labelpos: 'c' }, name);
  dagre.layout(g);
  const nodes = new Map<string, Point>();
  boxes.forEach((b, i) => {
    const n = g.node(`n${i}`);
    nodes.set(b.id, { x: n.x - b.width / 2, y: n.y - b.height / 2 });
  });
  const routes = new Map<string, { points: Point[]; label: Point }>();
  const loops = new Map<string, string[]>();
  for (const { e, v, w, name } of laidEdges) {
    const laid = v && w ? g.edge(v, w, name) : undefined;
    if (!laid) continue;
    if (e.source === e.target) {
      // dagre keeps room beside the state for the label, but its points zigzag around the label, not the state: drawn as a loop instead.
      const box = boxes.find((b) => b.id === e.source) as Box;
      const before = loops.get(e.source) ?? [];
      loops.set(e.source, [...before, e.text]);
      routes.set(e.id, loopRoute(nodes.get(e.source) as Point, box, e.text, loopShift(before)));
      continue;
    }
    routes.set(e.id, { points: laid.points.map((p: Point) => ({ x: p.x, y: p.y })), label: { x: laid.x ?? 0, y: laid.y ?? 0 } });
  }
  const { width = 0, height = 0 } = g.graph();
  return { nodes, edges: routes, width, height };
}

/**
 * A transition back to its own state: out of the state's bottom, round its
 * right side and into its top, the label on the loop's far side, clear of the
 * state. `at` is the state's top-left corner; `shift` moves the loop further
 * out (the second loop on one state goes round the first).
 */
export function loopRoute(at: Point, box: { width: number; height: number }, text: string, shift = 0): { points: Point[]; label: Point } {
  const side = at.x + box.width + Math.max(40, labelSize(text).width / 2 + 16) + shift;
  const from = { x: at.x + box.width / 2, y: at.y + box.height };
  const to = { x: at.x + box.width / 2, y: at.y };
  return { points: [from, { x: side, y: from.y + 20 }, { x: side, y: to.y - 20 }, to], label: { x: side, y: at.y + box.height / 2 } };
}

/** How far out a state's next loop goes round the loops before it (their labels' texts), clear of their labels. */
export function loopShift(before: string[]): number {
  return before.reduce((shift, text) => shift + labelSize(text).width + 32, 0);
}

/** A state node's width; its name gets what the padding and a tag ("initial", "end") leave. */
export const NODE_WIDTH = 240;
/** Characters of a state name (13.5 px bold) sure to fit on one line beside a tag; a name longer than this gets two. */
const NAME_LINE_CHARS = 16;
/** One line of the name (styles.css, .gnode-name line-height). */
export const NAME_LINE_PX = 18;

/**
 * Lines a state's name is given: one, or two for a long one (names run to
 * 100 characters). The name is clamped to these lines (the rest ellipsed, the
 * whole name in its title), so the node never grows past the size the layout
 * gave it, whatever the name.
 */
export function nameLines(name: string): 1 | 2 {
  return name.length > NAME_LINE_CHARS ? 2 : 1;
}

/** Characters of the strategy line under the actions (12.5 px italic, with the group's `if`) that fit on one line of a node; a longer one gets two. */
const STRATEGY_LINE_CHARS = 30;
/** One line of the strategy line (StateNode sets its line height). */
export const STRATEGY_LINE_PX = 15;

/**
 * Lines the strategy line under a state's actions is given: none when it is
 * not drawn (null), one, or two for a long one (an `if` runs long). It wraps
 * and is clamped to these lines, the whole text in its title.
 */
export function strategyLines(text: string | null): 0 | 1 | 2 {
  if (!text) return 0;
  return text.length > STRATEGY_LINE_CHARS ? 2 : 1;
}

/**
 * A node's size from what it shows: a header (its name on one or two lines), counts, one line per action and per
 * nested group's heading (`groups` of them, each framed), and the strategy line under the actions (`strategy`, the
 * text drawn, null when there is none).
 */
export function nodeSize(actions: number, kind: string, name = '', groups = 0, strategy: string | null = null): { width: number; height: number } {
  if (kind === 'entry') return { width: 180, height: 64 };
  const rows = actions * 24 + (actions > 0 ? 10 : 0) + groups * GROUP_FRAME_PX;
  return { width: NODE_WIDTH, height: 64 + (nameLines(name) - 1) * NAME_LINE_PX + rows + strategyLines(strategy) * STRATEGY_LINE_PX };
}

/** A nested group's frame: its border and padding (styles.css, .chips-group). */
const GROUP_FRAME_PX = 10;

/**
 * An SVG path from `from` through the layout's bends to `to`, the corners
 * rounded with quadratic curves. One bend (a transition fanned out beside
 * others between the same two states, its label at the bend) is one curve
 * through the bend itself: rounding the corner would pass the label by.
 */
export function routePath(from: Point, bends: Point[], to: Point): string {
  if (bends.length === 1) {
    // A quadratic curve is at its control point's midway with the chord's midpoint at t = 1/2: the control that puts the bend there.
    const control = { x: 2 * bends[0].x - (from.x + to.x) / 2, y: 2 * bends[0].y - (from.y + to.y) / 2 };
    return `M ${from.x},${from.y} Q ${control.x},${control.y} ${to.x},${to.y}`;
  }
  const pts = [from, ...bends, to];
  let d = `M ${from.x},${from.y}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const next = pts[i + 1];
    const mid = { x: (pts[i].x + next.x) / 2, y: (pts[i].y + next.y) / 2 };
    d += ` Q ${pts[i].x},${pts[i].y} ${mid.x},${mid.y}`;
  }
  return `${d} L ${to.x},${to.y}`;
}
