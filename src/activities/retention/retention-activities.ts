import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  REWARD_ANSWER_DAYS,
  RETENTION_STATEMENT_MS,
  RetentionOutOfTimeError,
  RetentionRepository,
  type ClosedJourney,
  type PruneCandidate,
  type PruneCursor,
} from '../../store/repositories/retention.repository';
import { sqlState } from '../../store/sql-state';
import type { JourneyGateway } from '../../temporal/journey-gateway';
import { activityLog } from '../activity-log';
import { countInActivity } from '../activity-metrics';

export type { PruneCursor } from '../../store/repositories/retention.repository';

/** What the retention job prunes, in the order it prunes them. */
export type RetentionKind = 'deliveries' | 'events' | 'messages' | 'webhookCalls' | 'journeyLog';

export interface PruneInput {
  kind: RetentionKind;
  /** ISO time; rows older than it are expired. */
  cutoff: string;
  /** Rows looked at (and so at most deleted) by this call. */
  limit: number;
  /** Where the previous batch of this kind stopped (null for a kind's first batch). */
  after: PruneCursor | null;
}

export interface PruneResult {
  deleted: number;
  /** Where the next batch starts. */
  after: PruneCursor | null;
  /** No expired rows left past `after`. */
  done: boolean;
}

export interface RetentionActivityDeps {
  dataSource: DataSource;
  /** Tells which journeys still run: their events and deliveries are kept for a cancel. */
  journeys?: JourneyGateway;
  /**
   * How long one call's statements may run in all, from the call's start
   * (attemptBudgetMs); by default, ATTEMPT_SHARE of the activity's
   * startToClose, or RETENTION_STATEMENT_MS outside an activity.
   */
  attemptMs?: number;
  /**
   * How long after a journey's last run closed its positions are left in the funnel (the journey log's second
   * phase): a log write the run started before it closed may still land until then. CLOSED_SETTLE_MS unless given.
   */
  closedSettleMs?: number;
}

/**
 * A statement of a log write started before its run closed runs at most DATABASE_STATEMENT_TIMEOUT_MS (an hour at
 * most); once it has landed, or given up, the journey's positions say where it was when it closed.
 */
const CLOSED_SETTLE_MS = 60 * 60_000;
/** Journeys one positions batch describes at most (those visibility lists as not running); the rest wait for the next batch. */
const DESCRIBES_PER_BATCH = 100;
/** Describes in flight at once. */
const DESCRIBES_IN_FLIGHT = 8;

/**
 * Where the journey log's second phase stopped: the waiting positions of closed journeys, taken out of the funnel
 * (closedJourneysOutOfFunnel), walked by workflow id after `positionsAfter`. Its `at` lies past every log row, so a
 * worker from before the phase that is handed it finds no move left and ends the kind, as it did before.
 */
interface PositionsCursor extends PruneCursor {
  positionsAfter: string;
}
const positionsCursor = (after: string): PositionsCursor => ({ at: 'infinity', id: '0', positionsAfter: after });
const isPositionsCursor = (c: PruneCursor | null): c is PositionsCursor => typeof (c as Partial<PositionsCursor> | null)?.positionsAfter === 'string';

/**
 * The part of an attempt's startToClose its statements may use: the rest is
 * margin for the attempt to report a stopped statement before Temporal times
 * it out (90 s of the retention workflow's 2 minutes).
 */
const ATTEMPT_SHARE = 0.75;

/**
 * How long a call's statements may run in all: no statement outlives the
 * attempt that started it, whatever DATABASE_STATEMENT_TIMEOUT_MS is (up to
 * an hour, or none). An attempt Temporal timed out is not cancelled here (no
 * heartbeat): without this bound its statement ran on while the retry, 5 s
 * later, started the same one, waiting on its locks.
 */
function attemptBudgetMs(deps: RetentionActivityDeps): number {
  if (deps.attemptMs !== undefined) return deps.attemptMs;
  const startToClose = asyncLocalStorage.getStore()?.info.startToCloseTimeoutMs;
  return startToClose !== undefined && startToClose > 0 ? Math.floor(startToClose * ATTEMPT_SHARE) : RETENTION_STATEMENT_MS;
}

/** The kind the pruned reward answers are logged and counted as (no kind of the workflow's: see pruneRewardAnswers). */
const REWARD_ANSWERS = 'rewardAnswers';
/** Statements of up to `limit` reward answers each batch runs at most. */
const REWARD_ANSWER_STATEMENTS_PER_BATCH = 10;

/** The cursor that starts the unfinished messages and webhook calls, once the final ones are gone. */
const START_OF_UNFINISHED: PruneCursor = { at: '-infinity', id: '0' };

/**
 * One small batch per call, each its own short statement or transaction,
 * every statement bounded by what is left of the call's attempt (attemptBudgetMs).
 */
