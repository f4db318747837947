import { PreviewBody, PreviewResponse } from '../campaigns/preview.schemas';
import { CancelEventBody, CancelEventResponse, EventDetailResponse } from '../events/events.schemas';
import { ExitBody, ExitResponse, HeldActionBody, HeldActionResponse, JourneyResponse, UserJourneysResponse } from '../journeys/journeys.schemas';
import { UserRewardsResponse } from '../rewards/rewards.schemas';
import type { ApiRoute } from './api-routes';

/** Support's routes (events, a user's journeys and rewards, journeys, preview), spread into apiRoutes. */
export const supportRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/v1/events/{id}',
    operationId: 'getEvent',
    role: 'support',
    summary: 'The event as stored, its deliveries to journeys (status, attempts, when delivered) and, if cancelled, when, why and what was reclaimed.',
    success: { status: 200, schema: EventDetailResponse, description: 'The event.' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/events/{id}/cancel',
    operationId: 'cancelEvent',
    role: 'support',
    summary:
      'Cancel an event: it stops counting, its deliveries not yet sent are dropped, and every reward it caused is reclaimed (in the journeys, and from the ledger for ended ones). Cancelling twice is one cancel: the answer keeps the first time and reason.',
    body: CancelEventBody,
    example: { reason: 'refund 7781' },
    success: { status: 202, schema: CancelEventResponse, description: 'Recorded; the journeys are told.' },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/users/{id}/journeys',
    operationId: 'listUserJourneys',
    role: 'support',
    summary: "The user's journeys, running and closed (Temporal visibility by UserId), each with its state from the journey and a link into the Temporal UI.",
    success: { status: 200, schema: UserJourneysResponse, description: 'The journeys (an empty list for an unknown user).' },
  },
  {
    method: 'get',
    path: '/v1/users/{id}/rewards',
    operationId: 'listUserRewards',
    role: 'support',
    summary: "The user's rewards (with the events that caused them) and balances of points and credit.",
    success: { status: 200, schema: UserRewardsResponse, description: 'The rewards (an empty list for an unknown user).' },
  },
  {
    method: 'get',
    path: '/v1/journeys/{campaign}/{user}',
    operationId: 'getJourney',
    role: 'support',
    summary: "One user's journey in one campaign: paths, aggregates, held steps, rewards and the decision trace (the workflow's `state` query).",
    success: { status: 200, schema: JourneyResponse, description: 'The journey.' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/journeys/{campaign}/{user}/exit',
    operationId: 'exitJourney',
    role: 'operator',
    summary: "End this user's journey now (the exit signal); what its paths still had waiting is dropped.",
    body: ExitBody,
    example: { reason: 'asked by the user' },
    success: { status: 202, schema: ExitResponse, description: 'The journey is told to exit.' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/journeys/{campaign}/{user}/retry',
    operationId: 'retryJourneyStep',
    role: 'operator',
    summary: 'Run a held step (one that failed for good) again. 409 when nothing is held, or several are and no stepId names one.',
    body: HeldActionBody,
    example: { stepId: 'notify-crm' },
    success: { status: 200, schema: HeldActionResponse, description: 'The step runs again.' },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/v1/journeys/{campaign}/{user}/skip',
    operationId: 'skipJourneyStep',
    role: 'operator',
    summary: 'Move past a held step as if it had succeeded. 409 when nothing is held, or several are and no stepId names one.',
    body: HeldActionBody,
    example: { stepId: 'notify-crm' },
    success: { status: 200, schema: HeldActionResponse, description: 'The step is skipped.' },
    errors: [404, 409],
  },
  {
    method: 'post',
    path: '/v1/campaigns/{key}/preview',
    operationId: 'previewCampaignEvent',
    role: 'support',
    summary:
      "What this event would do for this user now (entry, transitions, rewards, messages), with nothing issued: the user's running journey answers, else the active version from the state a new journey would start with.",
    body: PreviewBody,
    example: { userId: 'u-42', event: { type: 'order.completed', properties: { amount: 25.5 } } },
    success: { status: 200, schema: PreviewResponse, description: 'What would happen.' },
    errors: [404, 409],
  },
];
