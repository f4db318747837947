import type { NodeLayout, Point } from './save-plan';

/**
 * The places to draw once a save is answered: those it saved, except where
 * a state was placed again while it was on its way (dragged, renamed,
 * added): that newer place wins, and is the next save's change. A place
 * set since is a new object in `now`; one left alone is the same object as
 * in `before`, the places when the save began.
 */
export function placesAfterSave(saved: NodeLayout, before: Record<string, Point>, now: Record<string, Point>): Record<string, Point> {
  const next: Record<string, Point> = { ...saved };
  for (const [id, place] of Object.entries(now)) if (!Object.prototype.hasOwnProperty.call(before, id) || before[id] !== place) next[id] = place;
  return next;
}
