import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Post } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { apiControllers, apiOpenApiDocument, apiRoutes } from './api-document';
import { buildOpenApiDocument } from './openapi';
import { documentedRoutes, registeredRoutes, routeKey, undocumentedRoutes } from './registered-routes';

@Controller('v1/examples')
class ExampleController {
  @Get(':id')
  @ApiRoute({ operationId: 'getExample', role: 'support', summary: 'One example.', success: { status: 200, description: 'The example.' } })
  get() {
    return {};
  }

  /** Registered by Nest, but declared nowhere: the document would miss it. */
  @Post(':id/forgotten')
  forgotten() {
    return {};
  }
}

describe('the routes the controllers register', () => {
  // Nothing is instantiated: only the module graph and the controllers' decorators are read, as Nest's router reads them.
  const routes = apiRoutes();

  it('each have an @ApiRoute, so each is in the document', () => {
    expect(routes.map((r) => routeKey(r.method, r.path))).toContain('POST /v1/events');
    expect(undocumentedRoutes(routes)).toEqual([]);
  });

  it('a route without an @ApiRoute is reported, with its handler', () => {
    const example = registeredRoutes([ExampleController]);
    expect(example.map((r) => routeKey(r.method, r.path))).toEqual(['GET /v1/examples/{id}', 'POST /v1/examples/{id}/forgotten']);
    expect(undocumentedRoutes(example)).toEqual(['POST /v1/examples/{id}/forgotten (ExampleController.forgotten)']);
    expect(documentedRoutes(example)).toEqual([expect.objectContaining({ method: 'get', path: '/v1/examples/{id}', operationId: 'getExample', role: 'support' })]);
  });

  it('come out in one order whatever order the controllers are given in', () => {
    const controllers = apiControllers();
    expect(registeredRoutes([...controllers].reverse())).toEqual(routes);
  });

  it('are each registered once', () => {
    const keys = routes.map((r) => routeKey(r.method, r.path));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  const routes = documentedRoutes(apiRoutes());
  const doc = apiOpenApiDocument();

  it('has an operation for each documented route and no other', () => {
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      ['get', 'put', 'post', 'delete', 'patch'].filter((m) => m in (item ?? {})).map((m) => routeKey(m, path)),
    );
    expect(operations.sort()).toEqual(routes.map((r) => routeKey(r.method, r.path)).sort());
  });

  it('has every documented route, with its path and query parameters and error answers', () => {
    for (const route of routes) {
      const op = doc.paths?.[route.path]?.[route.method];
      expect(op).toBeDefined();
      const params = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const named = (where: string) => (op?.parameters ?? []).filter((p) => 'in' in p && p.in === where).map((p) => ('name' in p ? p.name : undefined));
      expect(named('path')).toEqual(params);
      expect(named('query')).toEqual(Object.keys(route.query?.shape ?? {}));
      expect(named('header')).toEqual(Object.keys(route.headers?.shape ?? {}));
      for (const status of route.errors ?? []) expect(op?.responses?.[status]).toBeDefined();
      expect(op?.responses?.[route.success.status]).toBeDefined();
    }
  });

  it('names every operation once, and shows an example for every request body', () => {
    const ops = Object.values(doc.paths ?? {}).flatMap((item) => Object.values(item ?? {}) as Array<{ operationId?: string; requestBody?: { content: Record<string, { example?: unknown }> } }>);
    const ids = ops.map((op) => op.operationId);
    expect(ids).toHaveLength(routes.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of ops) if (op.requestBody) expect(op.requestBody.content['application/json'].example).toBeDefined();
  });

  it('refuses an operationId declared on two routes', () => {
    const [first, second] = routes;
    expect(() => buildOpenApiDocument([first, { ...second, operationId: first.operationId }])).toThrow(first.operationId);
  });

  it('describes the recursive campaign schema through a reference instead of overflowing', () => {
    expect(doc.components?.schemas?.ActionGroup).toBeDefined();
    expect(JSON.stringify(doc)).toContain('#/components/schemas/ActionGroup');
  });

  it('is the one the typed client was generated from (run `npm run client:generate` when this fails)', () => {
    const committed: unknown = JSON.parse(readFileSync(path.join(__dirname, '../../../clients/ts/openapi.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify({ ...doc, servers: [] }))).toEqual(committed);
  });
});
