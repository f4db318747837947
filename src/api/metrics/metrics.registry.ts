import { collectDefaultMetrics, Registry } from 'prom-client';
import { ledgerRetries } from '../../store/ledger/ledger-retries.metric';

/** prom-client: the de-facto Prometheus client for Node; one registry per process. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'kairos-api' });
  collectDefaultMetrics({ register: registry });
  // Counted by the worker's ledger activities; shown here when the worker runs in this process.
  registry.registerMetric(ledgerRetries);
  return registry;
}
