import { loadConfig } from '../../config/config';
import { AppModule } from '../app.module';
import type { CoreDeps } from '../core/core.module';
import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi';
import { controllerRoutes, routeDifferences, routeKey } from './test-support';

describe('the documented route list', () => {
  // Nothing is instantiated: only the module graph and the controllers' decorators are read.
  const app = AppModule.forRoot({ config: loadConfig({}), kairos: { repositories: {} } as CoreDeps['kairos'], runtime: { temporalAddress: '' } });

  it('is exactly what the controllers register, both ways', () => {
    const registered = controllerRoutes(app);
    expect(registered).toContain(routeKey('post', '/v1/events'));
    expect(routeDifferences(registered)).toEqual({ undocumented: [], unregistered: [] });
  });

  it('lists each route once', () => {
    const keys = apiRoutes.map((r) => routeKey(r.method, r.path));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument();

  it('has an operation for each documented route and no other', () => {
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      ['get', 'put', 'post', 'delete', 'patch'].filter((m) => m in (item ?? {})).map((m) => routeKey(m, path)),
    );
    expect(operations.sort()).toEqual(apiRoutes.map((r) => routeKey(r.method, r.path)).sort());
  });

  it('has every documented route, with its path and query parameters and error answers', () => {
    for (const route of apiRoutes) {
      const op = doc.paths?.[route.path]?.[route.method];
      expect(op).toBeDefined();
      const params = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const named = (where: string) => (op?.parameters ?? []).filter((p) => 'in' in p && p.in === where).map((p) => ('name' in p ? p.name : undefined));
      expect(named('path')).toEqual(params);
      expect(named('query')).toEqual(Object.keys(route.query?.shape ?? {}));
      for (const status of route.errors ?? []) expect(op?.responses?.[status]).toBeDefined();
    }
  });

  it('names every operation once, and shows an example for every request body', () => {
    const ops = Object.values(doc.paths ?? {}).flatMap((item) => Object.values(item ?? {}) as Array<{ operationId?: string; requestBody?: { content: Record<string, { example?: unknown }> } }>);
    const ids = ops.map((op) => op.operationId);
    expect(ids).toHaveLength(apiRoutes.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of ops) if (op.requestBody) expect(op.requestBody.content['application/json'].example).toBeDefined();
  });

  it('describes the recursive campaign schema through a reference instead of overflowing', () => {
    expect(doc.components?.schemas?.ActionGroup).toBeDefined();
    expect(JSON.stringify(doc)).toContain('#/components/schemas/ActionGroup');
  });
});
