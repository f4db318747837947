import { Injectable } from '@nestjs/common';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { isRunStarting } from '../../temporal/run-start';
import { ConflictError, NotFoundError } from '../common/errors';
import type { ExitBody, ExitResponse, HeldActionBody, HeldActionResponse } from './journeys.schemas';
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
    // Closed journeys are read too, so a NotFound here is one that never was (or is past retention), not one that ended.
    const description = await callJourney(
      this.journeys,
      workflowId,
      () => this.journeys.describe(workflowId),
      `No journey ${workflowId} (the user never entered ${campaignKey}, or its history is past Temporal's retention).`,
    );
    const running = description.status.name === 'RUNNING';
    // The run described is the one asked, so the answer's runId names the run its view is of: a run started
    // meanwhile (a new entry, the same journey continued as new) would be another than the one described.
    const view = await this.journeys
      .bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.state(workflowId, description.runId, { whileStarting: running }))
      .catch((err: unknown) => {
        throw running ? journeyError(workflowId, err) : this.closedRunError(workflowId, description, err);
      });
    // The ledger has the last word: an event cancelled after the journey ended is reversed there, and the journey never hears of it.
    const ledger = await this.rewards.statusesByKey(view.rewards.map((r) => r.idempotencyKey));
    const rewards = view.rewards.map((r) => {
      const ledgerStatus = ledger.get(r.idempotencyKey) ?? null;
      return { ...r, status: r.status === 'issued' && ledgerStatus === 'reclaimed' ? ('reclaimed' as const) : r.status, ledgerStatus };
    });
    return { ...view, runId: description.runId, rewards, temporalStatus: description.status.name.toLowerCase(), temporalUrl: this.links.workflow(workflowId) };
  }

  /**
   * Signals only reach a running journey: a closed or unknown one is a 404. With `runId`, only that run:
   * another one running now is a 409 run_changed (staleRunError).
   */
  async exit(campaignKey: string, userId: string, { reason = 'operator', runId }: ExitBody = {}): Promise<ExitResponse> {
    const workflowId = this.journeys.idOf(campaignKey, userId);
    await this.journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.exit(workflowId, reason, runId)).catch(async (err: unknown) => {
      throw await this.staleRunError(workflowId, runId, journeyError(workflowId, err));
    });
    return { workflowId, exit: 'requested', reason };
  }

  /**
   * The update's validator refuses when nothing (NotHeld) or several steps unnamed (AmbiguousHeld) are held: 409.
   * With an idempotency key the update's id is the key's, so Temporal carries a resend out once and answers it
   * with the first one's outcome; an outcome that is not what this request asks for means the key was used for
   * another decision: 409 too, rather than a 200 for what was not done. `runId` and `since` name the run and the
   * hold the caller saw: another run is a 409 run_changed (staleRunError), another hold a 409 not_held (the validator).
   */
  async decide(campaignKey: string, userId: string, decision: 'retry' | 'skip', req: HeldActionBody, idempotencyKey?: string): Promise<HeldActionResponse> {
    const workflowId = this.journeys.idOf(campaignKey, userId);
    const updateId = idempotencyKey === undefined ? undefined : `held-decision:${idempotencyKey}`;
    const request = { version: 1 as const, stepId: req.stepId, pathId: req.pathId, ...(req.since === undefined ? {} : { since: req.since }) };
    const decided = await this.journeys
      .bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.decide(workflowId, decision, request, updateId, req.runId))
      .catch(async (err: unknown) => {
        throw await this.staleRunError(workflowId, req.runId, decisionError(workflowId, decision, `/v1/journeys/${encodeURIComponent(campaignKey)}/${encodeURIComponent(userId)}`, err));
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
   * A call sent to run `runId` that Temporal found not running (`refused`, a 404): that run ended after the
   * caller read it. When the journey runs on in another run (a new entry started after it ended, or the
   * same journey continued as new), a 409 run_changed: nothing was done, and the caller reads the journey
   * again rather than acting on one it has not seen. With no run running (or Temporal not answering which runs), the 404 stays.
   */
  private async staleRunError(workflowId: string, runId: string | undefined, refused: Error): Promise<Error> {
    if (runId === undefined || !(refused instanceof NotFoundError)) return refused;
    // A run the journey never had (a typo, another user's) is no change of run: the 404 stays.
    const named = await this.journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.describe(workflowId, runId)).catch(() => null);
    if (named === null) return refused;
    const current = await this.journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.describe(workflowId)).catch(() => null);
    if (current?.status.name !== 'RUNNING' || current.runId === runId) return refused;
    return new ConflictError(
      `Run ${runId} of ${workflowId} is not running any more: the journey runs on in run ${current.runId} (a new entry, or the same journey continued as new). Nothing was done; read the journey again and decide on what it shows now.`,
      'run_changed',
    );
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
