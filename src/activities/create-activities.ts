import type { DataSource } from 'typeorm';
import type { AllowedHost, MessageWebhooks } from '../config/config';
import type { PlanStore } from '../store/plan-store';
import { createBatchActivities, type BatchActivityDeps } from './batch/batch-activities';
import { createJourneyActivities } from './journeys/journey-activities';
import { createRewardWithLogActivity } from './journeys/reward-with-log';
import { createMessageActivities } from './messages/message-activities';
import { createRetentionActivities } from './retention/retention-activities';
import { createRewardActivities } from './rewards/reward-activities';

export interface ActivityDeps {
  dataSource: DataSource;
  /** Stored campaign versions and their compiled plans, one cache per process. */
  plans: PlanStore;
  /** Lets batch entry start journeys and retention tell running ones. */
  journeys?: BatchActivityDeps['journeys'];
  /** Channel → webhook for messages (MESSAGE_WEBHOOKS); none by default. */
  messageWebhooks?: MessageWebhooks;
  /** Signs webhook actions (WEBHOOK_SECRET); unsigned when absent. */
  webhookSecret?: string;
  /** Hosts exempt from the non-public address check (WEBHOOK_ALLOWED_HOSTS); none by default. */
  webhookAllowedHosts?: readonly AllowedHost[];
  /** Timeout of one webhook or message POST; 10 s by default. */
  webhookTimeoutMs?: number;
}

/**
 * Activities are built from injected dependencies so tests and the worker
 * wire them the same way; workflows see only their types.
 */
export function createActivities(deps: ActivityDeps) {
  const journeys = createJourneyActivities(deps);
  const rewards = createRewardActivities(deps);
  return {
    ...journeys,
    ...createBatchActivities(deps),
    ...rewards,
    ...createRewardWithLogActivity({ recordTransitions: journeys.recordTransitions, issueReward: rewards.issueReward }),
    ...createMessageActivities(deps),
    ...createRetentionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
