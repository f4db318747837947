import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { CoreDeps } from './core/core.module';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './common/framework-errors';

/** Builds the Nest application on Fastify; HttpErrorFilter gives every error the shape of API.md. */
export async function createApp(deps: CoreDeps, opts: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: deps.config.maxBodyBytes,
    trustProxy: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(deps), adapter, {
    logger: opts.logger === false ? false : ['error', 'warn', 'log'],
    abortOnError: false,
  });
  // No enableShutdownHooks(): run-process owns SIGINT/SIGTERM and closes the app
  // in order; Nest's hooks would re-raise the signal after closing.
  return app;
}
