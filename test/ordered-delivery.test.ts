import { CancelFinisher } from '../src/api/events/cancel-finisher';
import { DEFAULT_OUTBOX_OPTIONS } from '../src/api/outbox/outbox.options';
import { JourneySender } from '../src/api/outbox/journey-sender';
import { toJourneyEvent } from '../src/domain/event';
import { EventCancellationsRepository } from '../src/store/repositories/event-cancellations.repository';
import { SignalOutboxRepository } from '../src/store/repositories/signal-outbox.repository';
import { signalledIds, startOwnTemporalSystem, type OwnTemporalSystem } from './support/own-temporal-system';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { Registry } from 'prom-client';
import { RewardMetrics } from '../src/api/metrics/rewards.metrics';

/** Entered on an order; then waits for `journey.close`, so `journey.close` events are signal-only deliveries. */
const waiting = {
  key: 'ordered',
  name: 'Ordered',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'done', on: 'journey.close' }] }, done: { end: true } },
};

/**
 * Deliveries to one journey keep their order through a Temporal outage, with
 * two API instances draining the outbox: the start event that was queued
 * first (and so retried most, with the longest backoff) is not overtaken by
 * the signal-only events queued after it, which would otherwise find no
 * journey and be closed as `not-running`. No worker runs: a delivery is a
 * signal in the journey's history, and the journey applies its inbox in that order.
 */
