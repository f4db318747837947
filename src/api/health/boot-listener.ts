import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import type { z } from 'zod';
import type { BootPhase } from '../../observability/boot-phase';
import { errorBody } from '../common/errors';
import { listenUrl } from '../../observability/listen-url';
import { listenOn, otherLocalhostBindings } from '../../observability/localhost-bindings';
import type { HealthResponse, ReadinessResponse } from './health.schemas';

export interface BootListenerOptions {
  host: string;
  port: number;
  /** Node's own check for late requests, fixed when a server is made: the value createApp gives Fastify (apiConnectionsCheckingInterval). */
  connectionsCheckingInterval: number;
  /** What the process is doing meanwhile: /readyz's `reason`. */
  phase: () => BootPhase;
}

export interface BootListener {
  /** Where it listens, for people (listenUrl). */
  url: string;
  /**
   * For createApp (AppOptions.serverFactory): Fastify serves on the server
   * that already listens, with Fastify's own server settings.
   */
  serverFactory: FastifyServerFactory;
  /**
   * Initialises the app (Nest's init, Fastify's ready) and sends every
   * request after that to it, on the same listening socket: the port never
   * refuses a connection between the boot's answers and the app's. In place
   * of app.listen(); closing the app then stops the listening too.
   */
  handOver(app: NestFastifyApplication): Promise<void>;
  /** Stops listening and waits for open connections to end (idle ones are closed). */
  close(): Promise<void>;
}

/**
 * The API's port from the first moment of the boot: `GET /livez` answers 200
 * while the process migrates the schema (minutes, for some upgrades; or
 * waits for another instance's migrations behind the advisory lock), so a
 * liveness probe does not kill it and make the next pod start the migration
 * over. `/readyz` and `/health` answer 503 with Retry-After and the boot's
 * `reason`, and any other request 503 `starting`, until handOver gives the
 * socket to the application.
 */
export async function startBootListener(opts: BootListenerOptions): Promise<BootListener> {
  let app: http.RequestListener | null = null;
  let fastifyHandler: http.RequestListener | null = null;
  const dispatch: http.RequestListener = (req, res) => (app ? app(req, res) : answerBooting(req, res, opts.phase()));
  const make = () => http.createServer({ connectionsCheckingInterval: opts.connectionsCheckingInterval }, dispatch);
  const main = make();
  await listenOn(main, opts.port, opts.host);
  // HOST=localhost: its other addresses too, as Fastify's own listen would bind them.
  const servers = [main, ...(await otherLocalhostBindings(opts.host, main, make))];

  let closing: Promise<void> | null = null;
  const stopListening = () =>
    (closing ??= Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            // Closes idle keep-alive connections too (Node 19+); the callback waits for the rest.
            s.close(() => resolve());
          }),
      ),
    ).then(() => undefined));

  return {
    url: listenUrl(opts.host, (main.address() as AddressInfo).port),
    serverFactory: (handler, fastifyOptions) => {
      const o = fastifyOptions as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number; http?: { connectionsCheckingInterval?: number } };
      if (o.http?.connectionsCheckingInterval !== undefined && o.http.connectionsCheckingInterval !== opts.connectionsCheckingInterval) {
        throw new Error(`the boot listener checks connections every ${opts.connectionsCheckingInterval} ms, the app asks ${o.http.connectionsCheckingInterval} ms`);
      }
      // What Fastify sets on a server it makes itself (its getServerInstance).
      for (const s of servers) {
        if (o.keepAliveTimeout !== undefined) s.keepAliveTimeout = o.keepAliveTimeout;
        if (o.requestTimeout !== undefined) s.requestTimeout = o.requestTimeout;
        if (o.connectionTimeout !== undefined) s.setTimeout(o.connectionTimeout);
        if (o.maxRequestsPerSocket) s.maxRequestsPerSocket = o.maxRequestsPerSocket;
      }
      fastifyHandler = handler as http.RequestListener;
      return main;
    },
    async handOver(nest) {
      const handler = fastifyHandler;
      if (!handler) throw new Error('the app was not created on the boot listener (createApp without its serverFactory)');
      const instance = nest.getHttpAdapter().getInstance() as FastifyInstance;
      // Fastify closes only a server it listened on itself: on close, stop listening here, and wait for the
      // requests in flight as its own close would, before Nest's shutdown hooks close what they use.
      instance.addHook('preClose', async () => {
        await stopListening();
      });
      await nest.init();
      await instance.ready();
      // Fastify put its handler for malformed requests on the main server only.
      for (const s of servers.slice(1)) for (const listener of main.listeners('clientError')) s.on('clientError', listener as (...args: unknown[]) => void);
      app = handler;
    },
    close: stopListening,
  };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...(status === 503 ? { 'retry-after': '5' } : {}) });
  res.end(`${JSON.stringify(body)}\n`);
};

function answerBooting(req: http.IncomingMessage, res: http.ServerResponse, reason: BootPhase): void {
  const path = (req.url ?? '/').split('?')[0];
  const read = req.method === 'GET' || req.method === 'HEAD';
  if (read && path === '/livez') return json(res, 200, { status: 'ok' });
  // Typed by the schemas the OpenAPI document gives these paths, so a client generated from it reads the boot's answers too.
  const readiness: z.input<typeof ReadinessResponse> = { status: 'not-ready', reason };
  const health: z.input<typeof HealthResponse> = { status: 'starting', live: true, ready: false, reason };
  if (read && path === '/readyz') return json(res, 503, readiness);
  if (read && path === '/health') return json(res, 503, health);
  json(res, 503, errorBody('starting', `Kairos is starting (${reason}); try again after Retry-After seconds.`));
}
