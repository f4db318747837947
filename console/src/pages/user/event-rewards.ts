import { reclaimProgress, type ReclaimProgress } from './reclaim-progress';

/** As much of a GET /v1/users/{id}/rewards answer as a cancelled event's row reads. */
export interface RewardsList {
  rewards: ReadonlyArray<{ id: string; status: string; causedBy: readonly string[] }>;
  total: number;
  next?: string;
}

/**
 * Where a cancelled event's row learns which rewards the event caused. The
 * desk's own list, when it holds every reward of the user; otherwise the
 * ledger, asked for the event's rewards alone (`causedBy`, bounded), never
 * for the user's whole list. Until the desk's list is read, neither: it may
 * well hold every reward (most users have a few), and the row would then
 * have asked for nothing.
 */
export type EventRewardsSource = 'waiting' | 'desk' | 'ledger';

export function eventRewardsSource(desk: RewardsList | undefined): EventRewardsSource {
  if (desk === undefined) return 'waiting';
  return desk.rewards.length >= desk.total ? 'desk' : 'ledger';
}

/**
 * How far the taking back has got, on a list of rewards that holds every one
 * the event caused, or only the newest of them (`next`: the ledger left older
 * ones out). Then it is not over on what the list shows, and how many are
 * left is not known.
 */
export function eventReclaimProgress(eventId: string, reclaimed: ReadonlyArray<{ rewardId: string | null }>, list: RewardsList | undefined): ReclaimProgress {
  const progress = reclaimProgress(eventId, reclaimed, list?.rewards);
  return list?.next === undefined ? progress : { settled: false, left: null };
}
