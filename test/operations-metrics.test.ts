import { launchCampaign, sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** A gauge's value from Prometheus text, or undefined when the sample is absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) ? l.includes(labels) : labels === '' && l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * The on-call questions the API's /metrics answers from the system's state:
 * how much budget and how many codes each pool has left, how many journeys hold a step for an
 * operator, and how old this instance's routing index is.
 */
describe('operations metrics on /metrics', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  const metrics = async () => (await sut.request('GET', '/metrics')).body as string;

  it('shows each pool budget and what is left of it', async () => {
    expect((await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'ops-points', kind: 'points', budget: 100 } })).status).toBe(201);
    await launchCampaign(sut, {
      key: 'ops-spend',
      name: 'Spend',
      entry: { on: 'order.completed' },
      initial: 'rewarded',
      states: { rewarded: { actions: { steps: [{ type: 'points', amount: 30, pool: 'ops-points' }] }, end: true } },
    });
    // Within 5 s of an earlier scrape, /metrics gives that scrape's pools (review 59, finding 3): a new pool comes with the next read.
    let text = await eventually(async () => {
      const t = await metrics();
      return sample(t, 'kairos_pool_budget_total', 'pool="ops-points"') === 100 ? t : undefined;
    });
    expect(sample(text, 'kairos_pool_budget_left', 'pool="ops-points"')).toBe(100);
    await sendEvent(sut, { id: 'ops-o1', type: 'order.completed', userId: 'ops-u1' });
    text = await eventually(async () => {
      const t = await metrics();
      return sample(t, 'kairos_pool_budget_left', 'pool="ops-points"') === 70 ? t : undefined;
    });
    expect(sample(text, 'kairos_pool_budget_total', 'pool="ops-points"')).toBe(100);
  });

  it("shows each coupon pool's codes left, with or without a budget: a reclaim gives the budget back but voids the code", async () => {
    const pool = async (body: Record<string, unknown>) => expect((await sut.request('POST', '/v1/pools', { role: 'operator', body: { kind: 'coupon', ...body } })).status).toBe(201);
    await pool({ key: 'ops-coupons', budget: 2, codes: ['OPS-1', 'OPS-2'] });
    await pool({ key: 'ops-unbudgeted', generate: { pattern: 'OPS-####', count: 3 } });
    await launchCampaign(sut, {
      key: 'ops-coupon',
      name: 'Coupon',
      entry: { on: 'order.completed' },
      initial: 'rewarded',
      states: { rewarded: { actions: { steps: [{ type: 'coupon', pool: 'ops-coupons' }] }, end: true } },
    });
    let text = await eventually(async () => {
      const t = await metrics();
      return sample(t, 'kairos_pool_codes_total', 'pool="ops-unbudgeted"') === 3 ? t : undefined;
    });
    expect(sample(text, 'kairos_pool_codes_left', 'pool="ops-unbudgeted"')).toBe(3);
    expect(sample(text, 'kairos_pool_budget_left', 'pool="ops-unbudgeted"')).toBeUndefined();
    await sendEvent(sut, { id: 'ops-c1', type: 'order.completed', userId: 'ops-u3' });
    await eventually(async () => (sample(await metrics(), 'kairos_pool_codes_left', 'pool="ops-coupons"') === 1 ? true : undefined));
    expect((await sut.request('POST', '/v1/events/ops-c1/cancel', { role: 'support', body: { reason: 'refund' } })).status).toBe(202);
    text = await eventually(async () => {
      const t = await metrics();
      return sample(t, 'kairos_pool_budget_left', 'pool="ops-coupons"') === 2 ? t : undefined;
    });
    // The budget alert sees the whole budget left; one code is left to hand out.
    expect({ codesTotal: sample(text, 'kairos_pool_codes_total', 'pool="ops-coupons"'), codesLeft: sample(text, 'kairos_pool_codes_left', 'pool="ops-coupons"') }).toEqual({ codesTotal: 2, codesLeft: 1 });
  });

  it('counts journeys holding a step for an operator', async () => {
    await launchCampaign(sut, {
      key: 'ops-held',
      name: 'Held',
      entry: { on: 'signup.completed' },
      initial: 'calling',
      // An address outside WEBHOOK_ALLOWED_HOSTS is refused for good: the step is held.
      states: { calling: { actions: { steps: [{ type: 'webhook', url: 'http://127.0.0.2:9/hook' }] }, end: true } },
    });
    await sendEvent(sut, { id: 'ops-s1', type: 'signup.completed', userId: 'ops-u2' });
    const held = await eventually(async () => {
      const n = sample(await metrics(), 'kairos_held_steps');
      return n !== undefined && n >= 1 ? n : undefined;
    }, 60_000);
    expect(held).toBeGreaterThanOrEqual(1);
  });

  it('counts requests by route template and status, with durations', async () => {
    expect((await sut.request('GET', '/v1/users/ops-nobody', { role: 'support' })).status).toBe(404);
    const text = await metrics();
    expect(sample(text, 'kairos_http_requests_total', 'route="/v1/users/:id",status="404"')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/kairos_http_request_duration_seconds_bucket\{le="0.005",[^}]*method="GET",route="\/v1\/users\/:id"/);
    // Raw paths never become labels.
    expect(text).not.toContain('ops-nobody');
  });

  it('shows how old the routing index is', async () => {
    const age = sample(await metrics(), 'kairos_routing_index_age_seconds');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(age)).toBe(true);
  });
});
