import { newStatePlace } from './new-state-place';

const size = { width: 240, height: 120 };
const view = { x: 0, y: 0, width: 1200, height: 800 };
type Rect = { x: number; y: number; width: number; height: number };
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Rect, v: Rect) => a.x >= v.x && a.y >= v.y && a.x + a.width <= v.x + v.width && a.y + a.height <= v.y + v.height;

describe('newStatePlace', () => {
  it('puts a new state just below the selected one when there is room', () => {
    const selected = { x: 400, y: 100, width: 240, height: 80 };
    expect(newStatePlace(size, [selected], view, selected)).toEqual({ x: 400, y: 240 });
  });

  it('moves to the nearest free place when below is taken, overlapping nothing, inside the view', () => {
    const selected = { x: 400, y: 100, width: 240, height: 80 };
    const child = { x: 400, y: 240, width: 240, height: 80 };
    const drawn = [selected, child, { x: 100, y: 240, width: 240, height: 80 }];
    const at = newStatePlace(size, drawn, view, selected);
    const box = { ...at, ...size };
    expect(drawn.filter((r) => overlaps(box, r))).toEqual([]);
    expect(inside(box, view)).toBe(true);
    expect(Math.hypot(at.x - 400, at.y - 240)).toBeLessThan(400);
  });

  it('without a selection, uses the middle of the view; one state after another never lands on the last', () => {
    const drawn: Rect[] = [];
    for (let i = 0; i < 6; i++) {
      const at = newStatePlace(size, drawn, view, null);
      const box = { ...at, ...size };
      expect(drawn.filter((r) => overlaps(box, r))).toEqual([]);
      expect(inside(box, view)).toBe(true);
      drawn.push(box);
    }
    expect(drawn[0]).toEqual({ x: 480, y: 340, ...size });
  });

  it('without a selection, goes below a state in the middle of the view rather than above it (its edge would point backwards)', () => {
    const initial = { x: 480, y: 340, width: 240, height: 120 };
    const at = newStatePlace(size, [initial], view, null);
    expect(at.y).toBeGreaterThanOrEqual(initial.y + initial.height);
    expect(inside({ ...at, ...size }, view)).toBe(true);
  });

  it('goes outside the view only when the view is full', () => {
    const small = { x: 0, y: 0, width: 300, height: 200 };
    const at = newStatePlace(size, [{ x: 0, y: 0, width: 300, height: 200 }], small, null);
    expect(overlaps({ ...at, ...size }, { x: 0, y: 0, width: 300, height: 200 })).toBe(false);
  });
});
