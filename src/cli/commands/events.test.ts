import { constants } from 'node:buffer';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ExitCode } from '../exit-codes';
import { kairosError, runKairos, spawnKairos, withStubServer, type StubAnswer, type StubRequest } from '../test-support';

/** A stub Kairos that accepts every event it is sent, as POST /v1/events answers. */
const accepting = (req: StubRequest) => {
  const { events } = JSON.parse(req.body || '{"events":[]}') as { events: Array<{ id: string }> };
  return { status: 202, body: { accepted: events.length, duplicates: 0, results: events.map((e) => ({ id: e.id, status: 'accepted', journeys: [] })) } };
};

/** Runs `fn` in a fresh folder holding `files` (name to bytes or text), removed afterwards. */
async function inFolder<T>(files: Record<string, Buffer | string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-events-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `kairos events send <args>` against the accepting stub: its result and the requests Kairos got. */
async function send(args: string[], options: { files?: Record<string, Buffer | string>; stdin?: Buffer | string } = {}) {
  return inFolder(options.files ?? {}, (dir) =>
    withStubServer(accepting, async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'events', 'send', ...args], { cwd: dir, stdin: options.stdin })), requests })),
  );
}

describe('events send: bytes that are not UTF-8 (review 44, finding 1)', () => {
  // A Latin-1 export: ü is 0xFC, ö is 0xF6. Read as UTF-8 with replacement, both ids became "ord-\ufffd1", one event.
  const latin1 = Buffer.concat([
    Buffer.from('{"id":"ord-'),
    Buffer.from([0xfc]),
    Buffer.from('1","type":"order.completed","userId":"u","properties":{}}\n{"id":"ord-'),
    Buffer.from([0xf6]),
    Buffer.from('1","type":"order.completed","userId":"u","properties":{}}\n'),
  ]);

  it('refuses a file holding them, at the first bad byte, and sends nothing (exit 1)', async () => {
    const res = await send(['--file', 'orders.jsonl'], { files: { 'orders.jsonl': latin1 } });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toMatch(/^orders\.jsonl:1:12 byte 0xFC is not UTF-8 .*iconv.*; nothing was sent\n$/);
  });

  it('refuses them on stdin too, by line', async () => {
    const res = await send(['--file', '-'], { stdin: Buffer.concat([Buffer.from('{"id":"a","type":"t","userId":"u"}\n\n'), latin1]) });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toMatch(/^\(stdin\):3:12 byte 0xFC is not UTF-8/);
  });

  it('still sends U+FFFD written as UTF-8 (EF BF BD), which is text', async () => {
    const res = await send(['--file', 'ok.jsonl'], { files: { 'ok.jsonl': '{"id":"ord-\ufffd","type":"t","userId":"u","properties":{}}\n' } });
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
    expect(JSON.parse(res.requests[0].body)).toEqual({ events: [{ id: 'ord-\ufffd', type: 't', userId: 'u', properties: {} }] });
  });
});

describe('events send: a key written twice (review 44, finding 2)', () => {
  it('refuses a line that names a key twice, at its path and line, and sends nothing (exit 1)', async () => {
    const lines = '{"id":"e1","type":"t","userId":"u","properties":{}}\n{"id":"e3","type":"t","userId":"u","properties":{"amount":1,"amount":100}}\n';
    const res = await send(['--file', 'orders.jsonl'], { files: { 'orders.jsonl': lines } });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toBe('orders.jsonl:2 properties.amount: the key "amount" appears twice in one object; JSON keeps only the last, so say it once\n');
  });

  it('refuses --properties that names a key twice (exit 2), and a --prop JSON value that does', async () => {
    const res = await send(['--type', 't', '--user', 'u', '--id', 'o1', '--properties', '{"a":1,"a":2}']);
    expect({ code: res.code, requests: res.requests.length, err: res.err }).toEqual({
      code: ExitCode.usage,
      requests: 0,
      err: 'kairos: --properties: a: the key "a" appears twice in one object; JSON keeps only the last, so say it once\n',
    });
    const prop = await send(['--type', 't', '--user', 'u', '--id', 'o1', '--prop', 'cart={"n":1,"n":2}']);
    expect({ code: prop.code, requests: prop.requests.length, err: prop.err }).toEqual({ code: ExitCode.usage, requests: 0, err: expect.stringContaining('--prop: cart.n: the key "n" appears twice') });
  });
});

