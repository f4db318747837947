/**
 * The baseline of bench:journeys: the least a journey of three events and one
 * reward costs on raw Temporal. Started by signalWithStart, it waits for three
 * distinct event ids, runs one activity that inserts a row, and ends. Bundled
 * by its own worker, apart from src/workflows.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline.activities';

export const baselineEventSignal = defineSignal<[string]>('event');

const { recordBaselineReward } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

export async function baselineWorkflow(userId: string, eventsNeeded: number): Promise<void> {
  const seen = new Set<string>();
  setHandler(baselineEventSignal, (eventId) => {
    seen.add(eventId);
  });
  await condition(() => seen.size >= eventsNeeded);
  await recordBaselineReward(userId);
}
