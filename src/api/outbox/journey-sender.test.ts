import { Logger } from '@nestjs/common';
import type { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import type { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import type { RewardsRepository } from '../../store/repositories/rewards.repository';
import type { OutboxDelivery, SendOutcome, SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { journeyIdOf, MAX_WORKFLOW_ID_CHARS } from '../../temporal/journey-id';
import { journeyWorkflowId } from '../../workflows/journey/contract';
import type { RewardMetrics } from '../metrics/rewards.metrics';
import { JourneySender, RECORD_ROOM_MS } from './journey-sender';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from './outbox.options';
import { outboxRow } from './outbox-row.test-support';

/** Nothing at Temporal's address: gRPC UNAVAILABLE. */
const nothingThere = () => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
/** A Temporal that took the call and did not answer in time (gRPC names its address once one has): busy, not away. */
const busy = () => Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 1.0s, remote_addr=127.0.0.1:7233'), { code: 4 });
/** Temporal refuses the payload itself: a refusal for good. */
const tooLarge = () => Object.assign(new Error('3 INVALID_ARGUMENT: Blob data size exceeds limit.'), { code: 3 });

/** What the gateway is asked to deliver: one call's kind and events. */
interface GatewayCall {
  kind: 'start' | 'signal';
  events: Array<{ id: string }>;
}

const row = (id: number, user: string): OutboxDelivery => outboxRow(id, user);

/**
 * A sender over a gateway whose answer per journey the test sets, and a
 * repository that writes down, in order, what it was asked to record and when
 * it was asked to make the rows waiting for Temporal due.
 */
/**
 * Journey `welcome:a` behind a server blob limit below a batch's size: any call of several events is refused, each
 * event alone is delivered. Gives the events of each call, in order.
 */
function refusingBatches(answer: Map<string, (call: GatewayCall) => Promise<'delivered'>>): string[][] {
  const calls: string[][] = [];
  answer.set('journey:welcome:a', async ({ events }) => {
    calls.push(events.map((e) => e.id));
    if (events.length > 1) throw tooLarge();
    return 'delivered';
  });
  return calls;
}

function senderWith(opts: Partial<OutboxOptions> = {}) {
  const said: string[] = [];
  /** Rows closed in the outbox since the send read them (a cancel, say): what the sender's re-read finds. */
  const closed = new Set<number>();
  const answer = new Map<string, (call: GatewayCall) => Promise<'delivered'>>();
  let answers: () => Promise<boolean> = async () => true;
  const journeys = {
    bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(),
    deliverEvents: (d: GatewayCall & { workflowId: string }) => (answer.get(d.workflowId) ?? (async () => 'delivered' as const))(d),
    answers: () => answers(),
  } as unknown as JourneyGateway;
  const outbox = {
    record: async (outcomes: readonly SendOutcome[]) => {
      said.push(`record ${outcomes.map((o) => `${o.id}:${'error' in o ? (o.unreachable ? 'unreachable' : 'failed') : 'outcome' in o ? o.outcome : 'deferred'}`).join(' ')}`);
      return [];
    },
    rouseAwaitingTemporal: async () => {
      said.push('rouse');
      return 1;
    },
    closedAmong: async (ids: readonly number[]) => new Set(ids.filter((id) => closed.has(id))),
  } as unknown as SignalOutboxRepository;
  const sender = new JourneySender(
    journeys,
    { ...DEFAULT_OUTBOX_OPTIONS, sendTimeoutMs: 2_000, ...opts },
    outbox,
    {} as RewardsRepository,
    {} as RewardCausesRepository,
    {} as EventCancellationsRepository,
    {} as RewardMetrics,
  );
  return { sender, said, answer, closed, setAnswers: (a: boolean | (() => Promise<boolean>)) => (answers = typeof a === 'function' ? a : async () => a) };
}

describe('JourneySender: rows waiting out a backoff for Temporal', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('are made due when a call gets through after one found nothing at Temporal’s address', async () => {
    const { sender, said, answer } = senderWith();
    answer.set('journey:welcome:a', () => Promise.reject(nothingThere()));
    await sender.send([row(1, 'a')]);
    expect(sender.reachable).toBe(false);
    answer.delete('journey:welcome:a');
    await sender.send([row(2, 'b')]);
    expect(sender.reachable).toBe(true);
    expect(said).toEqual(['record 1:unreachable', 'rouse', 'record 2:delivered']);
  });

  it('are not made due after a call that timed out under load: the backoff holds when it is needed most', async () => {
    const { sender, said, answer } = senderWith();
    answer.set('journey:welcome:a', () => Promise.reject(busy()));
    await sender.send([row(1, 'a')]);
    expect(sender.reachable).toBe(false);
    answer.delete('journey:welcome:a');
    await sender.send([row(2, 'b')]);
    expect(sender.reachable).toBe(true);
    expect(said).toEqual(['record 1:unreachable', 'record 2:delivered']);
  });

  it('are made due by the relay’s probe once Temporal answers it, after it went unanswered', async () => {
    const { sender, said, answer, setAnswers } = senderWith();
    answer.set('journey:welcome:a', () => Promise.reject(busy()));
    await sender.send([row(1, 'a')]);
    setAnswers(false);
    expect(await sender.probe()).toBe(false);
    expect(said).toEqual(['record 1:unreachable']);
    setAnswers(true);
    expect(await sender.probe()).toBe(true);
    expect(said).toEqual(['record 1:unreachable', 'rouse']);
    // Reachable now: the probe asks nothing and rouses nothing more.
    expect(await sender.probe()).toBe(true);
    expect(said).toHaveLength(2);
  });

  it('a probe left unanswered while a call got through does not count Temporal as away', async () => {
    const { sender, said, answer, setAnswers } = senderWith();
    answer.set('journey:welcome:a', () => Promise.reject(busy()));
    await sender.send([row(1, 'a')]);
    let unanswered!: (ok: boolean) => void;
    setAnswers(() => new Promise<boolean>((resolve) => (unanswered = resolve)));
    const probing = sender.probe();
    answer.delete('journey:welcome:a');
    await sender.send([row(2, 'b')]);
    unanswered(false);
    expect(await probing).toBe(true);
    // Busy again, then through: nothing was away, so nothing is roused.
    answer.set('journey:welcome:c', () => Promise.reject(busy()));
    await sender.send([row(3, 'c')]);
    await sender.send([row(4, 'd')]);
    expect(said).toEqual(['record 1:unreachable', 'record 2:delivered', 'record 3:unreachable', 'record 4:delivered']);
  });

  it('a failure recorded after another call found Temporal back is made due too', async () => {
    const { sender, said, answer } = senderWith();
    // a finds nothing there at once; b gets through a moment later, in the same send, before a's failure is recorded.
    answer.set('journey:welcome:a', () => Promise.reject(nothingThere()));
    answer.set('journey:welcome:b', () => new Promise((resolve) => setTimeout(() => resolve('delivered'), 20)));
    await sender.send([row(1, 'a'), row(2, 'b')]);
    expect(said).toEqual(['rouse', 'record 1:unreachable 2:delivered', 'rouse']);
  });

  it('records every outcome under the claim its row was sent under, failures, deferrals and deliveries alike', async () => {
    const { sender, answer } = senderWith();
    answer.set('journey:welcome:a', () => Promise.reject(busy()));
    const sent = await sender.send([{ ...row(1, 'a'), claim: 3 }, { ...row(2, 'a'), kind: 'signal', claim: 3 }, { ...row(3, 'b'), claim: 7 }]);
    expect([...sent.values()].sort((x, y) => x.id - y.id).map((o) => [o.id, 'error' in o ? 'failed' : 'outcome' in o ? o.outcome : 'deferred', o.claim])).toEqual([
      [1, 'failed', 3],
      [2, 'failed', 3],
      [3, 'delivered', 7],
    ]);
    const late = await sender.send([{ ...row(4, 'c'), claim: 2 }], Date.now());
    expect([...late.values()]).toEqual([{ id: 4, deferred: true, claim: 2 }]);
  });

  it('closes a delivery as dead only for a refusal of its payload, not for a run whose signals are full (it passes at the next run)', async () => {
    const { sender, answer } = senderWith({ deadAfterRefusals: 3 });
    const full = () => Object.assign(new Error('3 INVALID_ARGUMENT: exceeded workflow execution limit for signal events'), { code: 3 });
    answer.set('journey:welcome:full', () => Promise.reject(full()));
    answer.set('journey:welcome:large', () => Promise.reject(tooLarge()));
    const sent = await sender.send([{ ...row(1, 'full'), attempts: 5, refusals: 2 }, { ...row(2, 'large'), attempts: 5, refusals: 2 }]);
    expect(sent.get(1)).toMatchObject({ error: expect.stringContaining('exceeded workflow execution limit'), retryInMs: expect.any(Number) });
    expect(sent.get(2)).toMatchObject({ outcome: 'dead', reason: expect.stringContaining('Blob data size exceeds limit') });
  });

  it('counts no attempt for rows held back behind a failed one, and judges a row by its own refusals', async () => {
    const { sender, answer } = senderWith({ deadAfterRefusals: 3, callLimits: { maxEvents: 1, maxBytes: 64 * 1024 } });
    answer.set('journey:welcome:a', () => Promise.reject(tooLarge()));
    const held = await sender.send([row(7, 'a'), { ...row(8, 'a'), kind: 'signal' }]);
    expect(held.get(8)).toMatchObject({ error: 'waits for event e-7 of the same journey', blocked: true });
    // A fresh head before a row refused often (by an older instance, which counted a batch's refusal on every row):
    // the head's first refusal is not its last, and the row behind it waits for it.
    const fresh = senderWith({ deadAfterRefusals: 3 });
    fresh.answer.set('journey:welcome:b', () => Promise.reject(tooLarge()));
    const sent = await fresh.sender.send([row(9, 'b'), { ...row(10, 'b'), kind: 'signal', attempts: 7, refusals: 7 }]);
    expect(sent.get(9)).toMatchObject({ refused: true, retryInMs: expect.any(Number) });
    expect(sent.get(10)).toMatchObject({ blocked: true, retryInMs: expect.any(Number) });
  });

  it('does not close a row as dead for a batch refused with a head refused twice before: the head goes alone', async () => {
    const { sender, answer } = senderWith({ deadAfterRefusals: 3 });
    const calls = refusingBatches(answer);
    const sent = await sender.send([{ ...row(1, 'a'), attempts: 2, refusals: 2 }, { ...row(2, 'a'), kind: 'signal' }]);
    expect([sent.get(1), sent.get(2)]).toEqual([
      { id: 1, outcome: 'delivered', claim: 0 },
      { id: 2, outcome: 'delivered', claim: 0 },
    ]);
    expect(calls).toEqual([['e-1'], ['e-2']]);
  });

  it('sends the rows of a refused batch again one per call, with the rest of the journey: none counts that refusal', async () => {
    const { sender, answer } = senderWith({ deadAfterRefusals: 3 });
    const calls = refusingBatches(answer);
    const sent = await sender.send([row(1, 'a'), { ...row(2, 'a'), kind: 'signal' }, { ...row(3, 'a'), kind: 'signal' }]);
    expect([1, 2, 3].map((id) => sent.get(id))).toEqual([1, 2, 3].map((id) => ({ id, outcome: 'delivered', claim: 0 })));
    expect(calls).toEqual([['e-1', 'e-2', 'e-3'], ['e-1'], ['e-2'], ['e-3']]);
  });

  it('counts the refusal of a batch refused for its first row on that row alone; the rows behind it wait uncounted', async () => {
    const { sender, answer } = senderWith({ deadAfterRefusals: 3 });
    answer.set('journey:welcome:a', async ({ events }) => {
      if (events.some((e) => e.id === 'e-1')) throw tooLarge();
      return 'delivered';
    });
    const rows = [row(1, 'a'), { ...row(2, 'a'), kind: 'signal' as const }, { ...row(3, 'a'), kind: 'signal' as const }];
    const first = await sender.send(rows);
    expect(first.get(1)).toMatchObject({ refused: true, retryInMs: expect.any(Number) });
    for (const id of [2, 3]) {
      expect(first.get(id)).toMatchObject({ blocked: true, error: 'waits for event e-1 of the same journey' });
      expect(first.get(id)).not.toHaveProperty('refused');
    }
    // Its third refusal closes it; the rows behind it then go.
    const third = await sender.send([{ ...rows[0], attempts: 2, refusals: 2 }, rows[1], rows[2]]);
    expect([1, 2, 3].map((id) => third.get(id))).toEqual([
      expect.objectContaining({ outcome: 'dead', reason: expect.stringContaining('Blob data size exceeds limit') }),
      { id: 2, outcome: 'delivered', claim: 0 },
      { id: 3, outcome: 'delivered', claim: 0 },
    ]);
  });

  it('is not dead on its first refusal after failed attempts of another kind: only refusals count toward dead', async () => {
    const { sender, answer } = senderWith({ deadAfterRefusals: 3 });
    answer.set('journey:welcome:a', () => Promise.reject(tooLarge()));
    // Six earlier attempts failed while Temporal was away (or rate limited, or its run full): no refusal among them.
    // Each refusal is then counted (refused: true, which the record adds to the row's refusals) until the third closes it.
    const first = await sender.send([{ ...row(1, 'a'), attempts: 6, refusals: 0 }]);
    expect(first.get(1)).toEqual({ id: 1, error: expect.stringContaining('Blob data size exceeds limit'), retryInMs: expect.any(Number), unreachable: false, refused: true, claim: 0 });
    expect((await sender.send([{ ...row(1, 'a'), attempts: 7, refusals: 1 }])).get(1)).toMatchObject({ refused: true, retryInMs: expect.any(Number) });
    expect((await sender.send([{ ...row(1, 'a'), attempts: 8, refusals: 2 }])).get(1)).toMatchObject({ outcome: 'dead', reason: expect.stringContaining('Blob data size exceeds limit') });
  });

  it('counts no refusal for a failure that says nothing about the payload', async () => {
    const { sender, answer } = senderWith({ deadAfterRefusals: 1 });
    const full = () => Object.assign(new Error('3 INVALID_ARGUMENT: exceeded workflow execution limit for signal events'), { code: 3 });
    const rateLimited = () => Object.assign(new Error('8 RESOURCE_EXHAUSTED: namespace rate limit exceeded'), { code: 8 });
    answer.set('journey:welcome:away', () => Promise.reject(nothingThere()));
    answer.set('journey:welcome:busy', () => Promise.reject(busy()));
    answer.set('journey:welcome:full', () => Promise.reject(full()));
    answer.set('journey:welcome:limited', () => Promise.reject(rateLimited()));
    const sent = await sender.send(['away', 'busy', 'full', 'limited'].map((u, i) => ({ ...row(i + 1, u), attempts: 20 })));
    expect([...sent.values()].sort((x, y) => x.id - y.id).map((o) => ('error' in o ? (o.refused ?? false) : o))).toEqual([false, false, false, false]);
  });

  it('makes no more calls once one of the send found Temporal away: the rest go back to the relay untried', async () => {
    // One journey at a time, as the 65th journey of a request finds it after the first wave of 64.
    const { sender, said, answer } = senderWith({ concurrency: 1, callLimits: { maxEvents: 1, maxBytes: 64 * 1024 } });
    const called: string[] = [];
    for (const u of ['a', 'b', 'c']) {
      answer.set(`journey:welcome:${u}`, () => {
        called.push(u);
        return Promise.reject(nothingThere());
      });
    }
    const sent = await sender.send([row(1, 'a'), { ...row(2, 'a'), kind: 'signal' }, row(3, 'b'), { ...row(4, 'c'), claim: 2 }], Date.now() + 30_000);
    expect(called).toEqual(['a']);
    // The failed call's row counts its attempt; the row behind it waits for it; the journeys not called are
    // handed back untried (no attempt, due at once), each under its own claim.
    expect(sent.get(1)).toMatchObject({ error: expect.stringContaining('UNAVAILABLE'), unreachable: true });
    expect(sent.get(2)).toMatchObject({ error: 'waits for event e-1 of the same journey', blocked: true });
    expect(sent.get(3)).toEqual({ id: 3, deferred: true, claim: 0 });
    expect(sent.get(4)).toEqual({ id: 4, deferred: true, claim: 2 });
    expect(said).toEqual(['record 1:unreachable 2:failed 3:deferred 4:deferred']);
  });

  it('makes no more calls once one of the send got no answer in time, as a stopped Temporal first shows', async () => {
    // Nothing listens: the client retries until the deadline, and the sender's own timeout ends the call first.
    const { sender, answer } = senderWith({ concurrency: 1, sendTimeoutMs: 30 });
    const called: string[] = [];
    for (const u of ['a', 'b', 'c'])
      answer.set(`journey:welcome:${u}`, () => {
        called.push(u);
        return new Promise<never>(() => undefined);
      });
    const sent = await sender.send([row(1, 'a'), row(2, 'b'), row(3, 'c')], Date.now() + 30_000);
    expect(called).toEqual(['a']);
    expect(sent.get(1)).toMatchObject({ error: 'Temporal did not answer within 30 ms', unreachable: true });
    expect([sent.get(2), sent.get(3)]).toEqual([{ id: 2, deferred: true, claim: 0 }, { id: 3, deferred: true, claim: 0 }]);
  });

  it('goes on calling the other journeys after one got no answer in time once another was answered: Temporal is there, if busy', async () => {
    const { sender, answer } = senderWith({ concurrency: 1, sendTimeoutMs: 30 });
    const called: string[] = [];
    for (const u of ['a', 'b', 'c', 'd'])
      answer.set(`journey:welcome:${u}`, () => {
        called.push(u);
        return u === 'b' ? new Promise<never>(() => undefined) : Promise.resolve('delivered' as const);
      });
    const sent = await sender.send([row(1, 'a'), row(2, 'b'), row(3, 'c'), row(4, 'd')], Date.now() + 30_000);
    expect(called).toEqual(['a', 'b', 'c', 'd']);
    expect([1, 3, 4].map((id) => sent.get(id))).toEqual([1, 3, 4].map((id) => ({ id, outcome: 'delivered', claim: 0 })));
    expect(sent.get(2)).toMatchObject({ error: 'Temporal did not answer within 30 ms' });
  });

  it('goes on calling the other journeys after a call Temporal answered with a failure (rate limited, refused)', async () => {
    const { sender, answer } = senderWith({ concurrency: 1 });
    const called: string[] = [];
    const rateLimited = () => Object.assign(new Error('8 RESOURCE_EXHAUSTED: namespace rate limit exceeded'), { code: 8 });
    answer.set('journey:welcome:a', () => {
      called.push('a');
      return Promise.reject(rateLimited());
    });
    answer.set('journey:welcome:b', () => {
      called.push('b');
      return Promise.reject(tooLarge());
    });
    answer.set('journey:welcome:c', async () => {
      called.push('c');
      return 'delivered';
    });
    const sent = await sender.send([row(1, 'a'), row(2, 'b'), row(3, 'c')], Date.now() + 30_000);
    expect(called).toEqual(['a', 'b', 'c']);
    expect(sent.get(3)).toEqual({ id: 3, outcome: 'delivered', claim: 0 });
    expect(sender.reachable).toBe(true);
  });

  it('a row held back behind a failed call of its journey carries its own claim', async () => {
    // One event per call: row 6 is not sent at all, it waits for row 5.
    const { sender, answer } = senderWith({ callLimits: { maxEvents: 1, maxBytes: 64 * 1024 } });
    answer.set('journey:welcome:a', () => Promise.reject(busy()));
    const sent = await sender.send([{ ...row(5, 'a'), claim: 4 }, { ...row(6, 'a'), kind: 'signal', claim: 5 }]);
    expect(sent.get(6)).toMatchObject({ error: 'waits for event e-5 of the same journey', claim: 5 });
    expect(sent.get(5)).toMatchObject({ claim: 4 });
  });

  it('starts no call that would leave too little of the lease to write the outcomes (review 63-ingest, finding 1)', async () => {
    // Each call takes 960 ms of the clock under a 1 s timeout; one journey at a time. Calls that run up to the lease's
    // end would have the outcomes written after it, when another instance's relay may already send the rows again.
    let clock = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    try {
      const { sender, said, answer } = senderWith({ concurrency: 1, sendTimeoutMs: 1_000 });
      const leaseUntil = clock + 1_000 + RECORD_ROOM_MS + 1_000;
      const recordedAt: number[] = [];
      for (const user of ['a', 'b', 'c', 'd', 'e']) {
        answer.set(`journey:welcome:${user}`, async () => {
          clock += 960;
          return 'delivered';
        });
      }
      const record = said.push.bind(said);
      said.push = (...items: string[]) => {
        recordedAt.push(clock);
        return record(...items);
      };
      const sent = await sender.send([row(1, 'a'), row(2, 'b'), row(3, 'c'), row(4, 'd'), row(5, 'e')], leaseUntil, { recordLater: true });
      await sender.onApplicationShutdown();
      expect([...sent.values()].map((o) => ('outcome' in o ? o.outcome : 'deferred' in o ? 'deferred' : 'failed'))).toEqual(['delivered', 'delivered', 'deferred', 'deferred', 'deferred']);
      expect(recordedAt).toHaveLength(1);
      expect(recordedAt[0]).toBeLessThanOrEqual(leaseUntil - RECORD_ROOM_MS);
    } finally {
      now.mockRestore();
    }
  });
});

describe('JourneySender: an event cancelled while its send is under way', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('does not send a row the cancel closed before the call carrying it started; the rest of the journey goes', async () => {
    // One event per call: the cancel of e-2 lands while the call carrying e-1 is under way.
    const { sender, said, answer, closed } = senderWith({ closedRecheckAfterMs: 0, callLimits: { maxEvents: 1, maxBytes: 64 * 1024 } });
    const calls: string[][] = [];
    answer.set('journey:welcome:a', async ({ events }) => {
      calls.push(events.map((e) => e.id));
      closed.add(2);
      return 'delivered';
    });
    const sent = await sender.send([row(1, 'a'), { ...row(2, 'a'), kind: 'signal' }, { ...row(3, 'a'), kind: 'signal' }], Date.now() + 30_000);
    expect(calls).toEqual([['e-1'], ['e-3']]);
    // Nothing is recorded for it: the cancel closed it.
    expect(sent.has(2)).toBe(false);
    expect(said).toEqual(['record 1:delivered 3:delivered']);
  });

  it('a journey called after others ended drops its cancelled start, and the signals after it go as signals', async () => {
    // One journey at a time, as the journeys of a large request after its first wave.
    const { sender, answer, closed } = senderWith({ closedRecheckAfterMs: 0, concurrency: 1 });
    const calls: Array<{ workflowId: string; kind: string; events: string[] }> = [];
    for (const u of ['a', 'b'])
      answer.set(`journey:welcome:${u}`, async ({ kind, events }) => {
        calls.push({ workflowId: `journey:welcome:${u}`, kind, events: events.map((e) => e.id) });
        closed.add(2);
        return 'delivered';
      });
    const sent = await sender.send([row(1, 'a'), row(2, 'b'), { ...row(3, 'b'), kind: 'signal' }]);
    expect(calls).toEqual([
      { workflowId: 'journey:welcome:a', kind: 'start', events: ['e-1'] },
      { workflowId: 'journey:welcome:b', kind: 'signal', events: ['e-3'] },
    ]);
    expect([...sent.keys()].sort()).toEqual([1, 3]);
  });

  it('sends the cancel again under the send timeout: a Temporal that takes the signal and never answers does not hold shutdown', async () => {
    const unfinishedAgain = jest.fn(async (_eventId: string) => undefined);
    // The gateway's deadline, as JourneyGateway.bounded gives it; its cancel signal is never answered.
    const bounded = jest.fn(<T>(ms: number, fn: () => Promise<T>) => Promise.race([fn(), new Promise<never>((_, reject) => setTimeout(() => reject(busy()), ms))]));
    const journeys = {
      bounded,
      deliverEvents: async () => 'delivered' as const,
      cancelEvent: () => new Promise<never>(() => undefined),
      answers: async () => true,
    } as unknown as JourneyGateway;
    // The row was closed by the cancel while its call was in flight: the record finds it closed meanwhile.
    const outbox = {
      record: async (outcomes: readonly SendOutcome[]) => outcomes.map((o) => o.id),
      sentButCancelled: async () => [{ eventId: 'e-1', workflowId: 'journey:welcome:a', reason: 'refund' }],
      closedAmong: async () => new Set<number>(),
    } as unknown as SignalOutboxRepository;
    const rewardCauses = { reclaimableKeys: async () => [] } as unknown as RewardCausesRepository;
    const sender = new JourneySender(
      journeys,
      { ...DEFAULT_OUTBOX_OPTIONS, sendTimeoutMs: 20 },
      outbox,
      {} as RewardsRepository,
      rewardCauses,
      { unfinishedAgain } as unknown as EventCancellationsRepository,
      { reclaimed: () => undefined } as unknown as RewardMetrics,
    );
    expect((await sender.send([row(1, 'a')])).get(1)).toMatchObject({ outcome: 'delivered' });
    // Resolves once the cancel sent again gave up; before, it waited on the signal for as long as Temporal held it.
    await sender.onApplicationShutdown();
    expect(bounded).toHaveBeenLastCalledWith(20, expect.any(Function));
    // Left to the CancelFinisher, which tells the journeys again once Temporal answers.
    expect(unfinishedAgain).toHaveBeenCalledWith('e-1');
  });

  /**
   * A sender whose call came back delivered after the cancel closed its row; the cancel's signal is answered by
   * `cancelEvent`. Notes, in order, what the repositories were told.
   */
  function senderOfALateDelivery(cancelEvent: () => Promise<unknown>) {
    const said: string[] = [];
    const journeys = {
      bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(),
      deliverEvents: async () => 'delivered' as const,
      cancelEvent: async () => {
        said.push('cancel sent again');
        return cancelEvent();
      },
      answers: async () => true,
    } as unknown as JourneyGateway;
    const outbox = {
      record: async (outcomes: readonly SendOutcome[]) => outcomes.map((o) => o.id),
      // The repository makes the cancel unfinished (leased for `retellLeaseMs`) as it flips the row, and counts the late delivery.
      sentButCancelled: async (ids: readonly number[], retellLeaseMs: number) => {
        said.push(`unfinished for ${retellLeaseMs} ms`);
        return ids.map(() => ({ eventId: 'e-1', workflowId: 'journey:welcome:a', reason: 'refund' }));
      },
      closedAmong: async () => new Set<number>(),
    } as unknown as SignalOutboxRepository;
    const cancellations = {
      finished: async (eventId: string, lateDeliveries: number) => void said.push(`finished ${eventId} after ${lateDeliveries} late`),
      unfinishedAgain: async (eventId: string) => void said.push(`left to the finisher ${eventId}`),
    } as unknown as EventCancellationsRepository;
    const rewardCauses = { reclaimableKeys: async () => [] } as unknown as RewardCausesRepository;
    const sender = new JourneySender(journeys, { ...DEFAULT_OUTBOX_OPTIONS, sendTimeoutMs: 1_000 }, outbox, {} as RewardsRepository, rewardCauses, cancellations, {
      reclaimed: () => undefined,
    } as unknown as RewardMetrics);
    return { sender, said };
  }

  // Review 57 (others), finding 1: the sender finished the cancel after telling only its own journey, while the cancel
  // request (or a finisher round) could still be telling the event's others; had that one then failed, they were never told.
  it('sends the cancel again after a late delivery but never finishes it: the finisher tells every journey and finishes it', async () => {
    const { sender, said } = senderOfALateDelivery(async () => ({ signalled: ['journey:welcome:a'], ended: [] }));
    await sender.send([row(1, 'a')]);
    await sender.onApplicationShutdown();
    // Unfinished in PostgreSQL before anything is sent (a crash now leaves it to the finisher), for the signals' time and
    // the ledger's; the lease stands after the cancel went again, and nothing here marks it finished.
    expect(said).toEqual(['unfinished for 6000 ms', 'cancel sent again']);
  });

  it('leaves a cancel it could not send again unfinished, due for the finisher at once', async () => {
    const { sender, said } = senderOfALateDelivery(async () => Promise.reject(nothingThere()));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await sender.send([row(1, 'a')]);
    await sender.onApplicationShutdown();
    warn.mockRestore();
    expect(said).toEqual(['unfinished for 6000 ms', 'cancel sent again', 'left to the finisher e-1']);
  });
});

describe('JourneySender: a row queued before journey ids were cut to 255 characters (review 62-background, finding 3)', () => {
  it('is sent to the id its journey has now, not the uncut id stored on the row (which Temporal never takes)', async () => {
    const { sender, said } = senderWith();
    const userId = 'u'.repeat(300);
    const delivered: string[] = [];
    const journeys = (sender as unknown as { journeys: { deliverEvents: (d: { workflowId: string }) => Promise<'delivered'> } }).journeys;
    journeys.deliverEvents = async (d) => {
      delivered.push(d.workflowId);
      return 'delivered';
    };
    const uncut = { ...outboxRow(1, userId), campaignKey: 'c', workflowId: journeyWorkflowId('c', userId) };
    expect(uncut.workflowId.length).toBeGreaterThan(MAX_WORKFLOW_ID_CHARS);
    const outcomes = await sender.send([uncut]);
    expect(delivered).toEqual([journeyIdOf('c', userId)]);
    expect(delivered[0].length).toBeLessThanOrEqual(MAX_WORKFLOW_ID_CHARS);
    expect(outcomes.get(1)).toMatchObject({ outcome: 'delivered' });
    expect(said).toEqual(['record 1:delivered']);
  });
});
