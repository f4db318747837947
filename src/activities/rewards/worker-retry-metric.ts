import type { LedgerRetryReason } from '../../store/ledger/ledger-retries.metric';
import { countInActivity } from '../activity-metrics';

/**
 * A retried ledger abort on the worker's endpoint, as
 * `kairos_ledger_retries_total{reason}`: a worker without the API has no
 * /metrics of the API's registry.
 */
export function countRetryInWorkerMetrics(reason: LedgerRetryReason): void {
  countInActivity('kairos_ledger_retries_total', 'Ledger calls (reward issue, reclaim) aborted by PostgreSQL and run again, by reason.', { reason });
}
