import { Injectable } from '@nestjs/common';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { isRunStarting } from '../../temporal/run-start';
import { ConflictError } from '../common/errors';
import type { ExitResponse, HeldActionBody, HeldActionResponse } from './journeys.schemas';
import { callJourney, decisionError, GRPC_FAILED_PRECONDITION, grpcCode, journeyError, TEMPORAL_CALL_TIMEOUT_MS, temporalSaid } from './temporal-calls';
import { TemporalLinks } from './temporal-links';

/** One user's journey in one campaign: its state and trace, and the operator's interventions. */
@Injectable()
export class JourneysService {
  constructor(
    private readonly journeys: JourneyGateway,
    private readonly links: TemporalLinks,
    private readonly rewards: RewardsRepository,
  ) {}

  /**
   * The `state` query of the latest run (closed journeys answer too, replayed by a worker).
   * A closed run that cannot answer it (one that failed before its handlers existed) is a
   * 409 `journey_unreadable`: it never will, so a 503 "try again" would be answered forever.
   */
  async get(campaignKey: string, userId: string) {
    const workflowId = this.journeys.idOf(campaignKey, userId);
    // Describe first: it tells a journey that never existed (404) apart without waiting on a worker.
    const description = await callJourney(this.journeys, workflowId, () => this.journeys.describe(workflowId));
    const running = description.status.name === 'RUNNING';
    // A closed run is asked by its id: a run started meanwhile would be another journey than the one described.
    const view = await this.journeys
      .bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.state(workflowId, running ? undefined : description.runId, { whileStarting: running }))
      .catch((err: unknown) => {
        throw running ? journeyError(workflowId, err) : this.closedRunError(workflowId, description, err);
      });
    // The ledger has the last word: an event cancelled after the journey ended is reversed there, and the journey never hears of it.
    const ledger = await this.rewards.statusesByKey(view.rewards.map((r) => r.idempotencyKey));
    const rewards = view.rewards.map((r) => {
      const ledgerStatus = ledger.get(r.idempotencyKey) ?? null;
      return { ...r, status: r.status === 'issued' && ledgerStatus === 'reclaimed' ? ('reclaimed' as const) : r.status, ledgerStatus };
    });
    return { ...view, rewards, temporalStatus: description.status.name.toLowerCase(), temporalUrl: this.links.workflow(workflowId) };
  }

  /** Signals only reach a running journey: a closed or unknown one is a 404. */
  async exit(campaignKey: string, userId: string, reason = 'operator'): Promise<ExitResponse> {
    const workflowId = this.journeys.idOf(campaignKey, userId);
    await callJourney(this.journeys, workflowId, () => this.journeys.exit(workflowId, reason));
    return { workflowId, exit: 'requested', reason };
  }

  /**
   * The update's validator refuses when nothing (NotHeld) or several steps unnamed (AmbiguousHeld) are held: 409.
   * With an idempotency key the update's id is the key's, so Temporal carries a resend out once and answers it
   * with the first one's outcome; an outcome that is not what this request asks for means the key was used for
   * another decision: 409 too, rather than a 200 for what was not done.
   */
  async decide(campaignKey: string, userId: string, decision: 'retry' | 'skip', req: HeldActionBody, idempotencyKey?: string): Promise<HeldActionResponse> {
    const workflowId = this.journeys.idOf(campaignKey, userId);
    const updateId = idempotencyKey === undefined ? undefined : `held-decision:${idempotencyKey}`;
    const decided = await this.journeys
      .bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.decide(workflowId, decision, { version: 1, stepId: req.stepId, pathId: req.pathId }, updateId))
      .catch((err: unknown) => {
        throw decisionError(workflowId, decision, `/v1/journeys/${encodeURIComponent(campaignKey)}/${encodeURIComponent(userId)}`, err);
      });
    const asked = decided.decision === decision && (!req.stepId || req.stepId === decided.stepId) && (!req.pathId || req.pathId === decided.pathId);
    if (!asked) {
      throw new ConflictError(
        `Idempotency-Key ${idempotencyKey} was used for the ${decided.decision} of ${decided.stepId} on path ${decided.pathId} of ${workflowId}, which is what it stands for; this request asks for something else: send it with a new key.`,
        'idempotency_key_reused',
      );
    }
    return { workflowId, ...decided };
  }

  /**
   * A closed run starts no more, so a query it cannot answer stays unanswered: no handler
   * (it failed before registering them: the client's QueryNotRegisteredError, which is any
   * failed query), or FAILED_PRECONDITION (Temporal's WorkflowNotReady: its first workflow
   * task never completed, or kept failing). 409, with what describe knows. A worker that
   * does not answer now, or Temporal refusing Kairos, is journeyError's 503.
   */
  private closedRunError(workflowId: string, d: WorkflowExecutionDescription, err: unknown): Error {
    if (!isRunStarting(err) && grpcCode(err) !== GRPC_FAILED_PRECONDITION) return journeyError(workflowId, err);
    const status = d.status.name.toLowerCase();
    const url = this.links.workflow(workflowId);
    return new ConflictError(
      `${workflowId} cannot be read: its last run closed (${status}${d.closeTime ? `, at ${d.closeTime.toISOString()}` : ''}) and cannot answer the state query (${temporalSaid(err).replace(/\.$/, '')}), nor will it later. ` +
        `Its history in Temporal says why it ${status === 'terminated' ? 'was terminated' : `closed ${status}`}${url ? ` (${url})` : ''}.`,
      'journey_unreadable',
    );
  }
}
