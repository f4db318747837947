/**
 * How far the taking back of a cancelled event has got. Each journey the
 * event caused a reward in reclaims on its own schedule (an ended journey's
 * inside the cancel request, a running one's a moment later), so the event's
 * list of reclaims grows reward by reward: the first reclaim listed is not
 * the end of it. It is over once none of the user's rewards the event caused
 * is still held, unless taken back by a reclaim listed already (the ledger
 * read may be older than the event's list). Pure.
 */

export interface ReclaimProgress {
  /** Nothing more to wait for: the row stops asking. */
  settled: boolean;
  /** Rewards the event caused that are still held and not listed as taken back; null while the ledger is not read yet. */
  left: number | null;
}

const HELD = new Set(['issued', 'redeemed']);

export function reclaimProgress(
  eventId: string,
  reclaimed: ReadonlyArray<{ rewardId: string | null }>,
  rewards: ReadonlyArray<{ id: string; status: string; causedBy: readonly string[] }> | null | undefined,
): ReclaimProgress {
  if (!rewards) return { settled: false, left: null };
  const taken = new Set(reclaimed.map((r) => r.rewardId));
  const left = rewards.filter((r) => r.causedBy.includes(eventId) && HELD.has(r.status) && !taken.has(r.id)).length;
  return { settled: left === 0, left };
}
