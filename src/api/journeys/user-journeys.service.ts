import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { JourneyGateway, type JourneyRunInfo } from '../../temporal/journey-gateway';
import { isRunStarting } from '../../temporal/run-start';
import { visibilityMatches } from '../../temporal/visibility-query';
import { campaignKeySearchAttribute, campaignVersionSearchAttribute, HELD_STATE, HELD_STATE_APART, journeyStateSearchAttribute, NO_STATE_SHOWN, type JourneyView } from '../../workflows/journey/contract';
import { runLimited } from '../outbox/run-limited';
import { ClosedRunViews } from './closed-run-views';
import type { UserJourney, UserJourneysResponse } from './journeys.schemas';
import { StateNamedVersionsCache, type StateNamedVersions } from './state-named-versions';
import { boundedUntil, GRPC_FAILED_PRECONDITION, grpcCode, listingError, TEMPORAL_CALL_TIMEOUT_MS } from './temporal-calls';
import { TemporalLinks } from './temporal-links';

/** A user is in few campaigns; the bound keeps one strange user from making a request unbounded. */
const MAX_JOURNEYS = 200;
/** Runs read at most (continue-as-new makes several per journey). */
const MAX_RUNS = MAX_JOURNEYS * 5;
/** State queries at once: each may make a worker replay a closed journey. */
const QUERY_CONCURRENCY = 8;
/**
 * A closed run asked with less time than this left before the request's deadline (the other journeys
 * used the rest) and not answering is not remembered as one that could not answer: it had no fair chance.
 */
const NO_ANSWER_FAIR_ASK_MS = TEMPORAL_CALL_TIMEOUT_MS / 2;

/** What the listing shows of a journey's `state` answer: all that is kept of a closed run (not its trace nor its paths). */
interface RunSummary {
  campaignKey: string;
  campaignVersion: number;
  states: string[];
  status: JourneyView['status'];
  held: number;
  entries: number;
  /** When the first path still running entered; null when none runs. */
  firstPathEntered: string | null;
}

const summaryOf = (view: JourneyView): RunSummary => ({
  campaignKey: view.campaignKey,
  campaignVersion: view.campaignVersion,
  states: view.states,
  status: view.status,
  held: view.held.length,
  entries: view.entries,
  firstPathEntered: view.paths.map((p) => p.enteredAt).sort()[0] ?? null,
});

/**
 * The versions, by campaign, with a state named as one of the journey's JourneyState markers: in those, that value
 * is a state its paths wait in, not the marker (`held`: a held step, HELD_STATE_APART; `none`: no state to show).
 */
