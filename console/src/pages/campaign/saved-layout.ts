/**
 * The campaign graph drawn where the canvas placed its states (the version's
 * saved `layout`) instead of dagre's layers. Edges go straight from the
 * source's bottom to the target's top; transitions between the same two
 * states (either way) fan out sideways, a label that would still cover
 * another moves down until it does not, and a transition back to its own
 * state loops around the right side. Pure, unit-tested; the same Layout
 * shape as layeredLayout's.
 */
import { edgeFans, fanMiddle } from './edge-fan';
import { labelSize, loopRoute, type Box, type Layout, type Point, type Rect } from './layout';

const MARGIN = 20;
const ENTRY_GAP = 80;
/** The canvas has no entry node: unless one was saved, it sits above the initial state. */
const ENTRY = '(entry)';

export function savedLayout(
  boxes: Box[],
  edges: Array<{ id: string; source: string; target: string; text: string }>,
  saved: Record<string, Point>,
  initial: string | null,
): Layout | null {
  const size = new Map(boxes.map((b) => [b.id, b]));
  const at = new Map<string, Point>();
  for (const b of boxes) {
    const p = saved[b.id];
    if (p) at.set(b.id, { x: p.x, y: p.y });
    else if (b.id !== ENTRY) return null; // A state never placed: the automatic layout draws them all.
  }
  const entry = size.get(ENTRY);
  if (entry && !at.has(ENTRY)) {
    const first = initial ? at.get(initial) : undefined;
    const firstBox = initial ? size.get(initial) : undefined;
    if (!first || !firstBox) return null;
    at.set(ENTRY, entryPlace(entry, first, firstBox, [...at].flatMap(([id, p]) => (size.has(id) ? [rect(p, size.get(id) as Box)] : []))));
  }

  const routes = new Map<string, { points: Point[]; label: Point }>();
  const text = new Map(edges.map((e) => [e.id, e.text]));
  const fans = edgeFans(edges);
  for (const e of edges) {
    const s = at.get(e.source);
    const t = at.get(e.target);
    const sb = size.get(e.source);
    const tb = size.get(e.target);
    if (!s || !t || !sb || !tb) continue;
    const from = { x: s.x + sb.width / 2, y: s.y + sb.height };
    const to = { x: t.x + tb.width / 2, y: t.y };
    const fan = fans.get(e.id);
    if (e.source === e.target) {
      routes.set(e.id, loopRoute(s, sb, text.get(e.id) ?? '', fan?.shift ?? 0));
      continue;
    }
    const mid = fan ? fanMiddle(fan, from, to, rect(s, sb), rect(t, tb)) : { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
    routes.set(e.id, { points: fan && fan.siblings > 1 ? [from, mid, to] : [from, to], label: mid });
  }
  separateLabels(routes, text, [...at].flatMap(([id, p]) => (size.has(id) ? [rect(p, size.get(id) as Box)] : [])));

  // Shift everything so the drawing starts at the margin (the view fits the frame from 0,0 to width,height).
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const extend = (x: number, y: number) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  };
  for (const [id, p] of at) {
    const b = size.get(id);
    if (!b) continue;
    extend(p.x, p.y);
    extend(p.x + b.width, p.y + b.height);
  }
  for (const [id, r] of routes) {
    const l = labelSize(text.get(id) ?? '');
    extend(r.label.x - l.width / 2, r.label.y - l.height / 2);
    extend(r.label.x + l.width / 2, r.label.y + l.height / 2);
    for (const p of r.points) extend(p.x, p.y);
  }
  if (at.size === 0) return null;
  const dx = MARGIN - minX;
  const dy = MARGIN - minY;
  const move = (p: Point): Point => ({ x: p.x + dx, y: p.y + dy });
  return {
    nodes: new Map([...at].map(([id, p]) => [id, move(p)])),
    edges: new Map([...routes].map(([id, r]) => [id, { points: r.points.map(move), label: move(r.label) }])),
    width: maxX - minX + 2 * MARGIN,
    height: maxY - minY + 2 * MARGIN,
  };
}

const rect = (p: Point, b: { width: number; height: number }): Rect => ({ x: p.x, y: p.y, width: b.width, height: b.height });
const overlaps = (a: Rect, b: Rect, gap = 0) => a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;

/**
 * Where the entry goes when no place was saved for it: above the initial
 * state if that spot is free, else beside that spot, else to the initial
 * state's left or right, else above every state. Never on top of a state.
 */
function entryPlace(entry: Box, first: Point, firstBox: Box, states: Rect[]): Point {
  const above = { x: first.x + (firstBox.width - entry.width) / 2, y: first.y - entry.height - ENTRY_GAP };
  const side = entry.width + ENTRY_GAP;
  const candidates = [
    above,
    { x: above.x - side, y: above.y },
    { x: above.x + side, y: above.y },
    { x: first.x - side, y: first.y },
    { x: first.x + firstBox.width + ENTRY_GAP, y: first.y },
  ];
  const free = candidates.find((c) => !states.some((s) => overlaps(rect(c, entry), s, MARGIN)));
  return free ?? { x: above.x, y: Math.min(...states.map((s) => s.y)) - entry.height - ENTRY_GAP };
}

/**
 * Moves each label that covers a state or a label placed before it down,
 * below what it covers, until it covers nothing. A transition's line bends
 * through its moved label, so the label still sits on its own line; a loop's
 * label stays on the loop.
 */
function separateLabels(routes: Map<string, { points: Point[]; label: Point }>, text: Map<string, string>, states: Rect[]): void {
  const placed: Rect[] = [...states];
  for (const [id, r] of routes) {
    const size = labelSize(text.get(id) ?? '');
    const box = () => ({ x: r.label.x - size.width / 2, y: r.label.y - size.height / 2, width: size.width, height: size.height });
    let hit = placed.find((p) => overlaps(box(), p, 4));
    for (let tries = 0; hit && tries < 50; tries += 1) {
      const y = hit.y + hit.height + 4 + size.height / 2;
      const onLine = r.points.length === 2 || (r.points.length === 3 && r.points[1] === r.label);
      r.label = { x: r.label.x, y };
      if (onLine) r.points = [r.points[0], r.label, r.points[r.points.length - 1]];
      hit = placed.find((p) => overlaps(box(), p, 4));
    }
    placed.push(box());
  }
}
