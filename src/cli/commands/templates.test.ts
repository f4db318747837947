import { ExitCode } from '../exit-codes';
import { parseSource } from '../source-document';
import { runKairos, withStubServer, type StubRequest } from '../test-support';

/** A stub Kairos serving one template whose `subject` is free text (no pattern), rendering it into the campaign as Kairos would. */
function templateServer(req: StubRequest) {
  if (req.method === 'GET') {
    return { status: 200, body: { key: 'note', title: 'Note', description: 'A note.', parameters: [{ name: 'subject', type: 'string', label: 'Subject', help: 'Any text.', default: 'Hi', maxLength: 2000 }] } };
  }
  const { parameters } = JSON.parse(req.body) as { parameters: { subject?: string } };
  const subject = parameters.subject ?? 'Hi';
  return { status: 200, body: { parameters: { subject }, campaign: { key: 'note', name: 'Note', message: { subject } } } };
}

describe('templates render: the values in the comment a file starts with (review 44, finding 8)', () => {
  it.each([['Hello\nWorld'], ['Hi\nkey: other'], ['a\r\nb\u2028c\u0085d'], ['"quoted" # not a comment']])('a value holding %j leaves the file YAML of the rendered campaign, the value said', async (subject) => {
    await withStubServer(templateServer, async (url) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'templates', 'render', 'note', '--set', `subject=${subject}`]);
      expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
      const file = parseSource('note.yaml', res.out);
      expect(file.syntaxErrors).toEqual([]);
      expect(file.value).toEqual({ key: 'note', name: 'Note', message: { subject } });
      // The comment names the template and each value, as JSON on a line of its own.
      expect(res.out.split('\n').slice(0, 2)).toEqual(['# rendered from template note by kairos templates render, with:', `#   subject: ${JSON.stringify(subject).replace(/[\u0085\u2028]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`]);
    });
  });
});

describe('templates render: a "<<" key in the campaign stays a key in the file (review 49, finding 5)', () => {
  it('reads back as the rendered campaign, neither merged nor refused', async () => {
    const campaign = { key: 'note', name: 'Note', webhook: { body: { '<<': { a: 1 }, b: 2, text: { '<<': 't' } } } };
    const server = (req: StubRequest) =>
      req.method === 'GET'
        ? { status: 200, body: { key: 'note', title: 'Note', description: 'A note.', parameters: [] } }
        : { status: 200, body: { parameters: {}, campaign } };
    await withStubServer(server, async (url) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'templates', 'render', 'note']);
      expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
      const file = parseSource('note.yaml', res.out);
      expect({ errors: file.syntaxErrors, value: file.value }).toEqual({ errors: [], value: campaign });
    });
  });
});

// Review 55 (CLI), finding 5: rendered to stdout, a value holding C1 or bidirectional controls is written as escapes.
describe('templates render: control characters in the campaign are escapes, never raw', () => {
  it('reads back as the rendered campaign, with no raw C1 or bidirectional control in the output', async () => {
    const subject = 'a\u202eb\u009bc';
    await withStubServer(templateServer, async (url) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'templates', 'render', 'note', '--set', `subject=${subject}`]);
      expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
      expect(res.out).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
      const file = parseSource('note.yaml', res.out);
      expect({ errors: file.syntaxErrors, value: file.value }).toEqual({ errors: [], value: { key: 'note', name: 'Note', message: { subject } } });
    });
  });
});
