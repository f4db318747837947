/** Replaces the value at a random path of a JSON document. */
export function mutate(doc: unknown, choices: number[], replacement: unknown): unknown {
  if (choices.length === 0 || doc === null || typeof doc !== 'object') return replacement;
  const keys = Object.keys(doc);
  if (keys.length === 0) return replacement;
  const [first, ...rest] = choices;
  const key = keys[first % keys.length];
  const copy: Record<string, unknown> = Array.isArray(doc) ? ([...doc] as unknown as Record<string, unknown>) : { ...(doc as Record<string, unknown>) };
  copy[key] = mutate((doc as Record<string, unknown>)[key], rest, replacement);
  return copy;
}
