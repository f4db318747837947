import { collectDefaultMetrics, Registry } from 'prom-client';

/** prom-client: the de-facto Prometheus client for Node; one registry per process. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'kairos-api' });
  collectDefaultMetrics({ register: registry });
  return registry;
}
