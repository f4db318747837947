import { Context } from '@temporalio/activity';
import type { LedgerRetryReason } from '../../store/ledger/ledger-retries.metric';

/**
 * A retried ledger abort, on the worker's own Prometheus endpoint
 * (WORKER_METRICS_PORT, the SDK runtime's meter), as
 * `kairos_ledger_retries_total{reason}`: a worker without the API has no
 * /metrics of its own. Outside an activity (tests calling activities
 * directly) there is no meter and nothing is reported here.
 */
export function countRetryInWorkerMetrics(reason: LedgerRetryReason): void {
  let meter;
  try {
    meter = Context.current().metricMeter;
  } catch {
    return;
  }
  meter.createCounter('kairos_ledger_retries_total', undefined, 'Ledger calls (reward issue, reclaim) aborted by PostgreSQL and run again, by reason.').add(1, { reason });
}
