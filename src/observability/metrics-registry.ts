import { collectDefaultMetrics, Registry } from 'prom-client';
import { ledgerRetries } from '../store/ledger/ledger-retries.metric';

/**
 * prom-client: the de-facto Prometheus client for Node. One registry per
 * role in the process (the API's, the worker's), each labelled with its
 * service so that a process running both still tells them apart.
 */
export function createMetricsRegistry(service: 'kairos-api' | 'kairos-worker' = 'kairos-api'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  // Counted by the ledger activities. The worker's endpoint already shows them through the SDK
  // meter (src/activities/rewards/worker-retry-metric.ts); the API's shows them when the worker
  // runs in its process (npm start). Registered on one registry only: a family twice is a scrape error.
  if (service === 'kairos-api') registry.registerMetric(ledgerRetries);
  return registry;
}
