import 'reflect-metadata';
import http from 'node:http';
import net from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import dns from 'node:dns';
import type { BootPhase } from '../../observability/boot-phase';
import { startBootListener } from './boot-listener';
import { HealthResponse, ReadinessResponse } from './health.schemas';

@Controller()
class AppProbes {
  @Get('livez')
  livez() {
    return { status: 'ok', by: 'app' };
  }

  @Get('readyz')
  readyz() {
    return { status: 'ready' };
  }

}

@Module({ controllers: [AppProbes] })
class AppModule {}

type Answer = { status: number; retryAfter: string | null; body: unknown } | { refused: string };
async function get(url: string): Promise<Answer> {
  try {
    const res = await fetch(url);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
  } catch (err) {
    return { refused: String((err as Error).cause ?? err) };
  }
}

/** A new TCP connection's fate: 'connected', or the error's code. */
function connects(port: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Review 61, finding 1: the API's port answers its liveness probe from the first moment of the boot, and hands over to the app without a gap. */
describe("the API's boot listener", () => {
  it('answers /livez 200, /readyz and /health 503 with the boot\'s reason, anything else 503 starting; then the app takes the same socket with no refused connection', async () => {
    let phase: BootPhase = 'migrating';
    const boot = await startBootListener({ host: '127.0.0.1', port: 0, connectionsCheckingInterval: 1_000, phase: () => phase });
    const base = boot.url.replace('localhost', '127.0.0.1');
    let app: NestFastifyApplication | undefined;
    try {
      expect(await get(`${base}/livez`)).toEqual({ status: 200, retryAfter: null, body: { status: 'ok' } });
      expect(await get(`${base}/readyz?verbose=1`)).toEqual({ status: 503, retryAfter: '5', body: { status: 'not-ready', reason: 'migrating' } });
      expect(await get(`${base}/health`)).toEqual({ status: 503, retryAfter: '5', body: { status: 'starting', live: true, ready: false, reason: 'migrating' } });
      expect(await get(`${base}/v1/events`)).toEqual({
        status: 503,
        retryAfter: '5',
        body: { error: { code: 'starting', message: expect.stringContaining('Kairos is starting (migrating)'), details: [] } },
      });

      const answers: Answer[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) answers.push(await get(`${base}/livez`));
      })();
      phase = 'starting';
      app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter({ serverFactory: boot.serverFactory, http: { connectionsCheckingInterval: 1_000 }, keepAliveTimeout: 5_000 }), {
        logger: false,
      });
      // Created, not yet handed over: the boot still answers.
      expect(await get(`${base}/readyz`)).toMatchObject({ status: 503, body: { reason: 'starting' } });
      await boot.handOver(app);
      expect(await get(`${base}/livez`)).toEqual({ status: 200, retryAfter: null, body: { status: 'ok', by: 'app' } });
      expect(await get(`${base}/readyz`)).toEqual({ status: 200, retryAfter: null, body: { status: 'ready' } });
      polling = false;
      await poller;
      expect(answers.filter((a) => !('status' in a) || a.status !== 200)).toEqual([]);
      expect(answers.some((a) => 'body' in a && (a.body as { by?: string }).by === undefined)).toBe(true);

      // Closing the app stops the listening, as its own listen's close would.
      await app.close();
      app = undefined;
      expect(await connects(new URL(base).port)).toBe('ECONNREFUSED');
    } finally {
      await app?.close();
      await boot.close();
    }
  });

  it("gives the server it listens on Fastify's own settings (its keep-alive and request timeouts), and its handler for malformed requests", async () => {
    const boot = await startBootListener({ host: '127.0.0.1', port: 0, connectionsCheckingInterval: 250, phase: () => 'starting' });
    const clientErrorHandler = jest.fn((_err: Error, socket: net.Socket) => socket.destroy());
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule,
      new FastifyAdapter({ serverFactory: boot.serverFactory, http: { connectionsCheckingInterval: 250 }, requestTimeout: 1_000, keepAliveTimeout: 4_000, clientErrorHandler }),
      { logger: false },
    );
    try {
      await boot.handOver(app);
      const server = app.getHttpServer() as http.Server;
      expect({ listening: server.listening, port: (server.address() as net.AddressInfo).port }).toEqual({ listening: true, port: Number(new URL(boot.url).port) });
      expect({ requestTimeout: server.requestTimeout, keepAliveTimeout: server.keepAliveTimeout }).toEqual({ requestTimeout: 1_000, keepAliveTimeout: 4_000 });
      // Not HTTP at all: the app's handler answers it (here, by closing the connection).
      await new Promise<void>((resolve) => {
        const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () => socket.write('\x00\x01 not http\r\n\r\n'));
        socket.on('close', () => resolve());
        socket.on('error', () => undefined);
      });
      expect(clientErrorHandler).toHaveBeenCalled();
    } finally {
      await app.close();
      await boot.close();
    }
  });

  it('answers /readyz and /health during every phase of the boot with bodies their OpenAPI schemas describe (review 62, finding 2)', async () => {
    let phase: BootPhase = 'connecting';
    const boot = await startBootListener({ host: '127.0.0.1', port: 0, connectionsCheckingInterval: 1_000, phase: () => phase });
    const base = boot.url.replace('localhost', '127.0.0.1');
    try {
      for (const each of ['connecting', 'search-attributes', 'migrating', 'starting'] as const) {
        phase = each;
        const readyz = await get(`${base}/readyz`);
        const health = await get(`${base}/health`);
        expect({ each, readyz: 'body' in readyz && ReadinessResponse.safeParse(readyz.body).error?.issues }).toEqual({ each, readyz: undefined });
        expect({ each, health: 'body' in health && HealthResponse.safeParse(health.body).error?.issues }).toEqual({ each, health: undefined });
        expect(ReadinessResponse.parse((readyz as { body: unknown }).body)).toEqual({ status: 'not-ready', reason: each });
        expect(HealthResponse.parse((health as { body: unknown }).body)).toEqual({ status: 'starting', live: true, ready: false, reason: each });
      }
    } finally {
      await boot.close();
    }
  });

  it("HOST=localhost: listens on each of the name's addresses, as Fastify does", async () => {
    const lookup = jest.spyOn(dns.promises, 'lookup').mockResolvedValue([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ] as never);
    const boot = await startBootListener({ host: 'localhost', port: 0, connectionsCheckingInterval: 1_000, phase: () => 'migrating' });
    try {
      const port = new URL(boot.url).port;
      for (const address of ['127.0.0.1', '[::1]']) expect({ address, answer: await get(`http://${address}:${port}/livez`) }).toEqual({ address, answer: { status: 200, retryAfter: null, body: { status: 'ok' } } });
    } finally {
      lookup.mockRestore();
      await boot.close();
    }
  });

  it('refuses an app made with a different connection check than the listener has: Node fixes it when the server is made', async () => {
    const boot = await startBootListener({ host: '127.0.0.1', port: 0, connectionsCheckingInterval: 1_000, phase: () => 'starting' });
    try {
      expect(() => new FastifyAdapter({ serverFactory: boot.serverFactory, http: { connectionsCheckingInterval: 2_000 } })).toThrow('checks connections every 1000 ms');
    } finally {
      await boot.close();
    }
  });
});
