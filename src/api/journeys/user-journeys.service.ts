import { Inject, Injectable } from '@nestjs/common';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { CampaignKeyAttribute, JourneyStateAttribute } from '../../temporal/search-attributes';
import { journeyWorkflow, stateQuery, type JourneyView } from '../../workflows/journey.workflow';
import { DependencyUnavailableError } from '../common/errors';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { runLimited } from '../outbox/run-limited';
import type { UserJourney, UserJourneysResponse } from './journeys.schemas';
import { TEMPORAL_CALL_TIMEOUT_MS } from './temporal-calls';
import { TemporalLinks } from './temporal-links';
import { visibilityString } from './visibility-query';

/** A user is in few campaigns; the bound keeps one strange user from making a request unbounded. */
const MAX_JOURNEYS = 200;
/** State queries at once: each may make a worker replay a closed journey. */
const QUERY_CONCURRENCY = 8;

interface Listed {
  latest: WorkflowExecutionInfo;
  /** The first start of any run listed, so a journey that continued as new keeps its first entry time. */
  firstStart: Date;
}

/**
 * A user's journeys from Temporal visibility (running and closed, searched
 * by the UserId attribute), each completed by its own `state` query.
 */
@Injectable()
export class UserJourneysService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly links: TemporalLinks,
  ) {}

  async list(userId: string): Promise<UserJourneysResponse> {
    const listed = await this.listRuns(userId);
    const journeys: UserJourney[] = [];
    await runLimited([...listed.values()], QUERY_CONCURRENCY, async (l) => {
      journeys.push(this.describe(l, await this.view(l.latest)));
    });
    journeys.sort((a, b) => a.enteredAt.localeCompare(b.enteredAt) || a.workflowId.localeCompare(b.workflowId));
    return { journeys };
  }

  /** Every run of the user's journeys, folded per workflow id (continue-as-new makes several runs of one journey). */
  private async listRuns(userId: string): Promise<Map<string, Listed>> {
    const query = `WorkflowType = ${visibilityString(journeyWorkflow.name)} AND UserId = ${visibilityString(userId)}`;
    const byId = new Map<string, Listed>();
    try {
      await this.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, async () => {
        let runs = 0;
        for await (const wf of this.temporal.workflow.list({ query, pageSize: 100 })) {
          const seen = byId.get(wf.workflowId);
          if (!seen) byId.set(wf.workflowId, { latest: wf, firstStart: wf.startTime });
          else {
            if (wf.startTime > seen.latest.startTime) seen.latest = wf;
            if (wf.startTime < seen.firstStart) seen.firstStart = wf.startTime;
          }
          if (++runs >= MAX_JOURNEYS * 5 || byId.size >= MAX_JOURNEYS) break;
        }
      });
    } catch (err) {
      throw new DependencyUnavailableError('temporal', `Temporal could not list the journeys of ${userId}: ${(err as Error).message}`);
    }
    return byId;
  }

  /** Null when the journey cannot answer now (no worker, a failed run): the listing still shows what visibility knows. */
  private async view(wf: WorkflowExecutionInfo): Promise<JourneyView | null> {
    try {
      return await this.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        this.temporal.workflow.getHandle(wf.workflowId, wf.runId).query(stateQuery),
      );
    } catch {
      return null;
    }
  }

  private describe({ latest, firstStart }: Listed, view: JourneyView | null): UserJourney {
    const memoVersion = latest.memo?.campaignVersion;
    const pathEntries = view?.paths.map((p) => p.enteredAt).sort() ?? [];
    const attributeState = latest.typedSearchAttributes.get(JourneyStateAttribute);
    return {
      campaign: view?.campaignKey ?? latest.typedSearchAttributes.get(CampaignKeyAttribute) ?? '',
      version: view?.campaignVersion ?? (typeof memoVersion === 'number' ? memoVersion : null),
      state: view ? view.states.join(',') || null : attributeState && attributeState !== 'none' ? attributeState : null,
      status: latest.status.name.toLowerCase(),
      journeyStatus: view?.status ?? null,
      held: view?.held.length ?? 0,
      enteredAt: pathEntries[0] ?? firstStart.toISOString(),
      closedAt: latest.closeTime?.toISOString() ?? null,
      workflowId: latest.workflowId,
      temporalUrl: this.links.workflow(latest.workflowId),
    };
  }
}
