import { forbiddenKeyPath } from './json-forbidden-keys';

describe('forbiddenKeyPath', () => {
  it('names a "__proto__" key, and a "prototype" key in a "constructor" object, at their exact path', () => {
    expect(forbiddenKeyPath(JSON.parse('{"id":"p","properties":{"__proto__":{"isAdmin":true}}}'))).toEqual(['properties', '__proto__']);
    expect(forbiddenKeyPath(JSON.parse('{"events":[{"a":1},{"properties":{"x":[1,{"\\u005f\\u005fproto__":1}]}}]}'))).toEqual(['events', 1, 'properties', 'x', 1, '__proto__']);
    expect(forbiddenKeyPath(JSON.parse('{"a":{"constructor":{"name":"x","prototype":{}}}}'))).toEqual(['a', 'constructor', 'prototype']);
    expect(forbiddenKeyPath(JSON.parse('{"__proto__":1}'))).toEqual(['__proto__']);
  });

  it('takes what only looks like one: the words as values, "prototype" elsewhere, "constructor" without it', () => {
    expect(forbiddenKeyPath(JSON.parse('{"a":"__proto__","b":["constructor","prototype"]}'))).toBeUndefined();
    expect(forbiddenKeyPath(JSON.parse('{"prototype":1,"constructor":{"name":"x"},"c":{"constructor":1,"prototype":2}}'))).toBeUndefined();
    expect(forbiddenKeyPath(JSON.parse('{"constructor":[{"prototype":1}]}'))).toBeUndefined();
    expect(forbiddenKeyPath(JSON.parse('{"__proto__x":1,"x__proto__":2}'))).toBeUndefined();
  });
});

describe('forbiddenKeyPath on a large, deep value', () => {
  it('walks a value nested 127 deep with many leaves in one pass, and still finds the key at the end', () => {
    // 127 levels, each holding 2,000 numbers: copying the path for every value would cost 127 x 254,000 steps.
    let value: unknown = { __proto__x: 1 };
    for (let depth = 0; depth < 127; depth++) value = { pad: Array.from({ length: 2000 }, (_, i) => i), inner: value };
    const parsed = JSON.parse(JSON.stringify(value).replace('"__proto__x"', '"__proto__"')) as unknown;
    const found = forbiddenKeyPath(parsed, ['events', 0]);
    expect(found?.slice(0, 3)).toEqual(['events', 0, 'inner']);
    expect(found?.length).toBe(2 + 127 + 1);
    expect(found?.at(-1)).toBe('__proto__');
  });
});
