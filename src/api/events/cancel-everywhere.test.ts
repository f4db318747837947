import type { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import type { ReclaimResult, RewardsRepository } from '../../store/repositories/rewards.repository';
import type { CancelSignalOutcome, JourneyGateway } from '../../temporal/journey-gateway';
import { cancelEverywhere } from './cancel-everywhere';

/** The ledger as it answers over time: each read of reclaimable keys takes the next list (the last one repeats). */
function world(readsOfLedger: string[][], told: CancelSignalOutcome) {
  const reads = [...readsOfLedger];
  const reclaims: string[] = [];
  const order: string[] = [];
  const rewardCauses = {
    reclaimableKeys: async () => {
      order.push('read');
      return reads.length > 1 ? reads.shift()! : reads[0];
    },
  } as unknown as RewardCausesRepository;
  const rewards = {
    reclaim: async (key: string): Promise<ReclaimResult> => {
      reclaims.push(key);
      order.push(`reclaim ${key}`);
      return { idempotencyKey: key, outcome: key.startsWith('redeemed') ? 'unreclaimable' : 'reversed', reward: null, first: true };
    },
  } as unknown as RewardsRepository;
  const journeys = {
    cancelEvent: async () => {
      order.push('signal');
      return told;
    },
    bounded: async <T>(ms: number, fn: () => Promise<T>) => {
      order.push(`deadline ${ms} ms {`);
      const value = await fn();
      order.push('}');
      return value;
    },
  } as unknown as JourneyGateway;
  return { deps: { journeys, rewards, rewardCauses }, reclaims, order };
}

describe('cancelEverywhere', () => {
  it('reads the ledger again after the signals: a reward committed meanwhile by a journey that then ended is reclaimed', async () => {
    // The journey's reward commits after the first read; it ends before the signal, which finds no journey.
    const w = world([['k-before'], ['k-meanwhile']], { signalled: [], ended: ['wf-1'] });
    const outcome = await cancelEverywhere(w.deps, { eventId: 'ord-1', reason: 'fraud', workflowIds: ['wf-1'] });
    expect(w.order).toEqual(['read', 'reclaim k-before', 'signal', 'read', 'reclaim k-meanwhile']);
    expect(outcome).toEqual({
      signalled: [],
      ended: ['wf-1'],
      reclaimed: [
        { idempotencyKey: 'k-before', outcome: 'reversed' },
        { idempotencyKey: 'k-meanwhile', outcome: 'reversed' },
      ],
    });
  });

  it('reclaims each key once: one the ledger still lists after its reclaim (a redeemed coupon) is not asked again', async () => {
    const w = world([['redeemed-coupon', 'k-points']], { signalled: ['wf-1'], ended: [] });
    const outcome = await cancelEverywhere(w.deps, { eventId: 'ord-2', reason: null, workflowIds: ['wf-1'] });
    expect(w.reclaims).toEqual(['redeemed-coupon', 'k-points']);
    expect(outcome.reclaimed.map((r) => r.outcome)).toEqual(['unreclaimable', 'reversed']);
  });

  it("gives Temporal's deadline to the signals alone: the ledger passes around them are PostgreSQL's, and must not spend it", async () => {
    const w = world([['k-before'], ['k-meanwhile']], { signalled: ['wf-1'], ended: [] });
    await cancelEverywhere({ ...w.deps, signalTimeoutMs: 5_000 }, { eventId: 'ord-3', reason: null, workflowIds: ['wf-1'] });
    expect(w.order).toEqual(['read', 'reclaim k-before', 'deadline 5000 ms {', 'signal', '}', 'read', 'reclaim k-meanwhile']);
  });
});
