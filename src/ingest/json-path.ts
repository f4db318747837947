import { z } from 'zod';

/**
 * A path into a message: `buyer.uid`, `items[0].sku`, optionally led by `$`
 * (`$` alone is the whole message). Deliberately small: operators write these
 * by hand, and anything richer belongs in the sending system.
 */
export const JsonPath = z
  .string()
  .min(1)
  .max(500)
  // `$`, or steps: a first key or index (after `$.` or `$`), then `.key` and `[n]`; `$.`, `$[` and `$[abc` are no paths.
  .regex(/^(\$|(\$\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+|\[\d+\])*|(\$\.?)?\[\d+\](\.[A-Za-z0-9_-]+|\[\d+\])*)$/, 'a path such as buyer.uid or items[0].sku (optionally led by $)');
export type JsonPath = z.infer<typeof JsonPath>;

/** The keys of a path, in order: numbers index arrays. */
export function pathKeys(path: string): Array<string | number> {
  const body = path.replace(/^\$\.?/, '');
  const keys: Array<string | number> = [];
  for (const m of body.matchAll(/([A-Za-z0-9_-]+)|\[(\d+)\]/g)) keys.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return keys;
}

/** The value at `path`, or undefined when any step is missing. */
export function readPath(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const key of pathKeys(path)) {
    if (typeof key === 'number') {
      if (!Array.isArray(at)) return undefined;
      at = at[key];
    } else {
      if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key)) return undefined;
      at = (at as Record<string, unknown>)[key];
    }
  }
  return at;
}
