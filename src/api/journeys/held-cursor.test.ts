import { HELD_CURSOR_PATTERN, heldCursor, heldPageMark } from './held-cursor';
import { HeldStepsQuery } from './held-steps.schemas';

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

  it('refuses a start past the year 9999, which no Temporal query takes (a 400 at cursor, not a 503)', () => {
    const parsed = (cursor: string) => HeldStepsQuery.safeParse({ cursor });
    expect(parsed('s253402300799998').success).toBe(true);
    for (const forged of ['s253402300799999', 's999999999999999']) {
      const result = parsed(forged);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['cursor', 'expected the `next` of the previous page']]);
    }
  });

  it('reports a cursor it did not give out once, not once per check', () => {
    for (const cursor of ['garbage', 's1.xyz', '']) {
      const result = HeldStepsQuery.safeParse({ cursor });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['cursor', 'expected the `next` of the previous page']]);
    }
  });
});
