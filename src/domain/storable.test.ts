import fc from 'fast-check';
import type { z } from 'zod';
import { MAX_LISTED_ISSUES } from './issues';
import {
  countedUnstorableText,
  epochMicroseconds,
  Int32,
  isWellFormed,
  MAX_JSON_DEPTH,
  NUL_MESSAGE,
  refineWellFormedText,
  StorableTimestamp,
  storableTimestampProblem,
  textProblem,
  tooDeepPath,
  unstorableText,
  WELL_FORMED_MESSAGE,
} from './storable';
import { IncomingEvent, toJourneyEvent } from './event';

describe('storable values', () => {
  it('tells lone surrogates from pairs, in either order and at either end', () => {
    expect(['a\ud800', '\udc00a', '\udc00\ud800', 'x\ud83dy'].map(isWellFormed)).toEqual([false, false, false, false]);
    expect(['', 'plain', '😀', 'a😀b', '用户'].map(isWellFormed)).toEqual([true, true, true, true, true]);
  });

  it('agrees with re-encoding: a string is well formed exactly when UTF-8 keeps it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(isWellFormed(s)).toBe(Buffer.from(s, 'utf8').toString('utf8') === s);
      }),
    );
  });

  it('finds every bad string and key at its path, however deep, without recursion or a cost of depth squared', () => {
    expect(unstorableText({ a: [1, { b: '\ud800' }], ['k\udc00']: 2, ok: 'fine' }).map((f) => f.path)).toEqual([['a', 1, 'b'], ['k\udc00']]);
    let deep: unknown = '\ud800';
    // A million levels: linear work is a fraction of a second; copying the path at each level would be hours.
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(unstorableText(deep)[0].path).toHaveLength(1_000_000);
  });

  it('finds NUL characters too, in values and keys, each with its reason', () => {
    expect(['a\u0000b', '\u0000', 'fine', 'x\ud800\u0000'].map(textProblem)).toEqual([NUL_MESSAGE, NUL_MESSAGE, null, WELL_FORMED_MESSAGE]);
    expect(unstorableText({ list: ['ok', 'n\u0000'], ['k\u0000']: 1, s: '\udc00' })).toEqual([
      { path: ['list', 1], message: NUL_MESSAGE },
      { path: ['k\u0000'], message: NUL_MESSAGE },
      { path: ['s'], message: WELL_FORMED_MESSAGE },
    ]);
  });

  it('finds the first array or object nested deeper than the bound, at its path, and nothing within it', () => {
    const nest = (levels: number, leaf: unknown = 1) => {
      let v: unknown = leaf;
      for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { k: v };
      return v;
    };
    expect(MAX_JSON_DEPTH).toBe(128);
    expect(tooDeepPath(nest(128))).toBeNull();
    expect(tooDeepPath({ a: 'x', b: [1, 2, { c: nest(125) }] })).toBeNull(); // 1 + 1 + 1 + 125 levels
    const path = tooDeepPath({ a: 'x', b: [1, 2, { c: nest(126) }] });
    expect(path?.slice(0, 4)).toEqual(['b', 2, 'c', 'k']);
    expect(path).toHaveLength(128); // the 129th container, below the root
    expect([1, 'text', null, undefined].map((v) => tooDeepPath(v))).toEqual([null, null, null, null]);
    expect(tooDeepPath([[[1]]], 2)).toEqual([0, 0]);
    // Siblings do not add up: wide is not deep.
    expect(tooDeepPath(Array.from({ length: 10_000 }, () => nest(127)))).toBeNull();
    expect(tooDeepPath(nest(1_000_000))).toHaveLength(128);
  });

  it('takes timestamps PostgreSQL stores and reads back, refuses the rest', () => {
    const ok = (s: string) => StorableTimestamp.safeParse(s).success;
    expect(['2026-01-01T00:00:00Z', '0001-01-01T00:00:00-15:59', '9999-12-31T23:59:59+15:59', '2026-06-01T12:00:00.123456+05:30'].map(ok)).toEqual([true, true, true, true]);
    expect(['0000-01-01T00:00:00Z', '2026-01-01T00:00:00+16:00', '2026-01-01T00:00:00-23:59', '0001-01-01T00:00:00+00:01', '9999-12-31T23:59:59-00:01'].map(ok)).toEqual([false, false, false, false, false]);
  });

  it('says what a `+` in a query string became: a space before the offset (review-58-inputs finding 3)', () => {
    const message = (s: string) => {
      const r = StorableTimestamp.safeParse(s);
      return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
    };
    expect(message('2026-01-01T00:00:00 08:00')).toContain('%2B');
    expect(message('2026-01-01T00:00:00.5 0800')).toContain('%2B');
    expect(message('2026-01-01T00:00:00')).toBe('expected an ISO 8601 date and time with a zone (Z or an offset), e.g. 2026-12-01T09:00:00Z');
  });

  it('cuts fractional seconds to microseconds, what PostgreSQL keeps, so none rounds past the year 9999 (review 46, finding 5)', () => {
    // PostgreSQL rounds to microseconds: this one was stored as 10000-01-01 while its journey got it as written.
    expect(StorableTimestamp.parse('9999-12-31T23:59:59.9999999Z')).toBe('9999-12-31T23:59:59.999999Z');
    expect(StorableTimestamp.parse('2026-06-01T12:00:00.123456789+05:30')).toBe('2026-06-01T12:00:00.123456+05:30');
    // Six digits or fewer are kept as written.
    expect(['2026-06-01T12:00:00.123456Z', '2026-06-01T12:00:00.5Z', '2026-06-01T12:00:00Z'].map((s) => StorableTimestamp.parse(s))).toEqual(['2026-06-01T12:00:00.123456Z', '2026-06-01T12:00:00.5Z', '2026-06-01T12:00:00Z']);
    // Past the range before the cut is past it after: still refused, with the range's reason.
    const late = StorableTimestamp.safeParse('9999-12-31T23:59:59.9999999-00:01');
    expect(late.success ? null : late.error.issues.map((i) => i.message)).toEqual(['must fall within the years 0001 to 9999 (UTC)']);
    // An event gets the cut time, and so does its journey (toJourneyEvent): the events table and the journey agree.
    const event = IncomingEvent.parse({ id: 'e', type: 't', userId: 'u', occurredAt: '9999-12-31T23:59:59.9999999Z' });
    expect(toJourneyEvent(event, new Date()).occurredAt).toBe('9999-12-31T23:59:59.999999Z');
  });

  it('says a timestamp without a zone needs one (edges probe: "Invalid ISO datetime" said nothing of it)', () => {
    const said = StorableTimestamp.safeParse('2026-12-03T10:00:00');
    expect(said.success ? null : said.error.issues.map((i) => i.message)).toEqual(['expected an ISO 8601 date and time with a zone (Z or an offset), e.g. 2026-12-01T09:00:00Z']);
  });

  it('bounds integers to a PostgreSQL int', () => {
    expect([2 ** 31 - 1, -(2 ** 31)].map((n) => Int32.safeParse(n).success)).toEqual([true, true]);
    expect([2 ** 31, -(2 ** 31) - 1, 2 ** 53].map((n) => Int32.safeParse(n).success)).toEqual([false, false, false]);
  });
});

