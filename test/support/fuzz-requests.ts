import fc from 'fast-check';
import type { Role } from '../../src/config/config';
import type { ApiRoute } from '../../src/api/docs/api-routes';

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

function bodyFor(route: ApiRoute): fc.Arbitrary<{ body: string | Uint8Array | null; shape: string }> {
  const json = (shape: string) => (v: unknown) => ({ body: JSON.stringify(v) ?? 'null', shape });
  return fc.oneof(
    { arbitrary: fc.constant({ body: null, shape: 'none' }), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json('random json')), weight: 3 },
    { arbitrary: mutate(route.example ?? {}).map(json('example with a wrong field')), weight: 4 },
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

export function fuzzRequests(routes: readonly ApiRoute[]): fc.Arbitrary<FuzzRequest> {
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
