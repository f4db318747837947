import { Logger } from '@nestjs/common';
import { JourneySender } from '../src/api/outbox/journey-sender';
import { DEFAULT_OUTBOX_OPTIONS } from '../src/api/outbox/outbox.options';
import { toJourneyEvent } from '../src/domain/event';
import { SignalOutboxRepository, type OutboxDelivery } from '../src/store/repositories/signal-outbox.repository';
import type { JourneyGateway } from '../src/temporal/journey-gateway';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Nothing at Temporal's address: gRPC UNAVAILABLE. */
const nothingThere = () => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
/** Temporal refuses the payload itself: a refusal for good. */
const tooLarge = () => Object.assign(new Error('3 INVALID_ARGUMENT: Blob data size exceeds limit.'), { code: 3 });

/**
 * A delivery is closed as `dead` after its third refusal for good, however
 * many of its attempts failed before for another reason (Temporal away), and
 * only for refusals of it sent alone, not of a batch it was in:
 * the relay's own round trip, store, claim, send and record, over a real
 * signal_outbox, with a gateway whose answers the test sets.
 */
describe('a delivery is dead by its refusals, not by its attempts', () => {
  let scratch: TestDatabase;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    scratch = await createTestDatabase();
  });
  afterAll(async () => scratch?.drop());

  it('waits out an outage, then is closed at its third refusal, not its first', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    let fail: () => Error = nothingThere;
    const journeys = {
      bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(),
      deliverEvents: () => Promise.reject(fail()),
      answers: async () => false,
    } as unknown as JourneyGateway;
    const sender = new JourneySender(journeys, { ...DEFAULT_OUTBOX_OPTIONS, firstRetryMs: 1, maxRetryMs: 1, deadAfterRefusals: 3 }, repo, {} as never, {} as never, {} as never, {} as never);
    const event = toJourneyEvent({ id: 'refused-1', type: 'order.completed', userId: 'r', properties: {} }, new Date());
    // Left to the relay at once (lease 0), as while Temporal is away.
    await repo.storeEvents([event], [{ eventId: event.id, kind: 'start', campaignKey: 'welcome', campaignVersion: 1, workflowId: 'journey:welcome:r' }], 0);
    /** One relay pass over the row: claimed once due, sent, its outcome recorded. */
    const relay = async (): Promise<{ claimed: OutboxDelivery; outcome: string }> => {
      const [claimed] = await eventually(async () => {
        const rows = await repo.claimDue(10, 30_000);
        return rows.length > 0 ? rows : undefined;
      }, 5_000);
      const sent = (await sender.send([claimed], Date.now() + 30_000)).get(claimed.id)!;
      return { claimed, outcome: 'outcome' in sent ? sent.outcome : 'error' in sent ? (sent.refused ? 'refused' : 'failed') : 'deferred' };
    };
    const row = async () => (await scratch.dataSource.query(`select attempts, refusals, outcome from signal_outbox where event_id = 'refused-1'`))[0];

    expect((await relay()).outcome).toBe('failed');
    expect((await relay()).outcome).toBe('failed');
    expect(await row()).toEqual({ attempts: 2, refusals: 0, outcome: null });

    // Temporal is back and refuses the payload: the first refusal is retried, and the claim carries the count.
    fail = tooLarge;
    expect(await relay()).toMatchObject({ claimed: { attempts: 2, refusals: 0 }, outcome: 'refused' });
    expect(await row()).toEqual({ attempts: 3, refusals: 1, outcome: null });
    expect(await relay()).toMatchObject({ claimed: { attempts: 3, refusals: 1 }, outcome: 'refused' });
    expect(await relay()).toMatchObject({ claimed: { attempts: 4, refusals: 2 }, outcome: 'dead' });
    expect(await row()).toEqual({ attempts: 5, refusals: 3, outcome: 'dead' });
    await sender.onApplicationShutdown();
  });

  it('closes only the event refused alone: the events of its journey accepted behind it, and batched with it, are delivered', async () => {
    const repo = new SignalOutboxRepository(scratch.dataSource);
    const workflowId = 'journey:welcome:batched';
    const calls: string[][] = [];
    // Temporal refuses any call that carries the first event (its start options, say), and takes the others.
    const journeys = {
      bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(),
      deliverEvents: async ({ events }: { events: Array<{ id: string }> }) => {
        calls.push(events.map((e) => e.id));
        if (events.some((e) => e.id === 'batched-1')) throw tooLarge();
        return 'delivered' as const;
      },
      answers: async () => true,
    } as unknown as JourneyGateway;
    const sender = new JourneySender(journeys, { ...DEFAULT_OUTBOX_OPTIONS, firstRetryMs: 1, maxRetryMs: 1, deadAfterRefusals: 3 }, repo, {} as never, {} as never, {} as never, {} as never);
    /** Accepts event `n` for the journey and leaves it to the relay: the first starts the journey, the others are for it. */
    const accept = async (n: number) => {
      const event = toJourneyEvent({ id: `batched-${n}`, type: 'order.completed', userId: 'batched', properties: {} }, new Date());
      await repo.storeEvents([event], [{ eventId: event.id, kind: n === 1 ? 'start' : 'signal', campaignKey: 'welcome', campaignVersion: 1, workflowId }], 0);
    };
    /** One relay pass over the journey: its rows claimed once due, sent, their outcomes recorded. */
    const relay = async () => {
      const claimed = await eventually(async () => {
        const rows = (await repo.claimDue(10, 30_000)).filter((r) => r.workflowId === workflowId);
        return rows.length > 0 ? rows : undefined;
      }, 5_000);
      await sender.send(claimed, Date.now() + 30_000);
    };
    const rows = () => scratch.dataSource.query(`select event_id, outcome, refusals from signal_outbox where workflow_id = $1 order by id`, [workflowId]);
    const pending = async () => (await rows()).filter((r: { outcome: string | null }) => r.outcome === null).length;

    // Each later event is accepted after a refusal of the first, and queued behind it.
    await accept(1);
    await relay();
    await accept(2);
    await relay();
    await accept(3);
    for (let round = 0; round < 5 && (await pending()) > 0; round++) await relay();

    expect(await rows()).toEqual([
      { event_id: 'batched-1', outcome: 'dead', refusals: 3 },
      { event_id: 'batched-2', outcome: 'delivered', refusals: 0 },
      { event_id: 'batched-3', outcome: 'delivered', refusals: 0 },
    ]);
    // The first event was sent alone once refused, so that only its own refusals closed it.
    expect(calls.filter((c) => c.includes('batched-1')).every((c) => c.length === 1)).toBe(true);
    await sender.onApplicationShutdown();
  });
});