describe('storableTimestampProblem: calendar days', () => {
  it('refuses a day its month does not have, which Date would roll over into the next month', () => {
    expect(storableTimestampProblem('2027-02-30T00:00:00Z')).toBe('not a real date: 2027-02-30 (that month has 28 days)');
    expect(storableTimestampProblem('2026-04-31T09:00:00+08:00')).toBe('not a real date: 2026-04-31 (that month has 30 days)');
    expect(storableTimestampProblem('2100-02-29T00:00:00Z')).toBe('not a real date: 2100-02-29 (that month has 28 days)');
    expect(storableTimestampProblem('2026-13-01T00:00:00Z')).toBe('not a real date: 2026-13-01 (there is no month 13)');
    expect(storableTimestampProblem('2026-01-00T00:00:00Z')).toMatch(/^not a real date/);
  });

  it('takes every real day, leap days included', () => {
    for (const ok of ['2028-02-29T00:00:00Z', '2000-02-29T12:00:00Z', '2026-12-31T23:59:59Z', '2026-04-30T00:00:00-05:00']) expect(storableTimestampProblem(ok)).toBeNull();
  });
});

describe('unstorableText: numbers JSON cannot carry', () => {
  it('names Infinity and NaN at their paths (1e400 parses as Infinity, and JSON would store null)', () => {
    const value = JSON.parse('{"a":1e400,"b":[1,-1e400],"c":{"d":2.5}}') as unknown;
    expect(unstorableText(value)).toEqual([
      { path: ['a'], message: expect.stringMatching(/^must be a finite number/) },
      { path: ['b', 1], message: expect.stringMatching(/^must be a finite number/) },
    ]);
    expect(unstorableText({ n: Number.NaN })).toHaveLength(1);
    expect(unstorableText({ big: 1e300, small: -1e-300 })).toEqual([]);
  });
});

