import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ExitCode } from './exit-codes';
import { runCli } from './program';
import { kairosError, runKairos, withStubServer, type StubAnswer, type StubRequest } from './test-support';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t), stdin: Readable.from(['']), env: {}, cwd: process.cwd(), home: process.cwd() };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('kairos --version', () => {
  const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };

  it.each([['--version'], ['-V']])('%s prints the version of package.json and exits 0 without calling the server', async (flag) => {
    expect(await run([flag])).toEqual({ code: ExitCode.ok, out: `${version}\n`, err: '' });
  });

  it('prints the version beside global options too, without calling the server', async () => {
    for (const argv of [['--profile', 'prod', '--version'], ['--url=http://127.0.0.1:1', '-V'], ['--json', '--api-key', 'k', '--version']]) {
      expect({ argv, ...(await run(argv)) }).toEqual({ argv, code: ExitCode.ok, out: `${version}\n`, err: '' });
    }
    // A command with it is the command's (funnel's --version <n>), not the CLI's.
    expect((await run(['--profile', 'prod', 'funnel', 'x', '--version'])).out).not.toBe(`${version}\n`);
  });

  it('says so in the help', async () => {
    expect((await run(['--help'])).out).toContain("`kairos --version` (or -V) prints the CLI's version.");
  });

  it("leaves the subcommands' own --version <n> to them", async () => {
    const funnel = await run(['funnel', 'some-campaign', '--version', 'x']);
    expect({ code: funnel.code, err: funnel.err }).toEqual({ code: ExitCode.usage, err: expect.stringContaining("option '--version <n>' argument 'x' is invalid") });
  });
});

