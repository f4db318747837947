import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner } from '@nestjs/core';
import { PathsExplorer } from '@nestjs/core/router/paths-explorer';
import { API_ROUTE_KEY, type ApiRouteSpec } from '../common/api-route';

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** A route as `METHOD /path/{param}`, the form registered routes and documented ones are compared in. */
export type RouteKey = string;

/** One route Nest registers for a controller method, with its `@ApiRoute` when it has one. */
export interface RegisteredRoute {
  method: HttpMethod;
  /** OpenAPI path, `{param}` style. */
  path: string;
  /** `Controller.method`, to name a route that lacks its declaration. */
  handler: string;
  spec?: ApiRouteSpec;
}

/** A registered route with its declaration: one operation of the OpenAPI document, one row of the role matrix. */
export interface DocumentedRoute extends ApiRouteSpec {
  method: HttpMethod;
  path: string;
}

/** The OpenAPI document itself: served, never listed in it. */
const SELF: RouteKey = 'GET /docs';

/** `/v1/campaigns/:key` (Nest, Fastify) -> `/v1/campaigns/{key}` (OpenAPI). */
export function openApiPath(path: string): string {
  return ('/' + path).replace(/\/+/g, '/').replace(/(.)\/$/, '$1').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function routeKey(method: string, path: string): RouteKey {
  return `${method.toUpperCase()} ${openApiPath(path)}`;
}

const METHOD_ORDER: HttpMethod[] = ['get', 'put', 'post', 'patch', 'delete'];

/**
 * The routes Nest registers for these controllers, read the way Nest's router
 * does (the controller's PATH_METADATA joined with each handler's, through
 * Nest's own PathsExplorer), in one order whatever order the controllers
 * come in (by path, then method), so the document is the same byte for byte
 * wherever it is built.
 */
export function registeredRoutes(controllers: Iterable<Type>): RegisteredRoute[] {
  const explorer = new PathsExplorer(new MetadataScanner());
  const routes: RegisteredRoute[] = [];
  for (const controller of new Set(controllers)) {
    const prototype = controller.prototype as object;
    const prefixes: string | string[] = Reflect.getMetadata(PATH_METADATA, controller) ?? '/';
    for (const found of explorer.scanForPaths(prototype, prototype)) {
      const method = RequestMethod[found.requestMethod].toLowerCase() as HttpMethod;
      const handler = (prototype as Record<string, unknown>)[found.methodName] as object;
      const spec = Reflect.getMetadata(API_ROUTE_KEY, handler) as ApiRouteSpec | undefined;
      for (const prefix of [prefixes].flat()) {
        for (const path of found.path) {
          routes.push({ method, path: openApiPath(`${prefix}/${path}`), handler: `${controller.name}.${found.methodName}`, ...(spec ? { spec } : {}) });
        }
      }
    }
  }
  return routes.sort((a, b) => (a.path === b.path ? METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method) : a.path < b.path ? -1 : 1));
}

/** The routes the document lists: every registered route with an `@ApiRoute`. */
export function documentedRoutes(routes: RegisteredRoute[]): DocumentedRoute[] {
  return routes.flatMap(({ method, path, spec }) => (spec ? [{ ...spec, method, path }] : []));
}

/** Registered routes without an `@ApiRoute` (the document's own route aside): each is missing from the document. */
export function undocumentedRoutes(routes: RegisteredRoute[]): string[] {
  return routes.filter((r) => !r.spec && routeKey(r.method, r.path) !== SELF).map((r) => `${routeKey(r.method, r.path)} (${r.handler})`);
}

/**
 * Compares routes a server registered (e.g. as Fastify stored them) with
 * the documented ones, both ways: a registered route nobody documented, and
 * a documented route nothing serves.
 */
export function routeDifferences(registered: RouteKey[], documented: RouteKey[]): { undocumented: RouteKey[]; unregistered: RouteKey[] } {
  const listed = new Set(documented);
  const served = new Set(registered);
  return {
    undocumented: [...served].filter((r) => r !== SELF && !listed.has(r)).sort(),
    unregistered: [...listed].filter((r) => !served.has(r)).sort(),
  };
}
