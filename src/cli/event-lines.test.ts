import { batches, parseEventLines, parseProperties, splitBatchPath } from './event-lines';

describe('parseEventLines', () => {
  it('keeps each event with its line and skips blanks and comments', () => {
    const { events, problems } = parseEventLines('# orders\n{"id":"a"}\n\n{"id":"b"}\r\n');
    expect(problems).toEqual([]);
    expect(events).toEqual([
      { line: 2, event: { id: 'a' } },
      { line: 4, event: { id: 'b' } },
    ]);
  });

  it('reports lines that are not JSON by number', () => {
    const { events, problems } = parseEventLines('{"id":"a"}\n{"id":\n');
    expect(events).toHaveLength(1);
    expect(problems.map((p) => p.line)).toEqual([2]);
  });
});

describe('batches', () => {
  it('splits into batches of at most the size', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 3)).toEqual([]);
  });
});

describe('splitBatchPath', () => {
  it('finds the event of a batch error path', () => {
    expect(splitBatchPath('events[12].properties.amount')).toEqual({ index: 12, rest: 'properties.amount' });
    expect(splitBatchPath('events[0]')).toEqual({ index: 0, rest: '' });
    expect(splitBatchPath('events')).toBeUndefined();
  });
});

describe('parseProperties', () => {
  it('reads JSON values where they parse and text otherwise', () => {
    expect(parseProperties(['amount=25.5', 'vip=true', 'city=Paris', 'code="007"'])).toEqual({ amount: 25.5, vip: true, city: 'Paris', code: '007' });
  });

  it('refuses a flag without =', () => {
    expect(() => parseProperties(['amount'])).toThrow(/key=value/);
  });
});
