import { CampaignGraphResponse, GraphQuery } from '../campaigns/campaign-graph.schemas';
import { HeldStepsQuery, HeldStepsResponse } from '../journeys/held-steps.schemas';
import { PoolListResponse } from '../pools/pool-list.schemas';
import { UserEventsQuery, UserEventsResponse } from '../users/user-events.schemas';
import { WhoamiResponse } from '../whoami/whoami.schemas';
import type { ApiRoute } from './api-routes';

/** The routes the console (/console) reads beyond the rest of the API, spread into apiRoutes. */
export const consoleRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/v1/whoami',
    operationId: 'whoami',
    role: 'support',
    summary: "The calling key's role and every role whose routes it may call, so a client shows only what the key allows. An ingest key is refused (403): it may only send events.",
    success: { status: 200, schema: WhoamiResponse, description: 'The role.' },
  },
  {
    method: 'get',
    path: '/v1/campaigns/{key}/graph',
    operationId: 'getCampaignGraph',
    role: 'operator',
    summary:
      "A version's compiled plan as a graph: the entry, states with their actions and strategy, end states, one edge per transition target labelled by what fires it (event and condition, after, at, when, split weight), and exitOn. Node ids match the funnel's states and edges.",
    query: GraphQuery,
    success: { status: 200, schema: CampaignGraphResponse, description: 'The graph.' },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/users/{id}/events',
    operationId: 'listUserEvents',
    role: 'support',
    summary: "The user's events, newest received first, paged with `cursor`, each with whether and why it was cancelled.",
    query: UserEventsQuery,
    success: { status: 200, schema: UserEventsResponse, description: 'One page of events (empty for an unknown user).' },
  },
  {
    method: 'get',
    path: '/v1/held-steps',
    operationId: 'listHeldSteps',
    role: 'support',
    summary: 'Steps that failed for good and wait for an operator (retry or skip), across campaigns: which journey, state and step, since when and why. Paged by journey with `cursor`.',
    query: HeldStepsQuery,
    success: { status: 200, schema: HeldStepsResponse, description: 'One page of held steps.' },
  },
  {
    method: 'get',
    path: '/v1/pools',
    operationId: 'listPools',
    role: 'operator',
    summary: 'Every reward pool with its budget used and left, codes left and per-user limit.',
    success: { status: 200, schema: PoolListResponse, description: 'The pools.' },
  },
];
