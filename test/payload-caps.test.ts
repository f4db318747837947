import { journeyWorkflowId } from '../src/workflows/journey/contract';
import { spendAndPost } from './support/campaign-fixtures';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const KiB = 1024;
const paths = (body: { error?: { details?: Array<{ path: string }> } }) => (body.error?.details ?? []).map((d) => d.path).sort();

/**
 * Nothing is accepted that Temporal could not carry (its blob limit is
 * 2 MB): oversized parts are a 413 at their path. What Temporal refuses for
 * good anyway ends as a dead delivery, shown on the event and in metrics,
 * instead of being retried forever.
 */
describe('payload caps and dead deliveries', () => {
  let sut: SystemUnderTest;
  const campaign = spendAndPost('caps');
  beforeAll(async () => {
    sut = await startSystemUnderTest({ env: { MAX_PROFILE_ATTRIBUTES_BYTES: String(64 * KiB) }, outbox: { firstRetryMs: 100, maxRetryMs: 200, relayIntervalMs: 100 } });
    expect((await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'vip-20-off', kind: 'coupon', codes: ['A-1'] } })).status).toBe(201);
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: campaign })).status).toBe(201);
    expect((await sut.request('POST', '/v1/campaigns/caps/activate', { role: 'operator', body: {} })).status).toBe(200);
  });
  afterAll(async () => sut?.stop());

  const event = (id: string, bytes = 10) => ({ id, type: 'order.completed', userId: 'u-1', properties: { amount: 3, blob: 'x'.repeat(bytes) } });

  it('413 for event properties past 256 KiB, alone or anywhere in a batch, and nothing of the batch is stored', async () => {
    const one = await sut.request('POST', '/v1/events', { role: 'ingest', body: event('big-1', 257 * KiB) });
    expect({ status: one.status, code: one.body.error?.code, paths: paths(one.body) }).toEqual({ status: 413, code: 'payload_too_large', paths: ['properties'] });
    const batch = await sut.request('POST', '/v1/events', { role: 'ingest', body: { events: [event('b-0'), event('b-1'), event('b-2', 300 * KiB)] } });
    expect({ status: batch.status, paths: paths(batch.body) }).toEqual({ status: 413, paths: ['events[2].properties'] });
    const [{ n }] = await sut.db.dataSource.query(`select count(*)::int as n from events`);
    expect(n).toBe(0);
    const justUnder = await sut.request('POST', '/v1/events', { role: 'ingest', body: event('under-1', 250 * KiB) });
    expect(justUnder.status).toBe(202);
  });

  it('413 for profile attributes past the cap, in one request or merged over several', async () => {
    const big = await sut.request('PUT', '/v1/users/u-2', { role: 'ingest', body: { attributes: { notes: 'n'.repeat(65 * KiB) } } });
    expect({ status: big.status, paths: paths(big.body) }).toEqual({ status: 413, paths: ['attributes'] });
    expect((await sut.request('PUT', '/v1/users/u-2', { role: 'ingest', body: { attributes: { a: 'a'.repeat(40 * KiB) } } })).status).toBe(200);
    const merged = await sut.request('PUT', '/v1/users/u-2', { role: 'ingest', body: { attributes: { b: 'b'.repeat(40 * KiB) } } });
    expect({ status: merged.status, paths: paths(merged.body) }).toEqual({ status: 413, paths: ['attributes'] });
    const stored = await sut.request('GET', '/v1/users/u-2', { role: 'support' });
    expect(Object.keys(stored.body.attributes)).toEqual(['a']);
    // Making room first works.
    expect((await sut.request('PUT', '/v1/users/u-2', { role: 'ingest', body: { attributes: { a: null, b: 'b'.repeat(40 * KiB) } } })).status).toBe(200);
  });

  it('413 for a campaign definition past 512 KiB, created, validated or versioned', async () => {
    const huge = { ...campaign, key: 'huge', description: 'd'.repeat(100), states: { ...campaign.states, expired: { end: true, description: 'e'.repeat(2000) } } };
    for (let i = 0; i < 300; i++) huge.states[`s${i}`] = { description: 'x'.repeat(1990), end: true };
    for (const [method, path] of [['POST', '/v1/campaigns'], ['POST', '/v1/campaigns/validate'], ['PUT', '/v1/campaigns/caps']]) {
      const res = await sut.request(method, path, { role: 'operator', body: method === 'PUT' ? { ...huge, key: undefined } : huge });
      expect({ path, status: res.status, paths: paths(res.body) }).toEqual({ path, status: 413, paths: [''] });
    }
  });

  it('a delivery Temporal refuses for good (a 2.5 MB start, past the API cap) ends dead after 3 attempts: on the event and in metrics', async () => {
    // Past the API cap on purpose: stored directly, as an older version or a larger cap might have.
    const id = 'too-big-for-temporal';
    const payload = { version: 1, id, type: 'order.completed', userId: 'u-big', occurredAt: new Date().toISOString(), properties: { amount: 3, blob: 'x'.repeat(2.5 * 1024 * KiB) } };
    await sut.db.dataSource.query(`insert into events (id, type, user_id, occurred_at, properties) values ($1, $2, $3, now(), $4::jsonb)`, [id, payload.type, payload.userId, JSON.stringify(payload.properties)]);
    await sut.db.dataSource.query(
      `insert into signal_outbox (event_id, kind, campaign_key, campaign_version, user_id, workflow_id, payload) values ($1, 'start', 'caps', 1, $2, $3, $4::jsonb)`,
      [id, payload.userId, journeyWorkflowId('caps', payload.userId), JSON.stringify(payload)],
    );
    const delivery = await eventually(async () => {
      const res = await sut.request('GET', `/v1/events/${id}`, { role: 'support' });
      const d = res.body.deliveries?.[0];
      return d?.status === 'dead' ? d : undefined;
    }, 60_000);
    expect(delivery).toEqual(expect.objectContaining({ status: 'dead', attempts: 3, nextAttemptAt: null, deliveredAt: null, lastError: expect.stringMatching(/size|limit|large/i) }));
    const metrics = await sut.request('GET', '/metrics');
    expect(metrics.body).toMatch(/^kairos_outbox_dead_deliveries({[^}]*})? 1$/m);
    // Just now, so within the hour the alert reads.
    expect(metrics.body).toMatch(/^kairos_outbox_dead_deliveries_last_hour({[^}]*})? 1$/m);
    expect(metrics.body).toMatch(/^kairos_outbox_pending_deliveries({[^}]*})? 0$/m);
  });
});
