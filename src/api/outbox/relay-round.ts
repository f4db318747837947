import type { SendResult } from '../../store/repositories/signal-outbox.repository';

/** What one relay round did with the rows it claimed. */
export interface RelayRound {
  /** Rows Temporal took (delivered, or closed as not-running or dead). */
  closed: number;
  /** Rows that failed and wait for their next try. */
  failed: number;
  /** Rows handed back untried (a lease ran short): taken again at once. */
  deferred: number;
  /** The first failure's reason, when there was one. */
  firstError: string | null;
}

export const emptyRound = (): RelayRound => ({ closed: 0, failed: 0, deferred: 0, firstError: null });

export function tallyRound(round: RelayRound, outcomes: Iterable<SendResult>): void {
  for (const o of outcomes) {
    if ('error' in o) {
      round.failed++;
      round.firstError ??= o.error;
    } else if ('deferred' in o) round.deferred++;
    else round.closed++;
  }
}

/**
 * The log line a round deserves, and its level: a round where every send
 * failed is a warning (Temporal away: events wait in the outbox), and so is
 * one that only handed its rows back untried; a round that delivered is
 * info. Before, both read "Resent N deliveries".
 */
export function roundLine(round: RelayRound): { level: 'log' | 'warn'; text: string } | null {
  const { closed, failed, deferred, firstError } = round;
  if (closed === 0 && failed === 0) {
    // Rows handed back and nothing tried: the claim's lease ran short before any call could start. Said, as a
    // warning: a round that does only this, again and again, is a relay that delivers nothing.
    return deferred === 0
      ? null
      : { level: 'warn', text: `No queued delivery reached Temporal this round: ${deferred} handed back untried (their claim's lease ran short before a call could start: a slow claim?); they are claimed again next round` };
  }
  if (failed === 0) return { level: 'log', text: `Relayed ${closed} queued deliveries to journeys` };
  const retry = `${failed} wait for their next try (${firstError})`;
  return closed === 0
    ? { level: 'warn', text: `No queued delivery reached Temporal this round: ${retry}; accepted events are kept in the outbox until it answers` }
    : { level: 'log', text: `Relayed ${closed} queued deliveries to journeys; ${retry}` };
}
