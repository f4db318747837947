import fc from 'fast-check';
import type { Role } from '../../src/config/config';
import type { DocumentedRoute } from '../../src/api/docs/registered-routes';

/** One generated request, kept printable so a failure can be reproduced by hand. */
export interface FuzzRequest {
  method: string;
  path: string;
  /** A role's key, a bad key, a malformed header, or none. */
  auth: { role: Role } | { header: string } | null;
  contentType: string | null;
  body: string | Uint8Array | null;
  /** What kind of body this is, for the failure report. */
  shape: string;
}

const ROLES: Role[] = ['ingest', 'support', 'operator', 'admin'];

/** Path parameters: ordinary, percent-encoded odd text, and raw sequences routers trip on. */
const pathParam = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('%', '%zz', '%00', '%2F', '..', '.', '%2e%2e', 'a%20b', '~', "'", '%C3%28', '%FF%FE', ';', 'null', '__proto__', 'constructor'),
  fc.integer({ min: 1000, max: 20000 }).map((n) => 'k'.repeat(n)),
);

const queryValue = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '0', '-1', '1e9', '99999999999', 'NaN', '(exited)', '%zz', '[]', '{}'));
const queryString = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom('version', 'from', 'to', 'limit', '__proto__', 'x[y]', 'a.b'), fc.string({ maxLength: 10 })), queryValue), { maxLength: 5 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '')),
  fc.constantFrom('?', '?&&', '?=', '?version', '?from=%zz&to=%', '?version[]=1', '?version=1&version=2'),
);

/** Nesting beyond what a recursive parser or schema can take by the stack. */
const deep = fc.tuple(fc.integer({ min: 100, max: 20000 }), fc.constantFrom('[', '{"a":', '{"steps":[')).map(([depth, open]) => {
  const close = open === '[' ? ']' : open === '{"a":' ? '}' : ']}';
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
});

/** Wrong-typed values put where a route's example has a known field. */
const wrongValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1e308, '', [], {}, 'x'.repeat(100_000), '2026-13-45T99:99:99Z', '\u0000', '\ud800'),
);

