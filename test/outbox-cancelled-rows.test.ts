import { Logger } from '@nestjs/common';
import { JourneySender } from '../src/api/outbox/journey-sender';
import { DEFAULT_OUTBOX_OPTIONS } from '../src/api/outbox/outbox.options';
import { toJourneyEvent } from '../src/domain/event';
import { EventCancellationsRepository } from '../src/store/repositories/event-cancellations.repository';
import { SignalOutboxRepository } from '../src/store/repositories/signal-outbox.repository';
import type { JourneyGateway } from '../src/temporal/journey-gateway';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * A delivery the cancel closed before any call carrying it started is not
 * sent ("its deliveries not yet sent are dropped"), though a relay claim or
 * a request's send already held it: over a real signal_outbox, with a
 * gateway the test answers for. No Temporal runs.
 */
describe('a delivery cancelled while its journey is being sent is not sent', () => {
  let scratch: TestDatabase;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    scratch = await createTestDatabase();
  });
  afterAll(async () => scratch?.drop());

  const eventsFor = (user: string, n: number) =>
    Array.from({ length: n }, (_, i) => toJourneyEvent({ id: `${user}-${i + 1}`, type: 'order.completed', userId: user, properties: {} }, new Date()));
  const plannedFor = (events: ReadonlyArray<{ id: string }>, workflowId: string) =>
    events.map((e, i) => ({ eventId: e.id, kind: i === 0 ? ('start' as const) : ('signal' as const), campaignKey: 'welcome', campaignVersion: 1, workflowId }));
  const rowsOf = (workflowId: string) => scratch.dataSource.query(`select event_id, claims, outcome from signal_outbox where workflow_id = $1 order by id`, [workflowId]);

  it('a claim that waited on a row the cancel was closing does not claim it', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const workflowId = 'journey:welcome:waited';
    const events = eventsFor('waited', 2);
    // Left to the relay (lease 0): both rows due, waited-2 queued behind waited-1.
    await repo.storeEvents(events, plannedFor(events, workflowId), 0);
    // The cancel of waited-2 closes its row and has not committed yet when the relay claims the journey.
    const cancel = scratch.dataSource.createQueryRunner();
    await cancel.connect();
    try {
      await cancel.startTransaction();
      await cancel.query(`update signal_outbox set delivered_at = now(), outcome = 'cancelled', last_error = null where event_id = 'waited-2' and delivered_at is null`);
      const claiming = repo.claimDue(10, 30_000);
      // The claim read waited-2 as undelivered and now waits for its lock.
      await eventually(async () => {
        const [{ n }] = await scratch.dataSource.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock' and query like '%signal_outbox%'`,
        );
        return n > 0 ? true : undefined;
      }, 10_000);
      await cancel.commitTransaction();
      expect((await claiming).map((d) => d.eventId)).toEqual(['waited-1']);
    } finally {
      if (cancel.isTransactionActive) await cancel.rollbackTransaction();
      await cancel.release();
    }
    expect(await rowsOf(workflowId)).toEqual([
      { event_id: 'waited-1', claims: 1, outcome: null },
      { event_id: 'waited-2', claims: 0, outcome: 'cancelled' },
    ]);
  });

  it('a claim that took long leases its rows from when it claimed them, not from when its statement started (review 62-background, finding 1)', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const workflowId = 'journey:welcome:slow-claim';
    const events = eventsFor('slow-claim', 2);
    await repo.storeEvents(events, plannedFor(events, workflowId), 0);
    // Another session holds the table for 2 s: the claim statement has started (its now() is fixed) and waits before
    // it reads or claims a row, as a claim whose scan walks a long backlog does.
    const holder = scratch.dataSource.createQueryRunner();
    await holder.connect();
    const leaseMs = 30_000;
    let released = 0;
    try {
      await holder.startTransaction();
      await holder.query(`lock table signal_outbox in share mode`);
      const claiming = repo.claimDue(10, leaseMs);
      await eventually(async () => {
        const [{ n }] = await scratch.dataSource.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock' and query like '%signal_outbox%'`,
        );
        return n > 0 ? true : undefined;
      }, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const [{ at }] = await holder.query(`select extract(epoch from clock_timestamp()) * 1000 as at`);
      released = Number(at);
      await holder.commitTransaction();
      expect((await claiming).map((d) => d.eventId)).toEqual(['slow-claim-1', 'slow-claim-2']);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    const [{ until }] = await scratch.dataSource.query(`select extract(epoch from next_attempt_at) * 1000 as until from signal_outbox where event_id = 'slow-claim-2'`);
    // Counted from when the statement started, the lease would end about 2 s early (leaseMs after the claim began waiting).
    expect(Number(until)).toBeGreaterThanOrEqual(released + leaseMs);
  });

  it('a claim whose update took long says how much of the lease was left once it was done (review 63-ingest, finding 1)', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const workflowId = 'journey:welcome:long-update';
    const events = eventsFor('long-update', 5);
    await repo.storeEvents(events, plannedFor(events, workflowId), 0);
    // Each row's update takes 0.5 s (as a claim of many rows, or one waiting for a member row's lock): the first row
    // leased is stamped about 2 s before the update is done.
    await scratch.dataSource.query(`create function slow_claim() returns trigger language plpgsql as $$ begin perform pg_sleep(0.5); return new; end $$`);
    await scratch.dataSource.query(`create trigger slow_claim before update on signal_outbox for each row execute function slow_claim()`);
    const leaseMs = 30_000;
    let claimed: Awaited<ReturnType<SignalOutboxRepository['claimDueLeased']>>;
    let returnedAt: number;
    try {
      claimed = await repo.claimDueLeased(10, leaseMs);
      returnedAt = Date.now();
    } finally {
      await scratch.dataSource.query(`drop trigger slow_claim on signal_outbox`);
      await scratch.dataSource.query(`drop function slow_claim()`);
    }
    expect(claimed.rows).toHaveLength(5);
    const [{ earliest }] = await scratch.dataSource.query(`select extract(epoch from min(next_attempt_at)) * 1000 as earliest from signal_outbox where workflow_id = $1`, [workflowId]);
    // Counted from when the rows came back, the lease the relay goes by ends no later than the database's.
    expect(returnedAt + claimed.leaseLeftMs).toBeLessThanOrEqual(Number(earliest) + 100);
    expect(claimed.leaseLeftMs).toBeLessThan(leaseMs - 1_500);
    expect(claimed.leaseLeftMs).toBeGreaterThan(leaseMs - 5_000);
  });

  it('a send under way when the cancel came counts its attempt on the closed delivery, which says Temporal did not confirm it (review 63-ingest, finding 4)', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const cancellations = new EventCancellationsRepository(scratch.dataSource);
    const events = eventsFor('unconfirmed', 1);
    await repo.storeEvents(events, plannedFor(events, 'journey:welcome:unconfirmed'), 0);
    const [claimed] = await repo.claimDue(10, 30_000);
    expect(claimed.eventId).toBe('unconfirmed-1');
    await cancellations.cancel('unconfirmed-1', 'refund', 60_000);
    const [{ lease }] = await scratch.dataSource.query(`select next_attempt_at as lease from signal_outbox where id = $1`, [claimed.id]);
    // The call timed out here: Temporal may have taken it all the same.
    await repo.record([{ id: claimed.id, error: 'Temporal did not answer within 5000 ms', retryInMs: 1_000, unreachable: true, claim: claimed.claim }]);
    expect(await repo.forEvent('unconfirmed-1')).toEqual([
      expect.objectContaining({ status: 'cancelled', attempts: 1, deliveredAt: null, lastError: 'sent as the cancel came; Temporal did not confirm it: Temporal did not answer within 5000 ms' }),
    ]);
    // Still closed, and its lease (which the cancel goes by) is as the claim left it.
    const [row] = await scratch.dataSource.query(`select outcome, delivered_at is not null as closed, next_attempt_at as lease from signal_outbox where id = $1`, [claimed.id]);
    expect(row).toEqual({ outcome: 'cancelled', closed: true, lease });
    // A row handed back untried (deferred) counts nothing.
    await repo.record([{ id: claimed.id, deferred: true, claim: claimed.claim }]);
    expect((await repo.forEvent('unconfirmed-1'))[0].attempts).toBe(1);
  });

  it('a call that starts after the event was cancelled leaves its row out; the journey’s other rows go, each once', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const cancellations = new EventCancellationsRepository(scratch.dataSource);
    const workflowId = 'journey:welcome:later';
    const calls: string[][] = [];
    const journeys = {
      bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(),
      deliverEvents: async ({ events }: { events: Array<{ id: string }> }) => {
        calls.push(events.map((e) => e.id));
        // Support cancels later-2 while the call carrying later-1 is under way.
        if (calls.length === 1) await cancellations.cancel('later-2', 'refund', 60_000);
        return 'delivered' as const;
      },
      answers: async () => true,
    } as unknown as JourneyGateway;
    // One event per call, as a journey with more queued rows than one call carries; every later call re-reads.
    const sender = new JourneySender(
      journeys,
      { ...DEFAULT_OUTBOX_OPTIONS, closedRecheckAfterMs: 0, callLimits: { maxEvents: 1, maxBytes: 64 * 1024 } },
      repo,
      {} as never,
      {} as never,
      cancellations,
      {} as never,
    );
    const events = eventsFor('later', 3);
    const { toSend } = await repo.storeEvents(events, plannedFor(events, workflowId), 30_000);
    expect(toSend.map((d) => d.eventId)).toEqual(['later-1', 'later-2', 'later-3']);
    const sent = await sender.send(toSend, Date.now() + 30_000);
    await sender.onApplicationShutdown();
    expect(calls).toEqual([['later-1'], ['later-3']]);
    expect([...sent.values()].map((o) => ('outcome' in o ? o.outcome : o))).toEqual(['delivered', 'delivered']);
    expect((await rowsOf(workflowId)).map((r: { event_id: string; outcome: string }) => [r.event_id, r.outcome])).toEqual([
      ['later-1', 'delivered'],
      ['later-2', 'cancelled'],
      ['later-3', 'delivered'],
    ]);
  });
});
