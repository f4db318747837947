import { labelSize, type Point, type Rect } from './layout';

/** The least distance between the labels of transitions that join the same two states. */
const FAN = 70;
/** Room kept round a label when fanned labels sit beside each other. */
const LABEL_GAP = 8;

export interface EdgeFan {
  /** Transitions joining this one's two states, either way (itself included). */
  siblings: number;
  /** Its place in the group, centred on the line: -1, 0, 1 for three; 0 for one on its own. */
  slot: number;
  /** Whether it runs against the group's own way round (b → a when the group is a, b): its side is then taken from a → b too. */
  reversed: boolean;
  /** The widest and the tallest label of the group, with room round them. */
  room: { width: number; height: number };
  /** How far out a loop (a transition back to its own state) goes round the ones before it. */
  shift: number;
}

/**
 * Transitions between the same two states, either way, meet at one midpoint
 * when drawn straight: a → b and b → a as much as two a → b. Each gets its
 * own slot beside that midpoint, the group centred on the line (fanMiddle
 * places them). Pure: the campaign graph's saved layout and the canvas draw
 * by it.
 */
export function edgeFans(edges: ReadonlyArray<{ id: string; source: string; target: string; text: string }>): Map<string, EdgeFan> {
  const pairKey = (e: { source: string; target: string }) => [e.source, e.target].sort().join('\u0000');
  const pairs = new Map<string, Array<{ id: string; source: string; target: string; text: string }>>();
  for (const e of edges) pairs.set(pairKey(e), [...(pairs.get(pairKey(e)) ?? []), e]);
  const fans = new Map<string, EdgeFan>();
  for (const group of pairs.values()) {
    const sizes = group.map((e) => labelSize(e.text));
    const room = { width: Math.max(...sizes.map((s) => s.width)) + LABEL_GAP, height: Math.max(...sizes.map((s) => s.height)) + LABEL_GAP };
    // Loops stand side by side round their state whatever their labels' height.
    const loopStep = Math.max(FAN, room.width);
    group.forEach((e, i) => fans.set(e.id, { siblings: group.length, slot: i - (group.length - 1) / 2, reversed: e.source > e.target, room, shift: i * loopStep }));
  }
  return fans;
}

/**
 * Where a fanned transition's middle (its bend, and its label) goes. One on
 * its own: the midpoint of its ends. One of a group: its slot's distance
 * from the group's one base point, across the line between the two states'
 * centres. The base is halfway across the gap between the two boxes on that
 * line, the same for a → b and b → a whatever the boxes' sizes (each edge's
 * own midpoint differs between the two when the states differ in height).
 * Across, not sideways on the page: between states side by side a sideways
 * step runs along that line, and the fanned lines lay over each other. The
 * step is the least that keeps the group's labels apart in that direction
 * (their width across an upright line, their height across a level one),
 * and never under FAN.
 */
export function fanMiddle(fan: EdgeFan, from: Point, to: Point, source: Rect, target: Rect): Point {
  if (fan.siblings === 1) return { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
  const [first, second] = fan.reversed ? [target, source] : [source, target];
  const [a, b] = [centre(first), centre(second)];
  const length = Math.hypot(b.x - a.x, b.y - a.y);
  const along = length === 0 ? { x: 0, y: 1 } : { x: (b.x - a.x) / length, y: (b.y - a.y) / length };
  const leave = { x: a.x + along.x * reach(first, along), y: a.y + along.y * reach(first, along) };
  const enter = { x: b.x - along.x * reach(second, along), y: b.y - along.y * reach(second, along) };
  const base = { x: (leave.x + enter.x) / 2, y: (leave.y + enter.y) / 2 };
  // Across a → b, turned so that across a line going down is to the right (as the page's x).
  const across = { x: along.y, y: -along.x };
  const step = Math.max(FAN, Math.min(over(fan.room.width, Math.abs(across.x)), over(fan.room.height, Math.abs(across.y))));
  return { x: base.x + across.x * fan.slot * step, y: base.y + across.y * fan.slot * step };
}

const centre = (r: Rect): Point => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });

/** How far from its centre a line in direction `d` leaves the box. */
const reach = (r: Rect, d: Point): number => Math.min(over(r.width / 2, Math.abs(d.x)), over(r.height / 2, Math.abs(d.y)));

/** a / b, with nothing across (b = 0) never the limit, even for a box of no size (0 / 0). */
const over = (a: number, b: number): number => (b === 0 ? Infinity : a / b);
