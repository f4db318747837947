import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { JourneyGateway, type JourneyRunInfo } from '../../temporal/journey-gateway';
import { visibilityMatches } from '../../temporal/visibility-query';
import { campaignKeySearchAttribute, journeyStateSearchAttribute, type JourneyView } from '../../workflows/journey/contract';
import { DependencyUnavailableError } from '../common/errors';
import { runLimited } from '../outbox/run-limited';
import type { UserJourney, UserJourneysResponse } from './journeys.schemas';
import { boundedUntil, TEMPORAL_CALL_TIMEOUT_MS } from './temporal-calls';
import { TemporalLinks } from './temporal-links';

/** A user is in few campaigns; the bound keeps one strange user from making a request unbounded. */
const MAX_JOURNEYS = 200;
/** State queries at once: each may make a worker replay a closed journey. */
const QUERY_CONCURRENCY = 8;

interface Listed {
  latest: JourneyRunInfo;
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
    private readonly journeys: JourneyGateway,
    private readonly links: TemporalLinks,
    private readonly campaigns: CampaignsRepository,
  ) {}

  async list(userId: string): Promise<UserJourneysResponse> {
    const { listed, truncated } = visibilityMatches(userId) ? await this.listRuns(userId) : { listed: await this.describeEach(userId), truncated: false };
    const journeys: UserJourney[] = [];
    // One deadline for all the state queries, not one each: QUERY_CONCURRENCY at a time, 200 journeys that do
    // not answer would otherwise hold the request for 25 times TEMPORAL_CALL_TIMEOUT_MS.
    const deadline = Date.now() + TEMPORAL_CALL_TIMEOUT_MS;
    await runLimited([...listed.values()], QUERY_CONCURRENCY, async (l) => {
      journeys.push(this.describe(l, await this.view(l.latest, deadline)));
    });
    journeys.sort((a, b) => a.enteredAt.localeCompare(b.enteredAt) || a.workflowId.localeCompare(b.workflowId));
    return { journeys, truncated };
  }

  /**
   * Every run of the user's journeys, folded per workflow id (continue-as-new
   * makes several runs of one journey), up to the bound; `truncated` when the
   * listing stopped there rather than at its end.
   */
  private async listRuns(userId: string): Promise<{ listed: Map<string, Listed>; truncated: boolean }> {
    const byId = new Map<string, Listed>();
    let truncated = false;
    try {
      await this.journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, async () => {
        let runs = 0;
        for await (const wf of this.journeys.runsOf(userId)) {
          const seen = byId.get(wf.workflowId);
          if (!seen) byId.set(wf.workflowId, { latest: wf, firstStart: wf.startTime });
          else {
            if (wf.startTime > seen.latest.startTime) seen.latest = wf;
            if (wf.startTime < seen.firstStart) seen.firstStart = wf.startTime;
          }
          if (++runs >= MAX_JOURNEYS * 5 || byId.size >= MAX_JOURNEYS) {
            truncated = true;
            break;
          }
        }
      });
    } catch (err) {
      throw new DependencyUnavailableError('temporal', `Temporal could not list the journeys of ${userId}: ${(err as Error).message}`);
    }
    return { listed: byId, truncated };
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
      await this.journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, () =>
        runLimited(keys, QUERY_CONCURRENCY, async (key) => {
          const workflowId = this.journeys.idOf(key, userId);
          const wf = await this.journeys
            .describe(workflowId)
            .catch((err: unknown) => {
              if (err instanceof WorkflowNotFoundError) return null;
              throw err;
            });
          // This deployment's journeys only, as the visibility listing (JourneyGateway.runsOf) counts them.
          if (wf && wf.taskQueue === this.journeys.taskQueue) byId.set(workflowId, { latest: wf, firstStart: wf.startTime });
        }),
      );
    } catch (err) {
      throw new DependencyUnavailableError('temporal', `Temporal could not describe the journeys of ${userId}: ${(err as Error).message}`);
    }
    return byId;
  }

  /** Null when the journey cannot answer by `deadline` (no worker, a failed run): the listing still shows what visibility knows. */
  private async view(wf: JourneyRunInfo, deadline: number): Promise<JourneyView | null> {
    try {
      return await boundedUntil(this.journeys, deadline, () => this.journeys.state(wf.workflowId, wf.runId, { whileStarting: wf.status.name === 'RUNNING' }));
    } catch {
      return null;
    }
  }

  private describe({ latest, firstStart }: Listed, view: JourneyView | null): UserJourney {
    const memoVersion = latest.memo?.campaignVersion;
    const pathEntries = view?.paths.map((p) => p.enteredAt).sort() ?? [];
    const attributeState = latest.typedSearchAttributes.get(journeyStateSearchAttribute);
    return {
      campaign: view?.campaignKey ?? latest.typedSearchAttributes.get(campaignKeySearchAttribute) ?? '',
      version: view?.campaignVersion ?? (typeof memoVersion === 'number' ? memoVersion : null),
      state: view ? view.states.join(',') || null : attributeState && attributeState !== 'none' ? attributeState : null,
      status: latest.status.name.toLowerCase(),
      journeyStatus: view?.status ?? null,
      held: view?.held.length ?? 0,
      entries: view?.entries ?? null,
      enteredAt: pathEntries[0] ?? firstStart.toISOString(),
      closedAt: latest.closeTime?.toISOString() ?? null,
      workflowId: latest.workflowId,
      temporalUrl: this.links.workflow(latest.workflowId),
    };
  }
}
