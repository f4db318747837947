import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify from 'fastify';
import { missingFileAnswer, registerConsole } from './console-static';

describe('a /console path that names no file of the build', () => {
  it('is a console page when its last segment holds a dot: campaign keys and user ids may have one', () => {
    // The wildcard as Fastify hands it over: decoded, without the query (?version=2).
    for (const rest of ['campaigns/spring.sale', 'users/pia@example.com', 'users/u.1', 'campaigns/spring.sale/edit', 'users/report.html', 'campaigns/promo.js', 'users/export.json', 'campaigns', '']) {
      expect({ rest, answer: missingFileAnswer(rest) }).toEqual({ rest, answer: 'index' });
    }
  });

  it('is a page below the top, where a build ships no file: a campaign key or user id ending like a file name', () => {
    for (const rest of ['campaigns/promo.js', 'users/export.json', 'users/a/b.css']) {
      expect({ rest, answer: missingFileAnswer(rest) }).toEqual({ rest, answer: 'index' });
    }
  });

  // User ids and campaign keys are the API's: `x/..` is one (users/x%2F.. in the console, handed over decoded).
  it('is a page under users/ or campaigns/ whatever its segments hold, `..` included', () => {
    for (const rest of ['users/x/..', 'users/../y', 'users/..', 'users/../../x', 'campaigns/a/../b']) {
      expect({ rest, answer: missingFileAnswer(rest) }).toEqual({ rest, answer: 'index' });
    }
  });

  it('is a 404 under assets/, when it names a kind of file the console ships, or with a `..` segment elsewhere', () => {
    for (const rest of ['assets/gone-1234.js', 'assets/gone', 'assets/x.sale', 'gone.js', 'favicon.ico', 'app.css', 'app.js.map', 'logo.svg', 'logo.png', 'manifest.json', 'font.woff2', '../../package.json', 'held/../x']) {
      expect({ rest, answer: missingFileAnswer(rest) }).toEqual({ rest, answer: 'not-found' });
    }
  });
});

describe('GET /console/<path> served from a folder', () => {
  let base: string;
  let fastify: ReturnType<typeof Fastify>;
  beforeAll(async () => {
    // <base>/secret.txt beside <base>/console/: a path climbing out of the console's folder must never read it.
    base = mkdtempSync(path.join(tmpdir(), 'kairos-console-'));
    mkdirSync(path.join(base, 'console', 'users'), { recursive: true });
    writeFileSync(path.join(base, 'console', 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(base, 'secret.txt'), 'SECRET');
    writeFileSync(path.join(base, 'users-secret.txt'), 'SECRET');
    fastify = Fastify();
    registerConsole({ getHttpAdapter: () => ({ getInstance: () => fastify }) } as unknown as NestFastifyApplication, path.join(base, 'console'));
    await fastify.ready();
  });
  afterAll(async () => {
    await fastify.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('gives a user page with `..` in its id the console, as a reload or a shared link asks for it', async () => {
    for (const url of ['/console/users/x%2F..', '/console/users/..%2Fy']) {
      const answer = await fastify.inject({ method: 'GET', url });
      expect({ url, status: answer.statusCode, type: answer.headers['content-type'], body: answer.body }).toEqual({
        url,
        status: 200,
        type: 'text/html; charset=utf-8',
        body: '<!doctype html><title>console</title>',
      });
    }
  });

  it('never serves a file outside the console folder, however the path climbs', async () => {
    for (const url of ['/console/users/..%2F..%2Fsecret.txt', '/console/users/%2E%2E%2F%2E%2E%2Fsecret.txt', '/console/..%2Fsecret.txt', '/console/campaigns/..%2F..%2Fusers-secret.txt']) {
      const answer = await fastify.inject({ method: 'GET', url });
      expect({ url, secret: answer.body.includes('SECRET') }).toEqual({ url, secret: false });
    }
  });
});