describe('events send: whole numbers past 2^53 and __proto__ keys (review 44, finding 4)', () => {
  it('refuses a whole number past 2^53 in --properties (exit 2) and in a file (exit 1), as --prop does, and sends nothing', async () => {
    const flags = await send(['--type', 't', '--user', 'u', '--id', 'o1', '--properties', '{"order":{"no":12345678901234567890}}']);
    expect({ code: flags.code, requests: flags.requests.length, err: flags.err }).toEqual({
      code: ExitCode.usage,
      requests: 0,
      err: 'kairos: --properties: order.no: 12345678901234567890 is a whole number past 2^53, which a JSON number does not keep exactly; write it as a string to send it as text: "12345678901234567890"\n',
    });
    const file = await send(['--file', 'o.jsonl'], { files: { 'o.jsonl': '{"id":"e1","type":"t","userId":"u","properties":{"orderNo":-12345678901234567890,"ok":1.5e20}}\n' } });
    expect({ code: file.code, requests: file.requests.length, err: file.err }).toEqual({
      code: ExitCode.failure,
      requests: 0,
      err: expect.stringMatching(/^o\.jsonl:1 properties\.orderNo: -12345678901234567890 is a whole number past 2\^53/),
    });
    const nested = await send(['--type', 't', '--user', 'u', '--id', 'o1', '--prop', 'cart={"n":[12345678901234567890]}']);
    expect({ code: nested.code, requests: nested.requests.length, err: nested.err }).toEqual({ code: ExitCode.usage, requests: 0, err: expect.stringContaining('--prop: cart.n[0]: 12345678901234567890 is a whole number past 2^53') });
  });

  it('refuses a __proto__ key, which --prop would have dropped and Kairos refuses, in every form (nothing sent)', async () => {
    for (const args of [
      ['--prop', '__proto__={"x":1}', '--prop', 'a=1'],
      ['--prop', '__proto__=1'],
      ['--prop', 'constructor={"prototype":{}}'],
      ['--properties', '{"a":{"__proto__":{"x":1}}}'],
    ]) {
      const res = await send(['--type', 't', '--user', 'u', '--id', 'o1', ...args]);
      expect({ args, code: res.code, requests: res.requests.length, err: res.err }).toEqual({ args, code: ExitCode.usage, requests: 0, err: expect.stringMatching(/Kairos takes no "__proto__" key/) });
    }
    const file = await send(['--file', 'p.jsonl'], { files: { 'p.jsonl': '{"id":"e1","type":"t","userId":"u","properties":{"__proto__":{"admin":true}}}\n' } });
    expect({ code: file.code, requests: file.requests.length, err: file.err }).toEqual({ code: ExitCode.failure, requests: 0, err: expect.stringMatching(/^p\.jsonl:1 properties\.__proto__: Kairos takes no "__proto__" key/) });
  });

  it('refuses a key given twice across flags, where one value would be dropped (nothing sent)', async () => {
    for (const [args, said] of [
      [['--prop', 'amount=10', '--prop', 'amount=100'], 'kairos: --prop: amount: given twice; say it once\n'],
      [['--properties', '{"amount":10}', '--prop', 'amount=100'], 'kairos: --prop: amount: also in --properties; say it once\n'],
    ] as const) {
      const res = await send(['--type', 't', '--user', 'u', '--id', 'o1', ...args]);
      expect({ args, code: res.code, requests: res.requests.length, err: res.err }).toEqual({ args, code: ExitCode.usage, requests: 0, err: said });
    }
  });

  it('still sends safe whole numbers, doubles written as such, and big numbers as text', async () => {
    const res = await send(['--type', 't', '--user', 'u', '--id', 'o1', '--properties', '{"n":9007199254740991,"d":1.5e20,"s":"12345678901234567890","x":"a\\"1234567890123456789012"}']);
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
    expect(JSON.parse(res.requests[0].body)).toMatchObject({ events: [{ properties: { n: 9007199254740991, d: 1.5e20, s: '12345678901234567890', x: 'a"1234567890123456789012' } }] });
  });
});

describe('events send: no events at all (review 44, finding 12)', () => {
  it('is a failure (exit 1) for empty stdin, so a dead producer in `producer | kairos events send -f -` is not green', async () => {
    const res = await send(['--file', '-'], { stdin: '' });
    expect({ code: res.code, requests: res.requests.length, out: res.out }).toEqual({ code: ExitCode.failure, requests: 0, out: '' });
    expect(res.err).toMatch(/^\(stdin\): no events /);
  });

  it('is a failure for a file of blank lines and comments only, naming the file', async () => {
    const res = await send(['--file', 'empty.jsonl'], { files: { 'empty.jsonl': '# nothing today\n\n' } });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toMatch(/^empty\.jsonl: no events /);
  });
});

