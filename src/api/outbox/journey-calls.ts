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
 * calls, keeping that order. A `start` row begins a call that carries the
 * rows after it, starts and signals alike: once it has run, the journey
 * exists for them, and a start that finds its journey running only signals
 * it, so a hot user's entry events (a campaign entered by the very event it
 * counts) go as one call per batch rather than one each. `signal` rows
 * before any start go together as a signal call; a start after them begins
 * a new call (a signal call reaches only a running journey). A call never
 * exceeds the limits, but always carries at least one row. A row Temporal
 * refused before goes alone (refusedBefore), so its next refusal is its own.
 */
export function planJourneyCalls(rows: readonly OutboxDelivery[], limits: CallLimits, sizeOf: (row: OutboxDelivery) => number = eventBytes): JourneyCall[] {
  const calls: JourneyCall[] = [];
  let current: (JourneyCall & { bytes: number }) | undefined;
  for (const row of rows) {
    const bytes = sizeOf(row);
    const fits =
      current !== undefined && !refusedBefore(row) && !refusedBefore(current.rows[0]) && current.rows.length < limits.maxEvents && current.bytes + bytes <= limits.maxBytes;
    if (!current || (row.kind === 'start' && current.kind === 'signal') || !fits) {
      current = { kind: row.kind, rows: [row], bytes };
      calls.push(current);
    } else {
      current.rows.push(row);
      current.bytes += bytes;
    }
  }
  return calls.map(({ kind, rows: callRows }) => ({ kind, rows: callRows }));
}

/**
 * Calls of one row each, in order: how a journey's rows go once Temporal
 * refused a call carrying several. That refusal names no row (one of them,
 * or their total size past a blob limit set below maxBytes), so none counts
 * it; each is judged alone.
 */
export function oneCallEach(rows: readonly OutboxDelivery[]): JourneyCall[] {
  return rows.map((row) => ({ kind: row.kind, rows: [row] }));
}

/**
 * Refused for good when it was sent alone (only such a refusal is counted,
 * see JourneySender): batched again, the rows with it would be refused with
 * it, and that refusal would name no row.
 */
function refusedBefore(row: OutboxDelivery): boolean {
  return row.refusals > 0;
}

function eventBytes(row: OutboxDelivery): number {
  return Buffer.byteLength(JSON.stringify(row.event));
}
