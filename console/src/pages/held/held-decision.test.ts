import { KairosApiError } from '../../api';
import { focusAfter, mayStillApply } from './held-decision';

describe('a held step’s decision', () => {
  it('may still apply after a 503 without Retry-After (handed to a journey no worker has taken it from yet); not after one that asks to wait, or a refusal', () => {
    const handed = new KairosApiError(503, { error: { code: 'temporal_unavailable', message: 'The retry was handed to journey:k:u-1, which did not answer within 10 s', details: [] } });
    expect(mayStillApply(handed)).toBe(true);
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
});
