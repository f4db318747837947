import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * METRICS_TOKEN: a platform team that cannot keep /metrics off the network
 * makes Prometheus present a token; /health and /readyz stay open for probes,
 * and API keys (any role) do not stand in for it.
 */
describe('/metrics with METRICS_TOKEN set', () => {
  const token = `scrape-${'7e51d08b'.repeat(3)}`;
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest({ env: { METRICS_TOKEN: token } });
  });
  afterAll(async () => sut?.stop());

  it('answers only its bearer token; probes stay open', async () => {
    const refused = await sut.request('GET', '/metrics');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: 'unauthorized', message: expect.stringContaining('METRICS_TOKEN') } });
    expect((await sut.request('GET', '/metrics', { role: 'admin' })).status).toBe(401);
    const scraped = await sut.request('GET', '/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.body as string).toContain('kairos_outbox_pending_deliveries');
    expect((await sut.request('GET', '/readyz')).status).toBe(200);
    expect((await sut.request('GET', '/health')).status).toBe(200);
  });
});
