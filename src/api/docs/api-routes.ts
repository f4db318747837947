import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Role } from '../../config/config';
import { IncomingEvent } from '../../domain/event';
import {
  ActivateBody,
  CampaignCreated,
  CampaignDetail,
  CampaignList,
  CampaignSummary,
  CampaignVersionCreated,
  CreateCampaignBody,
  EmptyBody,
  UpdateCampaignBody,
  ValidateResponse,
} from '../campaigns/campaigns.schemas';
import { PostEventsBody, PostEventsResponse } from '../events/events.schemas';
import { RewardPool } from '../../domain/campaign/schema';
import { PoolResponse } from '../pools/pools.schemas';
import { RewardResponse } from '../rewards/rewards.schemas';
import { PutUserBody, UserProfileResponse } from '../users/users.schemas';
import { FunnelQuery, FunnelResponse, IntervalsQuery, IntervalsResponse } from '../analytics/analytics.schemas';
import { consoleRoutes } from './console-routes';
import { sourceRoutes } from './source-routes';
import { supportRoutes } from './support-routes';
import { templateRoutes } from './template-routes';

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string(), position: z.number().int().optional() })),
  }),
});
// Named in the document, so a generated client can name the error body.
zodToOpenAPIRegistry.add(ErrorResponse, { _internal: { refId: 'ErrorResponse' } });

/** One documented route: the OpenAPI document and the role-matrix test are both built from this list. */
export interface ApiRoute {
  method: 'get' | 'post' | 'put';
  /** OpenAPI path, `{param}` style. */
  path: string;
  /** Unique, camelCase: the name a generated client gives the call. */
  operationId: string;
  role: Role | 'public';
  summary: string;
  body?: z.ZodType;
  /** Query parameters, when the route reads any. */
  query?: z.ZodObject;
  example?: unknown;
  success: { status: number; schema?: z.ZodType; description: string };
  /** Error statuses beyond the ones every route may answer (400, 401, 403, 413, 503), e.g. 404 and 409. */
  errors?: number[];
}

const exampleEvent: IncomingEvent = {
  id: 'ord-1001',
  type: 'order.completed',
  userId: 'u-42',
  occurredAt: '2026-11-21T10:00:00Z',
  properties: { amount: 25.5, productId: 1, cityId: 2 },
};

const exampleCampaign = {
  key: 'welcome',
  name: 'Welcome on first order',
  entry: { on: 'order.completed', if: 'event.amount > 0' },
  initial: 'welcomed',
  states: { welcomed: { end: true } },
};