const mutate = (example: unknown) =>
  fc.tuple(fc.nat(), wrongValue, fc.boolean()).map(([n, value, drop]) => {
    if (typeof example !== 'object' || example === null || Array.isArray(example)) return value;
    const copy: Record<string, unknown> = { ...(example as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = keys[n % keys.length];
    if (drop) delete copy[key];
    else copy[key] = value;
    return copy;
  });

const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => new Uint8Array([0x7b, 0x22, 0xff, 0xfe, ...bytes, 0xc3, 0x28, 0x22, 0x7d]));

function bodyFor(route: DocumentedRoute): fc.Arbitrary<{ body: string | Uint8Array | null; shape: string }> {
  const json = (shape: string) => (v: unknown) => ({ body: JSON.stringify(v) ?? 'null', shape });
  return fc.oneof(
    { arbitrary: fc.constant({ body: null, shape: 'none' }), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json('random json')), weight: 3 },
    { arbitrary: mutate(route.example ?? {}).map(json('example with a wrong field')), weight: 4 },
    { arbitrary: withOutOfRange(route.example ?? {}).map(json('example with an out-of-range value')), weight: 3 },
    { arbitrary: fc.integer({ min: 0, max: 1_000_000 }).chain((n) => validCampaign(`fuzz-${n}`)).map(json('deep valid campaign')), weight: 1 },
    { arbitrary: fc.array(mutate(route.example ?? {}), { minLength: 1, maxLength: 5 }).map((events) => ({ events })).map(json('batch with wrong fields')), weight: 1 },
    { arbitrary: fc.integer({ min: 10_000, max: 1_000_000 }).map((n) => json('huge string')({ id: 'x'.repeat(n), type: 'y'.repeat(n), key: 'z'.repeat(n) })), weight: 1 },
    { arbitrary: deep.map((body) => ({ body, shape: 'deep nesting' })), weight: 1 },
    { arbitrary: fc.string({ maxLength: 200 }).map((body) => ({ body, shape: 'not json' })), weight: 1 },
    { arbitrary: invalidUtf8.map((body) => ({ body, shape: 'invalid utf-8' })), weight: 1 },
  );
}

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  { arbitrary: fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/jsonx', '*/*', 'application/json;;;'), weight: 2 },
);

const auth = fc.oneof(
  { arbitrary: fc.constantFrom(...ROLES).map((role) => ({ role })), weight: 6 },
  { arbitrary: fc.constantFrom('Bearer not-a-key', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer', 'Bearer a b c', `Bearer ${'k'.repeat(10_000)}`).map((header) => ({ header })), weight: 2 },
  { arbitrary: fc.constant(null), weight: 1 },
);

export function fuzzRequests(routes: readonly DocumentedRoute[]): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        method: fc.oneof({ arbitrary: fc.constant(route.method.toUpperCase()), weight: 8 }, { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), weight: 1 }),
        params: fc.array(pathParam, { minLength: 4, maxLength: 4 }),
        query: queryString,
        auth,
        contentType,
        payload: bodyFor(route),
      })
      .map(({ method, params, query, auth, contentType, payload }): FuzzRequest => {
        let i = 0;
        const path = route.path.replace(/\{[^}]+\}/g, () => params[i++]) + query;
        const hasBody = method !== 'GET' && payload.body !== null;
        return { method, path, auth, contentType: hasBody ? contentType : null, body: hasBody ? payload.body : null, shape: hasBody ? payload.shape : 'none' };
      }),
  );
}

/**
 * Well-formed JSON that is out of range: what a schema checking only types
 * lets through to PostgreSQL, `Date` or Temporal. Lone surrogates, instants
 * at and past the edges of timestamptz and `Date`, integers past int/int64
 * and doubles, durations that overflow a date.
 */
export const outOfRange: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('\ud800', 'a\udc00b', '\udbff', 'ok\ud83d', '\udfff\ud800'),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+15:59',
    '9999-12-31T23:59:59-15:59',
    '9999-12-31T23:59:59.9999999Z',
    '2026-01-01T00:00:00+23:59',
    '2026-01-01T00:00:00-16:00',
    '2026-02-29T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '-271821-04-20T00:00:00Z',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, 1e21, -1e300, 1e308, 5e-324, -0),
  fc.integer({ min: 2 ** 31 - 2, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom('P999999999Y', 'PT99999999999H', 'P285617Y', 'P100000Y', 'P9999999999999999999D', 'PT0S', 'P0D', 'P1Y2M3W4DT5H6M7.5S'),
  fc.bigInt({ min: 1n, max: 10n ** 30n }).map((n) => `P${n}D`),
);

/** A copy of `value` with the value at one random place (any depth), or a new key there, replaced by `replacement`. */
function replaceSomewhere(value: unknown, pick: number, replacement: unknown, asKey: boolean): unknown {
  const places: Array<Array<string | number>> = [[]];
  const walk = (v: unknown, path: Array<string | number>, depth: number) => {
    if (depth > 12 || typeof v !== 'object' || v === null) return;
    for (const [k, inner] of Object.entries(v)) {
      const p = [...path, Array.isArray(v) ? Number(k) : k];
      places.push(p);
      walk(inner, p, depth + 1);
    }
  };
  walk(value, [], 0);
  const path = places[pick % places.length];
  const copy = structuredClone(value);
  if (path.length === 0) return asKey && typeof copy === 'object' && copy !== null ? { ...copy, [String(replacement)]: 1 } : replacement;
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (asKey && typeof parent[last] === 'object' && parent[last] !== null && !Array.isArray(parent[last])) {
    (parent[last] as Record<string, unknown>)[String(replacement)] = 'x';
  } else {
    parent[last] = replacement;
  }
  return copy;
}

/** `value` with one out-of-range value (or key) somewhere inside. */
export const withOutOfRange = (value: unknown) =>
  fc.tuple(fc.nat(), outOfRange, fc.boolean()).map(([pick, replacement, asKey]) => replaceSomewhere(value, pick, replacement, asKey));

const messageStep = fc.record({ type: fc.constant('message'), channel: fc.constantFrom('push', 'sms', 'email', 'inapp'), template: fc.constantFrom('hello', 'nudge') });

/** Action groups nested `depth` deep, each level with one to three steps. */
const nestedGroup = (depth: number): fc.Arbitrary<unknown> =>
  depth <= 0
    ? messageStep
    : fc.record({
        strategy: fc.constantFrom('parallel', 'serial', 'priority'),
        steps: fc.array(fc.oneof({ arbitrary: nestedGroup(depth - 1), weight: 3 }, { arbitrary: messageStep, weight: 1 }), { minLength: 1, maxLength: 2 }),
      });

/**
 * A campaign that compiles: a chain of states with event, condition and
 * timer transitions and deeply nested action groups; no reward pools needed.
 */
export const validCampaign = (key: string): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      states: fc.integer({ min: 1, max: 25 }),
      depth: fc.integer({ min: 0, max: 12 }),
      after: fc.constantFrom('PT1M', 'P3D', 'P1Y', 'P10Y'),
      threshold: fc.integer({ min: 0, max: 1000 }),
      maxEntries: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      mode: fc.constantFrom('serial', 'parallel'),
    })
    .chain(({ states, depth, after, threshold, maxEntries, mode }) =>
      nestedGroup(depth).map((actions) => {
        const names = Array.from({ length: states }, (_, i) => `s${i}`);
        const stateDefs: Record<string, unknown> = {};
        names.forEach((name, i) => {
          const next = names[i + 1];
          stateDefs[name] = next
            ? {
                actions: i === 0 ? actions : undefined,
                transitions: [
                  { to: next, on: 'order.completed', if: `event.amount > ${threshold}` },
                  { to: next, after },
                ],
              }
            : { actions, end: true };
        });
        return {
          key,
          name: `fuzz ${key}`,
          entry: { on: 'order.completed' },
          participation: { maxEntries, mode },
          exitOn: [{ on: 'user.unsubscribed' }],
          initial: 's0',
          states: JSON.parse(JSON.stringify(stateDefs)) as unknown,
        };
      }),
    );

/** What one multi-step sequence sends: a campaign (valid, or with one out-of-range value inside), a user, an event. */
export interface FuzzSequence {
  campaign: Record<string, unknown>;
  userId: unknown;
  event: Record<string, unknown>;
  reason: unknown;
}

export const fuzzSequence = (key: string): fc.Arbitrary<FuzzSequence> =>
  fc.record({
    campaign: fc.oneof({ arbitrary: validCampaign(key), weight: 3 }, { arbitrary: validCampaign(key).chain(withOutOfRange), weight: 1 }) as fc.Arbitrary<Record<string, unknown>>,
    userId: fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 30 }), weight: 3 }, { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), weight: 2 }, { arbitrary: outOfRange, weight: 1 }),
    event: fc.oneof(
      { arbitrary: fc.record({ properties: fc.record({ amount: fc.integer({ min: 0, max: 2000 }) }) }), weight: 3 },
      { arbitrary: fc.record({ properties: fc.record({ amount: fc.integer() }) }).chain(withOutOfRange), weight: 2 },
      { arbitrary: fc.record({ occurredAt: outOfRange, properties: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ v })) }), weight: 1 },
    ) as fc.Arbitrary<Record<string, unknown>>,
    reason: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), outOfRange),
  });
