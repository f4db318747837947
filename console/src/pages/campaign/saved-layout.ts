/**
 * The campaign graph drawn where the canvas placed its states (the version's
 * saved `layout`) instead of dagre's layers. Edges go straight from the
 * source's bottom to the target's top; transitions between the same two
 * states fan out sideways so their labels do not sit on each other; a
 * transition back to its own state loops around the right side. Pure,
 * unit-tested; the same Layout shape as layeredLayout's.
 */
import { labelSize, type Box, type Layout, type Point } from './layout';

const MARGIN = 20;
const FAN = 70;
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
    at.set(ENTRY, { x: first.x + (firstBox.width - entry.width) / 2, y: first.y - entry.height - ENTRY_GAP });
  }

  const routes = new Map<string, { points: Point[]; label: Point }>();
  const pairs = new Map<string, string[]>();
  for (const e of edges) pairs.set(`${e.source}\u0000${e.target}`, [...(pairs.get(`${e.source}\u0000${e.target}`) ?? []), e.id]);
  for (const e of edges) {
    const s = at.get(e.source);
    const t = at.get(e.target);
    const sb = size.get(e.source);
    const tb = size.get(e.target);
    if (!s || !t || !sb || !tb) continue;
    const from = { x: s.x + sb.width / 2, y: s.y + sb.height };
    const to = { x: t.x + tb.width / 2, y: t.y };
    const siblings = pairs.get(`${e.source}\u0000${e.target}`) ?? [e.id];
    const offset = (siblings.indexOf(e.id) - (siblings.length - 1) / 2) * FAN;
    if (e.source === e.target) {
      const side = s.x + sb.width + 40 + Math.max(0, offset + ((siblings.length - 1) / 2) * FAN);
      const bends = [
        { x: side, y: from.y + 20 },
        { x: side, y: to.y - 20 },
      ];
      routes.set(e.id, { points: [from, ...bends, to], label: { x: side, y: s.y + sb.height / 2 } });
      continue;
    }
    const mid = { x: (from.x + to.x) / 2 + offset, y: (from.y + to.y) / 2 };
    routes.set(e.id, { points: siblings.length > 1 ? [from, mid, to] : [from, to], label: mid });
  }

  // Shift everything so the drawing starts at the margin (the view fits the frame from 0,0 to width,height).
  const text = new Map(edges.map((e) => [e.id, e.text]));
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
