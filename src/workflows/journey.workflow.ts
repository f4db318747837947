import {
  condition,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { JourneyEvent } from '../domain/event';

/** Versioned so running journeys keep understanding what they were started with. */
export interface JourneyWorkflowInput {
  version: 1;
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  initialState: string;
}

export const eventSignal = defineSignal<[JourneyEvent]>('event');
export const stateQuery = defineQuery<JourneySnapshot>('state');

export interface JourneySnapshot {
  campaignKey: string;
  campaignVersion: number;
  userId: string;
  state: string;
  eventsSeen: number;
}

/** Writes to the journey log: short, retried with backoff, never gives up on its own. */
const journeyLog = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const journeyWorkflowId = (campaignKey: string, userId: string): string => `journey:${campaignKey}:${userId}`;

/**
 * Walking skeleton of the journey: it enters the campaign's initial state and
 * logs that transition. The campaign machine (src/domain) replaces the body.
 */
export async function journeyWorkflow(input: JourneyWorkflowInput): Promise<void> {
  const seen = new Set<string>();
  const pending: JourneyEvent[] = [];
  let state: string | null = null;
  setHandler(eventSignal, (event) => {
    if (seen.has(event.id)) return;
    seen.add(event.id);
    pending.push(event);
  });
  setHandler(stateQuery, () => ({
    campaignKey: input.campaignKey,
    campaignVersion: input.campaignVersion,
    userId: input.userId,
    state: state ?? 'entering',
    eventsSeen: seen.size,
  }));

  await condition(() => pending.length > 0);
  const first = pending.shift()!;
  await journeyLog.recordTransition({
    idempotencyKey: `${workflowInfo().workflowId}:1:enter`,
    campaignKey: input.campaignKey,
    campaignVersion: input.campaignVersion,
    userId: input.userId,
    workflowId: workflowInfo().workflowId,
    fromState: null,
    toState: input.initialState,
    at: first.occurredAt,
    cause: first.id,
  });
  state = input.initialState;
}