describe('events send: a batch too large for the server, which does not say which event (review 47, finding 3)', () => {
  /** Kairos with MAX_BODY_BYTES of 2,000: Fastify's 413, with Kairos's body and no details, for any larger request. */
  const smallLimit = (body: unknown) => (req: StubRequest) => (req.body.length > 2_000 ? { status: 413, body } : accepting(req));
  const kairos413 = kairosError('payload_too_large', 'The request body is too large.');
  const line = (i: number, pad = 200) => JSON.stringify({ id: `e-${i}`, type: 't', userId: 'u', properties: { note: 'x'.repeat(pad) } });

  async function sendTo(answer: (req: StubRequest) => StubAnswer, stdin: string, args: string[] = []) {
    return withStubServer(answer, async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '--file', '-', ...args], { stdin })), requests }));
  }

  it('sends it again in smaller batches, all events once and in order, and says so once', async () => {
    const res = await sendTo(smallLimit(kairos413), Array.from({ length: 20 }, (_, i) => line(i)).join('\n'), ['--batch', '20']);
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.ok, out: '20 accepted, 0 duplicate(s)\n' });
    expect(res.err).toBe('(stdin): lines 1 to 20 were more than this server takes in one request (413); sending them in smaller batches (--batch N sends fewer events a request from the start)\n');
    const stored = res.requests.filter((r) => r.body.length <= 2_000).flatMap((r) => (JSON.parse(r.body) as { events: Array<{ id: string }> }).events.map((e) => e.id));
    expect(stored).toEqual(Array.from({ length: 20 }, (_, i) => `e-${i}`));
  });

  it('names the line of an event too large alone, and how many were sent before it (exit 1)', async () => {
    const lines = [line(0), line(1), line(2, 3_000), line(3)];
    const res = await sendTo(smallLimit(kairos413), lines.join('\n'));
    expect(res.code).toBe(ExitCode.failure);
    expect(res.err).toContain(
      "(stdin):3 (event) The request body is too large: this event alone is more than the server takes in one request (Kairos's MAX_BODY_BYTES, or a proxy's limit in front of it); make it smaller, or ask for a higher limit\n",
    );
    expect(res.err).toContain('stopped: 2 of 4 event(s) sent before the refused batch\n');
  });

  it("does the same for a proxy's 413 page, rather than calling it not Kairos", async () => {
    const res = await sendTo(smallLimit('<html><h1>413 Request Entity Too Large</h1></html>'), [line(0), line(1), line(2, 3_000)].join('\n'));
    expect(res.code).toBe(ExitCode.failure);
    expect(res.err).toContain("(stdin):3 (event) answered 413 (too large) without Kairos's error body: this event alone is more than the server takes in one request (a proxy's limit in front of Kairos, such as nginx's client_max_body_size)");
    expect(res.err).not.toContain('is it the Kairos API');
  });

  it('still reports a 413 that names the event (a size cap) at its line, without splitting', async () => {
    const capped = () => ({ status: 413, body: kairosError('payload_too_large', 'Too large.', [{ path: 'events[1].properties', message: 'over MAX_EVENT_PROPERTIES_BYTES' }]) });
    const res = await sendTo(capped, [line(0), line(1)].join('\n'));
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 1 });
    expect(res.err).toBe('(stdin):2 properties over MAX_EVENT_PROPERTIES_BYTES\nstopped: 0 of 2 event(s) sent before the refused batch\n');
  });
});