interface MarkerNamedStates {
  held: StateNamedVersions;
  none: StateNamedVersions;
}

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
  /** The console asks for a user's journeys every 5 s; a closed run is asked once (ClosedRunViews). */
  private readonly closedRuns = new ClosedRunViews<RunSummary>();

  constructor(
    private readonly journeys: JourneyGateway,
    private readonly links: TemporalLinks,
    private readonly campaigns: CampaignsRepository,
    private readonly stateNamedVersions: StateNamedVersionsCache,
  ) {}

  async list(userId: string): Promise<UserJourneysResponse> {
    const { listed, truncated } = visibilityMatches(userId) ? await this.listRuns(userId) : { listed: await this.describeEach(userId), truncated: false };
    const journeys: UserJourney[] = [];
    // One deadline for all the state queries, not one each: QUERY_CONCURRENCY at a time, 200 journeys that do
    // not answer would otherwise hold the request for 25 times TEMPORAL_CALL_TIMEOUT_MS.
    const deadline = Date.now() + TEMPORAL_CALL_TIMEOUT_MS;
    // Read before the queries: a journey that does not answer is described from its JourneyState, and in a version
    // with a state named `held` (or `none`) that is a state, not a held step (or no state to show).
    const [held, none] = await Promise.all([this.stateNamedVersions.get(HELD_STATE), this.stateNamedVersions.get(NO_STATE_SHOWN)]);
    const named: MarkerNamedStates = { held, none };
    await runLimited([...listed.values()], QUERY_CONCURRENCY, async (l) => {
      journeys.push(this.describe(l, await this.view(l.latest, deadline), named));
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
          // The bound is checked on the run that would pass it, not after the last one taken: `truncated` says a
          // further run exists. A further run of a journey already listed still fits until the run bound.
          if (runs >= MAX_RUNS || (!seen && byId.size >= MAX_JOURNEYS)) {
            truncated = true;
            break;
          }
          runs++;
          if (!seen) byId.set(wf.workflowId, { latest: wf, firstStart: wf.startTime });
          else {
            if (wf.startTime > seen.latest.startTime) seen.latest = wf;
            if (wf.startTime < seen.firstStart) seen.firstStart = wf.startTime;
          }
        }
      });
    } catch (err) {
      throw listingError(`list the journeys of ${userId}`, err);
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
      throw listingError(`describe the journeys of ${userId}`, err);
    }
    return byId;
  }

  /**
   * Null when the journey cannot answer by `deadline` (no worker, a failed run): the listing still shows what
   * visibility knows. A closed run answers from closedRuns once it has been asked. It is remembered as not
   * answering when it said it cannot (no handler, Temporal's FAILED_PRECONDITION) or did not answer in at least
   * NO_ANSWER_FAIR_ASK_MS; one not asked because the deadline had passed, or asked with only its last moments
   * left, is asked again next time.
   */
  private async view(wf: JourneyRunInfo, deadline: number): Promise<RunSummary | null> {
    const closed = wf.status.name !== 'RUNNING';
    const kept = closed ? this.closedRuns.get(wf.runId) : undefined;
    if (kept !== undefined) return kept;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    try {
      const view = summaryOf(await boundedUntil(this.journeys, deadline, () => this.journeys.state(wf.workflowId, wf.runId, { whileStarting: !closed })));
      if (closed) this.closedRuns.keep(wf.runId, view);
      return view;
    } catch (err) {
      const runSaidSo = isRunStarting(err) || grpcCode(err) === GRPC_FAILED_PRECONDITION;
      if (closed && (runSaidSo || left >= NO_ANSWER_FAIR_ASK_MS)) this.closedRuns.keepNoAnswer(wf.runId);
      return null;
    }
  }

  private describe({ latest, firstStart }: Listed, view: RunSummary | null, named: MarkerNamedStates): UserJourney {
    const memoVersion = latest.memo?.campaignVersion;
    // A run that ended (completed, failed, terminated, timed out) answers with where it stopped, but nothing is
    // there now and nothing it held can be retried or skipped: no state and nothing held, answered or not, as
    // visibility reads it. One that continued as new goes on in its next run, so its answer is still current.
    const current = isRunning(latest) || latest.status.name === 'CONTINUED_AS_NEW';
    return {
      campaign: view?.campaignKey ?? latest.typedSearchAttributes.get(campaignKeySearchAttribute) ?? '',
      version: view?.campaignVersion ?? (typeof memoVersion === 'number' ? memoVersion : null),
      state: !current ? null : view ? joinedStates(view.states) : stateFromVisibility(latest, named),
      status: latest.status.name.toLowerCase(),
      journeyStatus: view?.status ?? null,
      held: !current ? 0 : (view?.held ?? heldFromVisibility(latest, named.held)),
      entries: view?.entries ?? null,
      enteredAt: view?.firstPathEntered ?? firstStart.toISOString(),
      closedAt: latest.closeTime?.toISOString() ?? null,
      workflowId: latest.workflowId,
      runId: latest.runId,
      temporalUrl: this.links.workflow(latest.workflowId),
    };
  }
}

/** As the journey writes its JourneyState attribute (shell.ts), so an answered journey and one read from visibility agree. */
const joinedStates = (states: readonly string[]): string | null => [...new Set(states)].sort().join(',') || null;

const isRunning = (wf: JourneyRunInfo): boolean => wf.status.name === 'RUNNING';

/** Whether the journey runs a version (CampaignVersion, else its memo) that is one of `versions` of its campaign. */
function runsOneOf(wf: JourneyRunInfo, versions: StateNamedVersions): boolean {
  const key = wf.typedSearchAttributes.get(campaignKeySearchAttribute);
  const version = wf.typedSearchAttributes.get(campaignVersionSearchAttribute) ?? wf.memo?.campaignVersion;
  return key !== undefined && typeof version === 'number' && (versions.get(key)?.includes(version) ?? false);
}

/**
 * Whether the journey's JourneyState says it holds a step: `(held)`, or `held` in a version without a state of that
 * name (in one with it, `held` is where a path waits: HELD_STATE_APART).
 */
function showsHeld(wf: JourneyRunInfo, heldNamed: StateNamedVersions): boolean {
  const shown = wf.typedSearchAttributes.get(journeyStateSearchAttribute);
  if (shown === HELD_STATE_APART) return true;
  if (shown !== HELD_STATE) return false;
  return !runsOneOf(wf, heldNamed);
}

/**
 * The state of a journey that did not answer, from its JourneyState attribute; null when that is not a current
 * state: a closed run's attribute keeps where it ended, the held marker and `none` are the journey's markers
 * (holding a step, no path), and another parenthesised value such as `(exited)` is where a path ended, never a state.
 * In a version with a state named `none`, `none` is read as that state: the journey writes the same value when a path
 * waits there and when it has no path, and the one it cannot be told from is the one worth showing.
 */
function stateFromVisibility(wf: JourneyRunInfo, named: MarkerNamedStates): string | null {
  const shown = wf.typedSearchAttributes.get(journeyStateSearchAttribute);
  if (!isRunning(wf) || !shown || shown.startsWith('(') || showsHeld(wf, named.held)) return null;
  if (shown === NO_STATE_SHOWN && !runsOneOf(wf, named.none)) return null;
  return shown;
}

/** Visibility knows a running journey holds a step (its held marker), not how many: at least 1. */
const heldFromVisibility = (wf: JourneyRunInfo, heldNamed: StateNamedVersions): number => (isRunning(wf) && showsHeld(wf, heldNamed) ? 1 : 0);
