import { AsyncLocalStorage } from 'node:async_hooks';
import type { Client } from '@temporalio/client';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { Registry } from 'prom-client';
import type { EventCancellationsRepository, UnfinishedCancel } from '../../store/repositories/event-cancellations.repository';
import type { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import type { RewardsRepository } from '../../store/repositories/rewards.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import type { RewardMetrics } from '../metrics/rewards.metrics';
import { DEFAULT_OUTBOX_OPTIONS } from '../outbox/outbox.options';
import { CancelFinisher } from './cancel-finisher';

/** A finisher over a claim that hands out `due` once, and a finish the test decides per event. */
function finisherWith(due: string[], finish: (eventId: string) => Promise<void>) {
  let claimed = false;
  const cancellations = {
    claimUnfinished: async () => {
      if (claimed) return [];
      claimed = true;
      return due.map((eventId): UnfinishedCancel => ({ eventId, reason: 'refund', workflowIds: [`journey:c:${eventId}`], lateDeliveries: 0 }));
    },
    unfinished: async () => ({ count: 0, oldestSeconds: 0 }),
  } as unknown as EventCancellationsRepository;
  const finisher = new CancelFinisher(
    cancellations,
    {} as JourneyGateway,
    {} as RewardsRepository,
    {} as RewardCausesRepository,
    DEFAULT_OUTBOX_OPTIONS,
    new Registry(),
    {} as RewardMetrics,
  );
  const tried: string[] = [];
  jest.spyOn(finisher, 'finish').mockImplementation(async (cancel) => {
    tried.push(cancel.eventId);
    await finish(cancel.eventId);
    return { signalled: 1, ended: 0 } as never;
  });
  return { finisher, tried };
}

describe('CancelFinisher.drain', () => {
  it('goes on past a cancel that fails on its own: the ones claimed with it are not held back', async () => {
    const { finisher, tried } = finisherWith(['x', 'y', 'z'], async (id) => {
      if (id === 'x') throw new Error('boom');
    });
    expect(await finisher.drain()).toEqual({ finished: 2, unfinished: 1, lastError: 'boom' });
    expect(tried).toEqual(['x', 'y', 'z']);
  });

  it('stops at a failure that says Temporal is away: the rest wait for a later round instead of each timing out', async () => {
    const away = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    const { finisher, tried } = finisherWith(['x', 'y', 'z'], async (id) => {
      if (id === 'y') throw away;
    });
    expect(await finisher.drain()).toEqual({ finished: 1, unfinished: 2, lastError: away.message });
    expect(tried).toEqual(['x', 'y']);
  });
});

/**
 * A Temporal client as far as a cancel's signals use it: `withDeadline` gives
 * the calls made inside it (and only those, as the real client's async-local
 * deadline does) an absolute deadline, and a signal made after it fails as
 * grpc-js fails one, DEADLINE_EXCEEDED with no server address.
 */
function clientWithDeadlines() {
  const deadlineOfCall = new AsyncLocalStorage<number>();
  const deadlinesGiven: number[] = [];
  const client = {
    withDeadline: <R>(deadline: number, fn: () => Promise<R>) => {
      deadlinesGiven.push(deadline);
      return deadlineOfCall.run(deadline, fn);
    },
    workflow: {
      options: { namespace: 'default', identity: 'test', loadedDataConverter: loadDataConverter() },
      workflowService: {
        signalWorkflowExecution: async () => {
          const deadline = deadlineOfCall.getStore();
          if (deadline !== undefined && Date.now() > deadline) {
            throw Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 0.021s'), { code: 4, details: 'Deadline exceeded after 0.021s', metadata: {} });
          }
          return {};
        },
      },
    },
  } as unknown as Client;
  return { client, deadlinesGiven };
}

/**
 * A finisher over a real JourneyGateway whose ledger reads (one key to
 * reclaim) outlast any Temporal deadline given so far: each ends 20 ms after
 * the latest one, or after 50 ms when none was given yet. Measured against
 * the deadline rather than a fixed time, so a loaded machine cannot make the
 * signals themselves late.
 */
function finisherOverGateway() {
  const { client, deadlinesGiven } = clientWithDeadlines();
  const ledgerMs = () => (deadlinesGiven.length === 0 ? 50 : Math.max(0, deadlinesGiven.at(-1)! + 20 - Date.now()));
  const gateway = new JourneyGateway(client, 'journeys');
  const cancellations = { unfinished: async () => ({ count: 0, oldestSeconds: 0 }), finished: async () => undefined } as unknown as EventCancellationsRepository;
  const rewardCauses = { reclaimableKeys: () => new Promise((resolve) => setTimeout(() => resolve(['k-1']), ledgerMs())) } as unknown as RewardCausesRepository;
  const rewards = { reclaim: async (key: string) => ({ idempotencyKey: key, outcome: 'reversed', reward: null, first: true }) } as unknown as RewardsRepository;
  const metrics = { reclaimed: () => undefined } as unknown as RewardMetrics;
  const finisher = new CancelFinisher(cancellations, gateway, rewards, rewardCauses, DEFAULT_OUTBOX_OPTIONS, new Registry(), metrics);
  return { finisher, gateway, deadlinesGiven };
}

describe('CancelFinisher.finish: Temporal\'s deadline', () => {
  it('is the signals\' alone: a ledger pass slower than it neither fails the signals nor marks Temporal unreachable', async () => {
    const { finisher, gateway, deadlinesGiven } = finisherOverGateway();
    // A second is the signals' to use however loaded the machine; the second ledger read ends after it.
    const outcome = await finisher.finish({ eventId: 'ord-1', reason: 'refund', workflowIds: ['journey:c:u-1'], lateDeliveries: 0 }, 1_000).catch((err: Error) => err.message);
    // The next call anywhere in the API gets its whole time, not the 2 s of a Temporal known to be away.
    const before = Date.now();
    await gateway.bounded(10_000, async () => undefined);
    expect({ outcome, nextCallGetsItsTime: deadlinesGiven.at(-1)! - before >= 10_000 }).toEqual({
      outcome: { signalled: ['journey:c:u-1'], ended: [], reclaimed: [{ idempotencyKey: 'k-1', outcome: 'reversed' }] },
      nextCallGetsItsTime: true,
    });
  });
});
