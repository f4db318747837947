import { toJourneyEvent } from '../src/domain/event';
import { SignalOutboxRepository } from '../src/store/repositories/signal-outbox.repository';
import { signalledIds, startOwnTemporalSystem, welcomeCampaign, type OwnTemporalSystem } from './support/own-temporal-system';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Deliveries that failed because Temporal was away wait out a backoff (up to
 * a minute by default). When Temporal answers again they go at once, not when
 * their backoff ends; rows being sent, and rows that failed for another
 * reason, keep theirs.
 */
describe('deliveries waiting for Temporal go as soon as it is back', () => {
  let sys: OwnTemporalSystem;
  /** For the repository case: no relay runs over it. */
  let scratch: TestDatabase;

  beforeAll(async () => {
    sys = await startOwnTemporalSystem({
      campaigns: [welcomeCampaign],
      // A ten-minute backoff from the first failure: only a delivery made due when Temporal is back goes within this test.
      outbox: { sendTimeoutMs: 1_000, firstRetryMs: 600_000, maxRetryMs: 600_000, relayIntervalMs: 200 },
      tmpPrefix: 'kairos-back-',
    });
    scratch = await createTestDatabase();
  });
  afterAll(async () => {
    await sys?.close();
    await scratch?.drop();
  });

  const post = async (body: unknown) => {
    const res = await fetch(`${sys.urls[0]}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sys.ingestKey}` }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
  };
  const pending = async () =>
    (await sys.db.dataSource.query(
      `select event_id, awaiting_temporal, next_attempt_at > now() + interval '5 minutes' as backing_off from signal_outbox where delivered_at is null order by id`,
    )) as Array<{ event_id: string; awaiting_temporal: boolean; backing_off: boolean }>;

  it('after an outage, rows in a long backoff are sent once Temporal answers, in order', async () => {
    await post({ id: 'before', type: 'order.completed', userId: 'u-0' });
    await eventually(async () => ((await pending()).length === 0 ? true : undefined));

    await sys.stopTemporal();
    // The request's own send fails: its rows wait ten minutes.
    await post({ events: [{ id: 'down-1', type: 'order.completed', userId: 'u-1' }, { id: 'down-2', type: 'order.completed', userId: 'u-2' }, { id: 'down-3', type: 'order.completed', userId: 'u-1' }] });
    // Later ones go to the relay, which fails them the same way.
    await post({ id: 'down-4', type: 'order.completed', userId: 'u-3' });
    await eventually(async () => {
      const rows = await pending();
      return rows.length === 4 && rows.every((r) => r.backing_off) ? rows : undefined;
    }, 30_000);
    // The oldest row of each journey is what the relay waits for; the one behind it (down-3) is claimed with it.
    const heads = (await pending()).filter((r) => r.event_id !== 'down-3');
    expect(heads.map((r) => [r.event_id, r.awaiting_temporal])).toEqual([
      ['down-1', true],
      ['down-2', true],
      ['down-4', true],
    ]);

    await sys.startTemporal();
    // Two minutes: the restarted server answers slowly on a loaded machine, and a call past the 1 s send timeout waits for the next probe.
    await eventually(async () => ((await pending()).length === 0 ? true : undefined), 120_000);
    const outcomes = await sys.db.dataSource.query(`select outcome, count(*)::int as n from signal_outbox group by outcome`);
    expect(outcomes).toEqual([{ outcome: 'delivered', n: 5 }]);
    expect([...new Set(await signalledIds(sys.client, 'journey:welcome:u-1'))]).toEqual(['down-1', 'down-3']);
    expect([...new Set(await signalledIds(sys.client, 'journey:welcome:u-3'))]).toEqual(['down-4']);
  }, 240_000);

  it('makes due only the rows that wait for Temporal: not one being sent, not one that failed for another reason', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const events = ['a', 'b', 'c', 'd', 'e'].map((user) => toJourneyEvent({ id: `e-${user}`, type: 'order.completed', userId: user, properties: {} }, new Date()));
    const planned = events.map((e) => ({ eventId: e.id, kind: 'start' as const, campaignKey: 'welcome', campaignVersion: 1, workflowId: `journey:welcome:${e.userId}` }));
    const stored = await repo.storeEvents(events, planned, 0);
    const id = (user: string) => stored.queued.find((d) => d.eventId === `e-${user}`)!.id;
    const hour = 3_600_000;
    await repo.record([
      { id: id('a'), error: 'Temporal did not answer within 1000 ms', retryInMs: hour, unreachable: true, claim: 0 },
      { id: id('b'), error: 'some refusal', retryInMs: hour, claim: 0 },
      { id: id('c'), error: 'Temporal did not answer within 1000 ms', retryInMs: hour, unreachable: true, claim: 0 },
      { id: id('e'), error: 'Temporal did not answer within 1000 ms', retryInMs: hour, unreachable: true, claim: 0 },
    ]);
    // c is claimed again (its backoff lifted here by hand) and is being sent: leased, not waiting.
    await scratch.dataSource.query(`update signal_outbox set next_attempt_at = now() where id = $1`, [id('c')]);
    expect((await repo.claimDue(10, hour)).map((d) => d.eventId)).toEqual(['e-c', 'e-d']);
    // e is leased by an API instance from before the mark, whose claim moves the lease and leaves the mark (a rolling upgrade).
    await scratch.dataSource.query(`update signal_outbox set next_attempt_at = now() + interval '30 seconds' where id = $1`, [id('e')]);

    expect(await repo.rouseAwaitingTemporal()).toBe(1);
    const due = await scratch.dataSource.query(`select event_id from signal_outbox where delivered_at is null and next_attempt_at <= now() order by id`);
    expect(due.map((r: { event_id: string }) => r.event_id)).toEqual(['e-a']);
    // Once roused, a row is not roused again until another send finds Temporal away.
    expect(await repo.rouseAwaitingTemporal()).toBe(0);
  });
});
