import fc from 'fast-check';
import { TOO_DEEP_MESSAGE, tooDeepPath } from '../../domain/storable';
import { toHttpError } from './http-error.filter';
import { silentChangeOf, unparsedBodyError } from './json-body';
import { tooDeepError, tooDeepTextPath } from './json-depth';

/** The answer the body parser's refusal of `text` becomes, or undefined when the body is taken. */
const answerTo = (text: string) => {
  JSON.parse(text); // only ever called on text JSON.parse took
  const refusal = silentChangeOf(text);
  return refusal && toHttpError(refusal);
};

describe('the JSON body parser: what JSON.parse would change without a word', () => {
  it("is a 400 at the path of a whole number past 2^53, in the CLI's words", () => {
    expect(answerTo('{"attributes":{"accountNo":12345678901234567890}}')).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'The body holds a whole number past 2^53, which JSON parsers round.',
          details: [
            {
              path: 'attributes.accountNo',
              message: '12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string: "12345678901234567890"',
            },
          ],
        },
      },
    });
    const batch = '{"events":[{"id":"o-1","type":"order.paid","userId":"u","properties":{"orderNo":1}},{"id":"o-2","type":"order.paid","userId":"u","properties":{"lines":[{"orderNo":-9007199254740993}]}}]}';
    expect(answerTo(batch)?.body.error.details.map((d) => d.path)).toEqual(['events[1].properties.lines[0].orderNo']);
  });

  it('takes what JSON keeps: safe whole numbers, exponents, fractions, digits in text, and the digits JSON writes for a double', () => {
    for (const text of [
      '{"n":9007199254740991,"m":-9007199254740991}',
      '{"d":1.5e20,"f":12345678901234567890.5}',
      '{"s":"12345678901234567890","k12345678901234567890":1}',
      JSON.stringify({ answered: 12345678901234567000, big: 2 ** 60 }),
    ]) {
      expect({ text, answer: answerTo(text) }).toEqual({ text, answer: undefined });
    }
  });

  it('names a key twice first, as before', () => {
    expect(answerTo('{"a":1,"a":12345678901234567890}')?.body.error.details).toEqual([
      { path: 'a', message: 'the key "a" appears twice in one object; JSON keeps only the last, so say it once' },
    ]);
  });
});

describe('the JSON body parser: a body nested too deep, from its text', () => {
  const nested = (levels: number, inner: string) => '{"a":'.repeat(levels) + inner + '}'.repeat(levels);

  it('is refused at the path of level 129 before JSON.parse, even when it also names a key twice deeper down', () => {
    const path = tooDeepTextPath(nested(200, '{"x":1,"x":2}'));
    expect(path).toEqual(Array.from({ length: 128 }, () => 'a'));
    expect(toHttpError(tooDeepError(path!)).body.error.details).toEqual([{ path: Array.from({ length: 128 }, () => 'a').join('.'), message: TOO_DEEP_MESSAGE }]);
    // Arrays are counted as objects are, at their indices; keys are read with their escapes, strings skipped.
    expect(tooDeepTextPath(`{"k\\u0061":[0,"[{",${'['.repeat(127)}]}`)).toEqual(['ka', 2, ...Array.from({ length: 126 }, () => 0)]);
    expect(tooDeepTextPath(nested(126, '{"x":[]}'))).toBeNull();
    expect(tooDeepTextPath(nested(127, '{"x":[]}'))).toEqual([...Array.from({ length: 127 }, () => 'a'), 'x']);
    expect(tooDeepTextPath(nested(127, '{"x":"[[[[[[[[[[[[[[[[\\"{{{{"}'))).toBeNull();
  });

  it('stops at the first level past the bound: a million levels cost one partial read', () => {
    const text = '['.repeat(1_000_000);
    expect(tooDeepTextPath(text)).toHaveLength(128);
  });

  it('finds what tooDeepPath finds on the parsed value', () => {
    const at = (value: unknown, path: Array<string | number>): unknown => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 5 }), (value, bound) => {
        const path = tooDeepTextPath(JSON.stringify(value), bound);
        expect(path === null).toBe(tooDeepPath(value, bound) === null);
        if (path) {
          expect(path).toHaveLength(bound);
          expect(typeof at(value, path)).toBe('object');
          expect(at(value, path)).not.toBeNull();
        }
      }),
    );
  });
});

describe('the JSON body parser: a body Fastify refuses, with its path', () => {
  it('names the path of a "__proto__" key, and of a "prototype" key in a "constructor" object', () => {
    const proto = toHttpError(unparsedBodyError('{"id":"p","type":"t","userId":"u","properties":{"__proto__":{"isAdmin":true}}}'));
    expect(proto).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_body',
          message: 'The body holds a "__proto__" or "constructor.prototype" key, which Kairos does not take.',
          details: [{ path: 'properties.__proto__', message: 'a "__proto__" key is not taken: rename it' }],
        },
      },
    });
    expect(toHttpError(unparsedBodyError('{"events":[{},{"properties":{"constructor":{"x":1,"prototype":{}}}}]}')).body.error.details.map((d) => d.path)).toEqual([
      'events[1].properties.constructor.prototype',
    ]);
    expect(toHttpError(unparsedBodyError('{"a":{"\\u005f_proto__":1}}')).body.error.details.map((d) => d.path)).toEqual(['a.__proto__']);
  });

  it('gives the reason and position of malformed JSON, V8 naming one or not', () => {
    const detail = (text: string) => toHttpError(unparsedBodyError(text)).body.error.details;
    expect(toHttpError(unparsedBodyError('{"id": ')).body.error).toEqual({
      code: 'invalid_body',
      message: 'The body is not valid JSON.',
      details: [{ path: '', message: 'the body ends before the JSON does', position: 7 }],
    });
    expect(detail('{"a":1 "b":2}')).toEqual([{ path: '', message: "Expected ',' or '}' after property value", position: 7 }]);
    expect(detail('{"a": x}')).toEqual([{ path: '', message: 'unexpected "x"', position: 6 }]);
    expect(detail('[1,]')).toEqual([{ path: '', message: 'unexpected "]"', position: 3 }]);
    expect(detail('{"a":[tru], "b":"x"}')).toEqual([{ path: '', message: 'unexpected "]"', position: 9 }]);
    expect(detail('{"s":"]}", "t": {}, "u": nul}')).toEqual([{ path: '', message: 'unexpected "}"', position: 28 }]);
  });

  it("takes the position from V8's own words only, never from the body's text that V8 quotes", () => {
    expect(unparsedBodyError('["at position 7",]').details).toEqual([{ path: '', message: 'unexpected "]"', position: 17 }]);
    expect(unparsedBodyError('["end of JSON input",]').details).toEqual([{ path: '', message: 'unexpected "]"', position: 21 }]);
    expect(unparsedBodyError('[1] "in JSON at position 2"').details).toEqual([{ path: '', message: 'Unexpected non-whitespace character after JSON', position: 4 }]);
  });

  it('reads a body that starts with a byte order mark as Fastify does, counting positions in the whole text', () => {
    expect(unparsedBodyError('\uFEFF{"a":{"__proto__":{}}}').details).toEqual([{ path: 'a.__proto__', message: 'a "__proto__" key is not taken: rename it' }]);
    expect(unparsedBodyError('\uFEFF[1,]').details).toEqual([{ path: '', message: 'unexpected "]"', position: 4 }]);
    expect(unparsedBodyError('\uFEFF{"a":1 "b":2}').details).toEqual([{ path: '', message: "Expected ',' or '}' after property value", position: 8 }]);
  });
});
