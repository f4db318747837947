import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createKairosClient, KairosAnswerError, KairosApiError, unwrap } from '../../clients/ts/src';

/** A client whose every call is answered with `response` (no socket). */
const answeredWith = (response: () => Response) => createKairosClient({ baseUrl: 'http://kairos.test', apiKey: 'k', fetch: () => Promise.resolve(response()) });

const errorOf = async (call: Promise<unknown>): Promise<unknown> => call.then(() => undefined, (err: unknown) => err);

describe('the typed client: KairosApiError keeps what the answer said (review 44, finding 6)', () => {
  const unavailable = (headers: Record<string, string>) => () =>
    new Response(JSON.stringify({ error: { code: 'postgres_unavailable', message: 'PostgreSQL is not reachable; retry after Retry-After seconds.', details: [] } }), {
      status: 503,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('gives Retry-After in seconds, and the headers, so a service that unwraps can wait as told', async () => {
    const err = await errorOf(unwrap(answeredWith(unavailable({ 'retry-after': '5' })).GET('/v1/campaigns')));
    expect(err).toBeInstanceOf(KairosApiError);
    expect(err).toMatchObject({ status: 503, code: 'postgres_unavailable', retryAfterSeconds: 5 });
    expect((err as KairosApiError).headers.get('retry-after')).toBe('5');
  });

  it('reads a Retry-After date as the seconds from now, and none as null (do not retry on a timer)', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const dated = (await errorOf(unwrap(answeredWith(unavailable({ 'retry-after': inTenSeconds })).GET('/v1/campaigns')))) as KairosApiError;
    expect(dated.retryAfterSeconds).toBeGreaterThanOrEqual(8);
    expect(dated.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(((await errorOf(unwrap(answeredWith(unavailable({})).GET('/v1/campaigns')))) as KairosApiError).retryAfterSeconds).toBeNull();
  });

  it("reads HTTP's obsolete date forms too, as GMT", async () => {
    for (const value of ['Friday, 01-Jan-49 00:00:00 GMT', 'Fri Jan  1 00:00:00 2049']) {
      const err = (await errorOf(unwrap(answeredWith(unavailable({ 'retry-after': value })).GET('/v1/campaigns')))) as KairosApiError;
      const untilThen = Math.ceil((Date.UTC(2049, 0, 1) - Date.now()) / 1000);
      expect({ value, near: Math.abs((err.retryAfterSeconds ?? 0) - untilThen) <= 2 }).toEqual({ value, near: true });
    }
  });

  it('reads a Retry-After that is neither seconds nor an HTTP date as none, not as 0', async () => {
    for (const value of ['1.5', '-1', '2026-12-05', 'soon']) {
      const err = (await errorOf(unwrap(answeredWith(unavailable({ 'retry-after': value })).GET('/v1/campaigns')))) as KairosApiError;
      expect({ value, retryAfterSeconds: err.retryAfterSeconds }).toEqual({ value, retryAfterSeconds: null });
    }
  });

  it('is still made from a status and a body alone, as before', () => {
    const err = new KairosApiError(404, { error: { code: 'not_found', message: 'No campaign x.', details: [] } });
    expect({ status: err.status, code: err.code, message: err.message, retryAfterSeconds: err.retryAfterSeconds, headers: [...err.headers] }).toEqual({
      status: 404,
      code: 'not_found',
      message: '404 not_found: No campaign x.',
      retryAfterSeconds: null,
      headers: [],
    });
  });
});

describe("the client's README on a proxy's error page (review 44, finding 9)", () => {
  it('names the error it rejects with: a KairosApiError without a body, its status kept', async () => {
    const page = () => new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 502, headers: { 'content-type': 'text/html' } });
    const err = await errorOf(unwrap(answeredWith(page).GET('/v1/campaigns')));
    expect(err).toBeInstanceOf(KairosApiError);
    expect(err).toMatchObject({ status: 502, body: undefined });
    const readme = readFileSync(path.join(__dirname, '../../clients/ts/README.md'), 'utf8').replace(/\s+/g, ' ');
    const sentence = readme.split(/(?<=\.) /).find((s) => s.includes("proxy's error page"));
    expect(sentence).toContain('`KairosApiError`');
    expect(sentence).not.toContain('KairosAnswerError');
  });
});

describe("the client on a gateway's JSON that looks like Kairos's error body (review 47, minor note)", () => {
  it('rejects with a KairosApiError without a body, its status kept, not a TypeError', async () => {
    for (const error of [{ code: 'bad_gateway' }, { code: 'bad_gateway', message: 'Upstream failed.' }, { code: 'x', message: 'y', details: [{ reason: 'z' }] }]) {
      const gateway = () => new Response(JSON.stringify({ error }), { status: 502, headers: { 'content-type': 'application/json' } });
      const err = await errorOf(unwrap(answeredWith(gateway).GET('/v1/campaigns')));
      expect({ error, isApiError: err instanceof KairosApiError, status: (err as KairosApiError).status, body: (err as KairosApiError).body }).toEqual({ error, isApiError: true, status: 502, body: undefined });
    }
  });

  it("still keeps Kairos's own body", async () => {
    const body = { error: { code: 'invalid_body', message: 'Invalid.', details: [{ path: 'key', message: 'Required' }] } };
    const answer = () => new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } });
    expect(((await errorOf(unwrap(answeredWith(answer).GET('/v1/campaigns')))) as KairosApiError).body).toEqual(body);
  });
});

describe('the client on a 2xx without a body (review 49, finding 1)', () => {
  it('rejects with a KairosAnswerError, as for a body that is not JSON: no Kairos route answers without one', async () => {
    const empty = [
      () => new Response(null, { status: 200, headers: { 'content-length': '0' } }),
      () => new Response(null, { status: 204 }),
      // No Content-Length: openapi-fetch reads the text, finds none, and gives data undefined too.
      () => new Response('', { status: 200, headers: { 'content-type': 'application/json' } }),
    ];
    for (const [i, answer] of empty.entries()) {
      const err = await errorOf(unwrap(answeredWith(answer).POST('/v1/pools', { body: { key: 'p', kind: 'points' } as never })));
      expect({ i, isAnswerError: err instanceof KairosAnswerError, message: (err as Error | undefined)?.message }).toEqual({ i, isAnswerError: true, message: expect.stringContaining('has no body') as string });
    }
  });

  it("still gives a 2xx's JSON as it came", async () => {
    const pool = { key: 'p', kind: 'points' };
    const answer = () => new Response(JSON.stringify(pool), { status: 201, headers: { 'content-type': 'application/json' } });
    expect(await unwrap(answeredWith(answer).POST('/v1/pools', { body: pool as never }))).toEqual(pool);
  });
});
