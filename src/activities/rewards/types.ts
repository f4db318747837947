import type { ReclaimOutcome } from '../../domain/rewards/contract';

export interface ReclaimRewardsInput {
  idempotencyKeys: string[];
  /** The cancelled event. */
  eventId: string;
  reason?: string | null;
}

export interface ReclaimRewardsResult {
  eventId: string;
  /** Per key, in input order (see ReclaimOutcome). The journey reads none of it; the Temporal UI shows it. */
  results: Array<{ idempotencyKey: string; outcome: ReclaimOutcome; rewardId: string | null }>;
}
