/**
 * Whether two dependency lists hold the same values, as React compares an
 * effect's dependencies (Object.is, item by item). useApi clears what it
 * shows only when its dependencies change, not when only its refresh
 * interval does: a panel must not blink out when polling starts or stops.
 */
export function sameDeps(a: readonly unknown[] | null, b: readonly unknown[]): boolean {
  return a !== null && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}
