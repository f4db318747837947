import { jsonTextProblem } from './json-text';

const problemOf = (text: string): string | undefined => jsonTextProblem(text, JSON.parse(text));

describe('jsonTextProblem', () => {
  it('names the first problem at its path: a key twice, then a number, then a forbidden key', () => {
    expect(problemOf('{"p":{"a":1,"a":2}}')).toBe('p.a: the key "a" appears twice in one object; JSON keeps only the last, so say it once');
    expect(problemOf('{"p":[1e400]}')).toBe('p[0]: a number too large for JSON to carry (it would be sent as null)');
    expect(problemOf('{"p":{"constructor":{"prototype":{}}}}')).toMatch(/^p\.constructor\.prototype: Kairos takes no "__proto__" key/);
    expect(problemOf('{"p":{"constructor":"a class"}}')).toBeUndefined();
    // The scan the API refuses them with (src/domain/json-unsafe-integers.ts), in the same words.
    expect(problemOf('{"p":{"orderNo":12345678901234567890}}')).toBe('p.orderNo: 12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string to send it as text: "12345678901234567890"');
  });
});
