import { Injectable } from '@nestjs/common';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import type { ExitResponse, HeldActionBody, HeldActionResponse } from './journeys.schemas';
import { callJourney } from './temporal-calls';
import { TemporalLinks } from './temporal-links';

/** One user's journey in one campaign: its state and trace, and the operator's interventions. */
@Injectable()
export class JourneysService {
  constructor(
    private readonly journeys: JourneyGateway,
    private readonly links: TemporalLinks,
    private readonly rewards: RewardsRepository,
  ) {}

  /** The `state` query of the latest run (closed journeys answer too, replayed by a worker). */
  async get(campaignKey: string, userId: string) {
    const workflowId = this.journeys.idOf(campaignKey, userId);
    // Describe first: it tells a journey that never existed (404) apart without waiting on a worker.
    const description = await callJourney(this.journeys, workflowId, () => this.journeys.describe(workflowId));
    const view = await callJourney(this.journeys, workflowId, () => this.journeys.state(workflowId, undefined, { whileStarting: description.status.name === 'RUNNING' }));
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

  /** The update's validator refuses when nothing (NotHeld) or several steps unnamed (AmbiguousHeld) are held: 409. */
  async decide(campaignKey: string, userId: string, decision: 'retry' | 'skip', req: HeldActionBody): Promise<HeldActionResponse> {
    const workflowId = this.journeys.idOf(campaignKey, userId);
    const decided = await callJourney(this.journeys, workflowId, () =>
      this.journeys.decide(workflowId, decision, { version: 1, stepId: req.stepId, pathId: req.pathId }),
    );
    return { workflowId, ...decided };
  }
}
