import { layeredLayout } from './layout';

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
