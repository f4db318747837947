import { Injectable, Logger } from '@nestjs/common';
import { EventCancellationsRepository, type EventCancellation } from '../../store/repositories/event-cancellations.repository';
import { sqlStateMatching } from '../../store/sql-state';
import { isUnreachable } from '../../temporal/connectivity';
import { grpcStatusName } from '../../temporal/grpc-status';
import type { CancelSignalOutcome } from '../../temporal/journey-gateway';
import { DependencyUnavailableError, NotFoundError } from '../common/errors';
import { isPostgresUnavailable } from '../common/postgres-unavailable';
import { grpcCode, isRefusal } from '../journeys/temporal-calls';
import { CancelFinisher } from './cancel-finisher';
import type { CancelEventResponse } from './events.schemas';

/** Temporal's time for a cancel request's signals; the ledger passes are PostgreSQL's, under its statement timeout. */
const CANCEL_TIMEOUT_MS = 15_000;

/**
 * Cancelling an event (DESIGN.md decision 6). The cancel is stored first and
 * closes the deliveries not yet sent, so neither the relay nor a journey
 * started later ever counts the event; then rewards recorded as caused by it
 * are reclaimed, and every journey it was routed to is told. When Temporal
 * cannot be reached, the cancel stays stored as unfinished and the
 * CancelFinisher finishes it once Temporal answers. A second cancel keeps the
 * first's time and reason but runs the second half again: it is idempotent.
 * A repeat of a cancel finished before needs nothing from Temporal (every
 * journey took the first one), so Temporal failing it still answers 202.
 */
@Injectable()
export class EventCancelService {
  private readonly logger = new Logger('EventCancelService');

  constructor(
    private readonly cancellations: EventCancellationsRepository,
    private readonly finisher: CancelFinisher,
  ) {}

  /** `requestId`: the HTTP request's id, in the log line that keeps what a failed finish's answer leaves out. */
  async cancel(id: string, reason: string, requestId?: string): Promise<CancelEventResponse> {
    // The finisher leaves the cancel to this request for the signals' time and a margin. A ledger pass that
    // outlasts that (PostgreSQL's time, not Temporal's: CancelDeps.signalTimeoutMs) may meet the finisher's;
    // both are idempotent under each key's lock, and a reclaim is counted once.
    const stored = await this.cancellations.cancel(id, reason, CANCEL_TIMEOUT_MS + 5_000);
    if (!stored) throw new NotFoundError(`No event ${id}.`);
    const outcome = await this.finish(id, stored, reason, requestId);
    return { id, userId: stored.userId, cancelledAt: stored.cancelledAt, reason: stored.reason, alreadyCancelled: !stored.first, journeys: outcome.signalled, ended: outcome.ended };
  }

  /**
   * The stored cancel's second half. A failure leaves it unfinished (the repository stored it so) for the
   * finisher, and answers what failed; except Temporal failing a repeat of a finished cancel, whose journeys
   * were all told by then: the repeat is done once the ledger was read again, which comes before the signals.
   */
  private async finish(id: string, stored: EventCancellation, reason: string, requestId: string | undefined): Promise<CancelSignalOutcome> {
    try {
      return await this.finisher.finish({ eventId: id, reason: stored.reason ?? reason, workflowIds: stored.workflowIds, lateDeliveries: stored.lateDeliveries }, CANCEL_TIMEOUT_MS);
    } catch (err) {
      const answer = unfinishedCancelError(id, err);
      const temporals = answer instanceof DependencyUnavailableError && answer.dependency === 'temporal';
      if (!stored.finishedBefore || !temporals) throw this.logged(id, answer, err, requestId);
    }
    // Finished again as the first request left it (a send held since, or one whose journey took the event late, would
    // keep it unfinished here too).
    await this.cancellations.finished(id, stored.lateDeliveries).catch((err: unknown) => {
      throw this.logged(id, unfinishedCancelError(id, err), err, requestId);
    });
    // This request told no journey, and learnt of none that had ended.
    return { signalled: [], ended: [] };
  }

