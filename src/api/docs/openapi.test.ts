import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi';

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument();

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
