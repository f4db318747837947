import { reclaimProgress } from './reclaim-progress';

const reward = (id: string, status: string, causedBy = ['E']) => ({ id, status, causedBy });

describe('how far the taking back of a cancelled event has got', () => {
  it('is not over at the first reclaim while another reward the event caused is still held', () => {
    // A: an ended journey's, reclaimed in the cancel request; B: a running journey's, reclaimed a moment later.
    expect(reclaimProgress('E', [{ rewardId: 'A' }], [reward('A', 'reclaimed'), reward('B', 'issued')])).toEqual({ settled: false, left: 1 });
    expect(reclaimProgress('E', [{ rewardId: 'A' }, { rewardId: 'B' }], [reward('A', 'reclaimed'), reward('B', 'reclaimed')])).toEqual({ settled: true, left: 0 });
  });

  it('counts a reclaim the event lists before the ledger read says so', () => {
    expect(reclaimProgress('E', [{ rewardId: 'A' }, { rewardId: 'B' }], [reward('A', 'issued'), reward('B', 'redeemed')])).toEqual({ settled: true, left: 0 });
  });

  it('is over at once when the event caused nothing still held, and waits while the ledger is not read', () => {
    expect(reclaimProgress('E', [], [reward('A', 'issued', ['other']), reward('B', 'unreclaimable')])).toEqual({ settled: true, left: 0 });
    expect(reclaimProgress('E', [], [])).toEqual({ settled: true, left: 0 });
    expect(reclaimProgress('E', [{ rewardId: 'A' }], undefined)).toEqual({ settled: false, left: null });
  });
});
