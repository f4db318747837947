import { applyDecorators, HttpCode, SetMetadata } from '@nestjs/common';
import type { z } from 'zod';
import type { Role } from '../../config/config';
import { RouteRole } from './key-before-body';

export const API_ROUTE_KEY = 'kairos:api-route';

/**
 * What a route is, beside its method and path (which stay in Nest's own
 * `@Get`/`@Post`): the OpenAPI document, the role guard, the success status
 * and the role-matrix test all read this one declaration.
 */
export interface ApiRouteSpec {
  /** Unique, camelCase: the name a generated client gives the call. Never renamed: clients rely on it. */
  operationId: string;
  /** Who may call it (API.md, "Auth"); `public` needs no key. RolesGuard enforces exactly this. */
  role: Role | 'public';
  summary: string;
  /** The request body as documented (the handler validates it). */
  body?: z.ZodType;
  /** Query parameters, when the route reads any. */
  query?: z.ZodObject;
  /** Request headers the route reads, by their lower-case names (how Node gives them). */
  headers?: z.ZodObject;
  /** An example request body, shown in the document and mutated by the fuzz test. */
  example?: unknown;
  /**
   * The status a success answers with (also the handler's `@HttpCode`), and its body: JSON unless
   * `contentType` says otherwise (`/metrics` answers `text/plain`).
   */
  success: { status: number; schema?: z.ZodType; description: string; contentType?: string };
  /**
   * What the route's 503 carries beside the error body, when it answers 503 itself: a health route's
   * checks. An unexpected failure still answers with the error body (HttpErrorFilter), so the
   * document gives either.
   */
  unavailable?: { schema: z.ZodType; description: string };
  /** Error statuses beyond the ones every route may answer (400, 401, 403, 413, 503), e.g. 404 and 409. */
  errors?: number[];
}

/**
 * Declares a route once: its document entry, the role the guard enforces (and the key check before the body,
 * key-before-body.ts) and its success status.
 */
export function ApiRoute(spec: ApiRouteSpec): MethodDecorator {
  return applyDecorators(SetMetadata(API_ROUTE_KEY, spec), HttpCode(spec.success.status), RouteRole(spec.role));
}
