import { apiTimeFromExact } from './exact-time';

describe('apiTimeFromExact', () => {
  it('keeps the microseconds PostgreSQL stored', () => {
    expect(apiTimeFromExact('2026-06-01T12:00:00.123456Z')).toBe('2026-06-01T12:00:00.123456Z');
    expect(apiTimeFromExact('2026-06-01T12:00:00.000001Z')).toBe('2026-06-01T12:00:00.000001Z');
    expect(apiTimeFromExact('2026-06-01T12:00:00.123450Z')).toBe('2026-06-01T12:00:00.123450Z');
  });

  it('writes a time with nothing past the millisecond as toISOString does', () => {
    for (const iso of ['2026-06-01T12:00:00.123Z', '2026-06-01T12:00:00.000Z', '0001-01-01T00:00:00.100Z', '9999-12-31T23:59:59.999Z']) {
      expect(apiTimeFromExact(iso.replace(/Z$/, '000Z'))).toBe(iso);
      expect(apiTimeFromExact(iso.replace(/Z$/, '000Z'))).toBe(new Date(iso).toISOString());
    }
  });
});
