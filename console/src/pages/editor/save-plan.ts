/**
 * What "Save" does in the canvas, decided from what changed since the
 * version the editor loaded (or last saved): nothing stored yet → create; the
 * definition changed → a new version carrying `baseVersion`, so a version
 * saved by someone else meanwhile answers 409 instead of being overwritten;
 * only node positions moved → the loaded version's layout is replaced and no
 * version is made (positions do not change what a campaign does). Pure,
 * unit-tested.
 */

// The node the campaign page draws for the entry; the canvas draws none, but the API stores its place with the version's layout.
import { ENTRY_NODE } from '../../../../src/domain/graph/campaign-graph';

export type Point = { x: number; y: number };
export type NodeLayout = Record<string, Point>;

export type SavePlan = { kind: 'create' } | { kind: 'version'; baseVersion: number } | { kind: 'layout'; version: number } | { kind: 'nothing'; version: number };

/** JSON with keys sorted, so two definitions that differ only in key order compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Positions rounded to whole pixels, for the nodes that exist. */
export function layoutOf(positions: Iterable<[string, Point]>): NodeLayout {
  const out: NodeLayout = {};
  for (const [id, p] of positions) out[id] = { x: Math.round(p.x), y: Math.round(p.y) };
  return out;
}

/**
 * What a save stores: the places the canvas drew, and the stored places of
 * nodes the canvas does not draw (the entry's, set on the campaign page or
 * through the API), so a save never moves what the canvas never showed.
 */
export function withUndrawn(stored: NodeLayout | null, drawn: NodeLayout): NodeLayout {
  return stored && Object.prototype.hasOwnProperty.call(stored, ENTRY_NODE) ? { [ENTRY_NODE]: stored[ENTRY_NODE], ...drawn } : drawn;
}

/**
 * `layout`: the places pinned on the canvas (loaded or dragged), as
 * layoutOf rounds them. The stored layout is compared rounded too, and with
 * the places the canvas does not draw carried over (withUndrawn): the API
 * accepts any number and the entry's place, which alone are no change.
 */
export function savePlan(base: { version: number | null; definition: unknown; layout: NodeLayout | null } | null, definition: unknown, layout: NodeLayout): SavePlan {
  if (!base || base.version === null) return { kind: 'create' };
  if (canonical(base.definition) !== canonical(definition)) return { kind: 'version', baseVersion: base.version };
  const stored = base.layout ?? {};
  if (canonical(layoutOf(Object.entries(stored))) !== canonical(layoutOf(Object.entries(withUndrawn(stored, layout))))) return { kind: 'layout', version: base.version };
  return { kind: 'nothing', version: base.version };
}
