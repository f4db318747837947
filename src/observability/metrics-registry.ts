import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * prom-client: the de-facto Prometheus client for Node. One registry per
 * role in the process (the API's, the worker's), each labelled with its
 * service so that a process running both still tells them apart.
 */
export function createMetricsRegistry(service: 'kairos-api' | 'kairos-worker' = 'kairos-api'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
