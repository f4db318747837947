import { type ActivityOptions, type LocalActivityOptions, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DELIVERY_MAX_ATTEMPTS } from '../../domain/machine/delivery-attempts';

/**
 * Named option profiles: timeouts and retries spelled out per kind of work.
 * A profile with a finite `maximumAttempts` can fail for good; the journey
 * then holds the step for an operator (retryAction / skipAction).
 */

/** Rewards: a PostgreSQL transaction; idempotent by key, so retrying is safe. */
export const rewardProfile: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
};
export const rewards = proxyActivities<Activities>(rewardProfile);

/**
 * Ledger rewards as local activities (patch `local-rewards`): the same
 * timeouts and retries, run by the worker that holds the journey, so a
 * reward costs a marker in the history instead of an activity task, its
 * dispatch and one more workflow task. Exactly once still rests on the
 * idempotency key: a local activity may run again when its workflow task
 * fails, and the ledger answers a repeated key with its first answer (the
 * reward, or the exhausted or alreadyHolding it keeps for 7 days), also when
 * an earlier attempt reaches PostgreSQL after the journey had its answer.
 */
export const localRewardProfile: LocalActivityOptions = {
  startToCloseTimeout: rewardProfile.startToCloseTimeout,
  retry: rewardProfile.retry,
};
export const localRewards = proxyLocalActivities<Activities>(localRewardProfile);

/** Messages and webhooks: outside parties that may be slow or down for a while. */
export const deliveryProfile: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: DELIVERY_MAX_ATTEMPTS },
};
export const deliveries = proxyActivities<Activities>(deliveryProfile);

/** Compensation and the journey log must eventually happen: retried until they do. */
export const mustCompleteProfile: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};
export const mustComplete = proxyActivities<Activities>(mustCompleteProfile);

/**
 * Reads the journey needs to decide (plan, profile): local, short, cached by
 * the worker. Retried until they succeed: a lookup that gave up would fail
 * the whole journey (an activity failure the workflow does not catch ends
 * the execution), so a PostgreSQL failover of a few minutes would lose every
 * journey that read meanwhile. What cannot succeed (a campaign version that
 * does not exist) fails at once as non-retryable. The interval stays under
 * the SDK's one-minute local retry threshold, so a long outage adds no
 * timers to the history.
 */
export const lookupsProfile: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};
export const lookups = proxyLocalActivities<Activities>(lookupsProfile);

/**
 * The journey log, batched: local, so a write costs a marker in the history
 * rather than an activity task; retried until it succeeds (idempotent by key).
 */
export const journeyLogProfile: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};
export const journeyLog = proxyLocalActivities<Activities>(journeyLogProfile);
