import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { exitSignal, journeyWorkflowId, retryActionUpdate, skipActionUpdate, stateQuery } from '../../workflows/journey.workflow';
import { TEMPORAL_CLIENT } from '../core/tokens';
import type { ExitResponse, HeldActionBody, HeldActionResponse } from './journeys.schemas';
import { callJourney } from './temporal-calls';
import { TemporalLinks } from './temporal-links';

/** One user's journey in one campaign: its state and trace, and the operator's interventions. */
@Injectable()
export class JourneysService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly links: TemporalLinks,
  ) {}

  /** The `state` query of the latest run (closed journeys answer too, replayed by a worker). */
  async get(campaignKey: string, userId: string) {
    const workflowId = journeyWorkflowId(campaignKey, userId);
    const handle = this.temporal.workflow.getHandle(workflowId);
    // Describe first: it tells a journey that never existed (404) apart without waiting on a worker.
    const description = await callJourney(this.temporal, workflowId, () => handle.describe());
    const view = await callJourney(this.temporal, workflowId, () => handle.query(stateQuery));
    return { ...view, temporalStatus: description.status.name.toLowerCase(), temporalUrl: this.links.workflow(workflowId) };
  }

  /** Signals only reach a running journey: a closed or unknown one is a 404. */
  async exit(campaignKey: string, userId: string, reason = 'operator'): Promise<ExitResponse> {
    const workflowId = journeyWorkflowId(campaignKey, userId);
    await callJourney(this.temporal, workflowId, () => this.temporal.workflow.getHandle(workflowId).signal(exitSignal, { version: 1, reason }));
    return { workflowId, exit: 'requested', reason };
  }

  /** The update's validator refuses when nothing (NotHeld) or several steps unnamed (AmbiguousHeld) are held: 409. */
  async decide(campaignKey: string, userId: string, decision: 'retry' | 'skip', req: HeldActionBody): Promise<HeldActionResponse> {
    const workflowId = journeyWorkflowId(campaignKey, userId);
    const update = decision === 'retry' ? retryActionUpdate : skipActionUpdate;
    const decided = await callJourney(this.temporal, workflowId, () =>
      this.temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [{ version: 1, stepId: req.stepId, pathId: req.pathId }] }),
    );
    return { workflowId, ...decided };
  }
}