describe('events send: a batch that gets no answer (review 47, finding 7a)', () => {
  it('is not called refused: it may have been stored', async () => {
    const { createServer } = await import('node:http');
    let posts = 0;
    // Answers the first batch, and never the second.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (++posts > 1) return;
        const answer = accepting({ method: 'POST', path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const stdin = ['{"id":"a","type":"t","userId":"u"}', '{"id":"b","type":"t","userId":"u"}'].join('\n');
      const res = await runKairos(['--url', url, '--api-key', 'k', '--timeout', '0.3', 'events', 'send', '--file', '-', '--batch', '1'], { stdin });
      expect(res.code).toBe(ExitCode.unreachable);
      expect(res.err).not.toContain('refused batch');
      expect(res.err).toMatch(/^stopped: 1 of 2 event\(s\) sent before the batch whose answer did not come or could not be read \(it may have been stored: sending the same events again is safe, as each counts once by its id\)\nkairos: Kairos at .* did not answer within 0\.3 s/);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('events send: a URL with no such route is not a refusal of the events (review 52, finding 2)', () => {
  const noRoute = (req: StubRequest) => ({ status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) });

  it('one event from flags: this server has no such route, exit 2', async () => {
    const res = await withStubServer(noRoute, (url) => runKairos(['--url', `${url}/v1`, '--api-key', 'k', 'events', 'send', '--type', 't', '--user', 'u', '--id', 'e1']));
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.usage, out: '' });
    expect(res.err).toMatch(/^kairos: Cannot POST \/v1\/v1\/events .*: this server has no such route/);
    expect(res.err).not.toMatch(/^event /m);
  });

  it('a file: the same, and the batch is not called refused', async () => {
    const res = await withStubServer(noRoute, (url) => runKairos(['--url', `${url}/v1`, '--api-key', 'k', 'events', 'send', '--file', '-'], { stdin: '{"id":"a","type":"t","userId":"u"}\n' }));
    expect(res.code).toBe(ExitCode.usage);
    expect(res.err).toMatch(/^stopped: 0 of 1 event\(s\) sent before the failed batch\nkairos: Cannot POST \/v1\/v1\/events .*: this server has no such route/);
  });
});

describe("events send: a 5xx without Kairos's error body from a proxy in front of it (review 52, finding 1)", () => {
  it('a file stops at a batch that may have been stored, not one that failed before reaching Kairos', async () => {
    const envoy = () => ({ status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination' });
    const res = await withStubServer(envoy, (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '--file', '-'], { stdin: '{"id":"a","type":"t","userId":"u"}\n' }));
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toContain('stopped: 0 of 1 event(s) sent before the batch whose answer did not come or could not be read (it may have been stored');
    expect(res.err).toContain('what was sent may still take effect there');
  });
});

describe('events send --file: an input larger than the CLI could hold at once (review 52, finding 3)', () => {
  const event = (id: string) => JSON.stringify({ id, type: 't', userId: 'u', properties: {} });

  it('sends a file past the longest string V8 makes (512 MiB), read line by line', async () => {
    await inFolder({}, async (dir) => {
      // Blank lines of a MiB each between two events: past what one string holds, read fast.
      const blank = Buffer.alloc(2 ** 20, ' ');
      blank[blank.length - 1] = 0x0a;
      const fd = openSync(path.join(dir, 'big.jsonl'), 'w');
      writeSync(fd, `${event('first')}\n`);
      for (let written = 0; written <= constants.MAX_STRING_LENGTH; written += blank.length) writeSync(fd, blank);
      writeSync(fd, `${event('last')}\n`);
      closeSync(fd);
      const res = await withStubServer(accepting, async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '-f', 'big.jsonl'], { cwd: dir })), requests }));
      expect({ code: res.code, out: res.out, err: res.err }).toEqual({ code: ExitCode.ok, out: '2 accepted, 0 duplicate(s)\n', err: '' });
      expect(res.requests.flatMap((r) => (JSON.parse(r.body) as { events: Array<{ id: string }> }).events.map((e) => e.id))).toEqual(['first', 'last']);
    });
  }, 120_000);

  it('refuses a line longer than any event Kairos takes, at its line, and sends nothing (exit 1)', async () => {
    const huge = JSON.stringify({ id: 'h', type: 't', userId: 'u', properties: { note: 'x'.repeat(17 * 2 ** 20) } });
    const res = await send(['--file', 'big.jsonl'], { files: { 'big.jsonl': `${event('a')}\n${huge}\n${event('b')}\n` } });
    expect({ code: res.code, requests: res.requests.length, out: res.out }).toEqual({ code: ExitCode.failure, requests: 0, out: '' });
    expect(res.err).toBe('big.jsonl:2 the line is more than 16 MiB, more than any event Kairos takes (its properties are at most 1 MiB): is the file JSON lines, one event a line?\n');
  });

  it('checks every line before the first batch goes: a bad line after several batches sends nothing', async () => {
    const res = await send(['--file', 'o.jsonl', '--batch', '1'], { files: { 'o.jsonl': `${event('a')}\n${event('b')}\n{"id":\n${event('c')}\n` } });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toMatch(/^o\.jsonl:3 not JSON: /);
  });

  it('says the first 1,000 broken lines one by one and counts the rest, rather than holding them all', async () => {
    const res = await send(['--file', 'o.jsonl'], { files: { 'o.jsonl': 'not json\n'.repeat(1_002) } });
    const lines = res.err.split('\n');
    expect({ code: res.code, requests: res.requests.length, said: lines.length }).toEqual({ code: ExitCode.failure, requests: 0, said: 1_002 });
    expect(lines[999]).toMatch(/^o\.jsonl:1000 not JSON: /);
    expect(lines[1_000]).toBe('o.jsonl: 2 more line(s) with problems; nothing was sent');
  });

  it('refuses a line that is JSON but no event (not an object) before anything is sent', async () => {
    const res = await send(['--file', 'o.jsonl', '--batch', '1'], { files: { 'o.jsonl': `${event('a')}\n["b"]\n` } });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toBe('o.jsonl:2 not an event: each line is one JSON object ({"id": ..., "type": ..., "userId": ...}), this one is a list\n');
  });

  it('reads a pipe named as the file (-f <(producer)) once, as stdin is', async () => {
    const { execFileSync, spawn } = await import('node:child_process');
    await inFolder({}, async (dir) => {
      const fifo = path.join(dir, 'events.fifo');
      execFileSync('mkfifo', [fifo]);
      const producer = spawn('sh', ['-c', `printf '%s\\n%s\\n' '${event('a')}' '${event('b')}' > "$0"`, fifo]);
      const done = new Promise((r) => producer.on('exit', r));
      const res = await withStubServer(accepting, (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '-f', 'events.fifo'], { cwd: dir, env: { TMPDIR: dir } }));
      await done;
      expect({ code: res.code, out: res.out, err: res.err }).toEqual({ code: ExitCode.ok, out: '2 accepted, 0 duplicate(s)\n', err: '' });
    });
  });

  it('says a file that is not there, or a folder, as other commands do (exit 2)', async () => {
    const missing = await send(['--file', 'missing.jsonl']);
    expect({ code: missing.code, err: missing.err }).toEqual({ code: ExitCode.usage, err: 'kairos: missing.jsonl: no such file\n' });
    const folder = await send(['--file', '.']);
    expect({ code: folder.code, err: folder.err }).toEqual({ code: ExitCode.usage, err: 'kairos: .: is a folder; name a file\n' });
  });

  it('stops at a line that changed after it was checked, saying how many went before it (exit 1)', async () => {
    // Lines of 1,000 bytes: the file is read in chunks of a MiB, so line 3,000 is read well after the first batch went.
    const line = (i: number) => {
      const text = JSON.stringify({ id: `e-${i}`, type: 't', userId: 'u', properties: { note: '' } });
      return `${text.slice(0, -3)}${'x'.repeat(999 - text.length)}"}}\n`;
    };
    await inFolder({ 'o.jsonl': Array.from({ length: 3_500 }, (_, i) => line(i + 1)).join('') }, async (dir) => {
      const file = path.join(dir, 'o.jsonl');
      let requests = 0;
      const fd = openSync(file, 'r+');
      try {
        const res = await withStubServer(
          (req) => {
            // Something writes the file once the first batch went: line 3,000 (as long as before) is no JSON any more.
            if (++requests === 1) writeSync(fd, `{"id":${'x'.repeat(993)}\n`, 2_999 * 1_000);
            return accepting(req);
          },
          (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '-f', 'o.jsonl'], { cwd: dir }),
        );
        expect(res.code).toBe(ExitCode.failure);
        expect(res.err).toMatch(/^stopped: 2500 of 3500 event\(s\) sent before line 3000, which changed after it was checked\nkairos: o\.jsonl:3000 changed after it was checked \(not JSON: .*\): send the file again once nothing writes to it; the events already sent count once, by their id\n$/);
      } finally {
        closeSync(fd);
      }
    });
  });

  // Review 55 (CLI), finding 2: a file truncated, blanked or rewritten into other events after the check is not sent as it now reads.
  describe('a file that changed after the check in other ways', () => {
    // Lines of 1,024 bytes: a chunk of a MiB ends at a line's end, so a file truncated under the sending ends cleanly there.
    const line = (i: number, id = `e-${i}`) => {
      const text = JSON.stringify({ id, type: 't', userId: 'u', properties: { note: '' } });
      return `${text.slice(0, -3)}${'x'.repeat(1_023 - text.length)}"}}\n`;
    };
    const sendChanging = (change: (fd: number) => void) =>
      inFolder({ 'o.jsonl': Array.from({ length: 3_500 }, (_, i) => line(i + 1)).join('') }, async (dir) => {
        const fd = openSync(path.join(dir, 'o.jsonl'), 'r+');
        let requests = 0;
        try {
          return await withStubServer(
            (req) => {
              if (++requests === 1) change(fd);
              return accepting(req);
            },
            async (url, sent) => {
              const res = await runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '-f', 'o.jsonl'], { cwd: dir });
              return { ...res, ids: sent.flatMap((r) => (JSON.parse(r.body) as { events: Array<{ id: string }> }).events.map((e) => e.id)) };
            },
          );
        } finally {
          closeSync(fd);
        }
      });

    it('stops where a file truncated meanwhile ends, saying how many went (exit 1), not "accepted" with exit 0', async () => {
      const res = await sendChanging((fd) => ftruncateSync(fd, 0));
      expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.failure, out: '' });
      expect(res.err).toBe(
        'stopped: 1000 of 3500 event(s) sent before line 1025, which changed after it was checked\n' +
          'kairos: o.jsonl:1025 changed after it was checked (the file ends, or holds fewer events, before it): send the file again once nothing writes to it; the events already sent count once, by their id\n',
      );
      expect(res.ids.length).toBe(1_000);
    });

    it('stops at a line rewritten into another event (same length, another id), which is never sent', async () => {
      const res = await sendChanging((fd) => writeSync(fd, line(3_000, 'e-new'), 2_999 * 1_024));
      expect(res.code).toBe(ExitCode.failure);
      expect(res.err).toMatch(/^stopped: 2500 of 3500 event\(s\) sent before line 3000, which changed after it was checked\nkairos: o\.jsonl:3000 changed after it was checked \(another event, or none, now\)/);
      expect(res.ids).not.toContain('e-new');
    });

    it('stops at a line blanked meanwhile, rather than skipping its event', async () => {
      const res = await sendChanging((fd) => writeSync(fd, `${' '.repeat(1_023)}\n`, 2_999 * 1_024));
      expect(res.code).toBe(ExitCode.failure);
      expect(res.err).toMatch(/^stopped: 2500 of 3500 event\(s\) sent before line 3000, which changed after it was checked\n/);
    });
  });

  it('copies stdin to a temporary file, removed before anything is sent (read through the open file), also when Kairos refuses', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'kairos-cli-spool-'));
    try {
      const seen: string[][] = [];
      const spooling = (answer: (req: StubRequest) => StubAnswer) => (req: StubRequest) => {
        seen.push(readdirSync(tmp));
        return answer(req);
      };
      const stdin = `${event('a')}\n${event('b')}\n`;
      const sent = await withStubServer(spooling(accepting), (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '-f', '-'], { stdin, env: { TMPDIR: tmp } }));
      expect({ code: sent.code, out: sent.out }).toEqual({ code: ExitCode.ok, out: '2 accepted, 0 duplicate(s)\n' });
      // Review 52 diff, finding 1: nothing of it is left in TMPDIR for a signal or a kill to leave behind.
      expect(seen).toEqual([[]]);
      expect(readdirSync(tmp)).toEqual([]);
      const refusing = () => ({ status: 400, body: kairosError('invalid_request', 'Invalid.', [{ path: 'events[0].userId', message: 'too long' }]) });
      const refused = await withStubServer(spooling(refusing), (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '-f', '-'], { stdin, env: { TMPDIR: tmp } }));
      expect({ code: refused.code, err: refused.err }).toEqual({ code: ExitCode.failure, err: '(stdin):1 userId too long\nstopped: 0 of 2 event(s) sent before the refused batch\n' });
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('events send -f -: the copy of stdin never stays behind (review 52 diff, finding 1)', () => {
  const line = (i: number) => `${JSON.stringify({ id: `e-${i}`, type: 't', userId: 'u', properties: {} })}\n`;

  it.each([['SIGINT'], ['SIGTERM'], ['SIGHUP']] as const)('is removed when %s interrupts the copying, and the command ends by that signal', async (signal) => {
    await inFolder({}, async (tmp) => {
      const home = mkdtempSync(path.join(tmpdir(), 'kairos-cli-home-'));
      try {
        const child = spawnKairos(['--url', 'http://kairos.invalid', '--api-key', 'k', 'events', 'send', '-f', '-'], { home, env: { TMPDIR: tmp } });
        const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, by) => resolve({ code, signal: by })));
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        // Stdin stays open: the producer is still writing when the signal comes.
        child.stdin.write(Array.from({ length: 1_000 }, (_, i) => line(i)).join(''));
        const copy = await copyingIn(tmp);
        expect(readdirSync(path.join(tmp, copy))).toEqual(['events.jsonl']);
        child.kill(signal);
        expect({ ...(await ended), stderr }).toEqual({ code: null, signal, stderr: '' });
        expect(readdirSync(tmp)).toEqual([]);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }, 30_000);
});

