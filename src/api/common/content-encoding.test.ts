import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync, type Gunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { installRequestDecoding } from './content-encoding';

/** Every gunzip the decoding makes, to see that it is stopped. */
const mockGunzips: Gunzip[] = [];
jest.mock('node:zlib', () => {
  const zlib = jest.requireActual<typeof import('node:zlib')>('node:zlib');
  return {
    ...zlib,
    createGunzip: () => {
      const gunzip = zlib.createGunzip();
      mockGunzips.push(gunzip);
      return gunzip;
    },
  };
});

/** A server with the API's body decoding, whose route answers what it was given as body. */
async function server(bodiesClosed: Array<Promise<unknown>> = []): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 64 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => done(null, body.length === 0 ? undefined : JSON.parse(body.toString('utf8'))));
  installRequestDecoding(app);
  // The body stream Fastify is given (the decoded one), to wait until it is done with.
  app.addHook('preParsing', (_req, _reply, payload, done) => {
    bodiesClosed.push(new Promise((resolve) => payload.once('close', resolve)));
    done(null, payload);
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => reply.status(err.statusCode ?? 500).send({ message: err.message }));
  app.post('/echo', async (req) => ({ body: req.body ?? null }));
  app.get('/page', async () => ({ ok: true }));
  await app.ready();
  return app;
}

const answer = (res: { statusCode: number; json: () => unknown }) => ({ status: res.statusCode, body: res.json() });

describe('request bodies sent with a Content-Encoding', () => {
  it('an empty body is no body, whatever its coding: Content-Length 0, or chunked with no chunk', async () => {
    const app = await server();
    for (const coding of ['gzip', 'deflate', 'br']) {
      const headers = { 'content-type': 'application/json', 'content-encoding': coding };
      const empty = await app.inject({ method: 'POST', url: '/echo', payload: '', headers: { ...headers, 'content-length': '0' } });
      expect({ coding, ...answer(empty) }).toEqual({ coding, status: 200, body: { body: null } });
      const chunked = await app.inject({ method: 'POST', url: '/echo', payload: Readable.from([]), headers: { ...headers, 'transfer-encoding': 'chunked' } });
      expect({ coding, ...answer(chunked) }).toEqual({ coding, status: 200, body: { body: null } });
    }
    await app.close();
  });

  it('a GET has no body to decode, whatever coding it names', async () => {
    const app = await server();
    expect((await app.inject({ method: 'GET', url: '/page', headers: { 'content-encoding': 'zstd' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/page', headers: { 'content-encoding': 'gzip' } })).statusCode).toBe(200);
    await app.close();
  });

  it('decodes a body as before, chunked or not, and refuses what is not its coding, or past the limit once decoded', async () => {
    const app = await server();
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const zipped = gzipSync(Buffer.from('{"a":[1,2,3]}'));
    expect(answer(await app.inject({ method: 'POST', url: '/echo', payload: zipped, headers }))).toEqual({ status: 200, body: { body: { a: [1, 2, 3] } } });
    const inTwo = Readable.from([zipped.subarray(0, 5), zipped.subarray(5)]);
    expect(answer(await app.inject({ method: 'POST', url: '/echo', payload: inTwo, headers: { ...headers, 'transfer-encoding': 'chunked' } }))).toEqual({ status: 200, body: { body: { a: [1, 2, 3] } } });
    const notGzip = await app.inject({ method: 'POST', url: '/echo', payload: '{"a":1}', headers });
    expect(notGzip.statusCode).toBe(400);
    expect(notGzip.json<{ message: string }>().message).toMatch(/^The body is not valid gzip data/);
    expect((await app.inject({ method: 'POST', url: '/echo', payload: zipped, headers: { ...headers, 'content-encoding': 'zstd' } })).statusCode).toBe(415);
    const bomb = gzipSync(Buffer.from(`[${'0,'.repeat(100_000)}0]`));
    expect((await app.inject({ method: 'POST', url: '/echo', payload: bomb, headers })).statusCode).toBe(413);
    await app.close();
  });
});

/**
 * What `requests` answer in a process of its own, running the API's decoding on a server like the one above, once
 * every decoded body has closed; or how that process ended. An 'error' no listener takes ends a Node process (the
 * API has no uncaughtException handler), so it is seen here as it would be in the API, without ending Jest's worker.
 */
function statusesInOwnProcess(requests: string): Promise<{ statuses?: number[]; code: number | null; stderr: string }> {
  const script = [
    "const swc = require('@swc/core');",
    "const fs = require('fs');",
    "require.extensions['.ts'] = (m, file) => m._compile(swc.transformSync(fs.readFileSync(file, 'utf8'), { filename: file,",
    "  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, file);",
    "const { gzipSync } = require('zlib');",
    "const Fastify = require('fastify');",
    `const { installRequestDecoding } = require(${JSON.stringify(require.resolve('./content-encoding'))});`,
    '(async () => {',
    '  const app = Fastify({ bodyLimit: 64 * 1024 });',
    "  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, {}));",
    '  installRequestDecoding(app);',
    '  const closed = [];',
    "  app.addHook('preParsing', (_req, _reply, payload, done) => { closed.push(new Promise((r) => payload.once('close', r))); done(null, payload); });",
    "  app.post('/echo', async () => ({}));",
    '  await app.ready();',
    `  const statuses = [];`,
    `  for (const options of ${requests}) statuses.push((await app.inject({ method: 'POST', url: '/echo', ...options })).statusCode);`,
    '  await Promise.all(closed);',
    '  await app.close();',
    '  process.stdout.write(JSON.stringify(statuses));',
    '})();',
  ].join('\n');
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ ...(stdout ? { statuses: JSON.parse(stdout) as number[] } : {}), code: err ? ((err as { code?: number }).code ?? null) : 0, stderr });
    });
  });
}

