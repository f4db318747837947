import { isObject } from './is-object';

type Path = Array<string | number>;

/**
 * Where a parsed JSON value holds a key that could reach an object's
 * prototype (what Fastify's parser refuses, and the CLI before sending): a
 * `__proto__` key (JSON.parse keeps it as an own property), or a `prototype`
 * key in the object a `constructor` key names. The first in the text's
 * order, its path ending with the key itself (`properties.__proto__`,
 * `a.constructor.prototype`), or undefined. `path` is the value's own path.
 * One walk with one path stack, copied only for the answer: linear in the
 * value's size however deep it nests (an API body is held to
 * MAX_JSON_DEPTH before this, so the recursion is bounded).
 */
export function forbiddenKeyPath(value: unknown, path: Path = []): Path | undefined {
  const stack = [...path];
  return walk(value, stack) ? stack : undefined;
}

/** Whether `value` (at `stack`) holds such a key; when it does, `stack` is left holding its path. */
function walk(value: unknown, stack: Path): boolean {
  const name = stack[stack.length - 1];
  if (name === '__proto__') return true;
  if (name === 'constructor' && isObject(value) && Object.hasOwn(value, 'prototype')) {
    stack.push('prototype');
    return true;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      stack.push(i);
      if (walk(value[i], stack)) return true;
      stack.pop();
    }
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      stack.push(key);
      if (walk(value[key], stack)) return true;
      stack.pop();
    }
  }
  return false;
}