/** The name of the folder the CLI copies stdin into under `tmp`, once its copy holds something. */
async function copyingIn(tmp: string): Promise<string> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const folder = readdirSync(tmp).find((name) => name.startsWith('kairos-events-'));
    if (folder && readdirSync(path.join(tmp, folder)).some((name) => statSync(path.join(tmp, folder, name)).size > 0)) return folder;
  }
  throw new Error(`no kairos-events-* folder with a copy in it appeared in ${tmp}`);
}

// Review 55 (CLI), finding 3: `--properties "$PROPS"` with PROPS unset is no JSON object; sent as {}, the event would stand under its --id.
describe('events send --properties ""', () => {
  it('is a usage error naming the flag (exit 2), and nothing is sent', async () => {
    const res = await send(['--type', 't', '--user', 'u', '--id', 'o1', '--properties', '']);
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.usage, requests: 0 });
    expect(res.err).toMatch(/^kairos: --properties: /);
  });
});

// Review 55 (CLI), finding 4: a 2xx that cannot be read took the event too, under an id made up for this send.
describe('events send: one event whose 2xx answer cannot be read', () => {
  it.each([
    ['JSON without the fields it reads', { status: 202, body: { ok: true } }],
    ['no JSON', { status: 202, body: 'Accepted' }],
  ] as const)('says the id it went under, to send it again with (exit 3): %s', async (_what, answer) => {
    const res = await withStubServer(
      () => answer,
      (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '--type', 't', '--user', 'u']),
    );
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toMatch(/; this event went as id (cli-[0-9a-f-]+): sent again with --id \1, it is counted once whatever became of this one\n$/);
  });
});

