import { type ActivityOptions, type LocalActivityOptions, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

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

/** Messages and webhooks: outside parties that may be slow or down for a while. */
export const deliveryProfile: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
};
export const deliveries = proxyActivities<Activities>(deliveryProfile);

/** Compensation and the journey log must eventually happen: retried until they do. */
export const mustCompleteProfile: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};
export const mustComplete = proxyActivities<Activities>(mustCompleteProfile);

/** Reads the journey needs to decide (plan, profile): local, short, cached by the worker. */
export const lookupsProfile: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 20 },
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
