import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { API_FEATURE_MODULES } from '../api-modules';
import { buildOpenApiDocument } from './openapi';
import { documentedRoutes, registeredRoutes, type RegisteredRoute } from './registered-routes';

type ModuleRef = Type | DynamicModule;

/**
 * Every controller of the feature modules and the modules they import, as
 * Nest's scanner collects them, without instantiating anything.
 */
export function apiControllers(roots: readonly ModuleRef[] = API_FEATURE_MODULES): Type[] {
  const seen = new Set<unknown>();
  const controllers: Type[] = [];
  const visit = (ref: ModuleRef) => {
    if (seen.has(ref)) return;
    seen.add(ref);
    const moduleClass: Type = 'module' in ref ? ref.module : ref;
    const dynamic: Partial<DynamicModule> = 'module' in ref ? ref : {};
    controllers.push(...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) ?? []) as Type[]), ...(dynamic.controllers ?? []));
    const imports = [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) ?? []) as ModuleRef[]), ...((dynamic.imports ?? []) as ModuleRef[])];
    for (const imported of imports) visit(imported);
  };
  for (const root of roots) visit(root);
  return controllers;
}

/**
 * The API's routes and document without starting it: for the client
 * generator and the tests. The served document is built the same way from
 * the controllers the running application registered (DocsController), and
 * test/typed-client.test.ts checks the two agree.
 */
export function apiRoutes(): RegisteredRoute[] {
  return registeredRoutes(apiControllers());
}

export function apiOpenApiDocument(serverUrl?: string) {
  return buildOpenApiDocument(documentedRoutes(apiRoutes()), serverUrl);
}
