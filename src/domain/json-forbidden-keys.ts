import { isObject } from './is-object';

type Path = Array<string | number>;

/**
 * Where a parsed JSON value holds a key that could reach an object's
 * prototype (what Fastify's parser refuses, and the CLI before sending): a
 * `__proto__` key (JSON.parse keeps it as an own property), or a `prototype`
 * key in the object a `constructor` key names. The first in the text's
 * order, its path ending with the key itself (`properties.__proto__`,
 * `a.constructor.prototype`), or undefined. `path` is the value's own path.
 * Recursive: called on values already held to MAX_JSON_DEPTH.
 */
export function forbiddenKeyPath(value: unknown, path: Path = []): Path | undefined {
  const name = path[path.length - 1];
  if (name === '__proto__') return path;
  if (name === 'constructor' && isObject(value) && Object.hasOwn(value, 'prototype')) return [...path, 'prototype'];
  const children: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : isObject(value) ? Object.entries(value) : [];
  for (const [key, inner] of children) {
    const found = forbiddenKeyPath(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
