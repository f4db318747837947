import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi';

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument();

  it('has every documented route, with its path parameters and error answers', () => {
    for (const route of apiRoutes) {
      const op = doc.paths?.[route.path]?.[route.method];
      expect(op).toBeDefined();
      const params = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect((op?.parameters ?? []).map((p) => ('name' in p ? p.name : undefined))).toEqual(params);
      for (const status of route.errors ?? []) expect(op?.responses?.[status]).toBeDefined();
    }
  });

  it('describes the recursive campaign schema through a reference instead of overflowing', () => {
    expect(doc.components?.schemas?.ActionGroup).toBeDefined();
    expect(JSON.stringify(doc)).toContain('#/components/schemas/ActionGroup');
  });
});
