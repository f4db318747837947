import { savedLayout } from './saved-layout';

const box = (id: string, width = 240, height = 64) => ({ id, width, height });
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

  it('gives up (the automatic layout draws) when a state has no saved place', () => {
    expect(savedLayout(boxes, [], { a: { x: 0, y: 0 } }, 'a')).toBeNull();
  });
});
