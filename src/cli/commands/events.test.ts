import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExitCode } from '../exit-codes';
import { runKairos, withStubServer, type StubRequest } from '../test-support';

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
