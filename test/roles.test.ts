import type { Role } from '../src/config/config';
import { apiRoutes } from '../src/api/docs/api-document';
import { documentedRoutes, routeDifferences, routeKey, type DocumentedRoute } from '../src/api/docs/registered-routes';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** API.md's role table, written out here rather than taken from the code it checks. */
const MAY: Record<Role, Role[]> = {
  ingest: ['ingest', 'admin'],
  support: ['support', 'operator', 'admin'],
  operator: ['operator', 'admin'],
  admin: ['admin'],
};
const ROLES: Role[] = ['ingest', 'support', 'operator', 'admin'];

/** `/v1/campaigns/{key}` -> `/v1/campaigns/role-matrix-key`: ids nothing exists under, so allowed calls do no harm. */
const concrete = (path: string) => path.replace(/\{([^}]+)\}/g, (_, name: string) => `role-matrix-${name}`);

/** The matrix: every route the controllers register, with the role of its @ApiRoute (the one RolesGuard enforces). */
const routes = documentedRoutes(apiRoutes());

describe('every documented route answers 401 / 403 / not-403 as API.md says', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  const send = (route: DocumentedRoute, opts: { role?: Role; key?: string }) =>
    sut.request(route.method.toUpperCase(), concrete(route.path), { ...opts, body: route.method === 'get' ? undefined : {} });

  for (const route of routes) {
    const name = `${route.method.toUpperCase()} ${route.path} (${route.role})`;
    if (route.role === 'public') {
      it(`${name} needs no key`, async () => {
        const res = await send(route, {});
        expect(res.status).not.toBe(401);
        expect(res.status).not.toBe(403);
      });
      continue;
    }
    const needed = route.role;
    it(`${name}: 401 without a key or with a wrong one, 403 or not per role`, async () => {
      const none = await send(route, {});
      expect({ status: none.status, code: none.body?.error?.code }).toEqual({ status: 401, code: 'unauthorized' });
      const wrong = await send(route, { key: 'not-a-key' });
      expect({ status: wrong.status, code: wrong.body?.error?.code }).toEqual({ status: 401, code: 'unauthorized' });
      for (const role of ROLES) {
        const res = await send(route, { role });
        if (MAY[needed].includes(role)) {
          // Allowed: whatever the handler makes of an empty body and unknown ids, it is not an auth refusal nor a crash.
          const refusedOrCrashed = res.status === 401 || res.status === 403 || res.status >= 500;
          expect({ role, status: res.status, refusedOrCrashed }).toEqual({ role, status: res.status, refusedOrCrashed: false });
        } else {
          expect({ role, status: res.status, code: res.body?.error?.code }).toEqual({ role, status: 403, code: 'forbidden' });
        }
      }
    });
  }

  it('the matrix covers exactly the routes the running server registered, both ways', () => {
    // HEAD routes are Fastify's automatic twins of the GET routes.
    const registered = sut.registeredRoutes.filter((r) => r.method !== 'HEAD').map((r) => routeKey(r.method, r.url));
    expect(registered).toContain('POST /v1/events');
    expect(routeDifferences(registered, routes.map((r) => routeKey(r.method, r.path)))).toEqual({ undocumented: [], unregistered: [] });
  });

  it('the document served at /docs lists exactly the routes the running server registered, both ways, with their operation ids', async () => {
    const docs = await sut.request('GET', '/docs');
    expect(docs.status).toBe(200);
    const paths = (docs.body.paths ?? {}) as Record<string, Record<string, { operationId?: string }>>;
    const operations = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ key: routeKey(method, path), operationId: op.operationId })));
    const registered = sut.registeredRoutes.filter((r) => r.method !== 'HEAD').map((r) => routeKey(r.method, r.url));
    expect(routeDifferences(registered, operations.map((o) => o.key))).toEqual({ undocumented: [], unregistered: [] });
    expect(operations.filter((o) => !o.operationId)).toEqual([]);
    expect(new Map(operations.map((o) => [o.key, o.operationId]))).toEqual(new Map(routes.map((r) => [routeKey(r.method, r.path), r.operationId])));
  });

  it('documents the campaigns and users routes of API.md', () => {
    const documented = new Set(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`));
    for (const route of [
      'POST /v1/campaigns',
      'PUT /v1/campaigns/{key}',
      'POST /v1/campaigns/validate',
      'POST /v1/campaigns/{key}/activate',
      'POST /v1/campaigns/{key}/pause',
      'POST /v1/campaigns/{key}/archive',
      'GET /v1/campaigns',
      'GET /v1/campaigns/{key}',
      'PUT /v1/users/{id}',
      'GET /v1/users/{id}',
    ]) {
      expect(documented).toContain(route);
    }
  });
});
