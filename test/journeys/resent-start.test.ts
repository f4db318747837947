import { cancelEventSignal, exitSignal } from '../../src/workflows/journey/contract';
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

  /** A campaign entering on order.completed whose one state issues 10 points and ends. */
  async function seedPointsOnOrder(key: string, maxEntries: number): Promise<{ key: string; version: number }> {
    const definition = {
      key,
      name: key,
      entry: { on: 'order.completed' },
      participation: { maxEntries },
      initial: 'gift',
      states: { gift: { actions: { steps: [{ id: 'pts', type: 'points', amount: 10 }] }, end: true } },
    };
    return { key, version: await h.seedCampaign(definition) };
  }

  it('does not enter a new execution again, nor issue the reward twice; a new event still enters', async () => {
    const key = 'resent-start';
    const c = await seedPointsOnOrder(key, 2);
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

  /**
   * review-53-diff-a, finding 1: an ended journey whose run still finishes its effects keeps an entry that reaches it
   * (P) and begins the next journey with it. A resend of an event the ended journey took (O) that reaches the next
   * run after its start, as a signal, entered again and issued its reward a second time: the next journey knew only
   * what its start lookup found for P. Under seen-events-outlive-run the ended journey passes its seen ids on.
   */
  it('the next journey an ended run begins does not enter again on a resend of an event the ended journey took', async () => {
    const key = 'resent-next';
    const c = await seedPointsOnOrder(key, 4);
    const settled = (v: { rewards: Array<{ causedBy: string[]; status: string }> }, id: string) => v.rewards.some((r) => r.causedBy.includes(id) && r.status === 'issued');
    await h.send(c, { id: 'O', type: 'order.completed', userId: 'u' });
    await h.waitForView(key, 'u', (v) => v.entries === 1 && v.status === 'idle' && settled(v, 'O'));
    await h.send(c, { id: 'Q', type: 'order.completed', userId: 'u' });
    await h.waitForView(key, 'u', (v) => v.entries === 2 && v.status === 'idle' && settled(v, 'Q'));
    const firstRun = (await h.handle(key, 'u').describe()).runId;

    // Q is refunded while the ledger's lock on its reward is held elsewhere: its reclaim waits, and support ends the
    // journey meanwhile, so the run stays open after the end. P reaches it then and is kept for the next journey.
    const [{ key: qKey }] = (await h.db.dataSource.query(`select idempotency_key as key from rewards where user_id = $1 and caused_by = array['Q']`, ['u'])) as Array<{ key: string }>;
    const locker = h.db.dataSource.createQueryRunner();
    await locker.connect();
    try {
      await locker.query(`select pg_advisory_lock(hashtextextended('kairos.reward:' || $1, 0))`, [qKey]);
      await h.handle(key, 'u').signal(cancelEventSignal, { version: 1, eventId: 'Q', reason: 'refund' });
      await h.waitForView(key, 'u', (v) => v.trace.some((t) => t.input.startsWith('cancel') && t.input.includes('Q')));
      await h.handle(key, 'u').signal(exitSignal, { version: 1, reason: 'support request' });
      await h.waitForView(key, 'u', (v) => v.status === 'ended');
      await h.send(c, { id: 'P', type: 'order.completed', userId: 'u' });
      // A query is answered once the run has taken in every signal before it.
      await h.view(key, 'u');
    } finally {
      await locker.query('select pg_advisory_unlock_all()');
      await locker.release();
    }
    // The reclaim settles, the run completes and begins the next journey, which enters on P.
    await h.waitForView(key, 'u', (v) => v.entries === 3 && settled(v, 'P'));
    expect((await h.client.workflow.getHandle(h.kairos.journeys.idOf(key, 'u'), firstRun).describe()).status.name).toBe('CONTINUED_AS_NEW');

    // The relay sends O again; the journey is running, so O reaches the next run as a signal, after its start.
    await h.send(c, { id: 'O', type: 'order.completed', userId: 'u' });
    // An ignored input leaves no trace: an event after it that does says O has been handled (inputs are taken in order).
    await h.send(c, { id: 'M', type: 'page.viewed', userId: 'u' }, 'signal');
    const after = await h.waitForView(key, 'u', (v) => v.trace.some((t) => t.input === 'event page.viewed M'));
    expect(after.entries).toBe(3);
    await h.handle(key, 'u').signal(exitSignal, { version: 1, reason: 'support request' });
    expect(await h.handle(key, 'u').result()).toMatchObject({ status: 'ended', entries: 3 });

    const entries: Array<{ cause: string }> = await h.db.dataSource.query(
      `select t.cause from journey_entries j join journey_transitions t on t.idempotency_key = j.transition_key
        where j.campaign_key = $1 and j.user_id = $2 order by j.entry_no`,
      [key, 'u'],
    );
    expect(entries.map((e) => e.cause)).toEqual(['order.completed O', 'order.completed Q', 'order.completed P']);
    const rewards: Array<{ caused_by: string[]; status: string }> = await h.db.dataSource.query(
      `select caused_by, status from rewards where campaign_key = $1 and user_id = $2 order by created_at`,
      [key, 'u'],
    );
    expect(rewards).toEqual([
      { caused_by: ['O'], status: 'issued' },
      { caused_by: ['Q'], status: 'reclaimed' },
      { caused_by: ['P'], status: 'issued' },
    ]);
  });
});
