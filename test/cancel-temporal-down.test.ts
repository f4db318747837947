import { Client, Connection } from '@temporalio/client';
import { metricValue, signalledIds, startOwnTemporalSystem, welcomeCampaign, type OwnTemporalSystem } from './support/own-temporal-system';
import { eventually } from './support/system-under-test';


/**
 * Support cancels an event while Temporal is away. The cancel is kept; what
 * the ledger can take back without Temporal is taken back at once; the
 * journeys are told by Kairos itself once Temporal is back, with nobody
 * repeating the request. (Its own Temporal server, so that it can be
 * stopped; no worker: a cancel reaching a journey is a signal in its history.)
 */
describe('a cancel that Temporal interrupts', () => {
  let sys: OwnTemporalSystem;
  let baseUrl: string;
  beforeAll(async () => {
    sys = await startOwnTemporalSystem({
      campaigns: [welcomeCampaign],
      outbox: { sendTimeoutMs: 1_000, firstRetryMs: 200, maxRetryMs: 1_000, relayIntervalMs: 200 },
      tmpPrefix: 'kairos-cancel-outage-',
    });
    baseUrl = sys.urls[0];
  });
  afterAll(async () => sys?.close());

  const call = async (path: string, key: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };
  const gauge = (name: string) => metricValue(baseUrl, name);
  const cancelSignals = async (workflowId: string) => {
    const history = await sys.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'cancelEvent').length;
  };
  const rewardStatus = async (key: string) => ((await sys.db.dataSource.query(`select status from rewards where idempotency_key = $1`, [key]))[0] as { status: string }).status;

  it('reclaims in the ledger at once, is kept as unfinished, and reaches the journey once Temporal is back', async () => {
    expect((await call('/v1/events', sys.ingestKey, { id: 'c-1', type: 'order.completed', userId: 'u-1' })).status).toBe(202);
    await eventually(async () => ((await signalledIds(sys.client, 'journey:welcome:u-1')).includes('c-1') ? true : undefined));
    // What the journey issued for it (no worker here: through the ledger, as the journey's reward activity does).
    const key = 'welcome:u-1:1:1:points';
    await sys.kairos.repositories.rewards.issueAlone({
      idempotencyKey: key,
      campaignKey: 'welcome',
      campaignVersion: 1,
      userId: 'u-1',
      stepId: 'points',
      causedBy: ['c-1'],
      action: { type: 'points', amount: 10, pool: null },
    });

    await sys.stopTemporal();
    const cancelled = await call('/v1/events/c-1/cancel', sys.supportKey, { reason: 'refund' });
    expect(cancelled.status).toBe(503);
    expect(cancelled.body.error?.message).toBe(
      'Event c-1 is cancelled and the rewards it caused are taken back, but Temporal cannot be reached now, so its journeys are not all told yet. Kairos tells them once Temporal answers; repeating the request is safe.',
    );
    // The ledger needs only PostgreSQL: the reward is taken back already.
    expect(await rewardStatus(key)).toBe('reclaimed');
    // Waited for: a scrape whose read outlasts its 2 s timeout (a loaded machine) keeps the gauges' last values.
    await eventually(async () => ((await gauge('kairos_cancels_unfinished')) === 1 ? true : undefined));
    // Asked without the SDK's retries (ten attempts over about 20 s, which only made the outage longer): Temporal is away.
    const probe = Connection.lazy({ address: sys.address, interceptors: [] });
    try {
      const history = new Client({ connection: probe }).workflow.getHandle('journey:welcome:u-1').fetchHistory();
      expect(await history.then(() => 'answered').catch(() => 'Temporal is away')).toBe('Temporal is away');
    } finally {
      await probe.close();
    }

    await sys.startTemporal();
    // Nobody repeats the request: the finisher tells the journey, once.
    await eventually(async () => ((await gauge('kairos_cancels_unfinished')) === 0 ? true : undefined), 60_000);
    expect(await cancelSignals('journey:welcome:u-1')).toBe(1);
    const [row] = await sys.db.dataSource.query(`select cancel_reason, cancel_unfinished_since from events where id = 'c-1'`);
    expect(row).toEqual({ cancel_reason: 'refund', cancel_unfinished_since: null });
    // A cancel repeated now is the same cancel: Temporal takes its signal as already given (one request id per
    // cancel), so the journey's history still holds one, and nothing is left unfinished. The same id is what keeps
    // the finisher's signal single when a restarting server took it but its answer came after the deadline.
    const again = await call('/v1/events/c-1/cancel', sys.supportKey, { reason: 'other' });
    expect({ status: again.status, body: again.body }).toMatchObject({ status: 202, body: { alreadyCancelled: true, reason: 'refund', journeys: ['journey:welcome:u-1'] } });
    expect(await cancelSignals('journey:welcome:u-1')).toBe(1);
    expect(await gauge('kairos_cancels_unfinished')).toBe(0);

    // Repeated while Temporal is away again (a refunds pipeline retrying): the cancel is finished, every journey
    // took it, so the repeat answers as the first did rather than a 503 promising to tell them; nothing is left over.
    await sys.stopTemporal();
    const whileAway = await call('/v1/events/c-1/cancel', sys.supportKey, { reason: 'other' });
    expect({ status: whileAway.status, body: whileAway.body }).toMatchObject({ status: 202, body: { alreadyCancelled: true, reason: 'refund', journeys: [], ended: [] } });
    expect(await gauge('kairos_cancels_unfinished')).toBe(0);
  });
});
