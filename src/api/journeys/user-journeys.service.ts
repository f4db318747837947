import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { CampaignKeyAttribute, JourneyStateAttribute, UserIdAttribute } from '../../temporal/search-attributes';
import { journeyWorkflow, journeyWorkflowId, stateQuery, type JourneyView } from '../../workflows/journey.workflow';
import { DependencyUnavailableError } from '../common/errors';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { runLimited } from '../outbox/run-limited';
import type { UserJourney, UserJourneysResponse } from './journeys.schemas';
import { TEMPORAL_CALL_TIMEOUT_MS } from './temporal-calls';
import { TemporalLinks } from './temporal-links';
import { visibilityMatches, visibilityString } from './visibility-query';

/** A user is in few campaigns; the bound keeps one strange user from making a request unbounded. */
const MAX_JOURNEYS = 200;
/** State queries at once: each may make a worker replay a closed journey. */
const QUERY_CONCURRENCY = 8;

/** What listing and describing both give about a run. */
type RunInfo = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'status' | 'startTime' | 'closeTime' | 'memo' | 'typedSearchAttributes'>;

interface Listed {
  latest: RunInfo;
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
    private readonly campaigns: CampaignsRepository,
  ) {}

  async list(userId: string): Promise<UserJourneysResponse> {
    const listed = visibilityMatches(userId) ? await this.listRuns(userId) : await this.describeEach(userId);
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
          if (wf.typedSearchAttributes.get(UserIdAttribute) !== userId) continue;
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

  /**
   * For an id visibility cannot match exactly: the journey ids are known
   * (one per campaign), so each campaign's is described directly. Bounded
   * by the number of campaigns, and exact.
   */
  private async describeEach(userId: string): Promise<Map<string, Listed>> {
    const keys = (await this.campaigns.list()).map((c) => c.key);
    const byId = new Map<string, Listed>();
    try {
      await this.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        runLimited(keys, QUERY_CONCURRENCY, async (key) => {
          const workflowId = journeyWorkflowId(key, userId);
          const wf = await this.temporal.workflow
            .getHandle(workflowId)
            .describe()
            .catch((err: unknown) => {
              if (err instanceof WorkflowNotFoundError) return null;
              throw err;
            });
          if (wf) byId.set(workflowId, { latest: wf, firstStart: wf.startTime });
        }),
      );
    } catch (err) {
      throw new DependencyUnavailableError('temporal', `Temporal could not describe the journeys of ${userId}: ${(err as Error).message}`);
    }
    return byId;
  }

  /** Null when the journey cannot answer now (no worker, a failed run): the listing still shows what visibility knows. */
  private async view(wf: RunInfo): Promise<JourneyView | null> {
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
