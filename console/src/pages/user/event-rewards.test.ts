import { EVENT_REWARDS_ASKED, eventReclaimProgress, eventRewardsSource, ledgerHint, RECLAIM_REFRESH_MS, reclaimRefreshMs } from './event-rewards';

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

describe('where the ledger lists every reward of an event that caused more than a row follows', () => {
  it('encodes the ids in the URL and quotes the user id as one shell argument', () => {
    expect(ledgerHint('a/b c', 'e#1&x')).toEqual({ url: '/v1/users/a%2Fb%20c/rewards?causedBy=e%231%26x', command: "kairos users show 'a/b c' --rewards all" });
    expect(ledgerHint("it's", 'e?1%2F')).toEqual({ url: "/v1/users/it's/rewards?causedBy=e%3F1%252F", command: "kairos users show 'it'\\''s' --rewards all" });
    expect(ledgerHint('ü 1', 'e')).toEqual({ url: '/v1/users/%C3%BC%201/rewards?causedBy=e', command: "kairos users show 'ü 1' --rewards all" });
    // Nothing a shell reads: left as typed.
    expect(ledgerHint('u-42', 'ord-1')).toEqual({ url: '/v1/users/u-42/rewards?causedBy=ord-1', command: 'kairos users show u-42 --rewards all' });
  });
});

describe("how often a cancelled event's row asks again", () => {
  it('every 1.5 s while it follows the taking back on reads that work', () => {
    expect(reclaimRefreshMs({ over: false, source: 'desk', failing: false })).toBe(RECLAIM_REFRESH_MS);
    expect(reclaimRefreshMs({ over: false, source: 'ledger', failing: false })).toBe(RECLAIM_REFRESH_MS);
  });

  // The desk's rewards failing (a 500, a timeout on a large ledger) would otherwise keep every cancelled row asking every 1.5 s.
  it("not on a timer before the desk's rewards have come, nor after a read failed", () => {
    expect(reclaimRefreshMs({ over: false, source: 'waiting', failing: false })).toBeUndefined();
    expect(reclaimRefreshMs({ over: false, source: 'desk', failing: true })).toBeUndefined();
    expect(reclaimRefreshMs({ over: false, source: 'ledger', failing: true })).toBeUndefined();
  });

  it('never once it is over', () => {
    expect(reclaimRefreshMs({ over: true, source: 'desk', failing: false })).toBeUndefined();
  });
});
