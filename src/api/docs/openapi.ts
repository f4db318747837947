import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorResponse } from './error-response';
import { PATH_PARAMS } from './path-params';
import { routeKey, type DocumentedRoute } from './registered-routes';

const errorStatuses: Record<number, string> = {
  400: 'Bad input; `details` gives the exact path of each problem.',
  401: 'No or unknown API key.',
  403: 'The key lacks the role.',
  413: 'Body or batch too large.',
  503: 'A dependency is down; retry after `Retry-After` seconds.',
};

const extraErrorStatuses: Record<number, string> = {
  // Only a public route lists it: `/metrics`, once METRICS_TOKEN is set.
  401: 'Without the token this route needs (METRICS_TOKEN, when it is set).',
  404: 'Not found.',
  409: 'Conflicts with the current state (an existing key, a status change not allowed).',
};

/**
 * Path parameters (`{key}`) are strings, as PATH_PARAMS narrows them for its
 * routes; declaring them keeps the document valid without listing each route's.
 */
function pathParams(route: DocumentedRoute) {
  const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const typed = PATH_PARAMS[routeKey(route.method, route.path)] ?? {};
  return names.length ? z.object(Object.fromEntries(names.map((n) => [n, typed[n] ?? z.string()]))) : undefined;
}

/**
 * Whether a request may leave its body out: the routes whose body may be
 * empty (`{}` passes its schema) read a missing body as `{}` (redeem, pause,
 * archive, activate, exit, retry, skip, render: `body ?? {}`), so a typed
 * client need not invent one. openapi.test.ts names them, so a new route of
 * that kind is looked at.
 */
const bodyOptional = (body: z.ZodType): boolean => body.safeParse({}).success;

/** A success's body: JSON as its schema says, or (`contentType`, e.g. `/metrics`' text/plain) text, a string unless a schema says otherwise. */
function successContent({ schema, contentType }: DocumentedRoute['success']) {
  if (contentType) return { content: { [contentType]: { schema: schema ?? z.string() } } };
  return schema ? { content: { 'application/json': { schema } } } : {};
}

/**
 * The OpenAPI document of these routes (their `@ApiRoute` declarations),
 * generated from the same zod schemas that validate requests
 * (@asteasolutions/zod-to-openapi: maintained, zod 4 native), so the docs
 * cannot drift from the validation.
 */
export function buildOpenApiDocument(routes: readonly DocumentedRoute[], serverUrl?: string) {
  const ids = routes.map((r) => r.operationId);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length) throw new Error(`operationId declared twice: ${[...new Set(repeated)].join(', ')}`);
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS.' });
  const error = ErrorResponse;
  for (const route of routes) {
    const isPublic = route.role === 'public';
    registry.registerPath({
      method: route.method,
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      description: isPublic ? 'No key needed.' : `Role: \`${route.role}\` (or a role that includes it).`,
      security: isPublic ? [] : [{ bearer: [] }],
      request: {
        params: pathParams(route),
        ...(route.query ? { query: route.query } : {}),
        ...(route.headers ? { headers: route.headers } : {}),
        ...(route.body
          ? { body: { required: !bodyOptional(route.body), content: { 'application/json': { schema: route.body, ...(route.example ? { example: route.example } : {}) } } } }
          : {}),
      },
      responses: {
        [route.success.status]: {
          description: route.success.description,
          ...successContent(route.success),
        },
        ...Object.fromEntries(
          Object.entries(errorStatuses)
            .filter(([status]) => !isPublic || status === '503')
            .map(([status, description]) => [status, { description, content: { 'application/json': { schema: error } } }]),
        ),
        // A route that answers 503 itself (a health route, with its checks); anything unexpected still gets the error body.
        ...(route.unavailable
          ? { 503: { description: route.unavailable.description, content: { 'application/json': { schema: z.union([route.unavailable.schema, error]) } } } }
          : {}),
        // A body sent as anything but JSON (text/plain is what fetch sends for a string).
        ...(route.body ? { 415: { description: 'The body is not sent as `application/json`.', content: { 'application/json': { schema: error } } } } : {}),
        ...Object.fromEntries(
          (route.errors ?? []).map((status) => [status, { description: extraErrorStatuses[status] ?? `HTTP ${status}`, content: { 'application/json': { schema: error } } }]),
        ),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Kairos API', version: '1', description: 'Marketing journeys on Temporal. See API.md for the contract.' },
    servers: serverUrl ? [{ url: serverUrl }] : [],
  });
}
