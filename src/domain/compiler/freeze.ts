/**
 * Plans are shared by every journey of a campaign version (the worker caches
 * them), so an accidental write would leak between users. Freezing makes such
 * a bug fail loudly. Compiled conditions belong to the condition module and
 * are left as they are.
 */
export function deepFreeze<T>(value: T): T {
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    if (typeof (v as { evaluate?: unknown }).evaluate === 'function') return;
    seen.add(v);
    for (const child of Object.values(v)) visit(child);
    Object.freeze(v);
  };
  visit(value);
  return value;
}
