import { MAX_RETRY_AFTER_MS, noteRetryAfter, retryAfterMs, retryAfterOf } from './retry-after';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-05T10:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Sat, 05 Dec 2026 10:00:20 GMT', now)).toBe(20_000);
  });

  it('a date already past asks for no wait; none, or nonsense, asks for nothing', () => {
    expect(retryAfterMs('Sat, 05 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });

  it('never waits longer than the cap', () => {
    expect(retryAfterMs('86400', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('Sun, 06 Dec 2026 10:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('keeps the wait with the error its answer became', () => {
    const error = new Error('429');
    noteRetryAfter(error, new Response(null, { status: 429, headers: { 'Retry-After': '7' } }));
    expect(retryAfterOf(error)).toBe(7000);
    expect(retryAfterOf(new Error('other'))).toBeUndefined();
    expect(retryAfterOf('text')).toBeUndefined();
  });
});
