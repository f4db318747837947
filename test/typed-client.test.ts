import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createKairosClient, KairosAnswerError, KairosApiError, unwrap } from '../clients/ts/src';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');
const generator = path.join(root, 'scripts/generate-client.js');

describe('the typed client (clients/ts)', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  it('is what the served OpenAPI document generates (run `npm run client:generate` when this fails)', async () => {
    const { stdout } = await run(process.execPath, [generator, '--from-url', `${sut.baseUrl}/docs`, '--check'], { cwd: root });
    expect(stdout).toContain('matches');
  });

  it('the drift check fails when a committed file differs from the served document', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'kairos-client-'));
    try {
      cpSync(path.join(root, 'clients/ts'), copy, { recursive: true, filter: (f) => !f.includes('node_modules') });
      writeFileSync(path.join(copy, 'src/schema.ts'), '// edited by hand\n', { flag: 'a' });
      const check = run(process.execPath, [generator, '--from-url', `${sut.baseUrl}/docs`, '--check', '--out', copy], { cwd: root });
      await expect(check).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('src/schema.ts') });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('calls the API with types from the document: a pool, a campaign, an event, and errors with their paths', async () => {
    const client = createKairosClient({ baseUrl: sut.baseUrl, apiKey: sut.keys.admin });
    const pool = await unwrap(
      client.POST('/v1/pools', { body: { key: 'client-points', kind: 'points', budget: 1000, perUserLimit: 5 } }),
    );
    expect(pool).toMatchObject({ key: 'client-points', kind: 'points' });

    const shown = await unwrap(client.GET('/v1/pools/{key}', { params: { path: { key: 'client-points' } } }));
    expect(shown.key).toBe('client-points');

    const missing = await client.GET('/v1/campaigns/{key}', { params: { path: { key: 'no-such-campaign' } } });
    expect(missing.response.status).toBe(404);

    const bad = unwrap(client.POST('/v1/events', { body: { events: [{ id: 'e1', type: 'x', userId: 'u', occurredAt: 'not a time' }] } }));
    await expect(bad).rejects.toBeInstanceOf(KairosApiError);
    await expect(bad).rejects.toMatchObject({ status: 400, body: { error: { details: [expect.objectContaining({ path: 'events[0].occurredAt' })] } } });

    // Query numbers and booleans are typed as such (not as text) and arrive as the API reads them.
    const listed = await unwrap(client.GET('/v1/campaigns', { params: { query: { counts: true } } }));
    expect(listed.campaigns.every((c) => c.counts !== undefined)).toBe(true);
    const rewards = await unwrap(client.GET('/v1/users/{id}/rewards', { params: { path: { id: 'u-nobody' }, query: { limit: 5 } } }));
    expect(rewards.total).toBe(0);
    await expect(unwrap(client.GET('/v1/users/{id}/rewards', { params: { path: { id: 'u-nobody' }, query: { limit: 5000 } } }))).rejects.toMatchObject({
      status: 400,
      body: { error: { details: [expect.objectContaining({ path: 'limit' })] } },
    });

    const anonymous = createKairosClient({ baseUrl: sut.baseUrl });
    await expect(unwrap(anonymous.GET('/v1/campaigns'))).rejects.toMatchObject({ status: 401 });
  });

  it('sends headers given as a Headers, as [name, value] pairs or as a record, beside the API key', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const echo = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end('{"role":"admin","may":[]}');
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
      const forms: Array<[string, ConstructorParameters<typeof Headers>[0] | Record<string, string>]> = [
        ['headers', new Headers({ 'x-request-id': 'from-headers' })],
        ['pairs', [['x-request-id', 'from-pairs']]],
        ['record', { 'x-request-id': 'from-record' }],
      ];
      for (const [, headers] of forms) await unwrap(createKairosClient({ baseUrl, apiKey: 'k-1', headers: headers as never }).GET('/v1/whoami'));
      expect(seen.map((h) => [h['x-request-id'], h.authorization])).toEqual([
        ['from-headers', 'Bearer k-1'],
        ['from-pairs', 'Bearer k-1'],
        ['from-record', 'Bearer k-1'],
      ]);
      // Nothing named after an array index.
      expect(seen.some((h) => '0' in h)).toBe(false);
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  it('says so when the answer is not JSON (another server on that address), instead of a bare SyntaxError', async () => {
    const page = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('<html>a proxy page</html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const client = createKairosClient({ baseUrl: `http://127.0.0.1:${(page.address() as AddressInfo).port}`, apiKey: 'k' });
      const answer = unwrap(client.GET('/v1/whoami'));
      await expect(answer).rejects.toBeInstanceOf(KairosAnswerError);
      await expect(answer).rejects.toThrow(/the answer is not JSON .*is the URL the Kairos API/);
    } finally {
      await new Promise((resolve) => page.close(resolve));
    }
  });

  it('documents 415 for every operation with a body (a body not sent as JSON)', async () => {
    const document = (await sut.request('GET', '/docs')).body as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    const withBody = Object.values(document.paths).flatMap((ops) => Object.values(ops)).filter((op) => op.requestBody);
    expect(withBody.length).toBeGreaterThan(10);
    for (const op of withBody) expect(Object.keys(op.responses)).toContain('415');
  });

  it('words a problem with no path without an empty path before it', () => {
    const err = new KairosApiError(413, { error: { code: 'payload_too_large', message: 'The campaign is too large.', details: [{ path: '', message: 'is 3000230 bytes; at most 1048576' }] } } as never);
    expect(err.message).toBe('413 payload_too_large: The campaign is too large. (is 3000230 bytes; at most 1048576)');
  });
});
