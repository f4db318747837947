import { edgeFans, fanMiddle } from './edge-fan';
import { labelSize } from './layout';

describe('edgeFans', () => {
  it('leaves a transition on its own on the straight line', () => {
    const fans = edgeFans([{ id: 'a', source: 'x', target: 'y', text: 'order.completed' }]);
    expect(fans.get('a')).toMatchObject({ siblings: 1, slot: 0, shift: 0 });
    expect(fanMiddle(fans.get('a')!, { x: 0, y: 50 }, { x: 0, y: 150 }, { x: -50, y: 0, width: 100, height: 50 }, { x: -50, y: 150, width: 100, height: 50 })).toEqual({ x: 0, y: 100 });
  });

  it('spreads transitions joining the same two states, either way, round the line, their labels side by side across an upright one', () => {
    const long = 'order.completed if event.amount >= 20';
    const fans = edgeFans([
      { id: 'a', source: 'x', target: 'y', text: 'order.completed' },
      { id: 'b', source: 'x', target: 'y', text: long },
      { id: 'c', source: 'y', target: 'x', text: 'refund' },
      { id: 'd', source: 'x', target: 'z', text: 'other' },
    ]);
    expect(['a', 'b', 'c'].map((id) => fans.get(id)!.slot)).toEqual([-1, 0, 1]);
    expect(fans.get('b')!.siblings).toBe(3);
    expect(fans.get('d')).toMatchObject({ siblings: 1, slot: 0 });
    // x above y: x → y goes down from x's bottom to y's top, y → x up from y's bottom to x's top; both fan across the same line.
    const [x, y] = [{ x: 50, y: 0, width: 100, height: 50 }, { x: 50, y: 200, width: 100, height: 50 }];
    const down = (id: string) => fanMiddle(fans.get(id)!, { x: 100, y: 50 }, { x: 100, y: 200 }, x, y);
    const up = (id: string) => fanMiddle(fans.get(id)!, { x: 100, y: 250 }, { x: 100, y: 0 }, y, x);
    const spacing = labelSize(long).width + 8;
    expect([down('a'), down('b'), up('c')]).toEqual([
      { x: 100 - spacing, y: 125 },
      { x: 100, y: 125 },
      { x: 100 + spacing, y: 125 },
    ]);
  });

  it('fans transitions between states side by side one above the other, apart by their labels\' height, not along the line, whatever the two states\' heights', () => {
    const fans = edgeFans([
      { id: 'a', source: 'left', target: 'right', text: 'order.completed if event.amount >= 20' },
      { id: 'b', source: 'left', target: 'right', text: 'membership.upgraded' },
      { id: 'c', source: 'right', target: 'left', text: 'order.refunded' },
    ]);
    // Level centres (y 75), a short state and a tall one: each edge's own ends have different midpoints.
    const left = { x: 0, y: 50, width: 100, height: 50 };
    const right = { x: 300, y: 0, width: 100, height: 150 };
    const bottomOf = (r: typeof left) => ({ x: r.x + r.width / 2, y: r.y + r.height });
    const topOf = (r: typeof left) => ({ x: r.x + r.width / 2, y: r.y });
    const middles = [
      fanMiddle(fans.get('a')!, bottomOf(left), topOf(right), left, right),
      fanMiddle(fans.get('b')!, bottomOf(left), topOf(right), left, right),
      fanMiddle(fans.get('c')!, bottomOf(right), topOf(left), right, left),
    ];
    // All three on the upright line halfway across the gap (x 200), 70 px apart (the least: two labels' height is less).
    expect(middles).toEqual([
      { x: 200, y: 75 + 70 },
      { x: 200, y: 75 },
      { x: 200, y: 75 - 70 },
    ]);
  });

  it('takes the group\'s middle halfway across the gap between two states of different heights, one above the other', () => {
    const fans = edgeFans([
      { id: 'a', source: 'x', target: 'y', text: 'a' },
      { id: 'b', source: 'y', target: 'x', text: 'b' },
    ]);
    const x = { x: 0, y: 0, width: 100, height: 50 };
    const y = { x: 0, y: 100, width: 100, height: 150 };
    const a = fanMiddle(fans.get('a')!, { x: 50, y: 50 }, { x: 50, y: 100 }, x, y);
    const b = fanMiddle(fans.get('b')!, { x: 50, y: 250 }, { x: 50, y: 0 }, y, x);
    // The gap is y 50 to 100: both labels at its middle, side by side (not inside the tall state, where y → x's own midpoint is).
    expect([a, b]).toEqual([
      { x: 50 - 35, y: 75 },
      { x: 50 + 35, y: 75 },
    ]);
  });

  it('places a group round states of no size, one straight above the other, without NaN', () => {
    const fans = edgeFans([
      { id: 'a', source: 'x', target: 'y', text: 'a' },
      { id: 'b', source: 'x', target: 'y', text: 'b' },
    ]);
    const [x, y] = [{ x: 0, y: 0, width: 0, height: 0 }, { x: 0, y: 100, width: 0, height: 0 }];
    expect([fanMiddle(fans.get('a')!, { x: 0, y: 0 }, { x: 0, y: 100 }, x, y), fanMiddle(fans.get('b')!, { x: 0, y: 0 }, { x: 0, y: 100 }, x, y)]).toEqual([
      { x: -35, y: 50 },
      { x: 35, y: 50 },
    ]);
  });

  it('keeps short labels at least 70 px apart, and sends a second loop further out than the first', () => {
    const fans = edgeFans([
      { id: 'a', source: 'x', target: 'x', text: 'a' },
      { id: 'b', source: 'x', target: 'x', text: 'b' },
    ]);
    expect(fans.get('a')!.shift).toBe(0);
    expect(fans.get('b')!.shift).toBe(70);
  });
});
