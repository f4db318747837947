import { COLLIDING_USERS, collidingKeySteps } from '../../src/domain/testing/campaigns';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';

/** Issue 11, item 5, through real journeys: users a:1 and a, steps x and 1:x, four rewards. */
describe('reward keys of real journeys', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('the pair whose joined keys used to collide gets two rewards, each for its own user', async () => {
    const campaign = collidingKeySteps();
    const c = { key: campaign.key as string, version: await h.seedCampaign(campaign as Record<string, unknown> & { key: string }) };
    for (const userId of COLLIDING_USERS) {
      await h.send(c, { id: `o-${userId}`, type: 'order.completed', userId });
      await h.handle(c.key, userId).result();
    }
    const rows: Array<{ idempotency_key: string; user_id: string; step_id: string }> = await h.db.dataSource.query(
      `select idempotency_key, user_id, step_id from rewards where campaign_key = $1`,
      [c.key],
    );
    expect(rows.sort((p, q) => (p.idempotency_key < q.idempotency_key ? -1 : 1))).toEqual([
      { idempotency_key: 'keys:a%3A1:1:1:1%3Ax', user_id: 'a:1', step_id: '1:x' },
      { idempotency_key: 'keys:a%3A1:1:1:x', user_id: 'a:1', step_id: 'x' },
      { idempotency_key: 'keys:a:1:1:1%3Ax', user_id: 'a', step_id: '1:x' },
      { idempotency_key: 'keys:a:1:1:x', user_id: 'a', step_id: 'x' },
    ]);
  });
});
