import { stringify } from 'yaml';
import { parseSource } from './source-document';

/** Every problem line parseSource gives, as `file:line:col message`. */
const problems = (file: string, text: string): string[] => parseSource(file, text).syntaxErrors.map((e) => `${file}:${e.line}:${e.col} ${e.message}`);

describe('parse problems as a file author reads them (review 44, finding 13)', () => {
  it('takes a .json file that starts with a byte order mark, as YAML does (PowerShell 5 and Notepad write one)', () => {
    const file = parseSource('bom.json', '\ufeff{\n  "key": "x"\n}\n');
    expect(file.syntaxErrors).toEqual([]);
    expect(file.value).toEqual({ key: 'x' });
  });

  it('keeps a problem of a .json file on one line, without V8\'s quote of the text, and at its place', () => {
    const found = [...problems('bom.json', '\ufeff{\n  "key": x}\n'), ...problems('comma.json', '{\n  "key": "x",\n}\n'), ...problems('quotes.json', "{'key': 'x'}")];
    expect(found).toEqual(['bom.json:1:1 not valid JSON: unexpected \'x\' (the parser does not say where)', 'comma.json:3:1 not valid JSON: Expected double-quoted property name', "quotes.json:1:2 not valid JSON: Expected property name or '}'"]);
    for (const line of found) expect(line).not.toMatch(/[\n\ufeff]/);
  });

  it('says a second YAML document in words for the file, not for a JavaScript API', () => {
    const [line, ...more] = problems('sources.yaml', 'key: a\nbroker: nats\n---\nkey: b\nbroker: nats\n');
    expect(more).toEqual([]);
    expect(line).toMatch(/^sources\.yaml:3:1 a second YAML document starts here \(after ---\): a file holds one/);
    expect(line).not.toContain('parseAllDocuments');
  });
});

describe('whole numbers past 2^53 in a file (review 47, finding 2)', () => {
  it('refuses one in JSON at its line and column, with nothing parsed', () => {
    const file = parseSource('c.json', '{"key":"k","body":{"a":12345678901234567890}}');
    expect({ value: file.value, errors: file.syntaxErrors }).toEqual({
      value: undefined,
      errors: [
        {
          line: 1,
          col: 24,
          message: '12345678901234567890 would reach Kairos as 12345678901234567000: 12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; quote it to send it as text: "12345678901234567890"',
        },
      ],
    });
  });

  it('refuses one in YAML, in digits or in hex', () => {
    expect(problems('c.yaml', 'key: k\nbody:\n  a: 9007199254740993\n  b: -0x20000000000001\n  c: 0x20000000000001\n')).toEqual([
      'c.yaml:3:6 9007199254740993 would reach Kairos as 9007199254740992: 9007199254740993 is a whole number past 2^53, which a JSON number does not keep exactly; quote it to send it as text: "9007199254740993"',
      'c.yaml:5:6 0x20000000000001 would reach Kairos as 9007199254740992: 0x20000000000001 is a whole number past 2^53, which a JSON number does not keep exactly; quote it to send it as text: "0x20000000000001"',
    ]);
  });

  it('still takes safe whole numbers, doubles written as such, and big numbers quoted', () => {
    const file = parseSource('c.yaml', 'key: k\nbody:\n  a: 9007199254740991\n  b: 1.5e20\n  c: "12345678901234567890"\n  d: -9007199254740991\n');
    expect({ value: file.value, errors: file.syntaxErrors }).toEqual({ value: { key: 'k', body: { a: 9007199254740991, b: 1.5e20, c: '12345678901234567890', d: -9007199254740991 } }, errors: [] });
  });

  it('takes a big whole number that JSON sends as written, as `campaigns export` writes one stored rounded', () => {
    const exported = stringify({ key: 'k', body: { a: 12345678901234567000, b: 2 ** 60, c: -(2 ** 70), d: 10 ** 22 } });
    const file = parseSource('exported.yaml', exported);
    expect({ errors: file.syntaxErrors, value: file.value }).toEqual({ errors: [], value: { key: 'k', body: { a: 12345678901234567000, b: 2 ** 60, c: -(2 ** 70), d: 10 ** 22 } } });
    expect(parseSource('c.yaml', 'a: 10000000000000000000000\n').syntaxErrors).toEqual([]);
    // 2^70 is a double exactly, but its JSON text, 1.1805916207174113e+21, says another number.
    expect(problems('c.yaml', 'a: 1180591620717411303424\n')).toEqual([expect.stringMatching(/^c\.yaml:1:4 1180591620717411303424 would reach Kairos as 1\.1805916207174113e\+21: /)]);
  });
});

