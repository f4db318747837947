import { SignalOutboxRepository } from '../src/store/repositories/signal-outbox.repository';
import { metricValue, signalledIds, startOwnTemporalSystem, welcomeCampaign, type OwnTemporalSystem } from './support/own-temporal-system';
import { eventually } from './support/system-under-test';


/**
 * Temporal goes away while events arrive: they are still accepted (202, with
 * their journeys), kept in the outbox, and delivered once Temporal is back.
 * This suite runs its own Temporal server so that it can stop it; no worker
 * is needed, as a delivery is a signal recorded in the workflow's history.
 */
describe('events accepted while Temporal is down are delivered when it is back', () => {
  let sys: OwnTemporalSystem;
  let baseUrl: string;

  beforeAll(async () => {
    sys = await startOwnTemporalSystem({
      campaigns: [welcomeCampaign],
      outbox: { sendTimeoutMs: 1_000, firstRetryMs: 200, maxRetryMs: 1_000, relayIntervalMs: 200 },
      tmpPrefix: 'kairos-outage-',
    });
    baseUrl = sys.urls[0];
  });
  afterAll(async () => sys?.close());

  const post = async (body: unknown) => {
    const res = await fetch(`${baseUrl}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sys.ingestKey}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { accepted: number; duplicates: number; results: Array<{ id: string; status: string; journeys: string[] }> } };
  };
  /** A gauge's value as /metrics shows it. */
  const gauge = (name: string) => metricValue(baseUrl, name);
  it('answers 202 with the journeys while Temporal is down, and loses nothing', async () => {
    // Before the outage: delivered by the request itself, or (a loaded machine: the send outlasted the
    // request's wait) by the relay soon after; the outage below starts once it is.
    const before = await post({ id: 'before', type: 'order.completed', userId: 'u-0' });
    expect(before.body.results[0].journeys).toEqual(['journey:welcome:u-0']);
    await eventually(async () => ((await sys.db.dataSource.query(`select 1 from signal_outbox where event_id = 'before' and delivered_at is not null`)).length === 1 ? true : undefined));

    await sys.stopTemporal();
    const duringFrom = Date.now();
    const during = await post({
      events: [
        { id: 'down-1', type: 'order.completed', userId: 'u-1' },
        { id: 'down-2', type: 'order.completed', userId: 'u-2' },
        { id: 'down-3', type: 'order.completed', userId: 'u-1' },
        { id: 'down-4', type: 'page.viewed', userId: 'u-1' },
      ],
    });
    const duringTo = Date.now();
    expect(during.status).toBe(202);
    expect(during.body.accepted).toBe(4);
    expect(during.body.results.map((r) => r.journeys)).toEqual([['journey:welcome:u-1'], ['journey:welcome:u-2'], ['journey:welcome:u-1'], []]);

    // Still ready while Temporal is away (ingestion accepts into the outbox); Temporal is reported down.
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: { ok: true }, temporal: { ok: false } } });
    const health = await fetch(`${baseUrl}/health`);
    // Degraded, and still ready as /readyz says: the two never disagree about taking traffic.
    expect({ status: health.status, body: await health.json() }).toMatchObject({ status: 503, body: { status: 'degraded', ready: true, checks: { temporal: { ok: false } } } });

    // A resend during the outage is a duplicate and queues nothing more.
    const resent = await post({ id: 'down-2', type: 'order.completed', userId: 'u-2' });
    expect(resent.body).toEqual({ accepted: 0, duplicates: 1, results: [{ id: 'down-2', status: 'duplicate', journeys: [] }] });

    // Once a send has failed, later requests leave their deliveries to the relay instead of waiting out the timeout.
    // (Asserted on what the request did, not on how long it took: its rows were stored with no lease, for the relay.)
    const store = jest.spyOn(sys.apps[0].get(SignalOutboxRepository), 'storeEvents');
    const later = await post({ id: 'down-5', type: 'order.completed', userId: 'u-3' });
    expect(store).toHaveBeenCalledTimes(1);
    expect(store.mock.calls[0][2]).toBe(0);
    store.mockRestore();
    expect(later.body.results[0].journeys).toEqual(['journey:welcome:u-3']);

    const pending = await sys.db.dataSource.query(`select event_id, attempts, last_error is not null as failed from signal_outbox where delivered_at is null order by id`);
    expect(pending.map((r: { event_id: string }) => r.event_id)).toEqual(['down-1', 'down-2', 'down-3', 'down-5']);
    expect(pending.slice(0, 3).every((r: { attempts: number; failed: boolean }) => r.attempts >= 1 && r.failed)).toBe(true);
    // The backlog is visible to monitoring.
    expect(await gauge('kairos_outbox_pending_deliveries')).toBe(4);
    expect(await gauge('kairos_outbox_oldest_pending_seconds')).toBeGreaterThan(0);

    // The relay keeps trying while Temporal is away, with backoff.
    await eventually(async () => {
      const [{ attempts }] = await sys.db.dataSource.query(`select min(attempts)::int as attempts from signal_outbox where delivered_at is null`);
      return attempts > 1 ? true : undefined;
    }, 15_000);

    await sys.startTemporal();
    await eventually(async () => {
      const [{ n }] = await sys.db.dataSource.query(`select count(*)::int as n from signal_outbox where delivered_at is null`);
      return n === 0 ? true : undefined;
    }, 60_000);

    expect(await gauge('kairos_outbox_pending_deliveries')).toBe(0);
    expect(await gauge('kairos_outbox_oldest_pending_seconds')).toBe(0);

    // Each journey got its events in the order they were accepted. A send that timed out after Temporal had
    // taken it (a server just back, a loaded machine) is sent again: at least once in the history, in order;
    // the journey ignores an event id it has seen, so each is applied once.
    const inOrder = async (workflowId: string) => [...new Set(await signalledIds(sys.client, workflowId))];
    expect(await inOrder('journey:welcome:u-1')).toEqual(['down-1', 'down-3']);
    expect(await inOrder('journey:welcome:u-2')).toEqual(['down-2']);
    // The delivery carries when Kairos accepted the event, during the outage: a campaign's schedule window judges
    // the entry by it (patch entry-window-by-receipt), not by the later time the journey got it.
    const history = await sys.client.workflow.getHandle('journey:welcome:u-2').fetchHistory();
    const data = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes)?.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
    const receivedAt = Date.parse((JSON.parse(Buffer.from(data!).toString()) as { receivedAt?: string }).receivedAt ?? '');
    expect(receivedAt >= duringFrom && receivedAt <= duringTo).toBe(true);
    expect(await inOrder('journey:welcome:u-3')).toEqual(['down-5']);
    expect(await inOrder('journey:welcome:u-0')).toEqual(['before']);

    // The relay's successes make requests send at once again.
    const after = await post({ id: 'after', type: 'order.completed', userId: 'u-4' });
    expect(after.body.results[0].journeys).toEqual(['journey:welcome:u-4']);
    // Its outcome is recorded after the answer.
    const row = await eventually(async () => {
      const [r] = await sys.db.dataSource.query(`select outcome from signal_outbox where event_id = 'after'`);
      return r?.outcome ? r : undefined;
    });
    expect(row.outcome).toBe('delivered');
  });
});
