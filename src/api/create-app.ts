import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerFactory } from 'fastify';
import type { Logger } from 'pino';
import { NestPinoLogger } from '../observability/nest-logger';
import { AppModule } from './app.module';
import type { CoreDeps } from './core/core.module';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './common/framework-errors';
import { installRequestDecoding } from './common/content-encoding';
import { installJsonBodyParser } from './common/json-body';
import { ApiKeyRing } from './common/api-keys';
import { refuseKeylessRequestsBeforeBody } from './common/key-before-body';
import { refuseTooDeepBodies } from './common/json-depth';
import { REQUEST_ID_HEADER, requestIdOf } from './common/request-id';
import { registerApiReference } from './docs/api-reference';
import { registerConsole } from './console/console-static';

export interface AppOptions {
  /** The process's pino logger: Nest's lines and one line per request go to it. */
  log?: Logger;
  /** false: no Nest log lines at all (tests without `log`). */
  logger?: boolean;
  /** Serve on a server that already listens (the boot listener's, src/api/health/boot-listener.ts) rather than on one Fastify makes. */
  serverFactory?: FastifyServerFactory;
}

/**
 * How often Node looks for requests past their time: a quarter of REQUEST_TIMEOUT_MS (at most its default, 30 s),
 * so the 408 comes near its time. Fixed when a server is made, so the boot listener makes its own with it.
 */
export const apiConnectionsCheckingInterval = (requestTimeoutMs: number): number => Math.min(30_000, Math.ceil(requestTimeoutMs / 4));

/** Builds the Nest application on Fastify; HttpErrorFilter gives every error the shape of API.md. */
export async function createApp(deps: CoreDeps, opts: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: deps.config.maxBodyBytes,
    // Node's headers timeout (60 s, or this when shorter) still applies on its own. Node looks for
    // late requests every 30 s by default: a quarter of the timeout keeps the 408 near its time.
    requestTimeout: deps.config.requestTimeoutMs,
    http: { connectionsCheckingInterval: apiConnectionsCheckingInterval(deps.config.requestTimeoutMs) },
    ...(opts.serverFactory ? { serverFactory: opts.serverFactory } : {}),
    // Clients reach the API directly unless TRUST_PROXY says which proxies stand in front (the logs' client address).
    trustProxy: deps.config.trustProxy,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler,
    // Every request has an id (the caller's X-Request-Id when sane); request log lines carry it as reqId.
    genReqId: requestIdOf,
    // Fastify logs each request when it comes in and when it is answered, both lines with its reqId.
    ...(opts.log ? { loggerInstance: opts.log } : {}),
  });
  const instance = adapter.getInstance();
  instance.addHook('onRequest', (req, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });
  refuseTooDeepBodies(instance);
  installRequestDecoding(instance);
  installJsonBodyParser(instance);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(deps), adapter, {
    logger: opts.log ? new NestPinoLogger(opts.log) : opts.logger === false ? false : ['error', 'warn', 'log'],
    abortOnError: false,
    // The JSON parser is installJsonBodyParser's; Nest would add its own and a form-encoded one.
    bodyParser: false,
  });
  // Before Nest registers its routes (app.init), so that their onRequest hooks include it; the ring RolesGuard uses.
  refuseKeylessRequestsBeforeBody(instance, app.get(ApiKeyRing));
  registerApiReference(app);
  registerConsole(app);
  // No enableShutdownHooks(): run-process owns SIGINT/SIGTERM and closes the app
  // in order; Nest's hooks would re-raise the signal after closing.
  return app;
}
