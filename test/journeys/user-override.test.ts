import { previewQuery } from '../../src/workflows/journey/contract';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';

/** Issue 11, item 8: user.* is the stored profile merged with *this* event's `user` property, never an earlier one's. */
const campaign = {
  key: 'override-once',
  name: 'vip on the second event?',
  entry: { on: 'a' },
  initial: 'waiting',
  states: {
    waiting: {
      transitions: [
        { to: 'vip', on: 'b', if: 'user.vip == true' },
        { to: 'plain', on: 'b' },
      ],
    },
    vip: { end: true },
    plain: { end: true },
  },
};

describe("an event's user override", () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  const endState = async (userId: string): Promise<string> => {
    await h.handle(campaign.key, userId).result();
    const rows: Array<{ to_state: string }> = await h.db.dataSource.query(
      `select to_state from journey_transitions where campaign_key = $1 and user_id = $2 and from_state is not null`,
      [campaign.key, userId],
    );
    return rows.map((r) => r.to_state).join(',');
  };

  it('applies to its own event only: the next event sees the stored profile', async () => {
    const c = { key: campaign.key, version: await h.seedCampaign(campaign) };
    // Both events within the profile's cache time, so the second is not read from the store again.
    await h.send(c, { id: 'a1', type: 'a', userId: 'u1', properties: { user: { vip: true } } });
    await h.waitForView(campaign.key, 'u1', (v) => v.trace.some((t) => t.input.includes('a1')));
    const preview = await h.handle(campaign.key, 'u1').query(previewQuery, { version: 1, id: 'b-preview', type: 'b', userId: 'u1', occurredAt: new Date().toISOString(), properties: {} });
    expect(preview.transitions.map((t) => t.to)).toEqual(['plain']);
    await h.send(c, { id: 'b1', type: 'b', userId: 'u1' }, 'signal');
    expect(await endState('u1')).toBe('plain');
  });

  it('applies to the event that carries it', async () => {
    const c = { key: campaign.key, version: await h.seedCampaign(campaign) };
    await h.send(c, { id: 'a2', type: 'a', userId: 'u2' });
    await h.waitForView(campaign.key, 'u2', (v) => v.trace.some((t) => t.input.includes('a2')));
    await h.send(c, { id: 'b2', type: 'b', userId: 'u2', properties: { user: { vip: true } } }, 'signal');
    expect(await endState('u2')).toBe('vip');
  });
});
