import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../config/config';
import { ApiKeyRing } from './api-keys';
import { PUBLIC_KEY, ROLE_GRANTS, ROLE_KEY } from './roles';

/** The one guard: a bearer key with a role that the route's role grants. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeyRing) private readonly keys: ApiKeyRing,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const needed = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets);
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('Send an API key as `Authorization: Bearer <key>`.');
    const role = this.keys.roleOf(match[1].trim());
    if (!role) throw new UnauthorizedException('Unknown API key.');
    // A route that forgot to declare a role is admin-only rather than open.
    if (!ROLE_GRANTS[needed ?? 'admin'].has(role)) {
      throw new ForbiddenException(`This needs the ${needed ?? 'admin'} role; the key has ${role}.`);
    }
    return true;
  }
}
