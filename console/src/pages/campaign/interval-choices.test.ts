import { intervalChoices, intervalCountWords, periodSince } from './interval-choices';

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
