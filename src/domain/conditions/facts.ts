/**
 * Fact names: which are valid, what they are called canonically, and how to
 * read one from a FactContext. Readers are built once per fact so evaluation
 * does not re-split paths.
 */
import type { StaticType } from './ast';
import type { FactContext } from './types';

// Timestamps are typed `any`, not `string`: they are ISO dates that may meet numbers (`now()`).
const JOURNEY_FACTS: Readonly<Record<string, StaticType>> = { enteredAt: 'any', stateEnteredAt: 'any', entries: 'number' };
const EVENT_FIELDS: Readonly<Record<string, StaticType>> = { type: 'string', id: 'string', occurredAt: 'any' };

/** The facts every condition can read whatever the events and profiles hold (for completion and the vocabulary endpoint). */
export const BUILT_IN_FACTS: readonly string[] = [...Object.keys(EVENT_FIELDS).map((k) => `event.${k}`), ...Object.keys(JOURNEY_FACTS).map((k) => `journey.${k}`)];

export type FactResolution = { ok: true; path: string; type: StaticType } | { ok: false; message: string };

/**
 * `price` alone is shorthand for `event.price` (the seed articles write it
 * that way); a dotted name must start with `event`, `user` or `journey`.
 */
export function resolveFact(segments: readonly string[]): FactResolution {
  const [root, ...rest] = segments;
  if (rest.length === 0) {
    if (root === 'event' || root === 'user' || root === 'journey') return { ok: false, message: `'${root}' needs a property: ${root}.<name>` };
    return { ok: true, path: `event.${root}`, type: 'any' };
  }
  if (root === 'event') {
    const type = rest.length === 1 && has(EVENT_FIELDS, rest[0]) ? EVENT_FIELDS[rest[0]] : 'any';
    return { ok: true, path: segments.join('.'), type };
  }
  if (root === 'user') return { ok: true, path: segments.join('.'), type: 'any' };
  if (root === 'journey') {
    if (rest.length === 1 && has(JOURNEY_FACTS, rest[0])) return { ok: true, path: segments.join('.'), type: JOURNEY_FACTS[rest[0]] };
    return { ok: false, message: `unknown journey fact '${segments.join('.')}' (known: journey.enteredAt, journey.stateEnteredAt, journey.entries)` };
  }
  return { ok: false, message: `unknown fact root '${root}' (facts start with event., user. or journey.)` };
}

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Own properties only: `event.constructor` must read a property, not Object.prototype. */
function walk(value: unknown, keys: readonly string[], plain: readonly boolean[]): unknown {
  let cur = value;
  for (let i = 0; i < keys.length; i++) cur = own(cur, keys[i], plain[i]);
  return cur;
}

/** Names every plain object inherits (`constructor`, `toString`, `__proto__` ...). */
const INHERITED: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** True when `key` is not a name plain objects inherit; computed once per fact path, at compile time. */
export function plainKey(key: string): boolean {
  return !INHERITED.has(key);
}

/**
 * One step of `walk`: the own property `k` of a non-list object, null when
 * there is none (or it is undefined). Facts are JSON data, whose objects
 * inherit only Object.prototype's names: for any other name (`plain`, see
 * `plainKey`) a value that is not a function is taken without the
 * hasOwnProperty lookup, which was the largest cost of a fact read; an
 * inherited name or a function value is kept only if it is own.
 */
export function own(obj: unknown, k: string, plain: boolean): unknown {
  if (obj === null || typeof obj !== 'object') return null;
  const v = (obj as Record<string, unknown>)[k];
  // A list is never walked into (`tags.length`, `tags.0` are null); asked only once something was found.
  if (v === undefined || Array.isArray(obj)) return null;
  return (plain && typeof v !== 'function') || has(obj, k) ? v : null;
}

export type Reader = (ctx: FactContext) => unknown;

/**
 * A reader for a canonical path produced by `resolveFact`. The common depths
 * get their own closures, so a read is a few property loads, no loop.
 */
export function factReader(path: string): Reader {
  const [root, ...rest] = path.split('.');
  if (root === 'journey') {
    const key = rest[0] as keyof FactContext['journey'];
    return (ctx) => ctx.journey?.[key] ?? null;
  }
  const plain = rest.map(plainKey);
  if (root === 'user') {
    if (rest.length === 1) {
      const [a] = rest;
      const pa = plain[0];
      return (ctx) => own(ctx.user, a, pa);
    }
    return (ctx) => walk(ctx.user, rest, plain);
  }
  if (rest.length === 1 && has(EVENT_FIELDS, rest[0])) {
    const key = rest[0] as 'id' | 'type' | 'occurredAt';
    return (ctx) => ctx.event?.[key] ?? null;
  }
  if (rest.length === 1) {
    const [a] = rest;
    const pa = plain[0];
    return (ctx) => {
      const e = ctx.event;
      return e === null || e === undefined ? null : own(e.properties, a, pa);
    };
  }
  if (rest.length === 2) {
    const [a, b] = rest;
    const [pa, pb] = plain;
    return (ctx) => {
      const e = ctx.event;
      return e === null || e === undefined ? null : own(own(e.properties, a, pa), b, pb);
    };
  }
  return (ctx) => walk(ctx.event?.properties, rest, plain);
}
