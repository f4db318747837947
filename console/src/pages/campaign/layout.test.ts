import { labelSize, layeredLayout, loopRoute } from './layout';

describe('a transition back to its own state', () => {
  it('loops from the bottom, round the right side, into the top, its label clear of the state', () => {
    const text = 'reminder.sent if event.channel == "email"';
    const r = loopRoute({ x: 100, y: 50 }, { width: 240, height: 64 }, text);
    expect(r.points[0]).toEqual({ x: 220, y: 114 });
    expect(r.points[r.points.length - 1]).toEqual({ x: 220, y: 50 });
    // Every bend right of the state, the label centred on the loop's far side, its left edge clear of the state.
    for (const p of r.points.slice(1, -1)) expect(p.x).toBe(r.label.x);
    expect(r.label.x - labelSize(text).width / 2).toBeGreaterThan(340);
    expect(r.label.y).toBe(82);
  });

  it('is drawn that way in the layered layout (dagre zigzags round the label), a second loop round the first', () => {
    const l = layeredLayout(
      [
        { id: 'a', width: 240, height: 64 },
        { id: 'b', width: 240, height: 64 },
      ],
      [
        { id: 'ab', source: 'a', target: 'b', text: 'order.completed' },
        { id: 'aa', source: 'a', target: 'a', text: 'reminder.sent' },
        { id: 'aa2', source: 'a', target: 'a', text: 'reminder.opened' },
      ],
    );
    const a = l.nodes.get('a')!;
    const loop = l.edges.get('aa')!;
    expect(loop).toEqual(loopRoute(a, { width: 240, height: 64 }, 'reminder.sent'));
    const second = l.edges.get('aa2')!;
    const right = (x: number, text: string) => x + labelSize(text).width / 2;
    const left = (x: number, text: string) => x - labelSize(text).width / 2;
    expect(left(second.label.x, 'reminder.opened')).toBeGreaterThan(right(loop.label.x, 'reminder.sent'));
  });
});

describe('the layered layout', () => {
  it('lays out states named as members every object carries (a version stored before they were refused), each edge routed', () => {
    const names = ['w', 'constructor', 'toString', '__proto__', 'hasOwnProperty'];
    const layout = layeredLayout(
      names.map((id) => ({ id, width: 240, height: 80 })),
      names.slice(1).map((to, i) => ({ id: `w#${i}`, source: 'w', target: to, text: `to ${to}` })),
    );
    expect([...layout.nodes.keys()]).toEqual(names);
    for (const p of layout.nodes.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    expect([...layout.edges.keys()]).toEqual(['w#0', 'w#1', 'w#2', 'w#3']);
    // Each below w, as the edges say: the names did not stand for something else.
    const w = layout.nodes.get('w')!;
    for (const name of names.slice(1)) expect(layout.nodes.get(name)!.y).toBeGreaterThan(w.y);
  });

  it('routes no edge to a state it does not have', () => {
    const layout = layeredLayout([{ id: 'a', width: 100, height: 50 }], [{ id: 'a#0', source: 'a', target: 'valueOf', text: 'x' }]);
    expect(layout.edges.size).toBe(0);
  });
});
