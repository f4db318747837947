import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { CampaignKeyAttribute, UserIdAttribute } from '../../temporal/search-attributes';
import { journeyWorkflow, stateQuery, type JourneyView } from '../../workflows/journey.workflow';
import { HELD_STATE } from '../../workflows/search-attributes';
import { DependencyUnavailableError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { runLimited } from '../outbox/run-limited';
import { HeldStepsQuery, type HeldStepsResponse } from './held-steps.schemas';
import { TEMPORAL_CALL_TIMEOUT_MS } from './temporal-calls';
import { TemporalLinks } from './temporal-links';
import { visibilityString } from './visibility-query';

const DEFAULT_LIMIT = 25;
const QUERY_CONCURRENCY = 8;

/**
 * Held steps across campaigns: running journeys whose JourneyState is `held`
 * (Temporal visibility), each asked for its held steps. Paged by position in
 * the listing: held journeys are few and an operator works through them.
 */
@Injectable()
export class HeldStepsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly links: TemporalLinks,
  ) {}

  async page(query: unknown): Promise<HeldStepsResponse> {
    const { limit = DEFAULT_LIMIT, cursor } = parseInput(HeldStepsQuery, query ?? {});
    const offset = cursor ? Number(cursor) : 0;
    const filter = `WorkflowType = ${visibilityString(journeyWorkflow.name)} AND JourneyState = ${visibilityString(HELD_STATE)} AND ExecutionStatus = "Running"`;
    const runs: Array<{ workflowId: string; runId: string; campaign: string; userId: string }> = [];
    let more = false;
    try {
      await this.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, async () => {
        let position = 0;
        for await (const wf of this.temporal.workflow.list({ query: filter, pageSize: Math.min(offset + limit + 1, 1000) })) {
          if (position++ < offset) continue;
          if (runs.length === limit) {
            more = true;
            break;
          }
          runs.push({
            workflowId: wf.workflowId,
            runId: wf.runId,
            campaign: wf.typedSearchAttributes.get(CampaignKeyAttribute) ?? '',
            userId: wf.typedSearchAttributes.get(UserIdAttribute) ?? '',
          });
        }
      });
    } catch (err) {
      throw new DependencyUnavailableError('temporal', `Temporal could not list the held journeys: ${(err as Error).message}`);
    }
    const views = new Map<string, JourneyView>();
    await runLimited(runs, QUERY_CONCURRENCY, async (r) => {
      const view = await this.temporal
        .withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () => this.temporal.workflow.getHandle(r.workflowId, r.runId).query(stateQuery))
        .catch(() => null);
      if (view) views.set(r.workflowId, view);
    });
    const held = runs.flatMap((r) => {
      const view = views.get(r.workflowId);
      // Released between the listing and the query, or not answering: nothing to act on now.
      if (!view) return [];
      return view.held.map((h) => ({
        campaign: view.campaignKey || r.campaign,
        userId: view.userId || r.userId,
        workflowId: r.workflowId,
        pathId: h.pathId,
        stepId: h.stepId,
        state: view.paths.find((p) => p.pathId === h.pathId)?.state ?? '',
        summary: h.summary,
        error: h.error,
        since: h.since,
        temporalUrl: this.links.workflow(r.workflowId),
      }));
    });
    return { held, next: more ? String(offset + limit) : null };
  }
}
