import { READABLE_ZOOM, readableFit } from './readable-fit';

const screen = { width: 1000, height: 600 };

describe('readableFit', () => {
  it('fits and centres a drawing that fits readably, never enlarging past maxZoom', () => {
    const v = readableFit({ x: 0, y: 0, width: 800, height: 400 }, screen, null, { padding: 0 });
    expect(v.zoom).toBe(1);
    expect(v).toEqual({ x: 100, y: 100, zoom: 1 });
    const smaller = readableFit({ x: 0, y: 0, width: 1200, height: 600 }, screen, null, { padding: 0 });
    expect(smaller.zoom).toBeCloseTo(0.8333, 3);
    expect(smaller.x).toBeCloseTo(0);
  });

  it('stops at the readable zoom for a large drawing, starting at the anchor, at the top', () => {
    const bounds = { x: 0, y: 0, width: 6000, height: 3000 };
    const entry = { x: 3000, y: 20 };
    const v = readableFit(bounds, screen, entry);
    expect(v.zoom).toBe(READABLE_ZOOM);
    // The entry's x is in the middle of the pane, its top near the pane's top.
    expect(entry.x * v.zoom + v.x).toBeCloseTo(screen.width / 2);
    expect(entry.y * v.zoom + v.y).toBeCloseTo(20);
  });

  it('shows no blank beyond the drawing when the anchor is near a side, and centres a narrow tall drawing sideways', () => {
    const bounds = { x: 0, y: 0, width: 6000, height: 3000 };
    const v = readableFit(bounds, screen, { x: 100, y: 0 });
    expect(v.x).toBe(20);
    const right = readableFit(bounds, screen, { x: 5990, y: 0 });
    expect(right.x + 6000 * right.zoom).toBeCloseTo(screen.width - 20);
    const tall = readableFit({ x: 0, y: 0, width: 300, height: 8000 }, screen, { x: 150, y: 0 });
    expect(tall.zoom).toBe(READABLE_ZOOM);
    expect(tall.x + 150 * tall.zoom).toBeCloseTo(screen.width / 2);
    expect(tall.y).toBe(20);
  });
});