describe('epochMicroseconds', () => {
  it('keeps the microseconds Date.parse drops, whatever the offset', () => {
    expect(epochMicroseconds('2026-06-01T00:00:00.000900Z') - epochMicroseconds('2026-06-01T00:00:00.000100Z')).toBe(800n);
    expect(epochMicroseconds('2026-06-01T02:00:00.000100+02:00')).toBe(epochMicroseconds('2026-06-01T00:00:00.000100Z'));
    expect(epochMicroseconds('2026-06-01T00:00:00Z')).toBe(BigInt(Date.parse('2026-06-01T00:00:00Z')) * 1000n);
  });

  it('names the text that is no instant, rather than throwing BigInt\'s RangeError for NaN', () => {
    expect(() => epochMicroseconds('yesterday')).toThrow(new TypeError('not a StorableTimestamp: "yesterday"'));
  });
});

// Review 63, finding 2: at most 10 unstorable values were reported, with no count of the rest, so a client mended
// ten, sent again and met the next ten.
describe('refineWellFormedText: every problem in one answer, up to what it lists, then how many more', () => {
  const nuls = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, 'x\u0000']));
  const issues = (value: unknown, room?: number) => {
    const found: Array<{ path?: PropertyKey[]; message?: string; params?: Record<string, unknown> }> = [];
    const ctx = { addIssue: (issue: object) => found.push(issue), value } as unknown as z.RefinementCtx;
    refineWellFormedText(value, ctx, room);
    return found;
  };

  it('lists each of a dozen, at its own path', () => {
    expect(issues(nuls(12)).map((i) => i.path)).toEqual(Array.from({ length: 12 }, (_, i) => [`a${i}`]));
  });

  it('lists a hundred; past that, 99 and then how many more at the value itself', () => {
    expect(issues(nuls(MAX_LISTED_ISSUES))).toHaveLength(MAX_LISTED_ISSUES);
    const many = issues(nuls(250));
    expect(many).toHaveLength(MAX_LISTED_ISSUES);
    expect(many.at(-2)?.path).toEqual(['a98']);
    expect(many.at(-1)).toMatchObject({ path: [], message: expect.stringMatching(/^and 151 more values or names in it that cannot be stored/), params: { notListed: 151 } });
  });

  it('leaves room for what the caller listed before it', () => {
    const after = issues(nuls(20), 10);
    expect(after.map((i) => i.path)).toEqual([...Array.from({ length: 9 }, (_, i) => [`a${i}`]), []]);
    expect(after.at(-1)?.params).toEqual({ notListed: 11 });
  });

  it('counts the rest without spelling their paths: unstorableText still stops at its limit', () => {
    expect(countedUnstorableText(nuls(30), 5)).toEqual({ listed: expect.any(Array), notListed: 25 });
    expect(unstorableText(nuls(30), 5)).toHaveLength(5);
  });
});
