import { jsonKeepsWholeNumber, mayHoldUnsafeInteger, unsafeIntegerLiteral } from './json-unsafe-integers';

describe('unsafeIntegerLiteral', () => {
  it('finds a whole number past 2^53 written in digits, at its path through objects and lists', () => {
    expect(unsafeIntegerLiteral('{"a":[1,{"b\\"c":9007199254740993}]}')).toEqual({ path: ['a', 1, 'b"c'], literal: '9007199254740993' });
    expect(unsafeIntegerLiteral('-12345678901234567890')).toEqual({ path: [], literal: '-12345678901234567890' });
    expect(unsafeIntegerLiteral('{"events":[{"id":"e","properties":{"n":1}},{"properties":{"orderNo":12345678901234567891}}]}')).toEqual({
      path: ['events', 1, 'properties', 'orderNo'],
      literal: '12345678901234567891',
    });
  });

  it('passes safe whole numbers, doubles written as such, digits in strings, and the digits JSON writes for a double', () => {
    expect(unsafeIntegerLiteral('{"n":9007199254740991,"d":1.5e20,"f":12345678901234567890.5,"s":"12345678901234567890","k\\\\":1}')).toBeUndefined();
    // What Kairos answers for a double past 2^53 (JSON.stringify's digits) is taken back as it was.
    expect(unsafeIntegerLiteral(JSON.stringify({ a: 12345678901234567000, b: 2 ** 60, c: -(2 ** 70), d: 1e22 }))).toBeUndefined();
  });
});

describe('jsonKeepsWholeNumber', () => {
  it('keeps what JSON writes back as written, and nothing JSON.parse rounds', () => {
    expect(['9007199254740991', '-9007199254740991', '9007199254740992', '12345678901234567000', '10000000000000000000000'].filter((n) => !jsonKeepsWholeNumber(n))).toEqual([]);
    expect(['9007199254740993', '12345678901234567890', '-12345678901234567891', '1'.repeat(400)].filter((n) => jsonKeepsWholeNumber(n))).toEqual([]);
  });
});

describe('mayHoldUnsafeInteger', () => {
  it('lets the scan be skipped only for texts without 16 digits in a row, where no such number can be', () => {
    expect(mayHoldUnsafeInteger('{"n":900719925474099}')).toBe(false);
    expect(mayHoldUnsafeInteger('{"n":9007199254740993}')).toBe(true);
    expect(mayHoldUnsafeInteger('{"s":"1234567890123456"}')).toBe(true);
  });
});

// Review 63, finding 5: only digits alone were checked, so a DECIMAL column's `12345678901234567890.0` was rounded to
// ...567000 without a word, two account numbers read as one.
describe('unsafeIntegerLiteral: a whole number written with a zero fraction', () => {
  it('is refused as the digits before the point would be, quoted as written', () => {
    expect(unsafeIntegerLiteral('{"attributes":{"x":12345678901234567890.0}}')).toEqual({ path: ['attributes', 'x'], literal: '12345678901234567890.0' });
    expect(unsafeIntegerLiteral('[-9007199254740993.000]')).toEqual({ path: [0], literal: '-9007199254740993.000' });
  });

  it('is taken when JSON keeps the whole number, and a real fraction or an exponent is taken as before', () => {
    expect(unsafeIntegerLiteral('{"a":12345678901234567000.0,"b":9007199254740991.0,"c":1.5e20,"d":12345678901234567890.5,"e":1234567890123456789.0e1}')).toBeUndefined();
  });
});