export const apiRoutes: ApiRoute[] = [
  {
    method: 'post',
    path: '/v1/events',
    operationId: 'ingestEvents',
    role: 'ingest',
    summary: `Send one event, or { events: [...] } with up to 1000. A resent id answers "duplicate".`,
    body: PostEventsBody,
    example: exampleEvent,
    success: { status: 202, schema: PostEventsResponse, description: 'Stored and routed to its journeys.' },
  },
  {
    method: 'post',
    path: '/v1/campaigns',
    operationId: 'createCampaign',
    role: 'operator',
    summary: 'Create a campaign (CAMPAIGNS.md) as a draft with version 1. Compile errors answer 400 with their paths and positions.',
    body: CreateCampaignBody,
    example: exampleCampaign,
    success: { status: 201, schema: CampaignCreated, description: 'Created as a draft.' },
    errors: [409],
  },
  {
    method: 'post',
    path: '/v1/campaigns/validate',
    operationId: 'validateCampaign',
    role: 'operator',
    summary: 'Compile only: the summary of the plan, or 400 with every problem and its path.',
    body: CreateCampaignBody,
    example: exampleCampaign,
    success: { status: 200, schema: ValidateResponse, description: 'The campaign compiles.' },
  },
  {
    method: 'get',
    path: '/v1/campaigns',
    operationId: 'listCampaigns',
    role: 'operator',
    summary: 'Every campaign with its status and versions.',
    success: { status: 200, schema: CampaignList, description: 'The campaigns.' },
  },
  {
    method: 'get',
    path: '/v1/campaigns/{key}',
    operationId: 'getCampaign',
    role: 'operator',
    summary: 'One campaign: its versions (definitions as submitted), status, active version and journey counts per state.',
    success: { status: 200, schema: CampaignDetail, description: 'The campaign.' },
    errors: [404],
  },
  {
    method: 'put',
    path: '/v1/campaigns/{key}',
    operationId: 'addCampaignVersion',
    role: 'operator',
    summary: 'A new immutable version (`key` may be left out; if given it must be the one in the path). Running journeys keep theirs.',
    body: UpdateCampaignBody,
    example: exampleCampaign,
    success: { status: 200, schema: CampaignVersionCreated, description: 'The new version.' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/campaigns/{key}/activate',
    operationId: 'activateCampaign',
    role: 'operator',
    summary: 'New entries use this version (default: the latest). Refused with 400 if it does not compile against the current reward pools.',
    body: ActivateBody,
    example: { version: 2 },
    success: { status: 200, schema: CampaignSummary, description: 'Active.' },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/v1/campaigns/{key}/pause',
    operationId: 'pauseCampaign',
    role: 'operator',
    summary: 'No new entries; running journeys still get their events.',
    body: EmptyBody,
    example: {},
    success: { status: 200, schema: CampaignSummary, description: 'Paused.' },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/v1/campaigns/{key}/archive',
    operationId: 'archiveCampaign',
    role: 'operator',
    summary: 'No new entries and no more events for running journeys. Final.',
    body: EmptyBody,
    example: {},
    success: { status: 200, schema: CampaignSummary, description: 'Archived.' },
    errors: [404, 409],
  },
  {
    method: 'put',
    path: '/v1/users/{id}',
    operationId: 'putUserProfile',
    role: 'ingest',
    summary: 'Merge profile attributes (read by conditions as user.*); a null value removes one.',
    body: PutUserBody,
    example: { attributes: { level: 3, vip: true, birthday: '1990-11-21' } },
    success: { status: 200, schema: UserProfileResponse, description: 'The merged profile.' },
  },
  {
    method: 'get',
    path: '/v1/users/{id}',
    operationId: 'getUser',
    role: 'support',
    summary: "The user's profile.",
    success: { status: 200, schema: UserProfileResponse, description: 'The profile.' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/pools',
    operationId: 'createPool',
    role: 'operator',
    summary:
      'Create a reward pool: coupon codes (imported `codes`, or `generate` from a pattern: # a digit, ? a letter), or a points/credit budget. Pools are never replaced: an existing key answers 409.',
    body: RewardPool,
    example: { key: 'welcome-coupons', kind: 'coupon', generate: { pattern: 'SAVE-####-????', count: 1000 }, perUserLimit: 1, validFor: 'P30D' },
    success: { status: 201, schema: PoolResponse, description: 'Created, with its codes.' },
    errors: [409],
  },
  {
    method: 'get',
    path: '/v1/pools/{key}',
    operationId: 'getPool',
    role: 'operator',
    summary: 'A pool with its budget, used and left; for coupon pools the codes total, issued and left.',
    success: { status: 200, schema: PoolResponse, description: 'The pool.' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/rewards/{id}/redeem',
    operationId: 'redeemReward',
    role: 'ingest',
    summary: 'Mark a coupon used, so a later reclaim reports it unreclaimable. Redeeming twice is fine; a reclaimed coupon or a non-coupon answers 409.',
    success: { status: 200, schema: RewardResponse, description: 'The coupon, redeemed.' },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/campaigns/{key}/funnel',
    operationId: 'getCampaignFunnel',
    role: 'operator',
    summary:
      'Users per state and transitions per edge, from the journey log. `entered`: distinct users who ever arrived in the state; ' +
      '`current`: distinct users with a path in it now (arrivals minus departures per journey, so parallel paths count right; end states and `(exited)` are 0). ' +
      'Edges count every transition; a path entering the campaign comes `from` "(entry)", one ended by exitOn or an operator goes `to` "(exited)". ' +
      'States of the definition nobody reached yet are listed with 0. `?version=` keeps journeys of one version.',
    query: FunnelQuery,
    success: { status: 200, schema: FunnelResponse, description: 'The funnel, states by entered (most first).' },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/campaigns/{key}/intervals',
    operationId: 'getCampaignIntervals',
    role: 'operator',
    summary:
      'Time from arriving in state `from` to the next arrival in state `to` in the same journey, as percentiles (percentile_cont). ' +
      'A journey that came back to `from` before reaching `to` is timed from its latest visit; each arrival into `to` counts once. `?version=` as for the funnel.',
    query: IntervalsQuery,
    success: { status: 200, schema: IntervalsResponse, description: 'Count and percentiles in milliseconds (null when count is 0).' },
    errors: [404],
  },
  ...supportRoutes,
  ...sourceRoutes,
  ...templateRoutes,
  ...consoleRoutes,
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    role: 'public',
    summary: 'PostgreSQL and Temporal checks for people (503 when either is down); reasons are `timeout` or `unreachable`, never driver messages.',
    success: { status: 200, description: 'Both answer.' },
  },
  {
    method: 'get',
    path: '/livez',
    operationId: 'getLiveness',
    role: 'public',
    summary: 'Liveness: the process answers. For an orchestrator\'s liveness probe.',
    success: { status: 200, description: 'Alive.' },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    role: 'public',
    summary:
      'Readiness: PostgreSQL answers (503 with Retry-After when not). Temporal is reported but does not make the instance unready: ' +
      'while it is away, events are accepted into the outbox and delivered when it is back.',
    success: { status: 200, description: 'Ready for traffic.' },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    role: 'public',
    summary: 'Prometheus metrics in text format.',
    success: { status: 200, description: 'Prometheus text.' },
  },
];

