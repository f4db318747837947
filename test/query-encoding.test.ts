import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * A query parameter that is not percent-encoded UTF-8 (`%E9`, a Latin-1 é)
 * is a 400 at its name: Fastify's parser kept it as its raw text, so
 * `?causedBy=%E9` and `?causedBy=%25E9` read as one value (review 61, finding 4).
 */
describe('query parameters that are not percent-encoded UTF-8', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => {
    await sut?.stop();
  });

  it('are a 400 at their name, on routes with a query and without; what decodes is read as before', async () => {
    const raw = await sut.request('GET', '/v1/users/pc1/rewards?causedBy=%E9', { role: 'support' });
    expect({ status: raw.status, details: raw.body.error?.details }).toEqual({ status: 400, details: [{ path: 'causedBy', message: expect.stringMatching(/^not percent-encoded UTF-8/) }] });
    const mixed = await sut.request('GET', '/v1/users/pc1/rewards?limit=5&causedBy=%E9%78', { role: 'support' });
    expect(mixed.body.error?.details.map((d: { path: string }) => d.path)).toEqual(['causedBy']);
    // The spelling of the text "%E9" is read as that text.
    expect((await sut.request('GET', '/v1/users/pc1/rewards?causedBy=%25E9', { role: 'support' })).status).toBe(200);
    expect((await sut.request('GET', '/v1/users/pc1/rewards?causedBy=caf%C3%A9', { role: 'support' })).status).toBe(200);
    const noQuery = await sut.request('GET', '/v1/users/pc1?a=%FF', { role: 'support' });
    expect({ status: noQuery.status, paths: noQuery.body.error?.details.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['a'] });
    // Who may call comes first, as for every 400.
    expect((await sut.request('GET', '/v1/users/pc1/rewards?causedBy=%E9')).status).toBe(401);
    // Public routes take any query.
    expect((await sut.request('GET', '/livez?a=%E9')).status).toBe(200);
  });
});
