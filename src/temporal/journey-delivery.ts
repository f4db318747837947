import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { JourneyEvent } from '../domain/event';
import { eventSignal, eventsSignal, journeyWorkflow, journeyWorkflowId, scheduledEntrySignal } from '../workflows/journey.workflow';
import { CampaignKeyAttribute, CampaignVersionAttribute, UserIdAttribute } from './search-attributes';

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
  const { event, ...rest } = d;
  return deliverEventsToJourney(client, taskQueue, { ...rest, events: [event] });
}

/**
 * Several events for one journey in one call, in order: one `event` signal
 * for a lone event (what every journey understands), one batched `events`
 * signal otherwise. Workers must be upgraded before the API instances that
 * send the batched signal (README, "Upgrading").
 */
export async function deliverEventsToJourney(
  client: Client,
  taskQueue: string,
  d: Omit<JourneyDelivery, 'event'> & { events: JourneyEvent[] },
): Promise<DeliveryOutcome> {
  const lone = d.events.length === 1 ? d.events[0] : undefined;
  const batch = { version: 1 as const, events: d.events };
  if (d.kind === 'signal') {
    try {
      const handle = client.workflow.getHandle(journeyWorkflowId(d.campaignKey, d.userId));
      await (lone ? handle.signal(eventSignal, lone) : handle.signal(eventsSignal, batch));
      return 'delivered';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'not-running';
      throw err;
    }
  }
  const options = journeyStartOptions(taskQueue, d);
  await (lone
    ? client.workflow.signalWithStart(journeyWorkflow, { ...options, signal: eventSignal, signalArgs: [lone] })
    : client.workflow.signalWithStart(journeyWorkflow, { ...options, signal: eventsSignal, signalArgs: [batch] }));
  return 'delivered';
}

/** Batch entry: starts (or reaches) the journey with a scheduled entry for tick `tickId`; idempotent per tick. */
export async function enterScheduled(
  client: Client,
  taskQueue: string,
  d: { campaignKey: string; campaignVersion: number; userId: string; tickId: string },
): Promise<void> {
  await client.workflow.signalWithStart(journeyWorkflow, {
    ...journeyStartOptions(taskQueue, d),
    signal: scheduledEntrySignal,
    signalArgs: [{ version: 1, tickId: d.tickId }],
  });
}

function journeyStartOptions(taskQueue: string, d: { campaignKey: string; campaignVersion: number; userId: string }) {
  return {
    workflowId: journeyWorkflowId(d.campaignKey, d.userId),
    taskQueue,
    // A task that must replay a long run on a busy worker can take more than
    // the default 10 s; timing it out only makes the next attempt replay again.
    workflowTaskTimeout: '30 seconds' as const,
    args: [{ version: 1 as const, campaignKey: d.campaignKey, campaignVersion: d.campaignVersion, userId: d.userId }] as [
      { version: 1; campaignKey: string; campaignVersion: number; userId: string },
    ],
    typedSearchAttributes: [
      { key: CampaignKeyAttribute, value: d.campaignKey },
      { key: UserIdAttribute, value: d.userId },
      { key: CampaignVersionAttribute, value: d.campaignVersion },
    ],
    memo: { campaignKey: d.campaignKey, campaignVersion: d.campaignVersion },
    // What the Temporal UI lists for the journey; written once, with the start.
    staticSummary: journeySummary(d),
    staticDetails: journeyDetails(d),
  };
}

/** `<campaign> v<n> · user <id>`: the line the Temporal UI shows for a journey. */
export function journeySummary(d: { campaignKey: string; campaignVersion: number; userId: string }): string {
  return `${d.campaignKey} v${d.campaignVersion} · user ${d.userId}`;
}

function journeyDetails(d: { campaignKey: string; campaignVersion: number; userId: string }): string {
  return [
    `**Campaign** ${d.campaignKey}, version ${d.campaignVersion} (pinned for this journey)`,
    `**User** ${d.userId}`,
    `Current state, waits, timers and held steps: this journey's current details; the decision trace: its \`state\` query.`,
  ].join('\n\n');
}
