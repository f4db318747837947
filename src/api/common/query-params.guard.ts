import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { API_ROUTE_KEY, type ApiRouteSpec } from './api-route';
import { InputError } from './errors';

/** Whether a query component is percent-encoded UTF-8 (`+` a space), as a browser or URLSearchParams writes it. */
function decodes(component: string): boolean {
  try {
    decodeURIComponent(component.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}

/**
 * The names of the query parameters whose name or value is not
 * percent-encoded UTF-8 (`%E9`, Latin-1 for é; `%zz`). Fastify's query
 * parser keeps such a component as its raw text, so `?causedBy=%E9` read as
 * the value `%E9`, the same as `?causedBy=%25E9`: two different query
 * strings, one value. A name that does not decode is given as sent.
 */
export function undecodableQueryNames(url: string): string[] {
  const start = url.indexOf('?');
  if (start === -1) return [];
  const names: string[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    if (decodes(name) && decodes(value)) continue;
    names.push(decodes(name) ? decodeURIComponent(name.replace(/\+/g, ' ')) : name);
  }
  return [...new Set(names)];
}

/**
 * A route that documents no query parameters refuses any, at its name: a
 * `?limit=5` it would ignore reads as if it had limited something. Routes
 * with a query schema check their own (strictly); public routes (health,
 * docs) are left to probes and browsers that add what they like. On every
 * other route, a parameter that is not percent-encoded UTF-8 is a 400 at its
 * name, as the same bytes in a path segment are a 400 (`invalid_url`) and in
 * a body (never replaced).
 */
@Injectable()
export class QueryParamsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const route = this.reflector.get<ApiRouteSpec | undefined>(API_ROUTE_KEY, ctx.getHandler());
    if (!route || route.role === 'public') return true;
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    const undecodable = undecodableQueryNames(request.url ?? '');
    if (undecodable.length > 0) {
      throw new InputError(undecodable.map((name) => ({ path: name, message: 'not percent-encoded UTF-8: send each byte of the UTF-8 text as %XX (a % itself as %25)' })));
    }
    if (route.query) return true;
    const query = request.query;
    const names = query && typeof query === 'object' ? Object.keys(query) : [];
    if (names.length > 0) throw new InputError(names.map((name) => ({ path: name, message: 'this route takes no query parameters' })));
    return true;
  }
}
