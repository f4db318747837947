import fc from 'fast-check';
import { jsonBytes, oversizedIssues, utf8Bytes } from './json-size';

describe('json-size', () => {
  it('counts UTF-8 bytes as Node encodes them, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => utf8Bytes(s) === Buffer.byteLength(s, 'utf8')));
    for (const s of ['', 'a', 'é', '€', '😀', '\ud800', 'x\udc00y', '\ud83d']) expect(utf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });

  it('weighs values as JSON and names each part over its cap', () => {
    expect(jsonBytes({ a: 'é' })).toBe(Buffer.byteLength('{"a":"é"}'));
    expect(jsonBytes(undefined)).toBe(0);
    expect(oversizedIssues([{ path: 'properties', value: { a: 'x'.repeat(10) }, capBytes: 16 }, { path: 'ok', value: 1, capBytes: 1 }])).toEqual([
      { path: 'properties', message: 'is 18 bytes as JSON; at most 16 are taken' },
    ]);
  });
});
