import fc from 'fast-check';
import { duplicateKeyPath } from './json-duplicate-keys';

describe('duplicateKeyPath', () => {
  it('finds a key named twice in one object, at its path, however deep', () => {
    expect(duplicateKeyPath('{"a":1,"a":2}')).toEqual(['a']);
    expect(duplicateKeyPath('{"states":{"s":{"actions":[],"end":true,"actions":{}}}}')).toEqual(['states', 's', 'actions']);
    expect(duplicateKeyPath('{"events":[{"id":"x"},{"id":"y","properties":{"n":1,"m":{"n":2},"n":3}}]}')).toEqual(['events', 1, 'properties', 'n']);
    // Escapes are decoded: these are one key.
    expect(duplicateKeyPath('{"a":1,"\\u0061":2}')).toEqual(['a']);
  });

  it('takes what only looks like a repeat: one key in two objects, keys inside strings, escaped quotes', () => {
    expect(duplicateKeyPath('{"a":{"b":1},"c":{"b":2}}')).toBeUndefined();
    expect(duplicateKeyPath('[{"a":1},{"a":2}]')).toBeUndefined();
    expect(duplicateKeyPath('{"a":"\\"a\\":1","b":"{\\"a\\":2,\\"a\\":3}"}')).toBeUndefined();
    expect(duplicateKeyPath('{"a\\\\":1,"a":2}')).toBeUndefined();
    expect(duplicateKeyPath('{"a":[1,{"a":2},[{"a":3}]],"b":null}')).toBeUndefined();
    expect(duplicateKeyPath('"text"')).toBeUndefined();
    expect(duplicateKeyPath('{}')).toBeUndefined();
  });

  it('finds nothing in what JSON.stringify wrote, and the repeat when a key is written again', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(duplicateKeyPath(JSON.stringify(value))).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.jsonValue(), (object, key, again) => {
        const text = JSON.stringify({ ...object, [key]: 1 });
        const repeated = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(again)}}`;
        expect(duplicateKeyPath(repeated)).toEqual([key]);
      }),
    );
  });
});
