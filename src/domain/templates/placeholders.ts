/**
 * `{{name}}` placeholders in a template's campaign body. A string that is
 * exactly one placeholder takes the parameter's value with its JSON type (a
 * number stays a number); a placeholder inside longer text is replaced by the
 * value as text, e.g. `count('post.created') >= {{minPosts}}`.
 */
import { joinPath } from '../issues';
import type { ParameterValue } from './parameter-spec';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}$/;

/** Where in the rendered campaign a parameter's value went, so compile issues can be traced back to it. */
export interface Provenance {
  path: string;
  parameters: string[];
}

/** Every placeholder in `body` with the path of the string holding it, plus any object key holding one (not allowed). */
export function findPlaceholders(body: unknown, path = ''): { uses: Provenance[]; keysWithPlaceholders: string[] } {
  const uses: Provenance[] = [];
  const keysWithPlaceholders: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string') {
      const names = [...value.matchAll(PLACEHOLDER)].map((m) => m[1]);
      if (names.length > 0) uses.push({ path: at, parameters: [...new Set(names)] });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, joinPath(at, i)));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('{{')) keysWithPlaceholders.push(joinPath(at, k));
        walk(v, joinPath(at, k));
      }
    }
  };
  walk(body, path);
  return { uses, keysWithPlaceholders };
}

/** A copy of `body` with every placeholder replaced; names not in `values` are left as they are. */
export function substitute(body: unknown, values: Readonly<Record<string, ParameterValue>>): unknown {
  if (typeof body === 'string') {
    const whole = WHOLE.exec(body);
    if (whole && Object.prototype.hasOwnProperty.call(values, whole[1])) return values[whole[1]];
    return body.replace(PLACEHOLDER, (text, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : text));
  }
  if (Array.isArray(body)) return body.map((item) => substitute(item, values));
  if (body !== null && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, substitute(v, values)]));
  }
  return body;
}
