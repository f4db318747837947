import { KairosApiError } from '../../api';
import { cancelAnswerWords, cancelCheck, foundCancelledWords, mayBeStored, notStoredWords } from './cancel-answer';

const apiError = (status: number, code: string, message: string) => new KairosApiError(status, { error: { code, message, details: [] } });

describe('a cancel answered with a failure', () => {
  it('may have been stored after a 503 (of any code, or a proxy’s with no body), another 5xx or no answer; not after a refusal', () => {
    expect(mayBeStored(apiError(503, 'postgres_unavailable', 'PostgreSQL is not reachable; retry after Retry-After seconds.'))).toBe(true);
    expect(mayBeStored(apiError(503, 'temporal_unavailable', 'Event e-1 is cancelled and the rewards it caused are taken back, but Temporal cannot be reached now'))).toBe(true);
    expect(mayBeStored(new KairosApiError(503, undefined))).toBe(true);
    expect(mayBeStored(new KairosApiError(502, undefined))).toBe(true);
    expect(mayBeStored(new TypeError('Failed to fetch'))).toBe(true);
    expect(mayBeStored(apiError(400, 'invalid_request', 'reason: Required'))).toBe(false);
    expect(mayBeStored(apiError(404, 'not_found', 'No event e-1.'))).toBe(false);
    expect(mayBeStored(apiError(403, 'forbidden', 'The key lacks the role.'))).toBe(false);
  });

  it('is "cancelled" only when the event, read again, has a cancellation: a 503 postgres_unavailable with nothing stored is not', () => {
    // The review's scenario: 503 postgres_unavailable during the store; the event read again has `cancellation: null`.
    expect(cancelCheck({ ok: true, cancellation: null })).toEqual({ stored: false, known: true });
    expect(cancelCheck({ ok: true, cancellation: { reason: 'refund 7781' } })).toEqual({ stored: true, reason: 'refund 7781' });
    // The read failed too (PostgreSQL still away): nothing is known, so nothing is claimed.
    expect(cancelCheck({ ok: false })).toEqual({ stored: false, known: false });
  });

  it('says what to do in either case: send it again, which is safe', () => {
    expect(notStoredWords({ known: true })).toMatch(/^Not cancelled: .*press Cancel event to send it again \(cancelling twice is one cancel\)/);
    expect(notStoredWords({ known: false })).toMatch(/could not say whether the cancel was stored.*Press Cancel event to send it again/);
  });
});

describe('a cancel answered 202', () => {
  const at = (iso: string) => `at(${iso})`;
  const answer = { cancelledAt: '2026-03-01T10:00:00.000Z', reason: 'fraud' };

  it('shows the reason Kairos kept, not the one typed, and says when the event was cancelled already', () => {
    // Someone else cancelled it first with "fraud"; this desk typed "refund 7781": Kairos keeps "fraud".
    expect(cancelAnswerWords({ ...answer, alreadyCancelled: true }, at)).toEqual({
      badge: 'cancelled: fraud',
      note: 'Already cancelled at at(2026-03-01T10:00:00.000Z) (reason: fraud): this cancel changed nothing, and its reason was not kept.',
    });
    expect(cancelAnswerWords({ ...answer, reason: 'refund 7781', alreadyCancelled: false }, at)).toEqual({ badge: 'cancelled: refund 7781', note: null });
    expect(cancelAnswerWords({ ...answer, reason: null, alreadyCancelled: true }, at).note).toContain('(no reason given)');
  });

  it('says an event found cancelled as the form opens was cancelled after the list was read, and nothing was sent', () => {
    expect(foundCancelledWords(answer, at)).toEqual({
      badge: 'cancelled: fraud',
      note: 'Already cancelled at at(2026-03-01T10:00:00.000Z) (reason: fraud), after this list was read; nothing was sent.',
    });
  });
});
