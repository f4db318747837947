import { launchCampaign, sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** The template gallery against the real system: served from examples/templates, rendered drafts the compiler accepts, one run end to end. */
describe('campaign templates', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  it('lists the plays with their parameters for support, and shows one with its campaign body', async () => {
    const list = await sut.request('GET', '/v1/templates', { role: 'support' });
    expect(list.status).toBe(200);
    const keys = list.body.templates.map((t: { key: string }) => t.key);
    expect(keys).toEqual(expect.arrayContaining(['first-order-coupon', 'spend-or-orders-and-posts', 'birthday-points', 'sign-in-streak', 're-engagement', 'tiered-rewards', 'ab-split']));
    const spend = list.body.templates.find((t: { key: string }) => t.key === 'spend-or-orders-and-posts');
    expect(spend.parameters.find((p: { name: string }) => p.name === 'minPosts')).toMatchObject({ type: 'integer', default: 10, min: 1, help: expect.any(String) });
    expect(spend.campaign).toBeUndefined();

    const one = await sut.request('GET', '/v1/templates/spend-or-orders-and-posts', { role: 'support' });
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.body.campaign)).toContain('{{minPosts}}');
    expect((await sut.request('GET', '/v1/templates/nope', { role: 'support' })).status).toBe(404);
  });

  it('renders every template with its defaults to a draft that POST /v1/campaigns/validate accepts', async () => {
    const list = await sut.request('GET', '/v1/templates', { role: 'support' });
    for (const { key } of list.body.templates as { key: string }[]) {
      const rendered = await sut.request('POST', `/v1/templates/${key}/render`, { role: 'operator', body: {} });
      expect({ key, status: rendered.status }).toEqual({ key, status: 200 });
      const validated = await sut.request('POST', '/v1/campaigns/validate', { role: 'operator', body: rendered.body.campaign });
      expect({ key, status: validated.status, details: validated.body.error?.details }).toEqual({ key, status: 200, details: undefined });
    }
    // Rendering saves nothing.
    expect((await sut.request('GET', '/v1/campaigns', { role: 'operator' })).body.campaigns).toEqual([]);
  });

  it('answers 400 at parameters.<name> for a bad value, and 403 to support for a render', async () => {
    const bad = await sut.request('POST', '/v1/templates/spend-or-orders-and-posts/render', {
      role: 'operator',
      body: { parameters: { minPosts: 0, nudgeAfter: 'three days' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_parameters');
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['parameters.minPosts', 'parameters.nudgeAfter']);
    expect((await sut.request('POST', '/v1/templates/spend-or-orders-and-posts/render', { role: 'support', body: {} })).status).toBe(403);
  });

  it('runs the spend-or-orders-and-posts play end to end: render, create, activate, events, 50 points', async () => {
    const pool = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: 'template-points', kind: 'points', budget: 1000 } });
    expect(pool.status).toBe(201);
    const rendered = await sut.request('POST', '/v1/templates/spend-or-orders-and-posts/render', {
      role: 'operator',
      body: { key: 'spend-post-from-template', parameters: { minPosts: 3, points: 50, pointsPool: 'template-points' } },
    });
    expect(rendered.status).toBe(200);
    await launchCampaign(sut, rendered.body.campaign);

    await sendEvent(sut, { id: 'tpl-order-1', type: 'order.completed', userId: 'tina', properties: { amount: 25 } });
    await sendEvent(sut, { id: 'tpl-post-1', type: 'post.created', userId: 'tina' });
    await sendEvent(sut, { id: 'tpl-post-2', type: 'post.created', userId: 'tina' });
    await sendEvent(sut, { id: 'tpl-post-3', type: 'post.created', userId: 'tina' });

    const rewards = await eventually(async () => {
      const res = await sut.request('GET', '/v1/users/tina/rewards', { role: 'support' });
      return res.body.rewards?.length > 0 ? res.body : undefined;
    });
    expect(rewards.rewards).toEqual([expect.objectContaining({ campaign: 'spend-post-from-template', kind: 'points', amount: 50, status: 'issued' })]);
    expect(rewards.balances.points).toBe(50);
  });
});