  /** What a failed finish answers (`answer`, of `err`); its detail, which the answer leaves out (grpc-js's text names Temporal's internal address), is logged. */
  private logged(id: string, answer: unknown, err: unknown, requestId: string | undefined): unknown {
    if (answer instanceof DependencyUnavailableError) {
      this.logger.warn({ msg: 'event cancelled but not finished; Kairos finishes it later', requestId, eventId: id, dependency: answer.dependency, err: errorText(err) });
    }
    return answer;
  }
}

/** What every failed finish still says: the cancel itself is stored, the finisher completes it, repeating is safe. */
const KEPT = 'Kairos finishes it by itself once it can; repeating the request is safe.';

/**
 * A finish that failed, named after the dependency that failed: the finish
 * reclaims in PostgreSQL and signals through Temporal, and naming the wrong
 * one sends the on-call to the wrong place. PostgreSQL's own failures get the
 * codes the global filter gives them (docs/operations.md), but a message that
 * says the cancel is kept: the filter's would say nothing was stored. Only an
 * error with a gRPC status is Temporal's; anything else is rethrown, so the
 * filter answers it (a 500 is logged there).
 */
function unfinishedCancelError(id: string, err: unknown): unknown {
  if (isUnreachable(err)) {
    // The ledger's first pass comes before the signals (cancelEverywhere): the rewards are taken back already.
    return new DependencyUnavailableError(
      'temporal',
      `Event ${id} is cancelled and the rewards it caused are taken back, but Temporal cannot be reached now, so its journeys are not all told yet. Kairos tells them once Temporal answers; repeating the request is safe.`,
    );
  }
  if (isPostgresUnavailable(err)) {
    return new DependencyUnavailableError(
      'postgres',
      `Event ${id} is cancelled and kept as unfinished, but PostgreSQL cannot be reached now, so the rewards it caused may not all be taken back and its journeys not all told yet. Kairos finishes it once PostgreSQL answers; repeating the request is safe.`,
    );
  }
  if (sqlStateMatching(err, /^57014$/)) {
    return new DependencyUnavailableError(
      'postgres',
      `Event ${id} is cancelled and kept as unfinished, but PostgreSQL stopped a statement reclaiming the rewards it caused for running too long (DATABASE_STATEMENT_TIMEOUT_MS; a reward locked elsewhere, say), so they may not all be taken back and its journeys not all told yet. ${KEPT}`,
      5,
      'postgres_timeout',
    );
  }
  const conflict = sqlStateMatching(err, /^(40P01|40001)$/);
  if (conflict) {
    return new DependencyUnavailableError(
      'postgres',
      `Event ${id} is cancelled and kept as unfinished, but PostgreSQL stopped reclaiming a reward it caused to let a concurrent transaction through (SQLSTATE ${conflict}), so the rewards it caused may not all be taken back and its journeys not all told yet. ${KEPT}`,
      1,
      'conflict_retry',
    );
  }
  const code = grpcCode(err);
  if (code !== undefined) {
    // A refusal (PERMISSION_DENIED, INVALID_ARGUMENT, ...) is answered the same until something changes: no
    // Retry-After (docs/api.md, the errors table), as for the journeys' own calls (journeyError).
    if (isRefusal(err)) {
      return new DependencyUnavailableError(
        'temporal',
        `Event ${id} is cancelled and the rewards it caused are taken back, but Temporal refused the signals to its journeys (gRPC ${grpcStatusName(code)}); the same request gets the same answer until that changes (Kairos's access to Temporal, say). Kairos tells the journeys by itself once Temporal takes the signals.`,
        null,
      );
    }
    return new DependencyUnavailableError('temporal', `Event ${id} is cancelled and the rewards it caused are taken back, but ${temporalDidNotTake(code)}. ${KEPT}`);
  }
  return err;
}

/**
 * Why Temporal did not take the signals, by gRPC status alone. Never the
 * error's text: grpc-js writes the frontend's address into it
 * (`remote_addr=10.0.3.7:7233`), which a support key has no use for; the
 * service logs it.
 */
function temporalDidNotTake(code: number): string {
  if (code === GRPC_DEADLINE_EXCEEDED) return `Temporal did not answer within ${CANCEL_TIMEOUT_MS / 1000} s, so its journeys are not all told yet`;
  return `Temporal did not take every signal to its journeys (gRPC ${grpcStatusName(code)})`;
}

const GRPC_DEADLINE_EXCEEDED = 4;

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