// Review 59 (CLI), finding 1: Kairos's own 5xx may come after the COMMIT (the connection to PostgreSQL broke as it was
// acknowledged), so the event may be stored under an id made up for this send; "retry" without it would store a second.
describe("events send: one event answered with Kairos's own 5xx", () => {
  const sendAnswered = (answer: StubAnswer, extra: string[] = []) =>
    withStubServer(
      () => answer,
      (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '--type', 't', '--user', 'u', ...extra]),
    );

  it.each([
    ['503 postgres_unavailable', { status: 503, body: kairosError('postgres_unavailable', 'PostgreSQL is not reachable; retry after Retry-After seconds.'), headers: { 'retry-after': '5' } }],
    ['500 internal', { status: 500, body: kairosError('internal', 'Internal error.') }],
  ] as const)('%s: says the id it went under, to send it again with (exit 3)', async (_what, answer) => {
    const res = await sendAnswered(answer);
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toMatch(/this event went as id (cli-[0-9a-f-]+): sent again with --id \1/);
  });

  it('says "retry in 5 s" too, and the id given with --id', async () => {
    const res = await sendAnswered({ status: 503, body: kairosError('postgres_unavailable', 'PostgreSQL is not reachable; retry after Retry-After seconds.'), headers: { 'retry-after': '5' } }, ['--id', 'o-1']);
    expect({ code: res.code, err: res.err }).toEqual({
      code: ExitCode.unreachable,
      err: 'kairos: PostgreSQL is not reachable; retry in 5 s.; this event went as id o-1: sent again with --id o-1, it is counted once whatever became of this one\n',
    });
  });

  it('conflict_retry, which says nothing was stored, and a refusal (4xx) name no id', async () => {
    const conflict = await sendAnswered({ status: 503, body: kairosError('conflict_retry', 'PostgreSQL stopped this request; nothing of it was stored: send it again.'), headers: { 'retry-after': '1' } });
    expect(conflict.code).toBe(ExitCode.unreachable);
    expect(conflict.err).not.toMatch(/went as id/);
    const refused = await sendAnswered({ status: 400, body: kairosError('invalid_request', 'Invalid events.', [{ path: 'events[0].type', message: 'too long' }]) });
    expect({ code: refused.code, err: refused.err }).toEqual({ code: ExitCode.failure, err: '--type: too long\n' });
  });
});

