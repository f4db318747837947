import { asyncLocalStorage } from '@temporalio/activity';

/**
 * Counts on the worker's meter (the SDK runtime's, served on
 * WORKER_METRICS_PORT with the worker's own metrics). Labels are bounded:
 * campaign keys, kinds, channels and outcomes, never user ids. Outside an
 * activity (tests calling activities directly) there is no meter: nothing
 * is counted. The context is read from the SDK's store (what
 * `Context.current()` returns), not by catching its throw (see activity-log.ts).
 */
export function countInActivity(name: string, description: string, labels: Record<string, string>, by = 1): void {
  const meter = asyncLocalStorage.getStore()?.metricMeter;
  if (meter === undefined) return;
  meter.createCounter(name, undefined, description).add(by, labels);
}

