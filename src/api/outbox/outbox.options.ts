import { DEFAULT_CALL_LIMITS, type CallLimits } from './journey-calls';

/** How deliveries to journeys are sent and retried. Defaults suit production; tests shorten them. */
export interface OutboxOptions {
  /** How long one send may take before it counts as failed (Temporal slow or unreachable). */
  sendTimeoutMs: number;
  /** How long a row is left to whoever is sending it before the relay may take it (a crash mid-send). */
  leaseMs: number;
  /** How often the relay looks for due rows. */
  relayIntervalMs: number;
  /** Journeys claimed per relay round (each with up to `relayPerJourney` of its rows, in order). */
  relayBatch: number;
  relayPerJourney: number;
  /** Events per batched signal to one journey, and their bytes (well under Temporal's 2 MB). */
  callLimits: CallLimits;
  /** First retry delay; doubled per attempt up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** Journeys sent to at once, per request or relay round. */
  concurrency: number;
  /**
   * Attempts Temporal refuses for good (too large, invalid argument) before a
   * delivery is closed as `dead`. Only those count: an attempt that timed out,
   * found Temporal away, was rate limited or found the journey's run full does not.
   */
  deadAfterRefusals: number;
  /**
   * A call that starts this long after its send began (and after another call
   * of the send ended: never one of the first calls) first reads which of its
   * journey's rows were closed meanwhile, their event cancelled, and does not
   * send those. A send that is done sooner pays no read.
   */
  closedRecheckAfterMs: number;
}

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  sendTimeoutMs: 5_000,
  leaseMs: 30_000,
  relayIntervalMs: 1_000,
  relayBatch: 200,
  relayPerJourney: 1_000,
  callLimits: DEFAULT_CALL_LIMITS,
  firstRetryMs: 1_000,
  maxRetryMs: 60_000,
  concurrency: 64,
  deadAfterRefusals: 3,
  closedRecheckAfterMs: 1_000,
};
