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
