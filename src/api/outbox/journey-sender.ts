import { describeError, isRefusedForGood } from '../../temporal/refusals';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventCancellationsRepository } from '../../store/repositories/event-cancellations.repository';
import { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import { RewardsRepository, type ReclaimResult } from '../../store/repositories/rewards.repository';
import { journeyIdNow, SignalOutboxRepository, type OutboxDelivery, type SendOutcome, type SendResult } from '../../store/repositories/signal-outbox.repository';
import { isConnectivityError, isUnreachable } from '../../temporal/connectivity';
import { JourneyGateway, routedEvent } from '../../temporal/journey-gateway';
import { cancelEverywhere } from '../events/cancel-everywhere';
import { retryDelayMs } from '../../retry/retry-delay';
import { oneCallEach, planJourneyCalls, type JourneyCall } from './journey-calls';
import { isClosed, OutcomeRecorder } from './outcome-recorder';
import { OUTBOX_OPTIONS, type OutboxOptions } from './outbox.options';
import { runLimited } from './run-limited';
import { RewardMetrics } from '../metrics/rewards.metrics';

/** Omit applied to each member of a union (plain Omit keeps only the keys every member shares). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * What a call carrying several rows comes to when Temporal refuses it for
 * good: an outcome of none of them (the refusal does not say which row, or
 * whether their total size, caused it). Its rows go again, one per call.
 */
const BATCH_REFUSED = Symbol('batch refused');

/**
 * Past the send timeout (the cancel's signals), how long sending a cancel
 * again may take for the ledger's two passes around them, before the
 * finisher tells every journey of the event and finishes the cancel
 * (cancelAgain).
 */
const RETELL_LEDGER_MARGIN_MS = 5_000;

/**
 * Left of a lease after the last call a send may start has ended, for
 * writing what the send came to: the recorder's gather window
 * (RECORD_GATHER_MS) and one statement. Until it is written each row stays
 * undelivered in the outbox; past the lease, another instance's relay would
 * claim and send it again, and send to the journey while this send still ran.
 */
export const RECORD_ROOM_MS = 3_000;

/**
 * Sends outbox rows to their journeys and records what came of each, for
 * both the request that accepted the events and the relay. Never throws: a
 * failure leaves the row for the relay with its next attempt scheduled
 * (unless another instance claimed the row since, when its lease stands and
 * this failure is not written).
 */
@Injectable()
export class JourneySender implements OnApplicationShutdown {
  private readonly logger = new Logger('JourneySender');
  /**
   * False after a send failed, true again after one succeeds. While false,
   * requests leave their deliveries to the relay instead of each waiting out
   * the send timeout, so ingestion stays one insert fast during an outage;
   * the relay's first success (or its probe) turns it back, and rows waiting
   * out a backoff because Temporal was away are made due at once (rouse).
   */
  get reachable(): boolean {
    return this.isReachable;
  }
  private isReachable = true;
  /**
   * Temporal was out of reach, not merely slow: a call found nothing there,
   * or the relay's probe went unanswered. Only then does its return make the
   * rows waiting for it due at once; a call that timed out under load does
   * not, or every timeout would undo the backoff when it is needed most.
   */
  private away = false;
  /** How many times the waiting rows were made due, so that a send knows one happened while it ran. */
  private rouses = 0;
  /**
   * Calls still running inside the Temporal client after their timeout (its
   * retry loop ends at the deadline, not at once); shutdown waits for them so
   * that the connection is not closed under them.
   */
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly recorder: OutcomeRecorder;

  constructor(
    private readonly journeys: JourneyGateway,
    @Inject(OUTBOX_OPTIONS) private readonly opts: OutboxOptions,
    private readonly outbox: SignalOutboxRepository,
    private readonly rewards: RewardsRepository,
    private readonly rewardCauses: RewardCausesRepository,
    private readonly cancellations: EventCancellationsRepository,
    private readonly metrics: RewardMetrics,
  ) {
    this.recorder = new OutcomeRecorder(outbox, (ids) => this.cancelAgain(ids), this.logger);
  }

  /**
   * Of these journeys, the deliveries this process has sent (and Temporal
   * took) but not yet recorded: they are not in the way of the journey's
   * next event, which may go at once.
   */
  closedUnrecorded(workflowIds: Iterable<string>): number[] {
    return this.recorder.closedUnrecorded(workflowIds);
  }

  /**
   * One journey's rows go in the order the events were accepted, batched
   * into as few calls as the limits allow (planJourneyCalls), and stop at the
   * first failure (the rest wait for it, so a retry does not overtake);
   * different journeys go concurrently. A batch Temporal refuses for good is
   * sent again at once one row per call, with the journey's rows after it:
   * only a row refused alone counts the refusal (and is closed as dead at the
   * last), the rows behind it wait for it uncounted, and the others go. With `leaseUntil` (epoch ms), a call
   * that might end after the lease less RECORD_ROOM_MS is not started: its
   * rows are handed back to the relay untried, so no send outlives the lease
   * on its journey, and the outcomes are written while it lasts. So
   * are the rows of calls not started yet once one call of this send found
   * Temporal unreachable (it did not answer in time, or a connectivity
   * error: what makes `reachable` false): a request's answer waits for the
   * calls already under way, not for one more deadline per wave of journeys.
   * A stopped Temporal shows first as a call that does not answer in time
   * (the client's own UNAVAILABLE comes after the sender's deadline), so
   * isUnreachable alone would not stop the next wave.
   *
   * A call that starts late in the send (after another of its calls ended,
   * `closedRecheckAfterMs` after it began) first reads which of its journey's
   * rows were closed meanwhile (their event cancelled) and leaves them out:
   * no outcome is given or recorded for them. Only a call already under way
   * when the cancel came carries its event (see cancelAgain).
   *
   * The outcomes are recorded before this resolves, except with
   * `recordLater` when every call succeeded: the request that sent its
   * events answers without waiting for that bookkeeping (the journeys have
   * them; see OutcomeRecorder).
   */
  async send(deliveries: readonly OutboxDelivery[], leaseUntil?: number, opts: { recordLater?: boolean } = {}): Promise<Map<number, SendOutcome>> {
    const outcomes = new Map<number, SendOutcome>();
    const rousesBefore = this.rouses;
    const byJourney = new Map<string, OutboxDelivery[]>();
    for (const d of [...deliveries].sort((a, b) => a.id - b.id)) {
      const list = byJourney.get(d.workflowId) ?? [];
      list.push(d);
      byJourney.set(d.workflowId, list);
    }
    // Set once a call of this send found Temporal unreachable (no answer in time, or a connectivity error: what makes
    // `reachable` false): the calls not started yet are not made, as the requests that follow make none. Each would
    // wait out its deadline in turn, and a request would answer only after them all. Their rows are handed back
    // untried, as when the lease runs short: due at once for the relay, which asks Temporal first.
    const found: CallsFound = { away: false, silent: false, answered: false };
    // A call that starts late in the send (after another of its calls ended, and closedRecheckAfterMs after it
    // began) may carry rows whose event was cancelled meanwhile: it reads which first (closedMeanwhile).
    const startedAt = Date.now();
    let anyEnded = false;
    const startsLate = () => anyEnded && Date.now() - startedAt >= this.opts.closedRecheckAfterMs;
    await runLimited([...byJourney.values()], this.opts.concurrency, async (rows) => {
      let blockedBy: { eventId: string; retryInMs: number } | undefined;
      let leaseSpent = false;
      let oneEach = false;
      let calls = planJourneyCalls(rows, this.opts.callLimits);
      for (let next = 0; next < calls.length; next++) {
        leaseSpent ||= leaseUntil !== undefined && Date.now() + this.opts.sendTimeoutMs + RECORD_ROOM_MS > leaseUntil;
        if (!blockedBy && !leaseSpent && !stopsTheRest(found) && startsLate()) {
          // Rows the cancel closed before any call carrying them started are not sent ("its deliveries not yet sent
          // are dropped"), nor is one another sender delivered since; nothing is recorded for them (they are closed).
          // The journey's rows left are planned again: a dropped start row must not make the signals after it a start.
          const rest = calls.slice(next).flatMap((c) => c.rows);
          const closed = await this.closedMeanwhile(rest);
          if (closed.size > 0) {
            const left = rest.filter((r) => !closed.has(r.id));
            calls = [...calls.slice(0, next), ...(oneEach ? oneCallEach(left) : planJourneyCalls(left, this.opts.callLimits))];
            if (next >= calls.length) break;
          }
          leaseSpent ||= leaseUntil !== undefined && Date.now() + this.opts.sendTimeoutMs + RECORD_ROOM_MS > leaseUntil;
        }
        const call = calls[next];
        // A row behind a failed one of its journey waits for it (blocked), unless the lease is spent.
        const outcome = (id: number): SendResult =>
          leaseSpent || !blockedBy
            ? { id, deferred: true }
            : { id, error: `waits for event ${blockedBy.eventId} of the same journey`, retryInMs: blockedBy.retryInMs, blocked: true };
        const held = blockedBy || leaseSpent || stopsTheRest(found);
        const results = held ? call.rows.map((r) => outcome(r.id)) : await this.sendCall(call, found);
        if (!held) anyEnded = true;
        if (results === BATCH_REFUSED) {
          // Its rows go next, one per call, and so do the journey's rows after them: a blob limit set below the batch's
          // size would refuse each of their batches too.
          calls = [...calls.slice(0, next + 1), ...oneCallEach(calls.slice(next).flatMap((c) => c.rows))];
          oneEach = true;
          continue;
        }
        call.rows.forEach((row, i) => {
          // Under the claim it was sent under: a record that comes after another instance claimed the row does not move it.
          const result: SendOutcome = { ...results[i], claim: row.claim };
          outcomes.set(row.id, result);
          // Named for what happened, so that following one event by its requestId reads true: only a closed one was sent.
          const msg = 'outcome' in result ? (result.outcome === 'dead' ? 'delivery dead' : 'delivery sent') : 'deferred' in result ? 'delivery deferred' : 'delivery not sent';
          this.logger.debug({ msg, requestId: row.requestId ?? undefined, eventId: row.eventId, workflowId: row.workflowId, batch: call.rows.length, ...result });
        });
        const failed = results[0];
        if (!blockedBy && 'error' in failed) blockedBy = { eventId: call.rows[0].eventId, retryInMs: failed.retryInMs };
      }
    });
    const workflowOf = new Map(deliveries.map((d) => [d.id, d.workflowId]));
    const recorded = this.recorder.record([...outcomes.values()].map((outcome) => ({ workflowId: workflowOf.get(outcome.id)!, outcome })));
    // A failure is recorded first: its retry time and attempt count are what the relay goes by.
    if (!opts.recordLater || ![...outcomes.values()].every(isClosed)) await recorded;
    // A call that found Temporal away, recorded after another found it back (which made the waiting rows due
    // before this one waited): its rows are due now too, not when their backoff ends.
    if (this.rouses !== rousesBefore && [...outcomes.values()].some((o) => 'error' in o && o.unreachable)) await this.rouse();
    return outcomes;
  }

  /**
   * Of these rows (claimed or leased by this send, not sent yet), the ones
   * closed since they were read: their event was cancelled, or another
   * sender delivered them. A failed read closes none: the rows go, and a
   * cancel that closed one meanwhile is sent again after it (cancelAgain).
   */
  private async closedMeanwhile(rows: readonly OutboxDelivery[]): Promise<Set<number>> {
    try {
      const closed = await this.outbox.closedAmong(rows.map((r) => r.id));
      for (const r of rows) {
        if (closed.has(r.id)) this.logger.debug({ msg: 'delivery dropped: closed before its call started (event cancelled)', requestId: r.requestId ?? undefined, eventId: r.eventId, workflowId: r.workflowId });
      }
      return closed;
    } catch (err) {
      this.logger.warn(`Could not read which of ${rows.length} deliveries were closed meanwhile (${(err as Error).message}); sending them`);
      return new Set();
    }
  }

  /**
   * An event cancelled while its send was in flight: the cancel's own signal
   * may have found no journey yet (or overtaken the event), and the event
   * then started the journey anyway. Sending the cancel again now, after the
   * event is in, makes the journey drop it and reclaim what it caused.
   *
   * sentButCancelled makes such a cancel unfinished in PostgreSQL before
   * anything is sent, leased to this sender for the time it takes. The sender
   * tells only its own journeys and never finishes the cancel: the cancel
   * request, a finisher round or another sender may still be telling the
   * event's other journeys, and a finish here would stand even if that teller
   * then failed or died. Once the lease runs out the finisher tells every
   * journey the event was routed to and finishes it (the signals are
   * idempotent); if telling fails here it is due for the finisher at once.
   */
  private async cancelAgain(rowIds: readonly number[]): Promise<void> {
    const byEvent = new Map<string, { reason: string | null; workflowIds: string[] }>();
    for (const row of await this.outbox.sentButCancelled(rowIds, this.opts.sendTimeoutMs + RETELL_LEDGER_MARGIN_MS)) {
      const entry = byEvent.get(row.eventId) ?? { reason: row.reason, workflowIds: [] };
      entry.workflowIds.push(row.workflowId);
      byEvent.set(row.eventId, entry);
    }
    for (const [eventId, { reason, workflowIds }] of byEvent) {
      // Under the sender's deadline, as every other call to Temporal: a signal Temporal takes and never answers would
      // otherwise hold this follow-up, the events after it, and shutdown (OutcomeRecorder.idle) for as long as it is held.
      const deps = { journeys: this.journeys, rewards: this.rewards, rewardCauses: this.rewardCauses, reclaimed: (r: ReclaimResult) => this.metrics.reclaimed(r), signalTimeoutMs: this.opts.sendTimeoutMs };
      await cancelEverywhere(deps, { eventId, reason, workflowIds }).catch(async (err: Error) => {
        // Left to the CancelFinisher, which tells every journey the event was routed to once Temporal answers.
        this.logger.warn(`Event ${eventId} was cancelled while being sent and the cancel could not be sent again yet (${err.message}); retrying`);
        await this.cancellations.unfinishedAgain(eventId);
      });
    }
  }

  /**
   * While Temporal looks unreachable: asks it directly (the relay, each
   * round), so that it counts as back without waiting for a row whose backoff
   * ends. True when it answered.
   */
  async probe(): Promise<boolean> {
    if (this.isReachable) return true;
    if (!(await this.journeys.answers(this.opts.sendTimeoutMs))) {
      // A call that got through while the probe waited has the last word: Temporal is back, not away.
      if (!this.isReachable) this.away = true;
      return this.isReachable;
    }
    // Awaited here: the relay's claim that follows then finds the roused rows due.
    await this.answered();
    return true;
  }

  /**
   * Temporal took a call: when it had been away, the rows waiting out their
   * backoff for it are due now. Resolves once they are (a request's
   * send does not wait for it).
   */
  private answered(): Promise<void> {
    if (this.isReachable) return Promise.resolve();
    this.isReachable = true;
    if (!this.away) return Promise.resolve();
    this.away = false;
    this.rouses++;
    return this.rouse();
  }

  /** Makes the rows waiting out a backoff for Temporal due now; never throws. */
  private rouse(): Promise<void> {
    const roused = this.outbox.rouseAwaitingTemporal().then(
      (n) => {
        if (n > 0) this.logger.log(`Temporal answers again: ${n} queued deliveries that waited out a backoff for it are due now`);
      },
      // Not lost: those rows keep their backoff and go when it ends.
      (err: Error) => this.logger.warn(`Temporal answers again, but the deliveries waiting for it could not be made due now (${err.message}); they go when their backoff ends`),
    );
    this.inflight.add(roused);
    void roused.then(() => this.inflight.delete(roused));
    return roused;
  }

  /** Runs after the HTTP server has closed and the relay has stopped, so no new call can start meanwhile. */
  async onApplicationShutdown(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
    await this.recorder.idle();
  }

  /**
   * One call carrying a journey's rows; every row gets the call's outcome,
   * except when Temporal refuses a call of several rows for good
   * (BATCH_REFUSED). It notes in `found` what it found of Temporal.
   */
  private async sendCall(call: JourneyCall, found: CallsFound): Promise<SendResult[] | typeof BATCH_REFUSED> {
    const first = call.rows[0];
    // The head's: rows behind it were not tried while it failed (their waits count no attempt). Its refusals are its
    // own: a refusal is counted only for a call of one row, and a row refused before goes alone (planJourneyCalls).
    const { attempts, refusals } = first;
    const each = (outcome: DistributiveOmit<SendResult, 'id'>) => call.rows.map((r): SendResult => ({ ...outcome, id: r.id }));
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`Temporal did not answer within ${this.opts.sendTimeoutMs} ms`));
      }, this.opts.sendTimeoutMs);
    });
    // The deadline ends the client's own retries (each one carries it), the abort cancels the call in flight,
    // and the race bounds the wait whatever the client does.
    const send = this.journeys.bounded(
      this.opts.sendTimeoutMs,
      () =>
        this.journeys.deliverEvents({
          kind: call.kind,
          // A row queued before ids were cut to 255 characters goes to the id its journey has now (its own never starts).
          workflowId: journeyIdNow(first.workflowId, first.campaignKey, first.userId),
          campaignKey: first.campaignKey,
          campaignVersion: first.campaignVersion,
          userId: first.userId,
          events: call.rows.map((r) => routedEvent(r.event, r)),
        }),
      abort.signal,
    );
    const settled = send.catch(() => undefined); // after a timeout its outcome no longer matters
    this.inflight.add(settled);
    void settled.then(() => this.inflight.delete(settled));
    try {
      const outcome = await Promise.race([send, timeout]);
      found.answered = true;
      void this.answered();
      return each({ outcome });
    } catch (err) {
      // Marks the rows as waiting for Temporal: a stopped Temporal shows as a call that hangs until this sender gives up,
      // as a busy one does, so both are marked. Only an outage (isUnreachable, or the relay's probe) makes them due early.
      const unreachable = abort.signal.aborted || isConnectivityError(err);
      if (unreachable) {
        this.isReachable = false;
        found.silent = true;
      }
      if (isUnreachable(err)) {
        this.away = true;
        found.away = true;
      }
      const message = describeError(err);
      const refused = !abort.signal.aborted && isRefusedForGood(err);
      if (refused && call.rows.length > 1) {
        this.logger.warn(`Temporal refused a call of ${call.rows.length} events from ${first.eventId} to ${first.workflowId} (${message}); they go again one per call`);
        return BATCH_REFUSED;
      }
      // A few refusals first: a refusal for good is rare enough that a misread one should not close a delivery at once.
      // Only refusals count: attempts that timed out, found Temporal away, were rate limited or found the run full
      // say nothing about the payload, and a delivery that waited out an outage must not die of one refusal after it.
      if (refused && refusals + 1 >= this.opts.deadAfterRefusals) {
        this.logger.error(`Delivery of event ${first.eventId} to ${first.workflowId} is dead after ${refusals + 1} refusals (${attempts + 1} attempts): ${message}`);
        return each({ outcome: 'dead', reason: message });
      }
      return each({ error: message, retryInMs: retryDelayMs(attempts + 1, this.opts.firstRetryMs, this.opts.maxRetryMs), unreachable, ...(refused ? { refused: true as const } : {}) });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What the calls of one send found of Temporal so far. */
interface CallsFound {
  /** A call found it away (a connectivity error: nothing answers at its address). */
  away: boolean;
  /** A call got no answer in time, or a connectivity error: a stopped Temporal, or a busy one. */
  silent: boolean;
  /** A call was answered: Temporal is there, if slow. */
  answered: boolean;
}

/**
 * Whether the calls of a send not started yet are left to the relay: Temporal is away, or no call was answered
 * and one got no answer in time (how a stopped Temporal shows first). A busy Temporal that answered others is
 * asked on: one slow call must not hand back a claim's other journeys.
 */
function stopsTheRest(found: CallsFound): boolean {
  return found.away || (found.silent && !found.answered);
}