describe('keys that JSON would merge or rename (review 49, finding 4)', () => {
  it('refuses two keys that are one key in JSON, at the second, naming the first', () => {
    const file = parseSource('d.yaml', 'a:\n  1: x\n  "1": y\n');
    expect({ value: file.value, errors: file.syntaxErrors }).toEqual({
      value: undefined,
      errors: [{ line: 3, col: 3, message: 'this key is "1" in JSON, as is the key at line 2 (every JSON key is text), and JSON keeps only the last: write it once' }],
    });
    expect(problems('t.yaml', '{true: a, "true": b}\n')).toEqual(['t.yaml:1:11 this key is "true" in JSON, as is the key at line 1 (every JSON key is text), and JSON keeps only the last: write it once']);
    // ~ is null, which JSON names "": renamed, and then the same key as "".
    expect(problems('n.yaml', '~: x\n"": y\n')).toEqual([
      'n.yaml:1:1 the key ~ reaches Kairos as "" (every JSON key is text): quote it to keep it as written, "~"',
      'n.yaml:2:1 this key is "" in JSON, as is the key at line 1 (every JSON key is text), and JSON keeps only the last: write it once',
    ]);
  });

  it('refuses a key that is not text and reaches Kairos as other text, and says to quote it', () => {
    expect(parseSource('d.yaml', 'a:\n  007: x\n').syntaxErrors).toEqual([{ line: 2, col: 3, message: 'the key 007 reaches Kairos as "7" (every JSON key is text): quote it to keep it as written, "007"' }]);
    expect(problems('k.yaml', 'data:\n  1e3: a\n  0x1F: b\n  null: c\n  True: d\n  1.0: e\n')).toEqual([
      'k.yaml:2:3 the key 1e3 reaches Kairos as "1000" (every JSON key is text): quote it to keep it as written, "1e3"',
      'k.yaml:3:3 the key 0x1F reaches Kairos as "31" (every JSON key is text): quote it to keep it as written, "0x1F"',
      'k.yaml:4:3 the key null reaches Kairos as "" (every JSON key is text): quote it to keep it as written, "null"',
      'k.yaml:5:3 the key True reaches Kairos as "true" (every JSON key is text): quote it to keep it as written, "True"',
      'k.yaml:6:3 the key 1.0 reaches Kairos as "1" (every JSON key is text): quote it to keep it as written, "1.0"',
    ]);
    expect(problems('c.yaml', '? [a, b]\n: x\n')).toEqual(['c.yaml:1:3 a list or a mapping as a key has no JSON form (every JSON key is text): write the key as text']);
  });

  it('takes keys JSON keeps as written: quoted, plain text, and numbers and booleans as JSON writes them; and merge keys', () => {
    expect(parseSource('d.yaml', 'a:\n  "007": x\n').syntaxErrors).toEqual([]);
    const file = parseSource('k.yaml', 'x-step: &s {type: points}\ndata:\n  1: a\n  -2: b\n  true: c\n  "1e3": d\n  name: e\nsteps:\n  - <<: *s\n    id: s1\n');
    expect({ errors: file.syntaxErrors, value: file.value }).toEqual({
      errors: [],
      value: { 'x-step': { type: 'points' }, data: { '1': 'a', '-2': 'b', true: 'c', '1e3': 'd', name: 'e' }, steps: [{ type: 'points', id: 's1' }] },
    });
    // The same key written twice is still said once, as before (yaml's own words).
    expect(parseSource('d.yaml', 'a:\n  m: 2\n  m: 3\n').syntaxErrors).toHaveLength(1);
  });
});