describe('deliveries to one journey keep their order', () => {
  let sys: OwnTemporalSystem;
  /** For the claim and lease cases: no relay runs over it, so only the test claims. */
  let scratch: TestDatabase;

  beforeAll(async () => {
    sys = await startOwnTemporalSystem({
      campaigns: [waiting],
      instances: 2,
      // Small batches and claims, so the two instances take turns on the same journeys.
      outbox: { sendTimeoutMs: 1_000, firstRetryMs: 200, maxRetryMs: 3_000, relayIntervalMs: 100, relayBatch: 2, relayPerJourney: 3, callLimits: { maxEvents: 2, maxBytes: 64 * 1024 } },
      tmpPrefix: 'kairos-order-',
    });
    scratch = await createTestDatabase();
  });
  afterAll(async () => {
    await sys?.close();
    await scratch?.drop();
  });

  const post = async (instance: number, body: unknown) => {
    const res = await fetch(`${sys.urls[instance]}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sys.ingestKey}` }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
  };

  it('a start queued during an outage is not overtaken by the signal events queued after it', async () => {
    await sys.stopTemporal();
    // Both instances learn Temporal is away (their first send fails), so every row goes to the relays.
    await post(0, { id: 'start-a', type: 'order.completed', userId: 'a' });
    await post(1, { id: 'start-b', type: 'order.completed', userId: 'b' });
    // The start rows retry with growing backoff while Temporal is down.
    await eventually(async () => {
      const [{ attempts }] = await sys.db.dataSource.query(`select min(attempts)::int as attempts from signal_outbox where event_id like 'start-%'`);
      return attempts >= 3 ? true : undefined;
    }, 30_000);
    // Then signal-only events for the same journeys, fresh and due at once, from both instances.
    for (let i = 1; i <= 6; i++) {
      await post(i % 2, { id: `close-a-${i}`, type: 'journey.close', userId: 'a' });
      await post((i + 1) % 2, { id: `close-b-${i}`, type: 'journey.close', userId: 'b' });
    }

    await sys.startTemporal();
    await eventually(async () => {
      const [{ n }] = await sys.db.dataSource.query(`select count(*)::int as n from signal_outbox where delivered_at is null`);
      return n === 0 ? true : undefined;
    }, 90_000);

    const outcomes = await sys.db.dataSource.query(`select outcome, count(*)::int as n from signal_outbox group by outcome`);
    expect(outcomes).toEqual([{ outcome: 'delivered', n: 14 }]);
    // In order, each at least once: a send that timed out after Temporal took it is sent again (delivery into
    // the history is at least once; the journey ignores an event id it has seen). Seen once, under load: start-a twice.
    for (const user of ['a', 'b']) {
      const firstSeen = [...new Set(await signalledIds(sys.client, `journey:ordered:${user}`))];
      expect(firstSeen).toEqual([`start-${user}`, ...[1, 2, 3, 4, 5, 6].map((i) => `close-${user}-${i}`)]);
    }
  });

  it('claims a journey whole behind its oldest undelivered row, and never the same journey twice at once', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const events = ['j-1', 'j-2', 'j-3', 'k-1'].map((id) => toJourneyEvent({ id, type: 'journey.close', userId: id[0], properties: {} }, new Date()));
    const planned = events.map((e) => ({ eventId: e.id, kind: 'signal' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: `journey:claims:${e.userId}` }));
    // j-1 is held by a sender (leased); j-2 and j-3 are due but queued behind it.
    const first = await repo.storeEvents(events.slice(0, 1), planned.slice(0, 1), 60_000);
    expect(first.toSend.map((d) => d.eventId)).toEqual(['j-1']);
    const rest = await repo.storeEvents(events.slice(1), planned.slice(1), 60_000);
    // Behind a held row: not the caller's to send (only k-1, alone in its journey, is).
    expect(rest.toSend.map((d) => d.eventId)).toEqual(['k-1']);
    // A row this process sent but has not recorded yet (`closed`) is not in the way; an undelivered one still is.
    const hot = ['h-1', 'h-2', 'h-3'].map((id) => toJourneyEvent({ id, type: 'journey.close', userId: 'h', properties: {} }, new Date()));
    const toHot = hot.map((e) => ({ eventId: e.id, kind: 'signal' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: 'journey:claims:h' }));
    const [h1] = (await repo.storeEvents(hot.slice(0, 1), toHot.slice(0, 1), 60_000)).toSend;
    expect((await repo.storeEvents(hot.slice(1, 2), toHot.slice(1, 2), 60_000, [h1.id])).toSend.map((d) => d.eventId)).toEqual(['h-2']);
    expect((await repo.storeEvents(hot.slice(2), toHot.slice(2), 60_000, [h1.id])).toSend).toEqual([]);
    await scratch.dataSource.query(`update signal_outbox set next_attempt_at = now() where event_id in ('j-2', 'j-3', 'k-1')`);

    const claims = await Promise.all([repo.claimDue(10, 60_000), repo.claimDue(10, 60_000), repo.claimDue(10, 60_000)]);
    const claimed = claims.flat().map((d) => d.eventId);
    expect(claimed).toEqual(['k-1']);

    // Once j-1 is out of the way, j-2 and j-3 come together, in order, to one claimer.
    await scratch.dataSource.query(`update signal_outbox set delivered_at = now(), outcome = 'delivered' where event_id = 'j-1'`);
    const next = await Promise.all([repo.claimDue(10, 60_000), repo.claimDue(10, 60_000)]);
    expect(next.map((c) => c.map((d) => d.eventId)).sort((x, y) => y.length - x.length)).toEqual([['j-2', 'j-3'], []]);
  });

  it('a retry recorded after its lease ran out leaves the lease another instance has taken since', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const events = ['late-1', 'late-2'].map((id) => toJourneyEvent({ id, type: 'journey.close', userId: 'late', properties: {} }, new Date()));
    const stored = await repo.storeEvents(
      events,
      events.map((e) => ({ eventId: e.id, kind: 'signal' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: 'journey:ordered:late' })),
      0,
    );
    expect(stored.queued.map((d) => d.claim)).toEqual([0, 0]);
    const first = await repo.claimDue(10, 60_000);
    expect(first.map((d) => [d.eventId, d.claim])).toEqual([
      ['late-1', 1],
      ['late-2', 1],
    ]);
    // The first sender's lease runs out before it records; a second claims the journey for a minute.
    await scratch.dataSource.query(`update signal_outbox set next_attempt_at = now() - interval '1 second' where event_id like 'late-%'`);
    const second = await repo.claimDue(10, 60_000);
    expect(second.map((d) => d.claim)).toEqual([2, 2]);
    const leased = `select event_id, attempts, next_attempt_at > now() + interval '30 seconds' as leased from signal_outbox where event_id like 'late-%' order by id`;

    // The first sender's late records: a short retry and a deferral would make the journey due while the second sends it.
    const [a, b] = first;
    await repo.record([
      { id: a.id, error: 'Temporal did not answer within 1000 ms', retryInMs: 10, unreachable: true, claim: a.claim },
      { id: b.id, deferred: true, claim: b.claim },
    ]);
    expect(await scratch.dataSource.query(leased)).toEqual([
      { event_id: 'late-1', attempts: 0, leased: true },
      { event_id: 'late-2', attempts: 0, leased: true },
    ]);
    expect(await repo.claimDue(10, 60_000)).toEqual([]);

    // The lease holder's own record is written; so is a closing outcome from the late sender (the journey took the event).
    await repo.record([{ id: second[1].id, error: 'busy', retryInMs: 10, claim: second[1].claim }]);
    await repo.record([{ id: a.id, outcome: 'delivered', claim: a.claim }]);
    const rows = await scratch.dataSource.query(`select event_id, attempts, outcome, next_attempt_at < now() + interval '30 seconds' as soon from signal_outbox where event_id like 'late-%' order by id`);
    expect(rows).toEqual([
      { event_id: 'late-1', attempts: 1, outcome: 'delivered', soon: false },
      { event_id: 'late-2', attempts: 1, outcome: null, soon: true },
    ]);
  });

  it('starts no send that could outlive the lease: the rows go back to the relay untried', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const events = Array.from({ length: 5 }, (_, i) => toJourneyEvent({ id: `lease-${i}`, type: 'journey.close', userId: 'lease', properties: {} }, new Date()));
    const { toSend } = await repo.storeEvents(
      events,
      events.map((e) => ({ eventId: e.id, kind: 'signal' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: 'journey:ordered:lease' })),
      60_000,
    );
    expect(toSend).toHaveLength(5);
    // Less left of the lease than one send may take (sendTimeoutMs is 1 s here).
    const { rewards, rewardCauses, eventCancellations } = sys.kairos.repositories;
    const sender = new JourneySender(sys.kairos.journeys, { ...DEFAULT_OUTBOX_OPTIONS, sendTimeoutMs: 1_000 }, repo, rewards, rewardCauses, eventCancellations, new RewardMetrics(new Registry()));
    const outcomes = await sender.send(toSend, Date.now() + 500);
    expect([...outcomes.values()].every((o) => 'deferred' in o)).toBe(true);
    const rows = await scratch.dataSource.query(`select attempts, delivered_at, next_attempt_at <= now() as due from signal_outbox where event_id like 'lease-%'`);
    expect(rows).toEqual(Array(5).fill({ attempts: 0, delivered_at: null, due: true }));
  });

  it('keeps a cancel unfinished while a delivery it closed may still be in flight, to tell the journeys again after', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const cancels = new EventCancellationsRepository(scratch.dataSource);
    const event = toJourneyEvent({ id: 'flight-1', type: 'order.completed', userId: 'flight', properties: {} }, new Date());
    // Stored and leased for a minute to the request that sends it: its send may be under way when support cancels.
    await repo.storeEvents([event], [{ eventId: event.id, kind: 'start' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: 'journey:ordered:flight' }], 60_000);
    const stored = await cancels.cancel('flight-1', 'refund', 0);
    await cancels.finished('flight-1', stored!.lateDeliveries);
    const state = () =>
      scratch.dataSource.query(
        `select cancel_unfinished_since is not null as unfinished, cancel_retry_at > now() + interval '50 seconds' as retold_after_lease from events where id = 'flight-1'`,
      );
    // A send that timed out here after Temporal took it would start a journey the cancel found nowhere: told again later.
    expect(await state()).toEqual([{ unfinished: true, retold_after_lease: true }]);
    // Just past the lease, a send that timed out here may still be reaching Temporal: still unfinished, told again once it has settled.
    await scratch.dataSource.query(`update signal_outbox set next_attempt_at = now() - interval '1 second' where event_id = 'flight-1'`);
    await cancels.finished('flight-1', stored!.lateDeliveries);
    expect(
      await scratch.dataSource.query(
        `select cancel_unfinished_since is not null as unfinished, cancel_retry_at between now() + interval '3 seconds' and now() + interval '5 seconds' as retold_once_settled from events where id = 'flight-1'`,
      ),
    ).toEqual([{ unfinished: true, retold_once_settled: true }]);
    // Once the send has settled too, finishing is final.
    await scratch.dataSource.query(`update signal_outbox set next_attempt_at = now() - interval '6 seconds' where event_id = 'flight-1'`);
    await cancels.finished('flight-1', stored!.lateDeliveries);
    expect(await state()).toEqual([{ unfinished: false, retold_after_lease: null }]);
  });

  it('keeps a cancel unfinished once a send it raced is found delivered, until the cancel has been told again after it', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const cancels = new EventCancellationsRepository(scratch.dataSource);
    const event = toJourneyEvent({ id: 'flight-2', type: 'order.completed', userId: 'flight-2', properties: {} }, new Date());
    const {
      toSend: [row],
    } = await repo.storeEvents([event], [{ eventId: event.id, kind: 'start' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: 'journey:ordered:flight-2' }], 60_000);
    // Support cancels while the row's send is in flight; the cancel's signal finds no journey yet.
    const stored = await cancels.cancel('flight-2', 'refund', 0);
    // The send comes back delivered: Temporal started the journey with the event, after the cancel's signal.
    expect(await repo.sentButCancelled([row.id], 5_000)).toEqual([{ eventId: 'flight-2', workflowId: 'journey:ordered:flight-2', reason: 'refund' }]);
    // The cancel request, whose signal went out before that, finishes now: that must not finish the cancel.
    await cancels.finished('flight-2', stored!.lateDeliveries);
    const state = async () =>
      (await scratch.dataSource.query(`select cancel_unfinished_since is not null as unfinished, cancel_retry_at > now() as leased from events where id = 'flight-2'`))[0];
    // Left to the one sending the cancel again for its lease; if it dies first, the finisher tells the journey after that.
    expect(await state()).toEqual({ unfinished: true, leased: true });
    expect(await scratch.dataSource.query(`select outcome from signal_outbox where id = $1`, [row.id])).toEqual([{ outcome: 'delivered' }]);
    // It died: once the lease has run out the finisher claims the cancel, with the count its own finish goes by.
    await scratch.dataSource.query(`update events set cancel_retry_at = now() - interval '1 second' where id = 'flight-2'`);
    const claimed = (await cancels.claimUnfinished(50, 60_000)).filter((c) => c.eventId === 'flight-2');
    expect(claimed).toEqual([{ eventId: 'flight-2', reason: 'refund', workflowIds: ['journey:ordered:flight-2'], lateDeliveries: 1 }]);
    await cancels.finished('flight-2', claimed[0].lateDeliveries);
    expect(await state()).toEqual({ unfinished: false, leased: null });
  });

  /** The cancel signals in a journey's history, and the first event it took. */
  const journeyTold = async (workflowId: string) => {
    const history = await sys.client.workflow.getHandle(workflowId).fetchHistory();
    const signals = (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
    return { cancels: signals.filter((name) => name === 'cancelEvent').length, firstSeen: (await signalledIds(sys.client, workflowId))[0] };
  };
  const cancelState = async (eventId: string) =>
    (await scratch.dataSource.query(`select cancel_unfinished_since is not null as unfinished, cancel_retry_at > now() as leased, cancel_late_deliveries from events where id = $1`, [eventId]))[0];
  const senderOver = (repo: SignalOutboxRepository, cancels: EventCancellationsRepository) => {
    const { rewards, rewardCauses } = sys.kairos.repositories;
    return new JourneySender(sys.kairos.journeys, { ...DEFAULT_OUTBOX_OPTIONS, sendTimeoutMs: 2_000 }, repo, rewards, rewardCauses, cancels, new RewardMetrics(new Registry()));
  };
  const finisherOver = (cancels: EventCancellationsRepository) => {
    const { rewards, rewardCauses } = sys.kairos.repositories;
    return new CancelFinisher(cancels, sys.kairos.journeys, rewards, rewardCauses, DEFAULT_OUTBOX_OPTIONS, new Registry(), new RewardMetrics(new Registry()));
  };
  /** The lease on the cancel has run out (its teller died, or finished its part): the finisher claims it. */
  const claimOnceDue = async (cancels: EventCancellationsRepository, eventId: string) => {
    await scratch.dataSource.query(`update events set cancel_retry_at = now() - interval '1 second' where id = $1`, [eventId]);
    return (await cancels.claimUnfinished(50, 60_000)).filter((c) => c.eventId === eventId);
  };

  it('a sender whose send the cancel raced tells the journey again after the event; the finisher, not the sender, finishes the cancel', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const cancels = new EventCancellationsRepository(scratch.dataSource);
    const event = toJourneyEvent({ id: 'flight-3', type: 'order.completed', userId: 'flight-3', properties: {} }, new Date());
    const workflowId = 'journey:ordered:flight-3';
    const { toSend } = await repo.storeEvents([event], [{ eventId: event.id, kind: 'start' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId }], 60_000);
    // The cancel comes after the send read its row: its signal finds no journey, and the send then starts one with the event.
    const stored = await cancels.cancel('flight-3', 'refund', 0);
    const sender = senderOver(repo, cancels);
    await sender.send(toSend, Date.now() + 60_000);
    await sender.onApplicationShutdown();
    // Told again after the event; the cancel stays unfinished, leased to the sender's retell.
    expect(await journeyTold(workflowId)).toEqual({ cancels: 1, firstSeen: 'flight-3' });
    expect(await cancelState('flight-3')).toEqual({ unfinished: true, leased: true, cancel_late_deliveries: 1 });
    // The cancel request's own finish, whose signal went out before the journey existed, comes last and finishes nothing.
    await cancels.finished('flight-3', stored!.lateDeliveries);
    expect(await cancelState('flight-3')).toEqual({ unfinished: true, leased: true, cancel_late_deliveries: 1 });
    // After the lease the finisher tells the journey once more and finishes the cancel. The journey has the cancel once:
    // Temporal takes a signal whose request id (one per cancelled event) the run has seen as done, without a second copy.
    const [claimed] = await claimOnceDue(cancels, 'flight-3');
    expect(await finisherOver(cancels).finish(claimed, 2_000)).toMatchObject({ signalled: [workflowId] });
    expect(await journeyTold(workflowId)).toEqual({ cancels: 1, firstSeen: 'flight-3' });
    expect(await cancelState('flight-3')).toEqual({ unfinished: false, leased: null, cancel_late_deliveries: 1 });
  });

  // Review 57 (others), finding 1: the sender finished the cancel after telling its own journey only. The cancel request
  // was still to tell the event's other journey; it failed (or its instance died), and that journey kept the event for good.
  it('a cancel of an event routed to two journeys is not finished by the sender that told one: the finisher tells both', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const cancels = new EventCancellationsRepository(scratch.dataSource);
    const event = toJourneyEvent({ id: 'flight-4', type: 'order.completed', userId: 'flight-4', properties: {} }, new Date());
    // Two campaigns the order enters (an event takes one journey per campaign).
    const [told, late] = ['journey:first:flight-4', 'journey:second:flight-4'];
    const { toSend } = await repo.storeEvents(
      [event],
      [told, late].map((workflowId) => ({ eventId: event.id, kind: 'start' as const, campaignKey: workflowId.split(':')[1], campaignVersion: 1, workflowId })),
      60_000,
    );
    const sender = senderOver(repo, cancels);
    // The first journey has the event before the cancel; the second's send is in flight when it comes.
    await sender.send(toSend.filter((r) => r.workflowId === told), Date.now() + 60_000);
    await sender.onApplicationShutdown();
    const stored = await cancels.cancel('flight-4', 'refund', 20_000);
    expect(stored!.workflowIds).toEqual([told, late]);
    // The cancel request now tells both journeys; meanwhile the second's send comes back delivered, and its sender tells it again.
    await sender.send(toSend.filter((r) => r.workflowId === late), Date.now() + 60_000);
    await sender.onApplicationShutdown();
    expect(await journeyTold(late)).toEqual({ cancels: 1, firstSeen: 'flight-4' });
    // The request's signal to the first journey fails, or its instance dies: nothing has told that journey yet, and the
    // cancel must still be unfinished (before the fix the sender had finished it, and the finisher never came).
    expect(await journeyTold(told)).toEqual({ cancels: 0, firstSeen: 'flight-4' });
    expect(await cancelState('flight-4')).toEqual({ unfinished: true, leased: true, cancel_late_deliveries: 1 });
    // Once the leases run out, the finisher tells every journey the event was routed to, and only then is it finished.
    const claimed = await claimOnceDue(cancels, 'flight-4');
    expect(claimed).toEqual([{ eventId: 'flight-4', reason: 'refund', workflowIds: [told, late], lateDeliveries: 1 }]);
    expect(await finisherOver(cancels).finish(claimed[0], 2_000)).toMatchObject({ signalled: [told, late] });
    // The second journey already had the cancel: Temporal takes the repeat (same request id) as done.
    expect({ told: await journeyTold(told), late: await journeyTold(late) }).toEqual({ told: { cancels: 1, firstSeen: 'flight-4' }, late: { cancels: 1, firstSeen: 'flight-4' } });
    expect(await cancelState('flight-4')).toEqual({ unfinished: false, leased: null, cancel_late_deliveries: 1 });
  });

  it('claims rows up to a byte budget, the first always, a journey cut short keeping the rest behind in order', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    // Earlier tests' rows are settled, so these are the only due ones.
    await scratch.dataSource.query(`update signal_outbox set delivered_at = now(), outcome = 'delivered' where delivered_at is null`);
    const big = { note: 'x'.repeat(1_000) };
    const events = ['bytes-a1', 'bytes-a2', 'bytes-a3', 'bytes-b1'].map((id) => toJourneyEvent({ id, type: 'journey.close', userId: id.slice(6, 7), properties: big }, new Date()));
    // Due at once (no lease), journey a's three rows first.
    await repo.storeEvents(
      events,
      events.map((e) => ({ eventId: e.id, kind: 'signal' as const, campaignKey: 'bytes', campaignVersion: 1, workflowId: `journey:bytes:${e.userId}` })),
      0,
    );
    const mine = (rows: Array<{ eventId: string }>) => rows.map((r) => r.eventId);
    // About 1.2 KB a row: two fit in 2,000 bytes (the second starts under the budget), the third does not.
    expect(mine(await repo.claimDue(50, 60_000, 1_000, 2_000))).toEqual(['bytes-a1', 'bytes-a2']);
    // a3 waits behind its journey's claimed rows; b1 comes in the next claim.
    expect(mine(await repo.claimDue(50, 60_000, 1_000, 2_000))).toEqual(['bytes-b1']);
    expect(mine(await repo.claimDue(50, 60_000, 1_000, 10))).toEqual([]);
    // Once they are delivered a3 goes, though larger than the whole budget: the first of a claim always does.
    await scratch.dataSource.query(`update signal_outbox set delivered_at = now(), outcome = 'delivered' where event_id in ('bytes-a1', 'bytes-a2')`);
    expect(mine(await repo.claimDue(50, 60_000, 1_000, 10))).toEqual(['bytes-a3']);
  });

  it('counts an attempt for a row that was tried, none for one held back behind it', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const events = ['wait-1', 'wait-2'].map((id) => toJourneyEvent({ id, type: 'journey.close', userId: 'wait', properties: {} }, new Date()));
    // Stored under the request's lease, as POST /v1/events stores what it then sends.
    const { toSend } = await repo.storeEvents(
      events,
      events.map((e) => ({ eventId: e.id, kind: 'signal' as const, campaignKey: 'ordered', campaignVersion: 1, workflowId: 'journey:ordered:wait' })),
      60_000,
    );
    const [tried, behind] = toSend;
    await repo.record([
      { id: tried.id, error: 'busy', retryInMs: 1_000, claim: tried.claim },
      { id: behind.id, error: 'waits for event wait-1 of the same journey', retryInMs: 1_000, blocked: true, claim: behind.claim },
    ]);
    expect(await scratch.dataSource.query(`select event_id, attempts, last_error from signal_outbox where event_id like 'wait-%' order by id`)).toEqual([
      { event_id: 'wait-1', attempts: 1, last_error: 'busy' },
      { event_id: 'wait-2', attempts: 0, last_error: 'waits for event wait-1 of the same journey' },
    ]);
  });
});
