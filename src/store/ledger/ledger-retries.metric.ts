import { Counter } from 'prom-client';

/**
 * deadlock and serialization: PostgreSQL aborted the call (40P01, 40001).
 * batchSplit: a batch of issues rolled back for another reason (its budget
 * probe found no free shard with room, or one request carried a value a
 * column refuses), and each of its issues ran again alone.
 */
export const LEDGER_RETRY_REASONS = ['deadlock', 'serialization', 'batchSplit'] as const;
export type LedgerRetryReason = (typeof LEDGER_RETRY_REASONS)[number];

/**
 * Issue and reclaim calls that PostgreSQL aborted (40P01 deadlock_detected,
 * 40001 serialization_failure) and the ledger ran again, and batches of
 * issues split to run one by one. Deadlocks should stay at zero: a non-zero
 * count means a lock-order cycle came back.
 *
 * One counter per process, in no registry of its own: the API's registry
 * (GET /metrics) registers it. It counts the calls made without a reporter
 * of their own (the API's reclaims when an event is cancelled); the
 * worker's activities report theirs on the worker's endpoint instead, so
 * `npm start`, which runs both in one process, counts each retry once.
 */
export const LEDGER_RETRIES_HELP = 'Ledger calls (reward issue, reclaim) aborted by PostgreSQL and run again, and batches of issues run again one by one, by reason.';

export const ledgerRetries = new Counter<'reason'>({
  name: 'kairos_ledger_retries_total',
  help: LEDGER_RETRIES_HELP,
  labelNames: ['reason'],
  registers: [],
});
// Each reason is shown from the start, at 0: a series born at its first retry
// hides that retry from increase() and rate(), and a panel reads "No data".
for (const reason of LEDGER_RETRY_REASONS) ledgerRetries.inc({ reason }, 0);

/** Every retry in this process, whoever reported it: what tests and benchmarks read. */
const inProcess = new Map<LedgerRetryReason, number>();

/** Counts one retry: on the reporter the call was given (the worker's meter), else on kairos_ledger_retries_total. */
export function countLedgerRetry(reason: LedgerRetryReason, report?: (reason: LedgerRetryReason) => void): void {
  inProcess.set(reason, (inProcess.get(reason) ?? 0) + 1);
  if (report) report(reason);
  else ledgerRetries.inc({ reason });
}

/** Retries counted so far in this process for one reason, on either side; for tests and benchmarks. */
export async function ledgerRetryCount(reason: LedgerRetryReason): Promise<number> {
  return inProcess.get(reason) ?? 0;
}