describe('an answer that is not what Kairos sends (cli probe)', () => {
  /** A server on loopback answering 200 `{"hello":1}` to everything, as another service on the port would. */
  async function withWrongServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":1}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      return await fn(`http://127.0.0.1:${port}`);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }

  it('is not Kairos (exit 3), neither "cannot reach" nor, for apply, a success', async () => {
    await withWrongServer(async (url) => {
      const listed = await run(['--url', url, '--api-key', 'k', 'campaigns', 'list']);
      expect({ code: listed.code, err: listed.err }).toEqual({ code: ExitCode.unreachable, err: expect.stringMatching(/^kairos: http:\/\/127\.0\.0\.1:\d+ answered something this CLI cannot read \(.*\): is it the Kairos API, as new as this CLI\?(; this top-up carried no --id, so sending it again may add it twice: .*|; this event went as id cli-[0-9a-f-]+: sent again with --id cli-[0-9a-f-]+, it is counted once whatever became of this one)?\n$/) });
      const file = path.join(__dirname, '..', '..', 'examples', 'campaigns');
      const applied = await run(['--url', url, '--api-key', 'k', 'campaigns', 'apply', file]);
      expect(applied.code).toBe(ExitCode.unreachable);
      expect(applied.out).not.toMatch(/vundefined|created|new version/);
    });
  });

  it('a 404 without an error body is not Kairos (exit 3), and a 429 is Kairos unavailable for now (exit 3)', async () => {
    const { createServer } = await import('node:http');
    for (const [status, body, said] of [
      [404, '', /answered 404 without Kairos's error body: is it the Kairos API/],
      [429, JSON.stringify({ error: { code: 'too_many_requests', message: 'Slow down.', details: [] } }), /Slow down\./],
    ] as const) {
      const server = createServer((_req, res) => res.writeHead(status, body ? { 'content-type': 'application/json' } : {}).end(body));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const { port } = server.address() as { port: number };
        const res = await run(['--url', `http://127.0.0.1:${port}`, '--api-key', 'k', 'campaigns', 'list']);
        expect({ status, code: res.code, err: res.err }).toEqual({ status, code: ExitCode.unreachable, err: expect.stringMatching(said) });
      } finally {
        await new Promise((r) => server.close(r));
      }
    }
  });

  it('a 404 without an error body is not taken for "no such pool" or "no running journey": what names a thing says it is not Kairos (exit 3)', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      for (const command of [['pools', 'show', 'p'], ['pools', 'top-up', 'p', '--budget', '5'], ['journeys', 'retry', 'c', 'u'], ['templates', 'show', 't']]) {
        const res = await run(['--url', `http://127.0.0.1:${port}`, '--api-key', 'k', ...command]);
        expect({ command, code: res.code, err: res.err }).toEqual({ command, code: ExitCode.unreachable, err: expect.stringMatching(/answered (404 without Kairos's error body|with something other than Kairos's JSON): is it the Kairos API/) });
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  describe('a write answered 2xx with something that is not what Kairos answers it (review 49, finding 1)', () => {
    /** Every write command that prints an outcome, each answered by the server alone. */
    const writes = (sourceFile: string): string[][] => [
      ['pools', 'create', '--key', 'p', '--kind', 'points', '--budget', '5'],
      ['pools', 'top-up', 'p', '--budget', '5'],
      ['events', 'send', '--type', 't', '--user', 'u'],
      ['events', 'cancel', 'ord-1', '--reason', 'refund'],
      ['journeys', 'exit', 'c', 'u-1'],
      ['journeys', 'retry', 'c', 'u-1'],
      ['journeys', 'skip', 'c', 'u-1'],
      ['campaigns', 'activate', 'k'],
      ['campaigns', 'pause', 'k'],
      ['campaigns', 'archive', 'k'],
      ['sources', 'apply', sourceFile],
      ['sources', 'delete', 'k'],
    ];

    /** Runs each write against `url`: each must end exit 3 with nothing on stdout (no "created", no "undefined"). */
    async function expectNoneDone(url: string, said: RegExp): Promise<void> {
      const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-wrong-'));
      try {
        const sourceFile = path.join(dir, 'shop.yaml');
        writeFileSync(sourceFile, 'key: shop-orders\nbroker: nats\nstream: ORDERS\nsubject: orders.paid\nmapping:\n  type: { const: order.completed }\n  userId: uid\n');
        for (const command of writes(sourceFile)) {
          const res = await run(['--url', url, '--api-key', 'k', ...command]);
          expect({ command, code: res.code, out: res.out, err: res.err }).toEqual({ command, code: ExitCode.unreachable, out: '', err: expect.stringMatching(said) as string });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    it('JSON without the fields Kairos sends: exit 3 before anything is printed', async () => {
      await withWrongServer((url) => expectNoneDone(url, /^kairos: http:\/\/127\.0\.0\.1:\d+ answered something this CLI cannot read \(.*\): is it the Kairos API, as new as this CLI\?(; this top-up carried no --id, so sending it again may add it twice: .*|; this event went as id cli-[0-9a-f-]+: sent again with --id cli-[0-9a-f-]+, it is counted once whatever became of this one)?\n$/));
    });

    it('no body at all (204): exit 3, not Kairos', async () => {
      const { createServer } = await import('node:http');
      const server = createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(204).end());
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        await expectNoneDone(`http://127.0.0.1:${(server.address() as { port: number }).port}`, /^kairos: http:\/\/127\.0\.0\.1:\d+ answered with something other than Kairos's JSON: is it the Kairos API/);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });
  });

  it('a refused connection is still "cannot reach" (exit 3)', async () => {
    // A port nothing listens on any more.
    const port = await withWrongServer(async (url) => new URL(url).port);
    const refused = await run(['--url', `http://127.0.0.1:${port}`, '--api-key', 'k', 'campaigns', 'list']);
    expect({ code: refused.code, err: refused.err }).toEqual({ code: ExitCode.unreachable, err: expect.stringMatching(/^kairos: cannot reach Kairos at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/) });
  });
});

describe('a request that reached Kairos, or may have, with no answer to read (review 49, finding 3)', () => {
  interface Seen {
    idempotencyKey?: string;
    body: string;
  }

  /** Runs `fn` with the URL of a loopback server that reads each request whole, then does `end` with it, and what it was sent. */
  async function withServer(end: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void, fn: (url: string, seen: Seen[]) => Promise<void>): Promise<void> {
    const { createServer } = await import('node:http');
    const seen: Seen[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ idempotencyKey: req.headers['idempotency-key'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') });
        end(req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await fn(`http://127.0.0.1:${(server.address() as { port: number }).port}`, seen);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }

  const ends = [
    // Kairos restarting after it did the work: the connection drops before an answer.
    ['a connection that breaks after the request is read', (req: import('node:http').IncomingMessage) => req.socket.destroy()],
    // nginx in front of Kairos, which did not answer it in time.
    ['a gateway answering 504 with its own page', (_req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => res.writeHead(504, { 'content-type': 'text/html' }).end('<html><body><h1>504 Gateway Time-out</h1></body></html>')],
    // Envoy (Istio) once the pod it forwarded the request to stopped before answering (review 52, finding 1).
    [
      "Envoy's 503 after the pod it forwarded to went away",
      (_req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) =>
        res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream connect error or disconnect/reset before headers. reset reason: connection termination'),
    ],
    // Cloudflare: the origin took the request and did not answer within 100 s.
    ["Cloudflare's 524", (_req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => res.writeHead(524).end('<html>524</html>')],
  ] as const;

  it.each(ends)('%s: journeys skip prints the command that sends the same skip again under its key, exit 3', async (_name, end) => {
    await withServer(end, async (url, seen) => {
      const res = await run(['--url', url, '--api-key', 'k', 'journeys', 'skip', 'c', 'u']);
      expect(res.code).toBe(ExitCode.unreachable);
      expect(seen[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.err).toContain('may still take effect');
      expect(res.err).toContain(`; to send the same skip again, carried out once whatever became of this one: kairos journeys skip c u --idempotency-key ${String(seen[0].idempotencyKey)}\n`);
    });
  });

  it.each(ends)('%s: events send says the event may still take effect, and the id that sends it again counted once, exit 3', async (_name, end) => {
    await withServer(end, async (url, seen) => {
      const res = await run(['--url', url, '--api-key', 'k', 'events', 'send', '--type', 't', '--user', 'u']);
      const { id } = (JSON.parse(seen[0].body) as { events: Array<{ id: string }> }).events[0];
      expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.unreachable, out: '' });
      expect(res.err).toContain('what was sent may still take effect there');
      expect(res.err).not.toMatch(/cannot reach|is it running|is it the Kairos API/);
      expect(res.err).toContain(`; this event went as id ${id}: sent again with --id ${id}, it is counted once whatever became of this one\n`);
    });
  });

  it.each(ends)('%s: pools top-up says it may still take effect, and how to look (no --id) or send it again (--id), exit 3', async (_name, end) => {
    await withServer(end, async (url) => {
      const plain = await run(['--url', url, '--api-key', 'k', 'pools', 'top-up', 'p', '--budget', '5']);
      expect({ code: plain.code, out: plain.out }).toEqual({ code: ExitCode.unreachable, out: '' });
      expect(plain.err).toContain('what was sent may still take effect there');
      expect(plain.err).not.toMatch(/cannot reach|is it running|is it the Kairos API/);
      expect(plain.err).toContain('; this top-up carried no --id, so sending it again may add it twice: `kairos pools show p` lists the newest top-ups; give --id next time\n');
      const named = await run(['--url', url, '--api-key', 'k', 'pools', 'top-up', 'p', '--budget', '5', '--id', 'restock-1']);
      expect({ code: named.code, out: named.out }).toEqual({ code: ExitCode.unreachable, out: '' });
      expect(named.err).toContain('; sent again with --id restock-1, the top-up adds nothing twice\n');
    });
  });
});

describe('journeys retry and skip under an Idempotency-Key', () => {
  it('sends a new key, and after a decision Kairos took but could not answer for, prints the command that sends it again under that key', async () => {
    const { createServer } = await import('node:http');
    const seen: Array<string | string[] | undefined> = [];
    const pending = JSON.stringify({ error: { code: 'decision_pending', message: 'The retry was handed to journey:c:u-1, which did not answer within 10 s.', details: [] } });
    const server = createServer((req, res) => {
      seen.push(req.headers['idempotency-key']);
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end(pending);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const first = await run(['--url', url, '--api-key', 'k', 'journeys', 'retry', 'c', 'u-1', '--step', "o'clock"]);
      expect(seen[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect({ code: first.code, err: first.err }).toEqual({
        code: ExitCode.unreachable,
        err: `kairos: The retry was handed to journey:c:u-1, which did not answer within 10 s.; to send the same retry again, carried out once whatever became of this one: kairos journeys retry c u-1 --step 'o'\\''clock' --idempotency-key ${String(seen[0])}\n`,
      });
      await run(['--url', url, '--api-key', 'k', 'journeys', 'skip', 'c', 'u-1', '--idempotency-key', 'given-key']);
      await run(['--url', url, '--api-key', 'k', 'journeys', 'skip', 'c', 'u-1']);
      expect(seen[1]).toBe('given-key');
      expect(seen[2]).not.toBe(seen[0]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('a server that accepts and never answers', () => {
  /** A server on loopback that reads each request and never answers it. */
  async function withSilentServer(fn: (url: string) => Promise<void>): Promise<void> {
    const { createServer } = await import('node:http');
    const server = createServer((req) => req.resume());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await fn(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }

  it('gives up after --timeout (or KAIROS_TIMEOUT) seconds: exit 3, saying what was sent may still take effect', async () => {
    await withSilentServer(async (url) => {
      const listed = await run(['--url', url, '--api-key', 'k', '--timeout', '0.3', 'campaigns', 'list']);
      expect({ code: listed.code, err: listed.err }).toEqual({
        code: ExitCode.unreachable,
        err: `kairos: Kairos at ${url} did not answer within 0.3 s; what was sent may still take effect there, so look before sending it again unless it carried its id (--timeout or KAIROS_TIMEOUT waits longer; 0 waits as long as it takes)\n`,
      });
      let err = '';
      const io = { stdout: () => undefined, stderr: (t: string) => (err += t), stdin: Readable.from(['']), env: { KAIROS_TIMEOUT: '0.2' }, cwd: process.cwd(), home: process.cwd() };
      expect(await runCli(['--url', url, '--api-key', 'k', 'events', 'cancel', 'e1', '--reason', 'refund'], io)).toBe(ExitCode.unreachable);
      expect(err).toMatch(/did not answer within 0.2 s/);
    });
  });

  it('refuses a timeout that is not a number of seconds up to a day, before sending anything (exit 2)', async () => {
    for (const bad of ['-1', 'soon', '1e3', '86401', '']) {
      const res = await run(['--url', 'http://127.0.0.1:1', '--api-key', 'k', `--timeout=${bad}`, 'campaigns', 'list']);
      expect({ bad, code: res.code, err: res.err }).toEqual({ bad, code: ExitCode.usage, err: `kairos: --timeout: expected seconds from 0 (no limit) to 86400, got "${bad}"\n` });
    }
    // 0 sets no limit: the refused connection is what ends it here.
    expect((await run(['--url', 'http://127.0.0.1:1', '--api-key', 'k', '--timeout', '0', 'campaigns', 'list'])).err).toMatch(/cannot reach Kairos/);
  });
});

describe('a campaign file larger than any Kairos takes (cli probe)', () => {
  it('is refused before it is read or sent: validate and apply say its size, exit 1', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-big-'));
    try {
      const file = path.join(dir, 'big.yaml');
      writeFileSync(file, `key: big\nname: Big\nnotes: "${'x'.repeat(3 * 1024 * 1024)}"\n`);
      // A port nobody listens on: had the file been read and sent, this would be exit 3, "cannot reach".
      for (const command of ['validate', 'apply']) {
        const result = await run(['--url', 'http://127.0.0.1:1', '--api-key', 'k', 'campaigns', command, file]);
        expect({ code: result.code, err: result.err }).toEqual({
          code: ExitCode.failure,
          err: expect.stringContaining(`${file}:1:1 (document) the file is 3.0 MB: no Kairos takes a campaign over 1 MB (MAX_CAMPAIGN_BYTES, 512 KB by default), so it was not read\n`),
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('arguments Kairos could never take (cli probe)', () => {
  // A port nobody listens on: had anything been sent, these would be exit 3, "cannot reach".
  const offline = ['--url', 'http://127.0.0.1:1', '--api-key', 'k'];

  it('a key or id of "." or ".." is a usage error naming the argument; "." as a folder is still the current folder', async () => {
    const shown = await run([...offline, 'users', 'show', '..']);
    expect({ code: shown.code, err: shown.err.split('\n')[0] }).toEqual({ code: ExitCode.usage, err: 'error: <id> cannot be "..": Kairos takes no such key or id (URL paths drop those segments)' });
    expect((await run([...offline, 'events', 'cancel', '.', '--reason', 'refund'])).code).toBe(ExitCode.usage);
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const empty = mkdtempSync(path.join(tmpdir(), 'kairos-cli-dot-'));
    try {
      let err = '';
      const io = { stdout: () => undefined, stderr: (t: string) => (err += t), stdin: Readable.from(['']), env: {}, cwd: empty, home: empty };
      expect(await runCli([...offline, 'campaigns', 'validate', '.'], io)).toBe(ExitCode.usage);
      expect(err).toBe('kairos: no .yaml, .yml or .json files in .\n');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('an empty argument is a usage error naming it, before anything is sent', async () => {
    const res = await run([...offline, 'users', 'show', '']);
    expect({ code: res.code, err: res.err.split('\n')[0] }).toEqual({ code: ExitCode.usage, err: 'error: <id> must not be empty' });
  });

  // Review 61 (CLI), finding 5: `events send --user " "` stores a user of spaces (so can a file or a broker, and an event
  // id of spaces), which `users show`, `journeys show` and `events cancel` refused as empty.
  it('an id of spaces, which Kairos stores, is asked for as it is', async () => {
    const answer = (req: StubRequest): StubAnswer => {
      if (req.path.split('?')[0] === '/v1/users/%20/rewards') return { status: 200, body: { rewards: [], total: 0, balances: { points: '0', credit: {} } } };
      if (req.path === '/v1/users/%20/journeys') return { status: 200, body: { journeys: [], truncated: false } };
      if (req.path === '/v1/events/%20%20/cancel') return { status: 200, body: { alreadyCancelled: false, cancelledAt: '2026-12-01T09:00:00.000Z', reason: 'refund', userId: ' ' } };
      return { status: 404, body: kairosError('not_found', `No journey ${req.path}.`) };
    };
    await withStubServer(answer, async (url, requests) => {
      const shown = await runKairos(['--url', url, '--api-key', 'k', 'users', 'show', ' ']);
      expect({ code: shown.code, err: shown.err }).toEqual({ code: ExitCode.ok, err: '' });
      expect(shown.out).toContain('user  \n');
      const journey = await runKairos(['--url', url, '--api-key', 'k', 'journeys', 'show', 'c', ' ']);
      expect(journey).toMatchObject({ code: ExitCode.failure, err: 'kairos: no journey of   in c\n' });
      const cancelled = await runKairos(['--url', url, '--api-key', 'k', 'events', 'cancel', '  ', '--reason', 'refund']);
      expect({ code: cancelled.code, err: cancelled.err }).toEqual({ code: ExitCode.ok, err: '' });
      expect(requests.map((r) => `${r.method} ${r.path.split('?')[0]}`).sort()).toEqual(
        ['GET /v1/users/%20', 'GET /v1/users/%20/journeys', 'GET /v1/users/%20/rewards', 'GET /v1/journeys/c/%20', 'POST /v1/events/%20%20/cancel'].sort(),
      );
    });
  });

  it('a --set without name=value is a usage error before anything is sent, even with the server down', async () => {
    expect(await run([...offline, 'templates', 'render', 'welcome', '--set', 'amount'])).toEqual({ code: ExitCode.usage, out: '', err: 'kairos: --set takes name=value, e.g. --set remindAfter=P3D (got "amount")\n' });
  });

  // Review 57 (CLI), finding 2: commander kept the last of a flag given twice without a word.
  it('a --set naming a parameter twice is a usage error before anything is sent, as a --prop key given twice is', async () => {
    expect(await run([...offline, 'templates', 'render', 'welcome', '--set', 'days=3', '--set', 'days=30'])).toEqual({ code: ExitCode.usage, out: '', err: 'kairos: --set days: given twice; say it once\n' });
  });

  it.each([
    [['events', 'send', '--type', 't', '--user', 'u-1', '--user', 'u-2'], "--user <id>"],
    [['events', 'send', '--type', 't', '--user', 'u', '--properties', '{}', '--properties', '{"a":1}'], '--properties <json>'],
    [['campaigns', 'diff', 'c.yaml', '--version', '3', '--version', 'latest'], '--version <n|latest>'],
    [['campaigns', 'export', 'c', '-o', 'a.yaml', '--output', 'b.yaml'], '-o, --output <file>'],
    [['--timeout', '5', 'pools', 'list', '--timeout', '9'], '--timeout <seconds>'],
  ])('a flag that takes one value, given twice, is a usage error naming it before anything is sent: %j', async (argv, named) => {
    const res = await run([...offline, ...argv]);
    expect({ code: res.code, out: res.out, err: res.err.split('\n')[0] }).toEqual({ code: ExitCode.usage, out: '', err: `error: option '${named}' given twice: it takes one value, and the last would quietly replace the first; give it once` });
  });

  it('a --reason of spaces alone is a usage error before anything is sent', async () => {
    expect(await run([...offline, 'events', 'cancel', 'ev-1', '--reason', '   '])).toEqual({ code: ExitCode.usage, out: '', err: 'kairos: --reason: say why in words (it is kept with the cancel); spaces alone are no reason\n' });
    expect(await run([...offline, 'journeys', 'exit', 'welcome', 'u-1', '--reason', ' '])).toMatchObject({ code: ExitCode.usage, err: expect.stringContaining('--reason: say why in words, or leave the flag out') });
  });
});

describe('settings the CLI cannot send are usage errors, not Kairos failing (review 47, finding 6)', () => {
  it('a URL without its scheme, with a password, or a key no header carries: exit 2, the password never printed', async () => {
    const noScheme = await run(['--url', 'localhost:3000', 'campaigns', 'list']);
    expect({ code: noScheme.code, err: noScheme.err }).toEqual({ code: ExitCode.usage, err: 'kairos: localhost:3000 (from --url) is not an http:// or https:// URL, which Kairos answers at: write it in full, e.g. http://localhost:3000\n' });
    const withPassword = await run(['--url', 'https://ci:s3cret@127.0.0.1:1', 'campaigns', 'list']);
    expect({ code: withPassword.code, leaked: withPassword.err.includes('s3cret') }).toEqual({ code: ExitCode.usage, leaked: false });
    const curlyKey = await run(['--url', 'http://127.0.0.1:1', '--api-key', 'k\u2019', 'campaigns', 'list']);
    expect({ code: curlyKey.code, err: curlyKey.err }).toEqual({ code: ExitCode.usage, err: expect.stringMatching(/^kairos: the API key from --api-key holds U\+2019 at character 2, /) });
  });

  it('an --idempotency-key Kairos would not take is refused before anything is sent', async () => {
    const { createServer } = await import('node:http');
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      for (const [key, why] of [
        ['ключ', 'character 1 is U+043A'],
        ['two words', 'character 4 is U+0020'],
        ['k'.repeat(201), 'this one is 201 long'],
      ]) {
        const res = await run(['--url', url, '--api-key', 'k', 'journeys', 'retry', 'c', 'u', '--idempotency-key', key]);
        expect({ code: res.code, err: res.err.split('\n')[0] }).toEqual({
          code: ExitCode.usage,
          err: `error: option '--idempotency-key <key>' argument '${key}' is invalid. Kairos takes 1 to 200 visible ASCII characters, no spaces (it travels in a header), and ${why}.`,
        });
      }
      expect(requests).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
