import { Logger, type LoggerService } from '@nestjs/common';
import type { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import type { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import type { RewardsRepository } from '../../store/repositories/rewards.repository';
import type { OutboxDelivery, SendOutcome, SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import type { RewardMetrics } from '../metrics/rewards.metrics';
import { JourneySender } from './journey-sender';
import { CLAIM_RETURN_MARGIN_MS, OutboxRelay, RELAY_ROUND_BUDGET_MS } from './outbox.relay';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from './outbox.options';
import { outboxRow } from './outbox-row.test-support';

const row = (id: number, user: string): OutboxDelivery => outboxRow(id, user, 1);

/** What the relay's outcomes are for each row it sends. */
type Answer = (r: OutboxDelivery) => SendOutcome;
const unavailable: Answer = (r) => ({ id: r.id, error: '14 UNAVAILABLE: No connection established', retryInMs: 1_000, unreachable: true, claim: r.claim });
const delivered: Answer = (r) => ({ id: r.id, outcome: 'delivered', claim: r.claim });

/** Claims past which a round is taken to claim on for ever: the rounds tested here end after 1 or 6. */
const RUNAWAY_CLAIMS = 50;

/**
 * A relay over a backlog that never runs out: each claim hands out `relayBatch`
 * fresh journeys (a full claim), after a turn of the event loop as a query
 * would. `claims` counts them; `onSend` runs as each claim is sent; `runaway`
 * settles once a round has claimed RUNAWAY_CLAIMS times, bounding the test
 * by work done, not by the clock.
 */
function relayWith(answer: Answer, opts: Partial<OutboxOptions> = {}, onSend: () => void = () => undefined) {
  const options = { ...DEFAULT_OUTBOX_OPTIONS, relayBatch: 2, ...opts };
  let next = 0;
  const state = { claims: 0 };
  let ranAway!: () => void;
  const runaway = new Promise<void>((resolve) => (ranAway = resolve));
  const outbox = {
    claimDueLeased: async (limit: number, leaseMs: number) => {
      await new Promise((resolve) => setImmediate(resolve));
      state.claims++;
      if (state.claims >= RUNAWAY_CLAIMS) ranAway();
      return { rows: Array.from({ length: limit }, () => row(++next, `u${next}`)), leaseLeftMs: leaseMs };
    },
  } as unknown as SignalOutboxRepository;
  const sender = {
    probe: async () => false,
    send: async (rows: readonly OutboxDelivery[]) => {
      onSend();
      return new Map(rows.map((r) => [r.id, answer(r)]));
    },
  } as unknown as JourneySender;
  return { relay: new OutboxRelay(outbox, sender, options), state, runaway };
}

/** Whether `round` ended before it had claimed RUNAWAY_CLAIMS times (the relay stops either way after). */
const endsBefore = (round: Promise<unknown>, runaway: Promise<void>) => Promise.race([round.then(() => 'ended'), runaway.then(() => 'claimed on')]);

describe('OutboxRelay: a round ends, and says so, whatever the backlog', () => {
  const warnings: string[] = [];
  const logs: string[] = [];
  beforeAll(() => {
    const quiet: LoggerService = { log: (m: unknown) => logs.push(String(m)), warn: (m: unknown) => warnings.push(String(m)), error: () => undefined, debug: () => undefined, verbose: () => undefined };
    Logger.overrideLogger(quiet);
  });
  afterAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    warnings.length = 0;
    logs.length = 0;
  });

  it('ends a round at a full claim that delivered nothing (Temporal away), instead of claiming on for the whole outage', async () => {
    const { relay, state, runaway } = relayWith(unavailable, { relayIntervalMs: 60_000 });
    relay.onApplicationBootstrap(); // started, so that only the round's own bound ends it (its timer is far off)
    try {
      const round = relay.drain();
      expect(await endsBefore(round, runaway)).toBe('ended');
      expect(await round).toEqual({ closed: 0, failed: 2, deferred: 0, firstError: '14 UNAVAILABLE: No connection established' });
      expect(state.claims).toBe(1);
    } finally {
      await relay.beforeApplicationShutdown();
    }
  });

  it('says at warn that nothing reaches Temporal while the outage lasts, once per minute, though every claim is full', async () => {
    const { relay, runaway } = relayWith(unavailable, { relayIntervalMs: 5 });
    // Rounds counted as they end: a round that claimed on for ever would reach RUNAWAY_CLAIMS with none ended, and fail below.
    const drain = relay.drain.bind(relay);
    let ended = 0;
    jest.spyOn(relay, 'drain').mockImplementation(async () => {
      const round = await drain();
      ended += 1;
      return round;
    });
    relay.onApplicationBootstrap();
    try {
      const threeRounds = (async () => {
        while (ended < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      })();
      await Promise.race([threeRounds, runaway]);
      expect(ended).toBeGreaterThanOrEqual(3);
    } finally {
      await relay.beforeApplicationShutdown();
    }
    expect(warnings).toEqual([
      'No queued delivery reached Temporal this round: 2 wait for their next try (14 UNAVAILABLE: No connection established); accepted events are kept in the outbox until it answers',
    ]);
  });

  it('drains a healthy backlog claim after claim in one round, and ends the round after its time budget', async () => {
    // Each claim's sends take 10 s of the clock: a round claims about RELAY_ROUND_BUDGET_MS / 10 s times, then ends.
    let clock = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const { relay, state, runaway } = relayWith(delivered, { relayIntervalMs: 60_000 }, () => (clock += 10_000));
    relay.onApplicationBootstrap();
    try {
      const round = relay.drain();
      expect(await endsBefore(round, runaway)).toBe('ended');
      const claims = RELAY_ROUND_BUDGET_MS / 10_000;
      expect(state.claims).toBe(claims);
      expect(await round).toEqual({ closed: 2 * claims, failed: 0, deferred: 0, firstError: null });
    } finally {
      now.mockRestore();
      await relay.beforeApplicationShutdown();
    }
  });

  it('ends a round at the first claim that is not full', async () => {
    let claims = 0;
    const outbox = {
      claimDueLeased: async (_limit: number, leaseMs: number) => ({ rows: ++claims < 3 ? [row(2 * claims, `a${claims}`), row(2 * claims + 1, `b${claims}`)] : [row(100, 'c')], leaseLeftMs: leaseMs }),
    } as unknown as SignalOutboxRepository;
    const sender = { probe: async () => true, send: async (rows: readonly OutboxDelivery[]) => new Map(rows.map((r) => [r.id, delivered(r)])) } as unknown as JourneySender;
    const relay = new OutboxRelay(outbox, sender, { ...DEFAULT_OUTBOX_OPTIONS, relayBatch: 2, relayIntervalMs: 60_000 });
    relay.onApplicationBootstrap();
    try {
      expect(await relay.drain()).toEqual({ closed: 5, failed: 0, deferred: 0, firstError: null });
      expect(claims).toBe(3);
    } finally {
      await relay.beforeApplicationShutdown();
    }
  });

  it('counts the lease the claim says was left, not the full lease from when the rows came back', async () => {
    // The claim's update took 2.5 s (a large claim, or a wait for a row's lock): 27.5 s of the 30 s lease were left.
    const leases: number[] = [];
    const outbox = { claimDueLeased: async (_limit: number, leaseMs: number) => ({ rows: [row(1, 'a')], leaseLeftMs: leaseMs - 2_500 }) } as unknown as SignalOutboxRepository;
    const sender = {
      probe: async () => true,
      send: async (rows: readonly OutboxDelivery[], leaseUntil: number) => {
        leases.push(leaseUntil - Date.now());
        return new Map(rows.map((r) => [r.id, delivered(r)]));
      },
    } as unknown as JourneySender;
    const relay = new OutboxRelay(outbox, sender, { ...DEFAULT_OUTBOX_OPTIONS, relayIntervalMs: 60_000 });
    relay.onApplicationBootstrap();
    try {
      await relay.drain();
      expect(leases).toHaveLength(1);
      expect(leases[0]).toBeLessThanOrEqual(DEFAULT_OUTBOX_OPTIONS.leaseMs - 2_500 - CLAIM_RETURN_MARGIN_MS);
      expect(leases[0]).toBeGreaterThan(DEFAULT_OUTBOX_OPTIONS.leaseMs - 2_500 - CLAIM_RETURN_MARGIN_MS - 1_000);
    } finally {
      await relay.beforeApplicationShutdown();
    }
  });

  it('sends what a slow claim hands out: the lease is counted from when the rows came back, not from before the claim', async () => {
    // A claim that takes 26 s (a backlog queued behind one busy journey slows its scan): counted from before it, the
    // 30 s lease had under the 5 s send timeout left, and every row was handed back untried, round after round.
    let clock = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const calls: string[] = [];
    const recorded: string[] = [];
    const outbox = {
      claimDueLeased: async (_limit: number, leaseMs: number) => {
        clock += 26_000;
        return { rows: [row(1, 'a'), row(2, 'b')], leaseLeftMs: leaseMs };
      },
      record: async (outcomes: readonly SendOutcome[]) => {
        recorded.push(...outcomes.map((o) => `${o.id}:${'outcome' in o ? o.outcome : 'deferred' in o ? 'deferred' : 'failed'}`));
        return [];
      },
    } as unknown as SignalOutboxRepository;
    const journeys = {
      bounded: <T>(_ms: number, fn: () => Promise<T>) => fn(),
      deliverEvents: async (d: { workflowId: string }) => {
        calls.push(d.workflowId);
        return 'delivered' as const;
      },
    } as unknown as JourneyGateway;
    const options = { ...DEFAULT_OUTBOX_OPTIONS, relayBatch: 200, relayIntervalMs: 60_000 };
    const sender = new JourneySender(journeys, options, outbox, {} as RewardsRepository, {} as RewardCausesRepository, {} as EventCancellationsRepository, {} as RewardMetrics);
    const relay = new OutboxRelay(outbox, sender, options);
    relay.onApplicationBootstrap();
    try {
      expect(await relay.drain()).toEqual({ closed: 2, failed: 0, deferred: 0, firstError: null });
      expect(calls.sort()).toEqual(['journey:welcome:a', 'journey:welcome:b']);
      expect(recorded.sort()).toEqual(['1:delivered', '2:delivered']);
    } finally {
      now.mockRestore();
      await relay.beforeApplicationShutdown();
      await sender.onApplicationShutdown();
    }
  });
});
