import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SourceDefinition } from '../../ingest/source-definition';
import { ExitCode } from '../exit-codes';
import { kairosError, runKairos, withStubServer, type StubAnswer, type StubRequest } from '../test-support';

const definition = { key: 's', broker: 'nats', stream: 'ORDERS', subject: 'orders.paid', mapping: { type: { const: 'order.completed' }, userId: 'uid' } };
const stillRuns = 'this instance still runs v3: reloading the sources failed (connection terminated); it is tried again until it succeeds';

/** A source as the API answers it, in `state` with `lastError`. */
const sourceAnswer = (state: string, lastError: string | null, version = 3) => ({
  key: 's',
  version,
  state,
  lastError,
  definition,
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
});

async function sources(args: string[], answer: (req: StubRequest) => StubAnswer, cwd?: string) {
  return withStubServer(answer, async (url) => runKairos(['--url', url, '--api-key', 'k', 'sources', ...args], { cwd }));
}

describe("sources: the consumer's lastError (review 47, finding 1)", () => {
  it('delete does not say "removed" while the API instance that answered still consumes the source, and says why (exit 0: the definition is gone)', async () => {
    const res = await sources(['delete', 's'], () => ({ status: 200, body: sourceAnswer('consuming', `removed, but ${stillRuns}`) }));
    expect(res.code).toBe(ExitCode.ok);
    expect(res.out).not.toContain(': removed');
    expect(res.out).toBe('s: deleted (was v3); messages still in the broker stay there\n');
    expect(res.err).toBe(
      `s: the API instance that answered still consumes it (consuming): removed, but ${stillRuns}; until then it takes messages off the broker (that instance's log says why a reload fails)\n`,
    );
  });

  it('delete still says "removed" once the consumer stopped', async () => {
    const res = await sources(['delete', 's'], () => ({ status: 200, body: sourceAnswer('removed', null) }));
    expect(res).toEqual({ code: ExitCode.ok, out: 's: removed (was v3); messages still in the broker stay there\n', err: '' });
  });

  it('show prints why the consumer is connecting', async () => {
    const res = await sources(['show', 's'], () => ({ status: 200, body: sourceAnswer('connecting', stillRuns, 4) }));
    expect(res.code).toBe(ExitCode.ok);
    expect(res.out.split('\n').slice(0, 2)).toEqual(['s (nats), v4, connecting on the API instance that answered', `why connecting: ${stillRuns}`]);
  });

  it('list says why under the table, on stderr, for each source with a reason', async () => {
    const res = await sources(['list'], () => ({ status: 200, body: { sources: [sourceAnswer('connecting', stillRuns, 4), { ...sourceAnswer('consuming', null), key: 'ok' }] } }));
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: `s: why connecting: ${stillRuns}\n` });
  });

  it('apply says why the replaced version is not consumed yet', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-sources-'));
    try {
      writeFileSync(path.join(dir, 's.yaml'), 'key: s\nbroker: nats\nstream: ORDERS\nsubject: orders.paid\nprefetch: 500\nmapping:\n  type: { const: order.completed }\n  userId: uid\n');
      const res = await sources(['apply', 's.yaml'], (req) => (req.method === 'GET' ? { status: 200, body: sourceAnswer('consuming', null) } : { status: 200, body: sourceAnswer('connecting', stillRuns, 4) }), dir);
      expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: `s: why connecting: ${stillRuns}\n` });
      expect(res.out).toMatch(/^s: updated to v4 from s\.yaml \(connecting\)\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('delete of a source that is not there is still exit 1', async () => {
    const res = await sources(['delete', 's'], () => ({ status: 404, body: kairosError('not_found', 'No source s.') }));
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.failure, err: 'kairos: no source s\n' });
  });
});

describe('sources apply: a URL with no such route, or a 404 page in front of Kairos, is not a problem of the files (review 52, finding 2)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-sources-route-'));
    writeFileSync(path.join(dir, 's.yaml'), 'key: s\nbroker: nats\nstream: ORDERS\nsubject: orders.paid\nmapping:\n  type: { const: order.completed }\n  userId: uid\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a URL ending in /v1: this server has no such route, exit 2', async () => {
    const res = await sources(['apply', 's.yaml'], (req) => ({ status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) }), dir);
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.usage, out: '' });
    expect(res.err).toMatch(/^kairos: Cannot GET \/v1\/sources\/s .*: this server has no such route/);
    expect(res.err).not.toContain('source(s) not applied');
  });

  it("a 404 page without Kairos's error body is not Kairos, exit 3", async () => {
    const res = await sources(['apply', 's.yaml'], () => ({ status: 404, body: '<html>404</html>' }), dir);
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.unreachable, out: '' });
    expect(res.err).toMatch(/answered 404 without Kairos's error body: is it the Kairos API/);
  });
});

// Review 57 (CLI), finding 3: `key: ..` made the lookup GET /v1/, whose "no such route" stopped the whole folder (exit 2).
describe('sources apply: a key Kairos takes no source under is that source\'s problem, at its key', () => {
  it('refuses `..` (and a key with capitals) without asking Kairos, and still applies the other source (exit 1)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-srckey-'));
    try {
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify([{ ...definition, key: '..' }, { ...definition, key: 'Shop' }]));
      writeFileSync(path.join(dir, 'b.json'), JSON.stringify(definition));
      const answer = (req: StubRequest): StubAnswer => {
        if (req.method === 'GET' && req.path === '/v1/sources/s') return { status: 404, body: kairosError('not_found', 'No source s.') };
        if (req.method === 'POST' && req.path === '/v1/sources') return { status: 201, body: sourceAnswer('consuming', null, 1) };
        return { status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) };
      };
      await withStubServer(answer, async (url, requests) => {
        const res = await runKairos(['--url', url, '--api-key', 'k', 'sources', 'apply', '.'], { cwd: dir });
        expect(res.code).toBe(ExitCode.failure);
        expect(res.err).toMatch(/^a\.json:1:\d+ \[0\]\.key Kairos takes no such key: lowercase letters, digits, - and _$/m);
        expect(res.err).toMatch(/^a\.json:1:\d+ \[1\]\.key Kairos takes no such key: lowercase letters, digits, - and _$/m);
        expect(res.out).toContain('s: created v1 from b.json');
        expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/sources/s', 'POST /v1/sources']);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Review 63 (CLI), finding 5: an unchanged source that is not consuming printed only `unchanged (v3)`, nothing on why.
describe('sources apply: an unchanged source says why it is not consuming', () => {
  it('prints the why-line on stderr, as for a created or replaced one (exit 0: the file is applied)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-sources-'));
    try {
      writeFileSync(path.join(dir, 's.yaml'), 'key: s\nbroker: nats\nstream: ORDERS\nsubject: orders.paid\nmapping:\n  id: orderId\n  type: { const: order.completed }\n  userId: uid\n');
      // Stored as Kairos stores it: the file's definition with the defaults filled in, so nothing differs.
      const filed = { ...definition, mapping: { ...definition.mapping, id: 'orderId' } };
      const stored = { ...sourceAnswer('connecting', 'ACCESS_REFUSED - access to queue refused'), definition: SourceDefinition.parse(filed) };
      const seen: string[] = [];
      const res = await sources(['apply', 's.yaml'], (req) => (seen.push(req.method), { status: 200, body: stored }), dir);
      expect(seen).toEqual(['GET']);
      expect(res).toEqual({ code: ExitCode.ok, out: 's: unchanged (v3)\n', err: 's: why connecting: ACCESS_REFUSED - access to queue refused\n' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
