import { headerSafe } from './header-value';

describe('headerSafe', () => {
  it('percent-encodes what is not visible ASCII, and % itself, reversibly', () => {
    for (const id of ['用户1', 'spend:用户1:1:1:msg', 'a b', '100%', 'ü\u0000\n', '😀']) {
      const safe = headerSafe(id);
      expect(safe).toMatch(/^[\x21-\x7e]+$/);
      expect(decodeURIComponent(safe)).toBe(id);
    }
  });

  it('keeps visible ASCII ids as they are', () => {
    expect(headerSafe('spend:u-1:1:1:msg')).toBe('spend:u-1:1:1:msg');
    expect(headerSafe('用户1')).toBe('%E7%94%A8%E6%88%B71');
  });

  it('makes values Headers accepts', () => {
    expect(() => new Headers({ 'idempotency-key': '用户1' })).toThrow();
    expect(new Headers({ 'idempotency-key': headerSafe('用户1') }).get('idempotency-key')).toBe('%E7%94%A8%E6%88%B71');
  });
});
