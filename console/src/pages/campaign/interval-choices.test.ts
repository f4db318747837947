import { amount } from '../../ui/numbers';
import { duration, intervalChoices, intervalCountWords, periodSince } from './interval-choices';

const n = (id: string, kind: 'entry' | 'state' | 'end', initial = false) => ({ id, kind, initial });

describe('the intervals panel choices', () => {
  it('offers the initial state first and end states last, and starts from the initial state to the first end state', () => {
    const nodes = [n('(entry)', 'entry'), n('done', 'end'), n('nudged', 'state'), n('waiting', 'state', true), n('expired', 'end')];
    expect(intervalChoices(nodes)).toEqual({ states: ['waiting', 'nudged', 'done', 'expired'], from: 'waiting', to: 'done' });
  });

  it('without an end state, the next state; with one state, that one', () => {
    expect(intervalChoices([n('(entry)', 'entry'), n('b', 'state'), n('a', 'state', true)])).toEqual({ states: ['a', 'b'], from: 'a', to: 'b' });
    expect(intervalChoices([n('(entry)', 'entry'), n('only', 'end', true)])).toEqual({ states: ['only'], from: 'only', to: 'only' });
    expect(intervalChoices([])).toEqual({ states: [], from: '', to: '' });
  });
});

describe('periodSince', () => {
  it('asks for all time with no bound, and for a period from that long before now', () => {
    const now = Date.parse('2026-12-05T12:00:00Z');
    expect(periodSince('all', now)).toBeUndefined();
    expect(periodSince('1d', now)).toBe('2026-12-04T12:00:00.000Z');
    expect(periodSince('30d', now)).toBe('2026-11-05T12:00:00.000Z');
  });
});

describe("the intervals' count", () => {
  it('is said as the arrivals it counts, not journeys: a journey that loops, or the time between visits, counts each arrival', () => {
    const between = intervalCountWords('collecting', 'rewarded');
    expect(between.label).not.toMatch(/journey/);
    // Review 60 (analytics), finding 3: a return to rewarded counts only when it came through collecting again (the API pairs
    // each arrival in from with at most the first later arrival in to); the title said every return counted.
    expect(between.title).not.toMatch(/comes back to rewarded counts each time/);
    expect(between.title).toMatch(/returns to rewarded without passing collecting again is not counted again/);
    expect(between).toEqual({
      label: 'arrivals timed',
      title:
        'Arrivals in rewarded that followed an arrival in collecting by the same path of the journey, each timed from its latest visit to collecting; a path that returns to rewarded without passing collecting again is not counted again',
    });
    expect(intervalCountWords('nudged', 'nudged').title).toBe('Returns to nudged: each arrival there after an earlier one by the same path of the journey');
  });
});

describe("the intervals' figures", () => {
  it('are said in the unit that reads best, to one decimal', () => {
    expect(duration(null)).toBe('—');
    expect(duration(500.4)).toBe('500 ms');
    expect(duration(90_000)).toBe('90 s');
    expect(duration(90_500)).toBe(`${amount(90.5)} s`);
    expect(duration(2_000)).toBe('2 s');
    expect(duration(150_000)).toBe(`${amount(2.5)} min`);
    expect(duration(3 * 3_600_000)).toBe('3 h');
    expect(duration(3 * 86_400_000)).toBe('3 days');
  });

  // Review 61 (console), finding 6: written with toFixed, a German reader saw "2.5 min" beside the page's "2,5", and
  // a long interval ungrouped ("1234.5 days"). The figures are written as the page's other numbers are (amount).
  it('are grouped as the locale groups numbers', () => {
    expect(duration(1234.5 * 86_400_000)).toBe(`${(1234.5).toLocaleString(undefined, { maximumFractionDigits: 6 })} days`);
    expect(duration(1234.5 * 86_400_000)).toBe(`${amount(1234.5)} days`);
  });

  it("take the locale's decimal sign: a German browser reads 2,5 min", () => {
    const toLocaleString = Number.prototype.toLocaleString;
    const german = jest.spyOn(Number.prototype, 'toLocaleString').mockImplementation(function (this: number, _locales, options) {
      return toLocaleString.call(this, 'de-DE', options);
    });
    try {
      expect(duration(150_000)).toBe('2,5 min');
      expect(duration(90_500)).toBe('90,5 s');
      expect(duration(1234.5 * 86_400_000)).toBe('1.234,5 days');
      expect(duration(12.25 * 1000)).toBe('12,3 s');
    } finally {
      german.mockRestore();
    }
  });
});
