import { addDuration, durationInWords, latestTimerAt, longerThanTimerHolds, MAX_TIMER_YEARS, parseDuration, subtractDuration } from './durations';

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe('parseDuration', () => {
  it.each([
    ['P3D', { days: 3 }],
    ['PT10S', { seconds: 10 }],
    ['P2W', { weeks: 2 }],
    ['P1Y2M3DT4H5M6.5S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6.5 }],
  ])('reads %s', (text, parts) => {
    const r = parseDuration(text);
    expect(r.ok && r.value).toMatchObject({ text, ...parts });
  });

  it.each(['', 'P', 'PT', '3D', 'P-1D', 'P1.5D', 'PT0S', 'P1DT', 'p3d'])('refuses %j with the path', (text) => {
    const r = parseDuration(text, 'states.a.transitions[0].after');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].path).toBe('states.a.transitions[0].after');
  });

  it('refuses non-strings', () => {
    expect(parseDuration(3).ok).toBe(false);
  });
});

describe('addDuration', () => {
  const add = (start: string, text: string) => {
    const r = parseDuration(text);
    if (!r.ok) throw new Error(text);
    return iso(addDuration(at(start), r.value));
  };

  it('adds fixed units', () => {
    expect(add('2026-11-21T10:00:00.000Z', 'PT2S')).toBe('2026-11-21T10:00:02.000Z');
    expect(add('2026-11-21T10:00:00.000Z', 'P3D')).toBe('2026-11-24T10:00:00.000Z');
    expect(add('2026-11-21T10:00:00.000Z', 'P1W')).toBe('2026-11-28T10:00:00.000Z');
  });

  it('adds calendar months, clamping to the end of short months', () => {
    expect(add('2026-01-31T00:00:00.000Z', 'P1M')).toBe('2026-02-28T00:00:00.000Z');
    expect(add('2028-01-31T00:00:00.000Z', 'P1M')).toBe('2028-02-29T00:00:00.000Z');
    expect(add('2026-11-15T00:00:00.000Z', 'P1Y2M')).toBe('2028-01-15T00:00:00.000Z');
  });

  it('subtracts', () => {
    const r = parseDuration('P1M1D');
    if (!r.ok) throw new Error();
    expect(iso(subtractDuration(at('2026-03-31T00:00:00Z'), r.value))).toBe('2026-02-27T00:00:00.000Z');
  });
});

describe('durations that would overflow (issue 11)', () => {
  it.each(['P1001Y', 'P12013M', 'P365243D', 'P52178W', 'PT8765821H', 'PT525949201M', 'PT31556952001S', 'P99999999999999999999D', `PT${'9'.repeat(400)}S`, 'P1000Y1D'])(
    'refuses %s with the path',
    (text) => {
      const r = parseDuration(text, 'participation.cooldown');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]).toEqual({ path: 'participation.cooldown', message: expect.stringMatching(/longer than 1000 years/) });
    },
  );

  it.each(['P1000Y', 'P12000M', 'P365242D', 'PT8765800H'])('accepts %s, at the limit', (text) => {
    expect(parseDuration(text).ok).toBe(true);
  });

  it('stops at the edge of the Date range instead of leaving it', () => {
    const longest = parseDuration('P1000Y');
    const days = parseDuration('P365242D');
    if (!longest.ok || !days.ok) throw new Error('the limit must parse');
    const nearEnd = 8.64e15 - 1000;
    expect(addDuration(nearEnd, longest.value)).toBe(8.64e15);
    expect(addDuration(nearEnd, days.value)).toBe(8.64e15);
    expect(subtractDuration(-nearEnd, longest.value)).toBe(-8.64e15);
    expect(() => iso(addDuration(nearEnd, longest.value))).not.toThrow();
  });

  it('keeps years 0-99 as written', () => {
    const r = parseDuration('P1M');
    if (!r.ok) throw new Error();
    expect(iso(addDuration(at('0050-01-31T12:00:00Z'), r.value))).toBe('0050-02-28T12:00:00.000Z');
  });
});

describe('durationInWords', () => {
  it('says a duration as people do', () => {
    const words = (text: string) => {
      const d = parseDuration(text);
      if (!d.ok) throw new Error(text);
      return durationInWords(d.value);
    };
    expect(['P3D', 'P1D', 'PT1H30M', 'P1Y2M', 'P2W', 'PT10S', 'P1DT1S'].map(words)).toEqual([
      '3 days',
      '1 day',
      '1 hour 30 minutes',
      '1 year 2 months',
      '2 weeks',
      '10 seconds',
      '1 day 1 second',
    ]);
    expect(durationInWords({ text: 'PT0S', years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 })).toBe('no time');
  });
});

describe('what a journey timer can wait (Temporal ends a timer after 100 years of 365 days)', () => {
  const parsed = (text: string) => {
    const r = parseDuration(text);
    if (!r.ok) throw new Error(text);
    return r.value;
  };

  it('is 99 years: a longer duration is one no timer holds, though parseDuration still takes it', () => {
    expect(MAX_TIMER_YEARS).toBe(99);
    for (const fine of ['P99Y', 'P1188M', 'P36159D', 'PT1S']) expect({ fine, longer: longerThanTimerHolds(parsed(fine)) }).toEqual({ fine, longer: false });
    for (const long of ['P99Y1D', 'P99YT1S', 'P1189M', 'P36160D', 'P100Y', 'P1000Y']) expect({ long, longer: longerThanTimerHolds(parsed(long)) }).toEqual({ long, longer: true });
  });

  it('ends 99 calendar years after now (a 29 February at the 28th), inside the 36,500 days', () => {
    expect(iso(latestTimerAt(at('2026-01-01T00:00:00Z')))).toBe('2125-01-01T00:00:00.000Z');
    expect(iso(latestTimerAt(at('2028-02-29T12:00:00Z')))).toBe('2127-02-28T12:00:00.000Z');
    expect(latestTimerAt(at('2028-01-01T00:00:00Z')) - at('2028-01-01T00:00:00Z')).toBeLessThan(36_500 * 86_400_000);
  });
});
