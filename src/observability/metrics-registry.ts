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
  // Counted by the ledger activities. The worker's endpoint already shows them through the SDK
  // meter (src/activities/rewards/worker-retry-metric.ts); the API's shows them when the worker
  // runs in its process (npm start). Registered on one registry only: a family twice is a scrape error.
  if (service === 'kairos-api') registry.registerMetric(ledgerRetries);
  return registry;
}
