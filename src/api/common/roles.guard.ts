import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../config/config';
import { ApiKeyRing } from './api-keys';
import { API_ROUTE_KEY, type ApiRouteSpec } from './api-route';
import { keyRefusal } from './key-refusal';
import { PUBLIC_KEY } from './roles';

/** The one guard: a bearer key with a role that the route's role (its `@ApiRoute`, the one the document shows) grants. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeyRing) private readonly keys: ApiKeyRing,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const handler = ctx.getHandler();
    const route = this.reflector.get<ApiRouteSpec | undefined>(API_ROUTE_KEY, handler);
    if (route?.role === 'public' || this.reflector.get<boolean | undefined>(PUBLIC_KEY, handler)) return true;
    // A route that forgot its @ApiRoute is admin-only rather than open.
    const needed: Role = route?.role ?? 'admin';
    const refusal = keyRefusal(needed, ctx.switchToHttp().getRequest<FastifyRequest>().headers.authorization, this.keys);
    if (refusal) throw refusal;
    return true;
  }
}
