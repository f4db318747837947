import { KairosApiError } from '../../api';

/**
 * Whether a cancel that failed may still have been stored. A refusal (4xx)
 * stored nothing. A 503 may go either way: the cancel service answers 503
 * after storing the cancel (Temporal or PostgreSQL went away while finishing
 * it), but the same route answers 503 when nothing was stored (PostgreSQL
 * unreachable or too slow while storing it, `conflict_retry`, or a proxy in
 * front of a restarting API), and the code alone does not tell them apart.
 * Any other 5xx, or no answer at all, may also have come after the store.
 * Only a fresh read of the event says.
 */
export function mayBeStored(error: unknown): boolean {
  if (error instanceof KairosApiError) return error.status >= 500;
  // fetch rejects with a TypeError when no answer came (the request may have got through).
  return error instanceof TypeError;
}

/** What re-reading the event (GET /v1/events/:id) after such a failure says of the cancel. */
export type CancelCheck = { stored: true; reason: string | null } | { stored: false; known: boolean };

/**
 * The cancel is stored only when Kairos says the event has a cancellation;
 * a read that failed (PostgreSQL still away) knows nothing, and neither
 * says "cancelled".
 */
export function cancelCheck(read: { ok: true; cancellation: { reason: string | null } | null } | { ok: false }): CancelCheck {
  if (!read.ok) return { stored: false, known: false };
  return read.cancellation ? { stored: true, reason: read.cancellation.reason } : { stored: false, known: true };
}

/** Said under the API's words when the cancel is not (known to be) stored: the form stays, with its reason, to send it again. */
export function notStoredWords(check: { known: boolean }): string {
  return check.known
    ? 'Not cancelled: Kairos has no cancel of this event, so nothing was stored. The reason is kept; press Cancel event to send it again (cancelling twice is one cancel).'
    : 'Kairos could not say whether the cancel was stored (reading the event failed too), so the event is not shown as cancelled. Press Cancel event to send it again: cancelling twice is one cancel.';
}

/** A cancel Kairos holds, as its answer (POST /v1/events/:id/cancel) or the event read again gives it. */
export interface HeldCancel {
  cancelledAt: string;
  reason: string | null;
}

/** What the row says of a cancel: the badge, and a note when the row's own cancel was not the one kept. */
export interface CancelWords {
  badge: string;
  note: string | null;
}

const reasonText = (reason: string | null) => (reason ? `reason: ${reason}` : 'no reason given');

/**
 * The row's words for the answer to its cancel: always the reason Kairos
 * stored, never the one typed. An event someone else cancelled first (another
 * desk, the CLI) keeps that first cancel's time and reason, so the note says
 * the typed reason was not kept: support explains to customers from this page.
 * `at` words a time as the page does.
 */
export function cancelAnswerWords(answer: HeldCancel & { alreadyCancelled: boolean }, at: (iso: string) => string): CancelWords {
  return {
    badge: cancelBadge(answer.reason),
    note: answer.alreadyCancelled ? `Already cancelled at ${at(answer.cancelledAt)} (${reasonText(answer.reason)}): this cancel changed nothing, and its reason was not kept.` : null,
  };
}

/**
 * The row's words when reading the event, as Cancel… is opened, finds it
 * cancelled: the list this row came from (an older page is not read again)
 * was read before that, and nothing was sent.
 */
export function foundCancelledWords(found: HeldCancel, at: (iso: string) => string): CancelWords {
  return {
    badge: cancelBadge(found.reason),
    note: `Already cancelled at ${at(found.cancelledAt)} (${reasonText(found.reason)}), after this list was read; nothing was sent.`,
  };
}

export const cancelBadge = (reason: string | null) => `cancelled${reason ? `: ${reason}` : ''}`;
