import { edgeFans } from './edge-fan';
import { labelSize } from './layout';

describe('edgeFans', () => {
  it('leaves a transition on its own on the straight line', () => {
    const fans = edgeFans([{ id: 'a', source: 'x', target: 'y', text: 'order.completed' }]);
    expect(fans.get('a')).toEqual({ siblings: 1, offset: 0, shift: 0 });
  });

  it('spreads transitions joining the same two states, either way, round the line, their labels side by side', () => {
    const long = 'order.completed if event.amount >= 20';
    const fans = edgeFans([
      { id: 'a', source: 'x', target: 'y', text: 'order.completed' },
      { id: 'b', source: 'x', target: 'y', text: long },
      { id: 'c', source: 'y', target: 'x', text: 'refund' },
      { id: 'd', source: 'x', target: 'z', text: 'other' },
    ]);
    const offsets = ['a', 'b', 'c'].map((id) => fans.get(id)!.offset);
    expect(offsets.reduce((sum, o) => sum + o, 0)).toBe(0);
    const spacing = labelSize(long).width + 8;
    expect(offsets).toEqual([-spacing, 0, spacing]);
    expect(fans.get('b')!.siblings).toBe(3);
    expect(fans.get('d')).toEqual({ siblings: 1, offset: 0, shift: 0 });
  });

  it('keeps short labels at least 70 px apart, and sends a second loop further out than the first', () => {
    const fans = edgeFans([
      { id: 'a', source: 'x', target: 'x', text: 'a' },
      { id: 'b', source: 'x', target: 'x', text: 'b' },
    ]);
    expect(fans.get('a')!.shift).toBe(0);
    expect(fans.get('b')!.shift).toBe(70);
    expect(fans.get('b')!.offset - fans.get('a')!.offset).toBe(70);
  });
});