export function createRetentionActivities(deps: RetentionActivityDeps) {
  /** The repository for one call: its statements end by the call's deadline (a timed-out attempt may still run beside its retry). */
  function repoForCall(): RetentionRepository {
    const deadline = Date.now() + attemptBudgetMs(deps);
    return new RetentionRepository(deps.dataSource, () => deadline - Date.now());
  }

  /** Candidates neither pinned nor seen by a running journey. */
  async function expendable(candidates: PruneCandidate[]): Promise<string[]> {
    const free = candidates.filter((c) => !c.pinned);
    const asked = free.flatMap((c) => c.workflowIds);
    if (asked.length > 0 && !deps.journeys) {
      throw ApplicationFailure.create({ type: 'NotConfigured', message: 'this worker cannot tell running journeys, so it prunes no events', nonRetryable: true });
    }
    const running = asked.length > 0 ? await deps.journeys!.running(asked) : new Set<string>();
    return free.filter((c) => !c.workflowIds.some((id) => running.has(id))).map((c) => c.id);
  }

  return {
    async pruneExpired(input: PruneInput): Promise<PruneResult> {
      const repo = repoForCall();
      const { deliveriesWithEvents, ...result } = await prune(repo, input);
      reportPruned(input.kind, result.deleted, input.cutoff);
      // The deliveries an events batch deleted with its events: pruned rows of kind deliveries, counted and logged as
      // such (with RETENTION_DELIVERIES_DAYS=0 these are the only ones). The workflow's report has no room for them: it
      // counts what each kind's batches answer, and this batch answers for its events.
      reportPruned('deliveries', deliveriesWithEvents ?? 0, input.cutoff, { withEvents: true });
      // The batch has committed; what follows is bookkeeping on what is left of the same budget, skipped once that is spent
      // rather than failing the attempt: a failed attempt loses the result (the pass's counts would leave out rows its metrics
      // counted) and the journey log's cursor, so the retry walks the same range again, as slowly, and may run out the same way.
      // A pass whose batches keep failing retries for ever, and the schedule skips every start meanwhile: the time each kind last
      // got to its end is what shows that (KairosRetentionStalled, from the API's /metrics). Stored, so no restart loses it; a
      // mark skipped here is set by the kind's next pass that gets to its end.
      if (result.done) await unlessOutOfTime(input.kind, `marking ${input.kind} pruned to its end`, () => repo.markDone(input.kind));
      await pruneRewardAnswers(repo, input.kind, input.limit);
      return result;
    },
  };

  /** The job said nothing but in its workflow's result: a line and a count per batch that removed rows. */
  function reportPruned(kind: RetentionKind | typeof REWARD_ANSWERS, deleted: number, cutoff: string, extra: { withEvents?: true } = {}): void {
    if (deleted === 0) return;
    activityLog()?.info('retention pruned rows', { kind, deleted, cutoff, ...extra });
    countInActivity('kairos_retention_pruned_rows_total', 'Rows the retention job deleted, by kind (deliveries, events, messages, webhookCalls, journeyLog, rewardAnswers).', { kind }, deleted);
  }

  /**
   * The ledger's kept answers (reward_answers) go after a week with every
   * batch of every kind, so whenever a pass runs (some window above 0). They
   * have no window and no kind of their own: nothing to set, and the
   * retention workflow's kinds stay as its histories have them. A few
   * statements a batch keep up with far more answers a day than a pass has
   * batches.
   */
  async function pruneRewardAnswers(repo: RetentionRepository, kind: RetentionKind, limit: number): Promise<void> {
    let deleted = 0;
    // Each statement commits on its own: those done before the budget ran out are counted.
    await unlessOutOfTime(kind, 'pruning reward answers', async () => {
      for (let statement = 0; statement < REWARD_ANSWER_STATEMENTS_PER_BATCH; statement++) {
        const gone = await repo.pruneRewardAnswers(limit);
        deleted += gone;
        if (gone < limit) break;
      }
    });
    reportPruned(REWARD_ANSWERS, deleted, `${REWARD_ANSWER_DAYS} days`);
  }

  /**
   * Runs a batch's bookkeeping (see pruneExpired), logging instead of failing when the batch's budget is spent: a statement
   * not started for want of time, or stopped by its statement_timeout (57014). Any other failure fails the attempt.
   */
  async function unlessOutOfTime(kind: RetentionKind, what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (!(err instanceof RetentionOutOfTimeError) && sqlState(err) !== '57014') throw err;
      activityLog()?.warn('retention skipped bookkeeping after a batch: its attempt is out of time', { kind, what, error: (err as Error).message });
    }
  }

  /**
   * One batch of the journey log's second phase: the next `limit` journeys with a path in a waiting state (by workflow
   * id after `after`) are asked of Temporal, and those whose last run closed at least closedSettleMs ago (terminated,
   * failed, timed out: they never log their way out of the state) are taken out of the funnel's `current` and the live
   * journeys list. Visibility tells the running ones as for events (`running`: a journey that continued as new
   * counts as running); each one it lists as not running is described, which is exact and gives when it closed, at
   * most DESCRIBES_PER_BATCH a batch: the cursor stops before the first one left, for the next batch.
   */
  async function closedJourneysOutOfFunnel(repo: RetentionRepository, journeys: JourneyGateway, after: string, limit: number): Promise<PruneResult> {
    const { waiting: ids, scanned, last: lastScanned } = await repo.waitingJourneys(after, limit);
    const running = await journeys.running(ids);
    const notRunning = ids.filter((id) => !running.has(id));
    const described = notRunning.slice(0, DESCRIBES_PER_BATCH);
    const askedAt = Date.now();
    const closed: ClosedJourney[] = [];
    for (let i = 0; i < described.length; i += DESCRIBES_IN_FLIGHT) {
      const found = await Promise.all(described.slice(i, i + DESCRIBES_IN_FLIGHT).map((id) => closedLongEnough(journeys, id, askedAt)));
      for (const c of found) if (c) closed.push(c);
    }
    const taken = await repo.strandedPositions(closed);
    if (taken > 0) activityLog()?.info('retention took closed journeys out of the funnel', { journeys: closed.length, positions: taken });
    const firstLeft = notRunning[DESCRIBES_PER_BATCH];
    // Past every journey looked at, or up to the first waiting one left undescribed (the next batch starts there).
    const last = firstLeft === undefined ? lastScanned : ids[ids.indexOf(firstLeft) - 1];
    return { deleted: 0, after: positionsCursor(last ?? after), done: scanned < limit && firstLeft === undefined };
  }

  /**
   * The journey as closed when Temporal says its current run has closed, at least closedSettleMs before `askedAt`
   * (null otherwise: running, or closed so lately that a log write it started may still land); one Temporal does not
   * know any more (its history aged out) closed long ago.
   */
  async function closedLongEnough(journeys: JourneyGateway, workflowId: string, askedAt: number): Promise<ClosedJourney | null> {
    const settledBy = askedAt - (deps.closedSettleMs ?? CLOSED_SETTLE_MS);
    const run = await journeys.describe(workflowId).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    });
    if (run === null) return { workflowId, arrivedBy: new Date(settledBy) };
    const closedAt = run.closeTime;
    const closedForGood = run.status.name !== 'RUNNING' && run.status.name !== 'CONTINUED_AS_NEW';
    return closedForGood && closedAt !== undefined && closedAt.getTime() <= settledBy ? { workflowId, arrivedBy: closedAt } : null;
  }

  /** A batch's result, and the deliveries an events batch deleted with its events (reported under their own kind). */
  async function prune(repo: RetentionRepository, input: PruneInput): Promise<PruneResult & { deliveriesWithEvents?: number }> {
    const cutoff = new Date(input.cutoff);
    const { limit } = input;
    switch (input.kind) {
      case 'messages':
      case 'webhookCalls': {
        const table = input.kind === 'messages' ? 'messages' : 'webhook_calls';
        // Two phases under the one cursor the pass carries: rows in a final status first (no cursor: every one
        // found goes), then, from a cursor, unfinished rows, which go only once their journey no longer runs.
        if (input.after === null) {
          const deleted = await repo.pruneDispatches(table, cutoff, limit);
          return deleted < limit ? { deleted, after: START_OF_UNFINISHED, done: false } : { deleted, after: null, done: false };
        }
        const candidates = await repo.unfinishedDispatchCandidates(table, cutoff, input.after, limit);
        const gone = await expendable(
          candidates.map((c) => ({ id: c.id, at: c.at, workflowIds: c.journey && deps.journeys ? [deps.journeys.idOf(c.journey.campaignKey, c.journey.userId)] : [], pinned: c.journey === null || !deps.journeys })),
        );
        const deleted = await repo.deleteUnfinishedDispatches(table, gone);
        const last = candidates.at(-1);
        return { deleted, after: last ? { at: last.at, id: last.id } : input.after, done: candidates.length < limit };
      }
      case 'journeyLog': {
        if (isPositionsCursor(input.after)) {
          // Handed on by a worker that can tell running journeys to one that cannot: it ends the kind there.
          return deps.journeys ? closedJourneysOutOfFunnel(repo, deps.journeys, input.after.positionsAfter, limit) : { deleted: 0, after: input.after, done: true };
        }
        // A cursor, as for deliveries and events: each batch starts past the moves the batches before it settled.
        const pruned = await repo.pruneJourneyLog(cutoff, input.after, limit);
        // Then the funnel's positions of journeys that closed without logging an end, when this worker can tell running ones.
        return pruned.done && deps.journeys ? { ...pruned, after: positionsCursor(''), done: false } : pruned;
      }
      case 'deliveries':
      case 'events': {
        const events = input.kind === 'events';
        const candidates = events ? await repo.eventCandidates(cutoff, input.after, limit) : await repo.deliveryCandidates(cutoff, input.after, limit);
        const gone = await expendable(candidates);
        const last = candidates.at(-1);
        const next = { after: last ? { at: last.at, id: last.id } : input.after, done: candidates.length < limit };
        if (!events) return { deleted: await repo.deleteDeliveries(gone), ...next };
        const deleted = await repo.deleteEvents(gone);
        return { deleted: deleted.events, deliveriesWithEvents: deleted.deliveries, ...next };
      }
    }
  }
}