describe('a decoded body Fastify stops reading, or never reads', () => {
  it('is answered 413 or 415 as before, and what zlib then finds wrong in it ends nothing (the process lives on)', async () => {
    const requests = `[
      // Content-Length past the limit, and not gzip as its header says (a client that skipped compression): 413 unread.
      { payload: Buffer.alloc(70 * 1024, 0x20), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } },
      // A Content-Type Fastify cannot read: 415 unread.
      { payload: '{}', headers: { 'content-type': 'json', 'content-encoding': 'gzip' } },
      // Past the limit once decoded, with a wrong CRC at its end: 413, and zlib goes on to the CRC.
      { payload: (() => { const z = gzipSync(Buffer.alloc(1024 * 1024)); z[z.length - 6] ^= 0xff; return z; })(), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } },
    ]`;
    const run = await statusesInOwnProcess(requests);
    expect({ ...run, stderr: run.stderr.split('\n').slice(0, 12).join('\n') }).toEqual({ statuses: [413, 415, 413], code: 0, stderr: '' });
  });

  it('has its decoder stopped once answered, or once the client is gone', async () => {
    mockGunzips.length = 0;
    const bodiesClosed: Array<Promise<unknown>> = [];
    const app = await server(bodiesClosed);
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    // Both decode to more than the body stream holds unread: unstopped, the decoder waits for a reader for ever.
    const random = gzipSync(randomBytes(70 * 1024));
    expect((await app.inject({ method: 'POST', url: '/echo', payload: random, headers })).statusCode).toBe(413);
    const spaces = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    expect((await app.inject({ method: 'POST', url: '/echo', payload: spaces, headers: { ...headers, 'content-type': 'json' } })).statusCode).toBe(415);
    // A client that sends part of its body and goes.
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const client = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/echo', headers: { ...headers, 'content-length': String(spaces.length) } });
    client.on('error', () => undefined);
    const before = mockGunzips.length;
    client.write(spaces.subarray(0, 100));
    while (mockGunzips.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    client.destroy();
    await Promise.all(bodiesClosed);
    expect(mockGunzips.map((gunzip) => gunzip.destroyed)).toEqual(mockGunzips.map(() => true));
    await app.close();
  });
});
