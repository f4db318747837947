import { EVENT_REWARDS_ASKED, eventReclaimProgress, eventRewardsSource } from './event-rewards';

const reward = (id: string, status: string, causedBy = ['E']) => ({ id, status, causedBy });

describe("where a cancelled event's row reads the rewards it caused", () => {
  it("waits for the desk's list before it asks the ledger anything", () => {
    expect(eventRewardsSource(undefined)).toBe('waiting');
  });

  it("takes the desk's list when it holds every reward of the user, and asks the ledger for the event's own otherwise", () => {
    expect(eventRewardsSource({ rewards: [reward('A', 'issued')], total: 1 })).toBe('desk');
    expect(eventRewardsSource({ rewards: [], total: 0 })).toBe('desk');
    expect(eventRewardsSource({ rewards: [reward('B', 'issued')], total: 201, next: 'c1' })).toBe('ledger');
  });
});

describe('how far the taking back has got, on the list read', () => {
  it('is over once nothing the event caused is held, on a list that holds every one', () => {
    expect(eventReclaimProgress('E', [{ rewardId: 'A' }], { rewards: [reward('A', 'reclaimed')], total: 300 })).toEqual({ settled: true, left: 0, beyondAsked: false });
    expect(eventReclaimProgress('E', [], { rewards: [reward('A', 'issued')], total: 300 })).toEqual({ settled: false, left: 1, beyondAsked: false });
  });

  // Every later read of a list the ledger cut short is cut short again: waiting for it to settle would ask every 1.5 s for ever.
  it('says no count and to stop asking when the ledger left older rewards of the event out, even with every listed one taken back', () => {
    const listed = Array.from({ length: EVENT_REWARDS_ASKED }, (_, i) => reward(`R${i}`, 'reclaimed'));
    const reclaims = listed.map((r) => ({ rewardId: r.id }));
    expect(eventReclaimProgress('E', reclaims, { rewards: listed, total: 5000, next: 'c1' })).toEqual({ settled: false, left: null, beyondAsked: true });
  });

  it('is not decided before the list is read', () => {
    expect(eventReclaimProgress('E', [], undefined)).toEqual({ settled: false, left: null, beyondAsked: false });
  });
});
