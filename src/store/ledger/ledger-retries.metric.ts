import { Counter } from 'prom-client';

export type LedgerRetryReason = 'deadlock' | 'serialization';

/**
 * Issue and reclaim calls that PostgreSQL aborted (40P01 deadlock_detected,
 * 40001 serialization_failure) and the ledger ran again. Deadlocks should
 * stay at zero: a non-zero count means a lock-order cycle came back.
 *
 * One counter per process, in no registry of its own: the API's registry
 * (GET /metrics) registers it, so `npm start`, which runs the worker in the
 * API's process, shows the worker's retries.
 */
export const ledgerRetries = new Counter<'reason'>({
  name: 'kairos_ledger_retries_total',
  help: 'Ledger calls (reward issue, reclaim) aborted by PostgreSQL and run again, by reason.',
  labelNames: ['reason'],
  registers: [],
});

/** Retries counted so far for one reason; for tests and benchmarks. */
export async function ledgerRetryCount(reason: LedgerRetryReason): Promise<number> {
  const { values } = await ledgerRetries.get();
  return values.find((v) => v.labels.reason === reason)?.value ?? 0;
}
