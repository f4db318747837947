import { jsonTextProblem, unsafeIntegerLiteral } from './json-text';

const problemOf = (text: string): string | undefined => jsonTextProblem(text, JSON.parse(text));

describe('unsafeIntegerLiteral', () => {
  it('finds a whole number past 2^53 written in digits, at its path through objects and lists', () => {
    expect(unsafeIntegerLiteral('{"a":[1,{"b\\"c":9007199254740993}]}')).toEqual({ path: ['a', 1, 'b"c'], literal: '9007199254740993' });
    expect(unsafeIntegerLiteral('-12345678901234567890')).toEqual({ path: [], literal: '-12345678901234567890' });
  });

  it('passes safe whole numbers, doubles written as such, and digits in strings', () => {
    expect(unsafeIntegerLiteral('{"n":9007199254740991,"d":1.5e20,"f":12345678901234567890.5,"s":"12345678901234567890","k\\\\":1}')).toBeUndefined();
  });
});

describe('jsonTextProblem', () => {
  it('names the first problem at its path: a key twice, then a number, then a forbidden key', () => {
    expect(problemOf('{"p":{"a":1,"a":2}}')).toBe('p.a: the key "a" appears twice in one object; JSON keeps only the last, so say it once');
    expect(problemOf('{"p":[1e400]}')).toBe('p[0]: a number too large for JSON to carry (it would be sent as null)');
    expect(problemOf('{"p":{"constructor":{"prototype":{}}}}')).toMatch(/^p\.constructor\.prototype: Kairos takes no "__proto__" key/);
    expect(problemOf('{"p":{"constructor":"a class"}}')).toBeUndefined();
  });
});
