import { NotFoundException } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../config/config';
import type { ApiKeyRing } from './api-keys';
import { keyRefusal } from './key-refusal';
import { ROLE_GRANTS } from './roles';

/** Where a route's role travels to Fastify: its route `config` (Nest copies `@RouteConfig` there). */
const ROLE_CONFIG = 'kairosRole';

/** Gives a route's role to Fastify's own route options, so that the key is checked before the body is read (see below). */
export const RouteRole = (role: Role | 'public'): MethodDecorator => RouteConfig({ [ROLE_CONFIG]: role });

/**
 * The key, checked as RolesGuard checks it but in `onRequest`, before Fastify reads, decodes (gzip, deflate, br),
 * parses and walks the body: an anonymous client's small gzip body that inflates to MAX_BODY_BYTES of JSON costs
 * no work beyond this. Only routes whose role is known here (`@ApiRoute`) are checked; the rest (public routes,
 * the console's files) go on as before, and RolesGuard stays the check of every route. The refusal goes through
 * HttpErrorFilter as the guard's does: the same 401 / 403 and words.
 *
 * A request no route matches (an unknown path, a method the path does not take, a trailing slash) is answered
 * 404 here too, in Nest's words (`Cannot POST /v1/nowhere`): Fastify hands it to its not-found route, which has
 * every hook and body parser of the others, so its body would be decoded, parsed and scanned before Nest's
 * not-found handler answered, whoever sent it. Routes Fastify adds itself (HEAD beside GET) are matched routes.
 */
export function refuseKeylessRequestsBeforeBody(instance: FastifyInstance, keys: ApiKeyRing): void {
  instance.addHook('onRequest', (req, _reply, done) => {
    if (req.is404) return done(new NotFoundException(`Cannot ${req.method} ${req.url}`));
    const needed: unknown = (req.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[ROLE_CONFIG];
    if (typeof needed !== 'string' || !(needed in ROLE_GRANTS)) {
      done();
      return;
    }
    const refusal = keyRefusal(needed as Role, req.headers.authorization, keys);
    if (refusal) return done(refusal);
    done();
  });
}
