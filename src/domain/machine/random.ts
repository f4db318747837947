/**
 * Deterministic randomness for splits. The draw depends only on the journey's
 * seed and where the split happens (path, state, visit), so a replay, a
 * continue-as-new or a preview chooses exactly what the journey chose.
 */

/** 32-bit FNV-1a: cheap, and spreads similar texts ("u-1", "u-2") apart. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: one draw in [0, 1) from a 32-bit state. */
function mulberry32(a: number): number {
  let t = (a + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function seededDraw(seed: string, where: string): number {
  return mulberry32(hash(`${seed}\u0000${where}`));
}

/** Index of the chosen branch, with probability proportional to its weight. */
export function chooseWeighted(weights: readonly number[], draw: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let threshold = draw * total;
  for (let i = 0; i < weights.length; i++) {
    threshold -= weights[i];
    if (threshold < 0) return i;
  }
  return weights.length - 1;
}
