import { z } from 'zod';
import type { Role } from '../../config/config';
import { IncomingEvent } from '../../domain/event';
import { PostEventsBody, PostEventsResponse } from '../events/events.schemas';

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string(), position: z.number().int().optional() })),
  }),
});

/** One documented route: the OpenAPI document and the role-matrix test are both built from this list. */
export interface ApiRoute {
  method: 'get' | 'post' | 'put';
  /** OpenAPI path, `{param}` style. */
  path: string;
  role: Role | 'public';
  summary: string;
  body?: z.ZodType;
  example?: unknown;
  success: { status: number; schema?: z.ZodType; description: string };
}

const exampleEvent: IncomingEvent = {
  id: 'ord-1001',
  type: 'order.completed',
  userId: 'u-42',
  occurredAt: '2026-11-21T10:00:00Z',
  properties: { amount: 25.5, productId: 1, cityId: 2 },
};

export const apiRoutes: ApiRoute[] = [
  {
    method: 'post',
    path: '/v1/events',
    role: 'ingest',
    summary: `Send one event, or { events: [...] } with up to 1000. A resent id answers "duplicate".`,
    body: PostEventsBody,
    example: exampleEvent,
    success: { status: 202, schema: PostEventsResponse, description: 'Stored and routed to its journeys.' },
  },
  {
    method: 'get',
    path: '/health',
    role: 'public',
    summary: 'Liveness and readiness, with PostgreSQL and Temporal checks (503 when not ready).',
    success: { status: 200, description: 'Ready.' },
  },
  {
    method: 'get',
    path: '/metrics',
    role: 'public',
    summary: 'Prometheus metrics in text format.',
    success: { status: 200, description: 'Prometheus text.' },
  },
];

