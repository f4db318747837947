import { exitSignal } from '../../src/workflows/journey/contract';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';

/**
 * review-53-journeys, finding 2 (patch seen-events-outlive-run): a start
 * delivery sent again after its journey had closed (the API's send timed out
 * after Temporal took it, and the outbox relay sent it again) started a new
 * execution that entered on the same event and issued its reward a second
 * time, under a new entry number (new ledger keys).
 */
describe('a start delivery sent again after its journey closed', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('does not enter a new execution again, nor issue the reward twice; a new event still enters', async () => {
    const key = 'resent-start';
    const c = {
      key,
      version: await h.seedCampaign({
        key,
        name: key,
        entry: { on: 'order.completed' },
        participation: { maxEntries: 2 },
        initial: 'gift',
        states: { gift: { actions: { steps: [{ id: 'pts', type: 'points', amount: 10 }] }, end: true } },
      }),
    };
    await h.send(c, { id: 'O', type: 'order.completed', userId: 'u' });
    // The reward settled and the path ended: the journey is idle with an entry left, until support ends it.
    await h.waitForView(key, 'u', (v) => v.entries === 1 && v.status === 'idle');
    await h.handle(key, 'u').signal(exitSignal, { version: 1, reason: 'support request' });
    expect(await h.handle(key, 'u').result()).toMatchObject({ status: 'ended', entries: 1 });

    // The relay sends O again, as a start: the journey is closed, so it starts a new execution.
    await h.send(c, { id: 'O', type: 'order.completed', userId: 'u' });
    // A new order after it reaches the same execution and takes the entry left (the second of maxEntries 2): the journey ends.
    await h.send(c, { id: 'P', type: 'order.completed', userId: 'u' });
    expect(await h.handle(key, 'u').result()).toMatchObject({ status: 'ended', entries: 2 });

    const entries: Array<{ cause: string }> = await h.db.dataSource.query(
      `select t.cause from journey_entries j join journey_transitions t on t.idempotency_key = j.transition_key
        where j.campaign_key = $1 and j.user_id = $2 order by j.entry_no`,
      [key, 'u'],
    );
    expect(entries.map((e) => e.cause)).toEqual(['order.completed O', 'order.completed P']);
    const rewards: Array<{ caused_by: string[] }> = await h.db.dataSource.query(`select caused_by from rewards where campaign_key = $1 and user_id = $2 order by created_at`, [key, 'u']);
    expect(rewards.map((r) => r.caused_by)).toEqual([['O'], ['P']]);
  });
});
