import { bearerCredential, sameSecret, secretDigest } from './bearer';

describe('bearerCredential', () => {
  it('takes the credential of a Bearer header in any case, trimmed, and nothing from other schemes or an empty one', () => {
    expect(bearerCredential('Bearer abc-123')).toBe('abc-123');
    expect(bearerCredential('bearer   abc-123  ')).toBe('abc-123');
    expect(bearerCredential('Basic YWxhZGRpbjpvcGVuc2VzYW1l')).toBeUndefined();
    expect(bearerCredential('Bearer    ')).toBeUndefined();
    expect(bearerCredential('Bearerabc')).toBeUndefined();
    expect(bearerCredential(undefined)).toBeUndefined();
  });
});

describe('sameSecret', () => {
  it('matches only the very secret, whatever the lengths compared', () => {
    const expected = secretDigest('a-secret-of-some-length');
    expect(sameSecret('a-secret-of-some-length', expected)).toBe(true);
    expect(sameSecret('a-secret-of-some-lengtH', expected)).toBe(false);
    expect(sameSecret('short', expected)).toBe(false);
    expect(sameSecret('', expected)).toBe(false);
  });
});
