import { KairosApiError } from '../../api';
import { focusAfter, keySpent, mayStillApply } from './held-decision';

describe('a held step’s decision', () => {
  it('may still apply after a 503 decision_pending (handed to a journey no worker has taken it from yet); not after one that asks to wait, a refusal, or Temporal refusing the call', () => {
    const handed = new KairosApiError(503, { error: { code: 'decision_pending', message: 'The retry was handed to journey:k:u-1, which did not answer within 10 s', details: [] } });
    expect(mayStillApply(handed)).toBe(true);
    // Also without Retry-After, but nothing was handed over.
    expect(mayStillApply(new KairosApiError(503, { error: { code: 'temporal_unavailable', message: 'Temporal refused the call for journey:k:u-1 (PERMISSION_DENIED)', details: [] } }))).toBe(false);
    expect(mayStillApply(new KairosApiError(503, { error: { code: 'temporal_unavailable', message: 'Temporal is not reachable', details: [] } }, { 'Retry-After': '5' }))).toBe(false);
    expect(mayStillApply(new KairosApiError(409, { error: { code: 'not_held', message: 'decided already (skip)', details: [] } }))).toBe(false);
    expect(mayStillApply(new TypeError('Failed to fetch'))).toBe(false);
  });

  it('moves focus to the next row, else the one before, else nowhere in the list', () => {
    expect(focusAfter(['a', 'b', 'c'], 'a')).toBe('b');
    expect(focusAfter(['a', 'b', 'c'], 'b')).toBe('c');
    expect(focusAfter(['a', 'b', 'c'], 'c')).toBe('b');
    expect(focusAfter(['a'], 'a')).toBeNull();
    expect(focusAfter(['a', 'b'], 'gone')).toBeNull();
  });

  it('spends a decision’s key on an answer that says what became of it, and keeps it for one that may have been carried out', () => {
    expect(keySpent({ ok: true })).toBe(true);
    expect(keySpent({ error: new KairosApiError(409, { error: { code: 'not_held', message: 'no action of this journey is held', details: [] } }) })).toBe(true);
    expect(keySpent({ error: new KairosApiError(503, { error: { code: 'decision_pending', message: 'handed over', details: [] } }) })).toBe(false);
    expect(keySpent({ error: new KairosApiError(502, undefined) })).toBe(false);
    expect(keySpent({ error: new TypeError('Failed to fetch') })).toBe(false);
  });
});
