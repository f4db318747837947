import { labelSize } from './layout';

/** The least distance between the labels of transitions that join the same two states. */
const FAN = 70;

export interface EdgeFan {
  /** Transitions joining this one's two states, either way (itself included). */
  siblings: number;
  /** How far sideways from the straight line between the states its middle goes (0 for one on its own). */
  offset: number;
  /** How far out a loop (a transition back to its own state) goes round the ones before it. */
  shift: number;
}

/**
 * Transitions between the same two states, either way, meet at one midpoint
 * when drawn straight: a → b and b → a as much as two a → b. Each gets its
 * own place beside that midpoint, far enough apart that the widest of their
 * labels sit side by side, the group centred on the line. Pure: the campaign
 * graph's saved layout and the canvas draw by it.
 */
export function edgeFans(edges: ReadonlyArray<{ id: string; source: string; target: string; text: string }>): Map<string, EdgeFan> {
  const pairKey = (e: { source: string; target: string }) => [e.source, e.target].sort().join('\u0000');
  const pairs = new Map<string, Array<{ id: string; text: string }>>();
  for (const e of edges) pairs.set(pairKey(e), [...(pairs.get(pairKey(e)) ?? []), e]);
  const fans = new Map<string, EdgeFan>();
  for (const group of pairs.values()) {
    const spacing = Math.max(FAN, ...group.map((e) => labelSize(e.text).width + 8));
    group.forEach((e, i) => fans.set(e.id, { siblings: group.length, offset: (i - (group.length - 1) / 2) * spacing, shift: i * spacing }));
  }
  return fans;
}
