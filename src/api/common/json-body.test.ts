import { toHttpError } from './http-error.filter';
import { silentChangeOf } from './json-body';

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
