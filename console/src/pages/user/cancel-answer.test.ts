import { KairosApiError } from '../../api';
import { cancelCheck, mayBeStored, notStoredWords } from './cancel-answer';

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
