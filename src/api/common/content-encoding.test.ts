import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { installRequestDecoding } from './content-encoding';

/** A server with the API's body decoding, whose route answers what it was given as body. */
async function server(): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 64 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => done(null, body.length === 0 ? undefined : JSON.parse(body.toString('utf8'))));
  installRequestDecoding(app);
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
