import { collectDefaultMetrics, Registry } from 'prom-client';
import { ledgerRetries } from '../store/ledger/ledger-retries.metric';

/**
 * prom-client: the de-facto Prometheus client for Node. One registry per
 * role in the process (the API's, the worker's), each labelled with its
 * service so that a process running both still tells them apart.
 */
export type MetricsService = 'kairos-api' | 'kairos-worker';

/** The label every series of a process's role carries: prom-client's and the Temporal SDK's (its runtime's globalTags). */
export const serviceLabel = (service: MetricsService): { service: MetricsService } => ({ service });

export function createMetricsRegistry(service: MetricsService = 'kairos-api'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(serviceLabel(service));
  collectDefaultMetrics({ register: registry });
  // The API's own ledger calls (reclaims of a cancelled event's rewards). The worker's activities
  // report theirs through the SDK meter on the worker's endpoint (src/activities/rewards/worker-retry-metric.ts),
  // not here as well, even when the worker runs in this process (npm start).
  if (service === 'kairos-api') registry.registerMetric(ledgerRetries);
  return registry;
}
