import { HELD_CURSOR_PATTERN, heldCursor, heldPageMark } from './held-cursor';

describe('held-steps cursor', () => {
  it('carries the start time and the marks of the journeys listed in that millisecond', () => {
    const mark = { startMs: 1764900000123, seen: ['0123456789', 'abcdef0123'] };
    const cursor = heldCursor(mark);
    expect(cursor).toMatch(HELD_CURSOR_PATTERN);
    expect(heldPageMark(cursor)).toEqual(mark);
    expect(heldPageMark(heldCursor({ startMs: 5, seen: [] }))).toEqual({ startMs: 5, seen: [] });
  });

  it('refuses the positions earlier versions handed out', () => {
    expect(HELD_CURSOR_PATTERN.test('25')).toBe(false);
    expect(HELD_CURSOR_PATTERN.test('s17.xyz')).toBe(false);
  });
});
