import { tooDeepPath } from '../domain/storable';
import { batchesOf, eventLineOf, parseProperties, splitBatchPath, type EventLine } from './event-lines';

/** A JSON-lines text judged line by line as the event file reader judges it (eventLineOf), with line numbers. */
function parseEventLines(text: string): { events: EventLine[]; problems: { line: number; message: string }[] } {
  const events: EventLine[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const read = eventLineOf(raw);
    if (read === undefined) return;
    if ('problem' in read) problems.push({ line: i + 1, message: read.problem });
    else events.push({ line: i + 1, event: read.event });
  });
  return { events, problems };
}

/** Every batch batchesOf makes of `items`. */
async function batches<T>(items: T[], size: number, bytes?: { of: (item: T) => number; max: number }): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of batchesOf(items, size, bytes)) out.push(batch);
  return out;
}

describe('parseEventLines', () => {
  it('keeps each event with its line and skips blanks and comments', () => {
    const { events, problems } = parseEventLines('# orders\n{"id":"a"}\n\n{"id":"b"}\r\n');
    expect(problems).toEqual([]);
    expect(events).toEqual([
      { line: 2, event: { id: 'a' } },
      { line: 4, event: { id: 'b' } },
    ]);
  });

  it('reports a line holding a number JSON cannot carry, with its path, and sends nothing of it', () => {
    const { events, problems } = parseEventLines('{"id":"a","properties":{"n":[1e400]}}\n{"id":"b","properties":{"n":1e308}}');
    expect(events).toEqual([{ line: 2, event: { id: 'b', properties: { n: 1e308 } } }]);
    expect(problems).toEqual([{ line: 1, message: 'properties.n[0]: a number too large for JSON to carry (it would be sent as null)' }]);
  });

  it('reports lines that are not JSON by number', () => {
    const { events, problems } = parseEventLines('{"id":"a"}\n{"id":\n');
    expect(events).toHaveLength(1);
    expect(problems.map((p) => p.line)).toEqual([2]);
  });
});

describe('batches', () => {
  it('splits into batches of at most the size', async () => {
    expect(await batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(await batches([], 3)).toEqual([]);
  });

  it('also keeps each batch under a byte budget; an item over it goes alone', async () => {
    const of = (s: string) => s.length;
    expect(await batches(['aaaa', 'bb', 'cc', 'dddddd', 'e'], 10, { of, max: 6 })).toEqual([['aaaa', 'bb'], ['cc'], ['dddddd'], ['e']]);
    expect(await batches(['a', 'b', 'c'], 2, { of, max: 100 })).toEqual([['a', 'b'], ['c']]);
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

  it('refuses a number JSON cannot carry instead of sending it as null, at its path', () => {
    expect(() => parseProperties(['amount=1e400'])).toThrow(/^amount: a number too large for JSON/);
    // A whole number JSON cannot keep exactly is refused, not rounded (cli probe); quoted, it is text.
    expect(() => parseProperties(['orderNo=12345678901234567890'])).toThrow(
      `orderNo: 12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; quote it to send it as text: orderNo='"12345678901234567890"'`,
    );
    expect(parseProperties(['orderNo="12345678901234567890"', 'n=9007199254740991', 'big=1.5e20'])).toEqual({ orderNo: '12345678901234567890', n: 9007199254740991, big: 1.5e20 });
    expect(() => parseProperties(['cart={"items":[1,-2e999]}'])).toThrow(/^cart\.items\[1\]: a number too large/);
    expect(parseProperties(['amount=1e300'])).toEqual({ amount: 1e300 });
  });

  it('refuses a flag without =', () => {
    expect(() => parseProperties(['amount'])).toThrow(/key=value/);
  });
});

describe('a line nested deeper than Kairos takes (review 47, finding 7b)', () => {
  const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  const line = (levels: number) => `{"id":"a","type":"t","userId":"u","properties":{"x":${nested(levels)}}}`;

  it('is a problem at its line, not a stack overflow', () => {
    const parsed = parseEventLines(`${line(5_000)}\n{"id":"b","type":"t","userId":"u"}`);
    expect(parsed.events.map((e) => e.line)).toEqual([2]);
    expect(parsed.problems).toEqual([
      { line: 1, message: 'properties.x[0][0][0][0]... (126 levels down): nests deeper than Kairos takes (at most 128 levels of arrays and objects in a request, counting those of the request around it); nest it less deep' },
    ]);
  });

  it('is refused exactly where Kairos would refuse the batch holding it', () => {
    for (const levels of [123, 124, 125]) {
      const event: unknown = JSON.parse(line(levels));
      const kairosRefuses = tooDeepPath({ events: [event] }) !== null;
      expect({ levels, refused: parseEventLines(line(levels)).problems.length === 1 }).toEqual({ levels, refused: kairosRefuses });
    }
    expect(parseEventLines(line(124)).problems).toEqual([]);
  });

  it('counts the properties around a --prop value too', () => {
    for (const levels of [123, 124, 125]) {
      const kairosRefuses = tooDeepPath({ events: [{ properties: { x: JSON.parse(nested(levels)) as unknown } }] }) !== null;
      const refused = (() => {
        try {
          parseProperties([`x=${nested(levels)}`]);
          return false;
        } catch (err) {
          return /nests deeper than Kairos takes/.test((err as Error).message);
        }
      })();
      expect({ levels, refused }).toEqual({ levels, refused: kairosRefuses });
    }
  });
});
