import { labelSize } from './layout';
import { savedLayout } from './saved-layout';

const box = (id: string, width = 240, height = 64) => ({ id, width, height });
/** How far a point is from a polyline. */
function distanceToRoute(p: { x: number; y: number }, points: Array<{ x: number; y: number }>): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i += 1) {
    const [a, b] = [points[i - 1], points[i]];
    const len2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len2));
    best = Math.min(best, Math.hypot(p.x - (a.x + t * (b.x - a.x)), p.y - (a.y + t * (b.y - a.y))));
  }
  return best;
}
const edge = (id: string, source: string, target: string) => ({ id, source, target, text: id });

describe('the campaign graph drawn where the canvas placed it', () => {
  const boxes = [box('(entry)', 180, 64), box('a'), box('b')];

  it('keeps the saved places (shifted to the margin), puts the entry above the initial state, and runs edges bottom to top', () => {
    const l = savedLayout(boxes, [edge('e0', '(entry)', 'a'), edge('t0', 'a', 'b')], { a: { x: 100, y: 200 }, b: { x: 400, y: 500 } }, 'a');
    if (!l) throw new Error('no layout');
    const a = l.nodes.get('a');
    const b = l.nodes.get('b');
    const entry = l.nodes.get('(entry)');
    if (!a || !b || !entry) throw new Error('missing node');
    // Relative places as saved.
    expect({ x: b.x - a.x, y: b.y - a.y }).toEqual({ x: 300, y: 300 });
    // Entry centred above a, 80 px higher than its top minus its own height.
    expect(entry.x + 90).toBe(a.x + 120);
    expect(a.y - (entry.y + 64)).toBe(80);
    expect(l.edges.get('t0')?.points).toEqual([
      { x: a.x + 120, y: a.y + 64 },
      { x: b.x + 120, y: b.y },
    ]);
    // Nothing starts above or left of the margin.
    const xs = [...l.nodes.values()].map((p) => p.x);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(20);
    expect(Math.min(...[...l.nodes.values()].map((p) => p.y))).toBe(20);
    expect(l.width).toBeGreaterThan(b.x + 240 - 20);
  });

  it('fans out transitions between the same two states and loops one back to its own state', () => {
    const l = savedLayout([box('a'), box('b')], [edge('t0', 'a', 'b'), edge('t1', 'a', 'b'), edge('self', 'a', 'a')], { a: { x: 0, y: 0 }, b: { x: 0, y: 300 } }, 'a');
    if (!l) throw new Error('no layout');
    const l0 = l.edges.get('t0')?.label;
    const l1 = l.edges.get('t1')?.label;
    expect(l0 && l1 && Math.abs(l0.x - l1.x)).toBe(70);
    expect(l.edges.get('self')?.points).toHaveLength(4);
    const a = l.nodes.get('a');
    expect(l.edges.get('self')?.label.x).toBeGreaterThan((a?.x ?? 0) + 240);
  });

  it('keeps a loop\'s long label on the loop, beside its state, not over it', () => {
    const text = 'reminder.sent if event.channel == "email"';
    const l = savedLayout([box('a')], [{ id: 'self', source: 'a', target: 'a', text }], { a: { x: 0, y: 0 } }, 'a');
    const a = l?.nodes.get('a');
    const loop = l?.edges.get('self');
    if (!a || !loop) throw new Error('no layout');
    expect(loop.label.x - labelSize(text).width / 2).toBeGreaterThan(a.x + 240);
    expect(loop.label.y).toBe(a.y + 32);
    expect(loop.points[1].x).toBe(loop.label.x);
  });

  it('gives up (the automatic layout draws) when a state has no saved place', () => {
    expect(savedLayout(boxes, [], { a: { x: 0, y: 0 } }, 'a')).toBeNull();
  });

  it('never draws the entry on a state saved where it would go (above the initial state)', () => {
    // b sits exactly where the entry would: above a, within 80 px.
    const l = savedLayout(boxes, [edge('e0', '(entry)', 'a'), edge('t0', 'b', 'a')], { a: { x: 0, y: 300 }, b: { x: 0, y: 160 } }, 'a');
    if (!l) throw new Error('no layout');
    const at = (id: string, w: number) => {
      const p = l.nodes.get(id);
      if (!p) throw new Error(`no ${id}`);
      return { x: p.x, y: p.y, width: w, height: 64 };
    };
    const entry = at('(entry)', 180);
    for (const state of [at('a', 240), at('b', 240)]) {
      const apart = entry.x + entry.width <= state.x || state.x + state.width <= entry.x || entry.y + entry.height <= state.y || state.y + state.height <= entry.y;
      expect(apart).toBe(true);
    }
  });

  it('keeps labels apart and off the states: a transition each way between two states, and labels that would meet', () => {
    const long = (id: string, s: string, t: string) => ({ id, source: s, target: t, text: `${id} when order.completed and total at least 100` });
    const l = savedLayout(
      [box('a'), box('b'), box('c'), box('d')],
      [long('ab', 'a', 'b'), long('ba', 'b', 'a'), long('cd', 'c', 'd')],
      // c → d crosses a → b at the same midpoint.
      { a: { x: 0, y: 0 }, b: { x: 0, y: 400 }, c: { x: -300, y: 0 }, d: { x: 300, y: 400 } },
      null,
    );
    if (!l) throw new Error('no layout');
    const rects = ['ab', 'ba', 'cd'].map((id) => {
      const r = l.edges.get(id);
      if (!r) throw new Error(`no ${id}`);
      const text = `${id} when order.completed and total at least 100`;
      const size = labelSize(text);
      // Each label sits on its own line.
      expect(distanceToRoute(r.label, r.points)).toBeLessThan(1);
      return { x: r.label.x - size.width / 2, y: r.label.y - size.height / 2, width: size.width, height: size.height };
    });
    for (const id of ['a', 'b', 'c', 'd']) {
      const p = l.nodes.get(id);
      if (!p) throw new Error(`no ${id}`);
      rects.push({ x: p.x, y: p.y, width: 240, height: 64 });
    }
    for (let i = 0; i < rects.length; i += 1)
      for (let j = i + 1; j < rects.length; j += 1) {
        const [p, q] = [rects[i], rects[j]];
        const apart = p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y;
        expect(apart).toBe(true);
      }
  });
});
