import { Injectable } from '@nestjs/common';
import { JourneyGateway, type HeldRun } from '../../temporal/journey-gateway';
import { HELD_STATE, type JourneyView } from '../../workflows/journey/contract';
import { parseInput } from '../common/zod-input';
import { runLimited } from '../outbox/run-limited';
import { heldCursor, heldPageMark } from './held-cursor';
import { HeldStepsQuery, type HeldStepsResponse } from './held-steps.schemas';
import { StateNamedVersionsCache } from './state-named-versions';
import { boundedUntil, listingError, TEMPORAL_CALL_TIMEOUT_MS } from './temporal-calls';
import { TemporalLinks } from './temporal-links';

const DEFAULT_LIMIT = 25;
const QUERY_CONCURRENCY = 8;

/**
 * Held steps across campaigns: running journeys whose JourneyState says they
 * hold a step (`held`, or `(held)` where a version has a state named `held`;
 * Temporal visibility), each asked for its held steps. Paged by start time
 * (see JourneyGateway.heldRuns), so releasing one while paging skips none.
 */
@Injectable()
export class HeldStepsService {
  constructor(
    private readonly journeys: JourneyGateway,
    private readonly links: TemporalLinks,
    private readonly stateNamedVersions: StateNamedVersionsCache,
  ) {}

  async page(query: unknown): Promise<HeldStepsResponse> {
    const { limit = DEFAULT_LIMIT, cursor } = parseInput(HeldStepsQuery, query ?? {});
    // Versions with a state named `held`: there that JourneyState is a state, not a held step.
    const heldNamed = await this.stateNamedVersions.get(HELD_STATE);
    const listed = await this.journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.heldRuns(cursor ? heldPageMark(cursor) : undefined, limit, heldNamed)).catch((err: unknown) => {
      throw listingError('list the held journeys', err);
    });
    const runs = latestRuns(listed.runs);
    const next = listed.next;
    // By run, not by workflow id: a row's runId and the `since` it carries must come from the same run's answer.
    const views = new Map<string, JourneyView | 'unanswered'>();
    // One deadline for all the page's queries, not one each: QUERY_CONCURRENCY at a time, 100 journeys
    // that do not answer would otherwise hold the page for 13 times TEMPORAL_CALL_TIMEOUT_MS.
    const deadline = Date.now() + TEMPORAL_CALL_TIMEOUT_MS;
    await runLimited(runs, QUERY_CONCURRENCY, async (r) => {
      // A query needs a worker: when none answers by the deadline (the worker down, which is when on-call looks), the
      // journey is said to be unanswered rather than dropped, so the page never reads "nothing is held" while steps are.
      const view = await boundedUntil(this.journeys, deadline, () => this.journeys.state(r.workflowId, r.runId)).catch(() => 'unanswered' as const);
      views.set(r.runId, view);
    });
    const unanswered = runs
      .filter((r) => views.get(r.runId) === 'unanswered')
      .map((r) => ({ campaign: r.campaignKey, userId: r.userId, workflowId: r.workflowId, temporalUrl: this.links.workflow(r.workflowId) }));
    const held = runs.flatMap((r) => {
      const view = views.get(r.runId);
      // Released between the listing and the query: nothing to act on now.
      if (view === undefined || view === 'unanswered') return [];
      return view.held.map((h) => ({
        campaign: view.campaignKey || r.campaignKey,
        userId: view.userId || r.userId,
        workflowId: r.workflowId,
        runId: r.runId,
        pathId: h.pathId,
        stepId: h.stepId,
        state: view.paths.find((p) => p.pathId === h.pathId)?.state ?? '',
        summary: h.summary,
        error: h.error,
        since: h.since,
        temporalUrl: this.links.workflow(r.workflowId),
      }));
    });
    return { held, unanswered, next: next ? heldCursor(next) : null };
  }
}

/**
 * One run per journey, its newest start: a journey that continues as new while it holds a step (it carries
 * the hold) is briefly listed with both runs, as visibility writes the old run's close and the new run's start
 * apart. The newer one holds what the journey holds now; the old one's rows would be the same hold twice, with
 * a runId a retry or skip meets as `run_changed`. In listing order otherwise.
 */
function latestRuns(runs: readonly HeldRun[]): HeldRun[] {
  const latest = new Map<string, HeldRun>();
  for (const r of runs) {
    const seen = latest.get(r.workflowId);
    if (!seen || r.startMs > seen.startMs) latest.set(r.workflowId, r);
  }
  return runs.filter((r) => latest.get(r.workflowId) === r);
}
