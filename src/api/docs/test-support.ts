import 'reflect-metadata';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner } from '@nestjs/core';
import { PathsExplorer } from '@nestjs/core/router/paths-explorer';
import { apiRoutes } from './api-routes';

/** A route as `METHOD /path/{param}`, the form both lists are compared in. */
export type RouteKey = string;

/** The OpenAPI document itself: served, never listed in it. */
const SELF = 'GET /docs';

/** `/v1/campaigns/:key` (Nest, Fastify) -> `/v1/campaigns/{key}` (OpenAPI). */
export function routeKey(method: string, path: string): RouteKey {
  const openApiPath = ('/' + path).replace(/\/+/g, '/').replace(/(.)\/$/, '$1').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  return `${method.toUpperCase()} ${openApiPath}`;
}

/** The hand-made list of api-routes.ts and support-routes.ts. */
export function documentedRoutes(): RouteKey[] {
  return apiRoutes.map((r) => routeKey(r.method, r.path));
}

/**
 * Compares the routes a server registered with the documented list, both ways:
 * a registered route nobody documented, and a documented route nothing serves.
 */
export function routeDifferences(registered: RouteKey[]): { undocumented: RouteKey[]; unregistered: RouteKey[] } {
  const documented = new Set(documentedRoutes());
  const served = new Set(registered);
  return {
    undocumented: [...served].filter((r) => r !== SELF && !documented.has(r)).sort(),
    unregistered: [...documented].filter((r) => !served.has(r)).sort(),
  };
}

type ModuleRef = Type | DynamicModule;

/**
 * The routes Nest registers for `root`, read the way Nest's router does
 * (controller PATH_METADATA joined with each handler's, through Nest's own
 * PathsExplorer) from every controller of every module `root` imports.
 */
export function controllerRoutes(root: ModuleRef): RouteKey[] {
  const explorer = new PathsExplorer(new MetadataScanner());
  const seen = new Set<unknown>();
  const routes: RouteKey[] = [];
  const visit = (ref: ModuleRef) => {
    const moduleClass: Type = 'module' in ref ? ref.module : ref;
    const dynamic: Partial<DynamicModule> = 'module' in ref ? ref : {};
    if (seen.has(ref)) return;
    seen.add(ref);
    const controllers: Type[] = [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) ?? []), ...(dynamic.controllers ?? [])];
    for (const controller of controllers) {
      const prefixes: string | string[] = Reflect.getMetadata(PATH_METADATA, controller) ?? '/';
      for (const route of explorer.scanForPaths(Object.create(controller.prototype) as object, controller.prototype as object)) {
        for (const prefix of [prefixes].flat()) {
          for (const path of route.path) routes.push(routeKey(RequestMethod[route.requestMethod], `${prefix}/${path}`));
        }
      }
    }
    const imports: ModuleRef[] = [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) ?? []), ...((dynamic.imports ?? []) as ModuleRef[])];
    for (const imported of imports) visit(imported);
  };
  visit(root);
  return routes;
}
