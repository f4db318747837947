import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../config/config';
import { bearerCredential } from '../../security/bearer';
import { ApiKeyRing } from './api-keys';
import { API_ROUTE_KEY, type ApiRouteSpec } from './api-route';
import { PUBLIC_KEY, ROLE_GRANTS } from './roles';

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
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    const key = bearerCredential(request.headers.authorization);
    if (key === undefined) throw new UnauthorizedException('Send an API key as `Authorization: Bearer <key>`.');
    const role = this.keys.roleOf(key);
    if (!role) throw new UnauthorizedException('Unknown API key.');
    if (!ROLE_GRANTS[needed].has(role)) {
      throw new ForbiddenException(`This needs the ${needed} role; the key has ${role}.`);
    }
    return true;
  }
}
