import type { OutboxDelivery } from '../../store/repositories/signal-outbox.repository';

/** Limits of one batched call to a journey: a hot user costs one history event per batch, kept well under Temporal's 2 MB payload limit. */
export interface CallLimits {
  maxEvents: number;
  maxBytes: number;
}

export const DEFAULT_CALL_LIMITS: CallLimits = { maxEvents: 100, maxBytes: 512 * 1024 };

/** One Temporal call carrying `rows` (in order): `start` may create the journey, `signal` reaches only a running one. */
export interface JourneyCall {
  kind: 'start' | 'signal';
  rows: OutboxDelivery[];
}

/**
 * Splits one journey's rows (already in the order they were accepted) into
 * calls, keeping that order. A `start` row begins a call that may carry the
 * `signal` rows after it (once it has run, the journey exists for them too);
 * `signal` rows before any start go together as a signal call. A call never
 * exceeds the limits, but always carries at least one row.
 */
export function planJourneyCalls(rows: readonly OutboxDelivery[], limits: CallLimits, sizeOf: (row: OutboxDelivery) => number = eventBytes): JourneyCall[] {
  const calls: JourneyCall[] = [];
  let current: (JourneyCall & { bytes: number }) | undefined;
  for (const row of rows) {
    const bytes = sizeOf(row);
    const fits = current !== undefined && current.rows.length < limits.maxEvents && current.bytes + bytes <= limits.maxBytes;
    if (!current || row.kind === 'start' || !fits) {
      current = { kind: row.kind, rows: [row], bytes };
      calls.push(current);
    } else {
      current.rows.push(row);
      current.bytes += bytes;
    }
  }
  return calls.map(({ kind, rows: callRows }) => ({ kind, rows: callRows }));
}

function eventBytes(row: OutboxDelivery): number {
  return Buffer.byteLength(JSON.stringify(row.event));
}
