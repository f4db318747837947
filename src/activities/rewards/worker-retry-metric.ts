import { LEDGER_RETRIES_HELP, type LedgerRetryReason } from '../../store/ledger/ledger-retries.metric';
import { countInActivity } from '../activity-metrics';

/**
 * A retried ledger abort on the worker's endpoint, as
 * `kairos_ledger_retries_total{reason}`: a worker without the API has no
 * /metrics of the API's registry.
 */
export function countRetryInWorkerMetrics(reason: LedgerRetryReason): void {
  countInActivity('kairos_ledger_retries_total', LEDGER_RETRIES_HELP, { reason });
}
