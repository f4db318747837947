import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { JourneyEvent } from '../domain/event';
import { eventSignal, journeyWorkflow, journeyWorkflowId } from '../workflows/journey.workflow';
import { CampaignKeyAttribute, UserIdAttribute } from './search-attributes';

/** One event for one (campaign, user) journey: `start` may create the journey, `signal` only reaches a running one. */
export interface JourneyDelivery {
  kind: 'start' | 'signal';
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  event: JourneyEvent;
}

export type DeliveryOutcome = 'delivered' | 'not-running';

/**
 * The one place that talks to a journey workflow for the API and the outbox
 * relay. Throws when Temporal cannot be reached; the caller keeps the
 * delivery to retry. Signals are idempotent downstream: a journey ignores an
 * event id it has seen.
 */
export async function deliverToJourney(client: Client, taskQueue: string, d: JourneyDelivery): Promise<DeliveryOutcome> {
  const workflowId = journeyWorkflowId(d.campaignKey, d.userId);
  if (d.kind === 'signal') {
    try {
      await client.workflow.getHandle(workflowId).signal(eventSignal, d.event);
      return 'delivered';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'not-running';
      throw err;
    }
  }
  await client.workflow.signalWithStart(journeyWorkflow, {
    workflowId,
    taskQueue,
    args: [{ version: 1, campaignKey: d.campaignKey, campaignVersion: d.campaignVersion, userId: d.userId }],
    signal: eventSignal,
    signalArgs: [d.event],
    typedSearchAttributes: [
      { key: CampaignKeyAttribute, value: d.campaignKey },
      { key: UserIdAttribute, value: d.userId },
    ],
    memo: { campaignKey: d.campaignKey, campaignVersion: d.campaignVersion },
  });
  return 'delivered';
}
