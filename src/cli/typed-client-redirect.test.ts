import { createKairosClient, KairosRedirectError, unwrap, type KairosApiError, type KairosClient } from '../../clients/ts/src';
import { kairosError, withStubServer, type StubRequest } from './test-support';

const errorOf = async (call: Promise<unknown>): Promise<unknown> => call.then(() => undefined, (err: unknown) => err);

/** Kairos behind B: 401 without a key, as Kairos answers it; the whoami answer with one; no POST /v1/events by GET. */
const kairos = (req: StubRequest) => {
  if (!req.headers.authorization) return { status: 401, body: kairosError('unauthorized', 'Send an API key as Authorization: Bearer <key>.') };
  if (req.method === 'GET' && req.path === '/v1/whoami') return { status: 200, body: { role: 'admin', may: [] } };
  return { status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) };
};

describe('the typed client on a redirect (review 55, finding 4)', () => {
  it('does not follow it: it names where it points, instead of blaming a valid key or the route', async () => {
    await withStubServer(kairos, async (target, reached) => {
      const calls: Array<[number, (c: KairosClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>]> = [
        [301, (c) => c.GET('/v1/whoami')],
        [302, (c) => c.POST('/v1/events', { body: { id: 'e1', type: 't', userId: 'u', occurredAt: '2026-01-01T00:00:00Z' } })],
        [308, (c) => c.GET('/v1/whoami')],
      ];
      for (const [status, call] of calls) {
        await withStubServer(
          (req) => ({ status, headers: { location: `${target}${req.path}` }, body: '<h1>Moved</h1>' }),
          async (url) => {
            const err = await errorOf(unwrap(call(createKairosClient({ baseUrl: url, apiKey: 'k' }))));
            // Followed, the key left behind on the way to B's origin: Kairos's own 401 (or a POST arriving as a GET: its 404), blaming a valid key.
            const { status: answered, code } = err as KairosApiError;
            expect({ status, answered, code, isRedirect: err instanceof KairosRedirectError }).toEqual({ status, answered: status, code: undefined, isRedirect: true });
            const redirect = err as KairosRedirectError;
            expect({ body: redirect.body, location: redirect.location }).toEqual({ body: undefined, location: expect.stringMatching(`^${target}/v1/`) as string });
            expect(redirect.message).toContain(`${status} a redirect to ${target}/v1/`);
            expect(redirect.message).toContain('set baseUrl to where Kairos answers');
          },
        );
      }
      expect(reached).toEqual([]);
    });
  });

  it('makes a relative Location absolute, from the URL asked', async () => {
    await withStubServer(
      () => ({ status: 301, headers: { location: '/elsewhere/v1/whoami' } }),
      async (url) => {
        const err = (await errorOf(unwrap(createKairosClient({ baseUrl: url, apiKey: 'k' }).GET('/v1/whoami')))) as KairosRedirectError;
        expect(err.location).toBe(`${url}/elsewhere/v1/whoami`);
      },
    );
  });

  it("still follows one when the caller asks for it (`redirect: 'follow'`)", async () => {
    await withStubServer(kairos, async (target, reached) => {
      await withStubServer(
        (req) => ({ status: 301, headers: { location: `${target}${req.path}` } }),
        async (url) => {
          await errorOf(unwrap(createKairosClient({ baseUrl: url, apiKey: 'k', redirect: 'follow' }).GET('/v1/whoami')));
          expect(reached.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/whoami']);
        },
      );
    });
  });
});
