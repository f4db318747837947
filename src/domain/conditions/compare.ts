/**
 * Runtime comparison, strict and predictable: no JavaScript `==` coercion.
 * Numbers compare with numbers, strings with strings (code-unit order),
 * booleans only for equality. The one conversion: an ISO 8601 date string
 * meets a number (epoch ms, e.g. `now()`) or another ISO string, and then
 * both are compared as instants. null (a missing fact) compares false.
 */
import { isoToEpoch, parseIso, type IsoParts } from './dates';

/** A comparison operand whose ISO-ness is already known (literals are parsed once, at compile time). */
export interface Known {
  value: unknown;
  /** undefined: not yet looked at; null: not an ISO date. */
  iso?: IsoParts | null;
}

function isoOf(k: Known): IsoParts | null {
  if (k.iso === undefined) k.iso = typeof k.value === 'string' ? parseIso(k.value) : null;
  return k.iso;
}

/** Negative, zero or positive; null when the two cannot be ordered. */
export function order(a: Known, b: Known, tz: string | undefined): number | null {
  const x = a.value;
  const y = b.value;
  if (typeof x === 'number' && typeof y === 'number') return Number.isNaN(x) || Number.isNaN(y) ? null : x - y;
  if (typeof x === 'string' && typeof y === 'string') {
    const px = isoOf(a);
    const py = px && isoOf(b);
    if (px && py) return isoToEpoch(px, tz) - isoToEpoch(py, tz);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof x === 'number' && typeof y === 'string') {
    const py = isoOf(b);
    return py && !Number.isNaN(x) ? x - isoToEpoch(py, tz) : null;
  }
  if (typeof x === 'string' && typeof y === 'number') {
    const px = isoOf(a);
    return px && !Number.isNaN(y) ? isoToEpoch(px, tz) - y : null;
  }
  return null;
}

export function equals(a: Known, b: Known, tz: string | undefined): boolean {
  const x = a.value;
  const y = b.value;
  if (x === null || y === null || x === undefined || y === undefined) return false;
  if (typeof x === 'boolean' || typeof y === 'boolean') return x === y;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((el, i) => equals({ value: el }, { value: y[i] }, tz));
  }
  if (typeof x === 'string' && typeof y === 'string' && x === y) return true;
  const o = order(a, b, tz);
  return o === 0;
}

/** `a in list`: some element equals a. A non-list or a null `a` gives false. */
export function memberOf(a: Known, list: unknown, tz: string | undefined): boolean {
  if (a.value === null || !Array.isArray(list)) return false;
  return list.some((el) => equals(a, { value: el }, tz));
}

export function contains(haystack: unknown, needle: Known, tz: string | undefined): boolean {
  if (needle.value === null) return false;
  if (typeof haystack === 'string') return typeof needle.value === 'string' && haystack.includes(needle.value);
  if (Array.isArray(haystack)) return haystack.some((el) => equals({ value: el }, needle, tz));
  return false;
}
