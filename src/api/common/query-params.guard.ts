import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { API_ROUTE_KEY, type ApiRouteSpec } from './api-route';
import { InputError } from './errors';

/**
 * A route that documents no query parameters refuses any, at its name: a
 * `?limit=5` it would ignore reads as if it had limited something. Routes
 * with a query schema check their own (strictly); public routes (health,
 * docs) are left to probes and browsers that add what they like.
 */
@Injectable()
export class QueryParamsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const route = this.reflector.get<ApiRouteSpec | undefined>(API_ROUTE_KEY, ctx.getHandler());
    if (!route || route.role === 'public' || route.query) return true;
    const query = ctx.switchToHttp().getRequest<FastifyRequest>().query;
    const names = query && typeof query === 'object' ? Object.keys(query) : [];
    if (names.length > 0) throw new InputError(names.map((name) => ({ path: name, message: 'this route takes no query parameters' })));
    return true;
  }
}