// Review 59 (CLI), finding 7: a property given with --prop was refused under the name of --properties, a flag not given.
describe('events send: a refused property is named by the flag it was given with', () => {
  const refusedAt = (details: Array<{ path: string; message: string }>, args: string[]) =>
    withStubServer(
      () => ({ status: 413, body: kairosError('payload_too_large', 'An event is too large.', details) }),
      (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '--type', 't', '--user', 'u', '--id', 'e1', ...args]),
    );

  it('the whole properties, given with --prop only: --prop', async () => {
    const res = await refusedAt([{ path: 'events[0].properties', message: 'is 1.5 MB; at most 1 MiB' }], ['--prop', 'note=x']);
    expect(res.code).toBe(ExitCode.failure);
    expect(res.err).not.toMatch(/--properties/);
    expect(res.err).toBe('--prop: is 1.5 MB; at most 1 MiB\n');
  });

  it('one property given with --prop: --prop and its key', async () => {
    const res = await refusedAt([{ path: 'events[0].properties.note', message: 'too long' }, { path: 'events[0].properties.cart.items', message: 'too many' }], ['--prop', 'note=x', '--prop', 'cart={"items":[]}']);
    expect(res.err).toBe('--prop note: too long\n--prop cart (properties.cart.items): too many\n');
  });

  it('one property given with --properties stays under --properties; the whole, given with both, names both', async () => {
    const one = await refusedAt([{ path: 'events[0].properties.note', message: 'too long' }], ['--properties', '{"note":"x"}', '--prop', 'a=1']);
    expect(one.err).toBe('--properties (properties.note): too long\n');
    const whole = await refusedAt([{ path: 'events[0].properties', message: 'too large' }], ['--properties', '{"note":"x"}', '--prop', 'a=1']);
    expect(whole.err).toBe('--properties and --prop: too large\n');
  });
});

// Review 59 (CLI), finding 5: a UTF-16 file (Windows PowerShell 5's `>` and Out-File) was told to convert from cp1252.
describe('events send: a UTF-16 file', () => {
  const event = '{"id":"e1","type":"t","userId":"u"}\n{"id":"e2","type":"t","userId":"u"}\n';

  it.each([
    ['UTF-16LE with its BOM (PowerShell 5)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(event, 'utf16le')]), /iconv -f utf-16 -t utf-8/],
    ['UTF-16BE with its BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(event, 'utf16le').swap16()]), /iconv -f utf-16 -t utf-8/],
    ['UTF-16LE without a BOM', Buffer.from(event, 'utf16le'), /iconv -f utf-16le -t utf-8/],
  ])('%s: says it is UTF-16 and how to save it as UTF-8 (exit 1), and sends nothing', async (_what, file, iconv) => {
    const res = await send(['--file', 'orders.jsonl'], { files: { 'orders.jsonl': file } });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toMatch(/^orders\.jsonl:1:1 .*UTF-16.*Out-File -Encoding utf8/);
    expect(res.err).toMatch(iconv);
    expect(res.err).not.toMatch(/cp1252|not JSON/);
    expect(res.err.split('\n')).toHaveLength(2);
  });

  it('on stdin too', async () => {
    const res = await send(['--file', '-'], { stdin: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(event, 'utf16le')]) });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toMatch(/^\(stdin\):1:1 .*UTF-16/);
  });
});

