import { gzipSync } from 'node:zlib';
import { HttpException } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiKeyRing } from './api-keys';
import { ApiRoute } from './api-route';
import { installRequestDecoding } from './content-encoding';
import { refuseKeylessRequestsBeforeBody } from './key-before-body';

const ingestKey = 'ingest-3c9e1f5a7b2d4086';
const supportKey = 'support-8a0d2c4e6f1b3957';

/** A server with the API's body decoding and the check, and a route as Nest registers one from `@ApiRoute`. */
async function server(): Promise<{ app: FastifyInstance; parsed: () => number }> {
  const app = Fastify({ bodyLimit: 64 * 1024 });
  let parsed = 0;
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    parsed += 1;
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });
  installRequestDecoding(app);
  refuseKeylessRequestsBeforeBody(app, new ApiKeyRing(new Map([[ingestKey, 'ingest'], [supportKey, 'support']])));
  // HttpErrorFilter's part here: an HttpException's status, else the error's.
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) =>
    reply.status(err instanceof HttpException ? err.getStatus() : (err.statusCode ?? 500)).send({ message: err.message }),
  );
  app.post('/v1/events', { config: { kairosRole: 'ingest' } }, async () => ({ ok: true }));
  app.post('/open', { config: { kairosRole: 'public' } }, async () => ({ ok: true }));
  app.post('/unmarked', async () => ({ ok: true }));
  app.get('/page', async () => ({ ok: true }));
  await app.ready();
  return { app, parsed: () => parsed };
}

/** A gzip body of a few KB that inflates past the body limit. */
const bomb = gzipSync(Buffer.from(`[${'0,'.repeat(100_000)}0]`));

describe('the API key, checked before the body is read', () => {
  it('refuses a request with no key or an unknown key with 401 before decoding or parsing its body', async () => {
    const { app, parsed } = await server();
    const send = (authorization?: string) =>
      app.inject({ method: 'POST', url: '/v1/events', payload: bomb, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...(authorization ? { authorization } : {}) } });
    const none = await send();
    expect({ status: none.statusCode, message: none.json<{ message: string }>().message }).toEqual({ status: 401, message: 'Send an API key as `Authorization: Bearer <key>`.' });
    const unknown = await send('Bearer not-a-key-0123456789');
    expect({ status: unknown.statusCode, message: unknown.json<{ message: string }>().message }).toEqual({ status: 401, message: 'Unknown API key.' });
    const wrongRole = await send(`Bearer ${supportKey}`);
    expect({ status: wrongRole.statusCode, message: wrongRole.json<{ message: string }>().message }).toEqual({ status: 403, message: 'This needs the ingest role; the key has support.' });
    expect(parsed()).toBe(0);
    // With the key, the body is read as before: inflated past the limit, 413.
    expect((await send(`Bearer ${ingestKey}`)).statusCode).toBe(413);
    await app.close();
  });

  it('lets a known key, a public route and a route without a role through, to RolesGuard', async () => {
    const { app, parsed } = await server();
    const body = { payload: { a: 1 }, headers: { 'content-type': 'application/json' } };
    expect((await app.inject({ method: 'POST', url: '/v1/events', ...body, headers: { ...body.headers, authorization: `Bearer ${ingestKey}` } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/open', ...body })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/unmarked', ...body })).statusCode).toBe(200);
    expect(parsed()).toBe(3);
    await app.close();
  });

  it('answers a request no route matches with 404 before decoding or parsing its body, whoever sends it', async () => {
    const { app, parsed } = await server();
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const answers = [];
    for (const [method, url] of [['POST', '/nowhere'], ['PATCH', '/v1/events'], ['POST', '/v1/events/'], ['POST', '/page']] as const) {
      for (const authorization of [undefined, `Bearer ${ingestKey}`]) {
        const res = await app.inject({ method, url, payload: bomb, headers: { ...headers, ...(authorization ? { authorization } : {}) } });
        answers.push({ method, url, status: res.statusCode, message: res.json<{ message: string }>().message });
      }
    }
    expect(answers).toEqual(
      [
        ['POST', '/nowhere'],
        ['PATCH', '/v1/events'],
        ['POST', '/v1/events/'],
        ['POST', '/page'],
      ].flatMap(([method, url]) => [0, 1].map(() => ({ method, url, status: 404, message: `Cannot ${method} ${url}` }))),
    );
    expect(parsed()).toBe(0);
    // The routes Fastify adds itself (HEAD beside GET) are routes; HEAD of no route is a 404.
    expect((await app.inject({ method: 'HEAD', url: '/page' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/page' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/nowhere' })).statusCode).toBe(404);
    await app.close();
  });

  it('@ApiRoute gives Fastify the route role it checks', () => {
    class Controller {
      @ApiRoute({ operationId: 'x', role: 'operator', summary: 'x', body: z.object({}), success: { status: 200, description: 'x' } })
      handle(): void {}
    }
    expect(Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, Controller.prototype.handle)).toEqual({ kairosRole: 'operator' });
  });
});
