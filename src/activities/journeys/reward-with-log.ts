import type { RewardCommand, RewardIssue } from '../../domain/rewards';
import type { TransitionRecord } from '../../store/repositories/transitions.repository';

export interface RewardWithLogInput {
  /** Journey-log entries that came with the reward's step, written first (idempotent by key). */
  journeyLog: TransitionRecord[];
  reward: RewardCommand;
}

/**
 * One local activity for a step that both moves the journey and issues a
 * ledger reward (patch `local-rewards`): the journey log is written, then the
 * reward issued, so the step costs one marker and one activation instead of
 * two. Each half keeps its own guarantee: the log is idempotent by key and
 * written in order (the journey's log writer waits for this call), the
 * reward is exactly once by its idempotency key. When the call fails for
 * good the journey writes the entries again through its log writer and
 * holds the reward step, as for a lone reward.
 */
export function createRewardWithLogActivity(deps: {
  recordTransitions(req: { records: TransitionRecord[] }): Promise<{ written: number }>;
  issueReward(input: RewardCommand): Promise<RewardIssue>;
}) {
  return {
    async issueRewardWithLog(input: RewardWithLogInput): Promise<RewardIssue> {
      await deps.recordTransitions({ records: input.journeyLog });
      return deps.issueReward(input.reward);
    },
  };
}
