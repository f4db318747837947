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