// Review 61 (CLI), finding 2: a connection setting was checked at the first batch, once the whole input was read (or
// stdin copied), and the usage error came after a `stopped: ... it may have been stored` line though nothing was sent.
describe('events send -f: a connection setting the CLI cannot use', () => {
  const event = '{"id":"ord-1","type":"order.completed","userId":"u","properties":{}}\n';

  it('is the usage error alone (exit 2), before the file is read, with no stopped: line', async () => {
    const res = await inFolder({ 'ev.jsonl': event }, (dir) => runKairos(['--url', 'localhost:3000', 'events', 'send', '-f', 'ev.jsonl'], { cwd: dir }));
    expect(res).toEqual({
      code: ExitCode.usage,
      out: '',
      err: 'kairos: localhost:3000 (from --url) is not an http:// or https:// URL, which Kairos answers at: write it in full, e.g. http://localhost:3000\n',
    });
  });

  it('does not wait for stdin to end: a --timeout that is no number settles at once (exit 2)', async () => {
    const stdin = new PassThrough();
    stdin.write(event);
    try {
      const res = await runKairos(['--url', 'http://127.0.0.1:1', '--api-key', 'k', '--timeout', 'abc', 'events', 'send', '-f', '-'], { stdin });
      expect(res).toEqual({ code: ExitCode.usage, out: '', err: 'kairos: --timeout: expected seconds from 0 (no limit) to 86400, got "abc"\n' });
    } finally {
      stdin.end();
    }
  });
});

// Review 63 (CLI), finding 3: Kairos's own 5xx on a batch (postgres_unavailable as the COMMIT was acknowledged, a 500) may
// come after the batch was stored, where a script resuming from "N sent" would take it as not sent.
describe("events send -f: a batch answered with Kairos's own 5xx may have been stored", () => {
  const three = ['a', 'b', 'c'].map((id) => JSON.stringify({ id, type: 't', userId: 'u' })).join('\n');
  const secondAnswered = (answer: StubAnswer) => {
    let posts = 0;
    return inFolder({ 'orders.jsonl': three }, (dir) =>
      withStubServer(
        (req) => (++posts === 1 ? accepting(req) : answer),
        (url) => runKairos(['--url', url, '--api-key', 'k', 'events', 'send', '-f', 'orders.jsonl', '--batch', '1'], { cwd: dir }),
      ),
    );
  };

  it.each([
    ['503 postgres_unavailable', { status: 503, body: kairosError('postgres_unavailable', 'PostgreSQL is not reachable; retry after Retry-After seconds.'), headers: { 'retry-after': '5' } }],
    ['500 internal', { status: 500, body: kairosError('internal', 'Internal error.') }],
  ] as const)('%s: the stopped line says so (exit 3)', async (_what, answer) => {
    const res = await secondAnswered(answer);
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toMatch(/^stopped: 1 of 3 event\(s\) sent before the batch Kairos answered with its own failure \(it may have been stored: sending the same events again is safe, as each counts once by its id\)\nkairos: /);
  });

  it('conflict_retry, which says nothing was stored, is still the failed batch', async () => {
    const res = await secondAnswered({ status: 503, body: kairosError('conflict_retry', 'PostgreSQL stopped this request; nothing of it was stored: send it again.'), headers: { 'retry-after': '1' } });
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toMatch(/^stopped: 1 of 3 event\(s\) sent before the failed batch\n/);
  });
});

// Review 63 (CLI), finding 6: a byte that is not UTF-8 was the only problem said, those found on lines before it dropped.
describe('events send -f: a byte that is not UTF-8 after other problems', () => {
  it('says the problems of the lines before it, then the byte, and sends nothing (exit 1)', async () => {
    const file = Buffer.concat([Buffer.from('{"id":\n{"id":"a","type":"t","userId":"u"}\n'), Buffer.from([0x7b, 0xfc, 0x7d, 0x0a]), Buffer.from('{"id":\n')]);
    const res = await send(['--file', 'orders.jsonl'], { files: { 'orders.jsonl': file } });
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
    expect(res.err).toMatch(/^orders\.jsonl:1 not JSON: .*\norders\.jsonl:3:2 byte 0xFC is not UTF-8 .*; nothing was sent\n$/);
  });
});
