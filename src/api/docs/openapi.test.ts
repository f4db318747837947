import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Post } from '@nestjs/common';
import { INT32_MAX, StorableTimestamp } from '../../domain/storable';
import { ApiRoute } from '../common/api-route';
import { VersionText } from '../common/version-text';
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

describe('the OpenAPI document on the bodies that are not the usual JSON (review 55)', () => {
  const doc = apiOpenApiDocument();
  type Schema = { $ref?: string; anyOf?: Schema[]; oneOf?: Schema[]; properties?: Record<string, Schema>; required?: string[] };
  type Response = { content?: Record<string, { schema: Schema }> };
  const op = (path: string, method: string) => (doc.paths?.[path] as Record<string, { responses: Record<string, Response>; requestBody?: Response }>)[method];
  /** A schema with its `$ref`s to components followed, as far as `depth`. */
  const resolved = (schema: Schema, depth = 4): Schema => {
    const named = schema.$ref ? (doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] as Schema) : schema;
    if (depth === 0) return named;
    const each = (list?: Schema[]) => list?.map((s) => resolved(s, depth - 1));
    return { ...named, anyOf: each(named.anyOf), oneOf: each(named.oneOf) };
  };
  const members = (schema: Schema): Schema[] => schema.anyOf ?? schema.oneOf ?? [schema];

  it('gives /livez, /readyz and /health their JSON bodies (finding 1)', () => {
    for (const path of ['/livez', '/readyz', '/health']) {
      const body = op(path, 'get').responses['200'].content?.['application/json']?.schema;
      expect({ path, status: body && resolved(body).properties?.status }).toEqual({ path, status: expect.anything() });
    }
    expect(resolved(op('/readyz', 'get').responses['200'].content!['application/json'].schema).properties?.checks).toBeDefined();
  });

  it("says /readyz's and /health's 503 carries their checks, or the error body of a failure nobody expected (finding 1)", () => {
    for (const path of ['/readyz', '/health']) {
      const schema = resolved(op(path, 'get').responses['503'].content!['application/json'].schema);
      const props = members(schema).map((m) => Object.keys(m.properties ?? {}).sort());
      expect({ path, props }).toEqual({ path, props: expect.arrayContaining([expect.arrayContaining(['checks', 'status']), ['error']]) as unknown });
    }
    // Every other route's 503 is the error body alone.
    expect(op('/v1/campaigns', 'get').responses['503'].content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
  });

  it("declares /metrics' 200 as text, not JSON (finding 2)", () => {
    const content = op('/metrics', 'get').responses['200'].content;
    expect(Object.keys(content ?? {})).toEqual(['text/plain']);
    expect(content?.['text/plain'].schema).toMatchObject({ type: 'string' });
  });

  it('lets PUT /v1/sources/{key} leave `key` out of its body, as the route does, while POST needs it (finding 3)', () => {
    const body = (path: string, method: string) => members(resolved(op(path, method).requestBody!.content!['application/json'].schema));
    const put = body('/v1/sources/{key}', 'put');
    const post = body('/v1/sources', 'post');
    expect(put.map((m) => m.properties?.broker !== undefined)).toEqual([true, true]);
    expect(put.map((m) => m.required?.includes('key'))).toEqual([false, false]);
    expect(post.map((m) => m.required?.includes('key'))).toEqual([true, true]);
  });
});

// Review 59 (API), finding 4: the document says what the routes accept.
describe('the OpenAPI document on what the routes accept', () => {
  const doc = apiOpenApiDocument();
  type Operation = { operationId?: string; requestBody?: { required?: boolean }; parameters?: Array<{ name?: string; in?: string; schema?: { type?: string; pattern?: string } }> };
  const operations = Object.values(doc.paths ?? {}).flatMap((item) => Object.values(item ?? {}) as Operation[]);
  const op = (path: string, method: string) => (doc.paths?.[path] as Record<string, Operation>)[method];

  it('lets a body be left out where the route reads a missing one as {}, and only there', () => {
    const optional = operations.filter((o) => o.requestBody && o.requestBody.required === false).map((o) => o.operationId);
    expect(optional.sort()).toEqual(['activateCampaign', 'archiveCampaign', 'exitJourney', 'pauseCampaign', 'redeemReward', 'renderTemplate', 'retryJourneyStep', 'skipJourneyStep']);
    expect(op('/v1/rewards/{id}/redeem', 'post').requestBody?.required).toBe(false);
    for (const required of [op('/v1/events', 'post'), op('/v1/campaigns/{key}/versions/{version}/layout', 'put'), op('/v1/pools/{key}/top-up', 'post')]) {
      expect(required.requestBody?.required).toBe(true);
    }
  });

  it('types a path version as the text its route parses: digits (1 to 2^31-1), and `latest` where the route reads it', () => {
    const version = (path: string, method: string) => new RegExp(op(path, method).parameters!.find((p) => p.in === 'path' && p.name === 'version')!.schema!.pattern!);
    const read = version('/v1/campaigns/{key}/versions/{version}', 'get');
    const layout = version('/v1/campaigns/{key}/versions/{version}/layout', 'put');
    for (const text of ['1', '42', String(INT32_MAX)]) expect([text, read.test(text), layout.test(text), VersionText.safeParse(text).success]).toEqual([text, true, true, true]);
    for (const text of ['0', '01', '-1', '1.5', 'v1', '', 'LATEST']) expect([text, read.test(text), layout.test(text), VersionText.safeParse(text).success]).toEqual([text, false, false, false]);
    expect([read.test('latest'), layout.test('latest')]).toEqual([true, false]);
  });

  it("states occurredAt's pattern, which refuses what the route refuses beside date-time (a lowercase t or z, a leap second)", () => {
    const found: Array<{ pattern?: string; format?: string }> = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'occurredAt' && v && typeof v === 'object' && 'type' in v) found.push(v as { pattern?: string });
          walk(v);
        }
      }
    };
    walk(doc);
    expect(found.length).toBeGreaterThan(0);
    for (const schema of found.filter((s) => s.format === 'date-time')) {
      const pattern = new RegExp(schema.pattern!);
      for (const text of ['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.123456+01:00']) expect([text, pattern.test(text), StorableTimestamp.safeParse(text).success]).toEqual([text, true, true]);
      for (const text of ['2026-11-21t10:00:00z', '2026-12-31T23:59:60Z', '2026-11-21 10:00:00Z']) expect([text, pattern.test(text), StorableTimestamp.safeParse(text).success]).toEqual([text, false, false]);
    }
    expect(found.filter((s) => s.format === 'date-time' && !s.pattern)).toEqual([]);
  });
});
