/**
 * Where the canvas puts a state it adds: just below the selected state, or
 * in the middle of what the canvas shows when none is selected, at the
 * nearest place there that overlaps no state, inside the view when it can
 * be. Left to the automatic layout, every new state (unconnected) went to
 * the first row, one beside the other, far off to the side of a large
 * graph. Pure.
 */
import type { Rect } from '../campaign/readable-fit';

/** Space kept between the new state and any other. */
const GAP = 24;
/** How far below the selected state the new one goes (room for an edge and its label). */
const BELOW = 60;
/** The search grid's step, and how far it looks around the preferred place. */
const STEP = 20;
const REACH = 1600;

export function newStatePlace(size: { width: number; height: number }, drawn: readonly Rect[], view: Rect, near: Rect | null): { x: number; y: number } {
  const want = near ? { x: near.x + near.width / 2 - size.width / 2, y: near.y + near.height + BELOW } : { x: view.x + view.width / 2 - size.width / 2, y: view.y + view.height / 2 - size.height / 2 };
  const free = (x: number, y: number) => drawn.every((r) => x + size.width + GAP <= r.x || r.x + r.width + GAP <= x || y + size.height + GAP <= r.y || r.y + r.height + GAP <= y);
  const inView = (x: number, y: number) => x >= view.x && y >= view.y && x + size.width <= view.x + view.width && y + size.height <= view.y + view.height;
  let best: { x: number; y: number; score: number } | null = null;
  for (let dy = -REACH; dy <= REACH; dy += STEP) {
    for (let dx = -REACH; dx <= REACH; dx += STEP) {
      const x = want.x + dx;
      const y = want.y + dy;
      // Nearer is better; any place in view beats every place outside it. Without a selection, a place level with or
      // below the middle beats one above it: a state added above the initial one drew its edge from it upwards, backwards.
      const above = !near && dy < 0 ? 2 * REACH : 0;
      const score = Math.hypot(dx, dy) + above + (inView(x, y) ? 0 : 10 * REACH);
      if ((best === null || score < best.score) && free(x, y)) best = { x, y, score };
    }
  }
  if (best) return { x: best.x, y: best.y };
  // Nowhere free nearby (an unlikely crowd): below everything drawn.
  const bottom = Math.max(...drawn.map((r) => r.y + r.height), want.y);
  return { x: want.x, y: bottom + GAP };
}
