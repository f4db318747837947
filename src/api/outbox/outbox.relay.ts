import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SignalOutboxRepository } from '../../store/repositories/signal-outbox.repository';
import { JourneySender } from './journey-sender';
import { OUTBOX_OPTIONS, type OutboxOptions } from './outbox.options';
import { PeriodicRounds } from '../common/periodic-rounds';
import { ThrottledWarning } from '../../observability/throttled-warning';
import { emptyRound, roundLine, tallyRound, type RelayRound } from './relay-round';

/** While every send fails (Temporal away), the warning is repeated at most this often. */
const OUTAGE_WARN_EVERY_MS = 60_000;
/**
 * A round claims no more after this long, however full its claims: it ends
 * and says what it did, and the next one starts relayIntervalMs later. A
 * large backlog then still reports its progress about once a minute.
 */
export const RELAY_ROUND_BUDGET_MS = 60_000;
/**
 * Taken off the lease the relay counts with: the claim says how much of it was
 * left once its update was done (claimDueLeased), a little before the rows
 * came back here. The answer's way back fits in it.
 */
export const CLAIM_RETURN_MARGIN_MS = 1_000;

/**
 * Resends what the accepting request could not (Temporal down, a timeout, a
 * crash before the outcome was recorded), each row when its backoff is due.
 * Every API instance runs one; rows are claimed with FOR UPDATE SKIP LOCKED
 * and a lease, so instances share the work and never send a row at the same
 * time. Started with the app, stopped (and its round awaited) on shutdown.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly rounds: PeriodicRounds;
  private readonly outage = new ThrottledWarning(OUTAGE_WARN_EVERY_MS, (text) => this.logger.warn(text));

  constructor(
    private readonly outbox: SignalOutboxRepository,
    private readonly sender: JourneySender,
    @Inject(OUTBOX_OPTIONS) private readonly opts: OutboxOptions,
  ) {
    this.rounds = new PeriodicRounds(
      opts.relayIntervalMs,
      async () => this.report(await this.drain()),
      (err) => this.logger.warn(`Outbox round failed (PostgreSQL down?): ${err.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  /**
   * One round: claims and sends due journeys while claims come back full and
   * deliver, for at most RELAY_ROUND_BUDGET_MS. A claim that closed no row
   * (Temporal away: every row failed or was handed back) ends the round, so
   * that it is reported (the outage warning) and the next one asks Temporal
   * first; a full claim that delivered goes on at once, so a large backlog
   * drains without a pause per claim. Returns what became of the rows it claimed.
   */
  async drain(): Promise<RelayRound> {
    const round = emptyRound();
    const endAt = Date.now() + RELAY_ROUND_BUDGET_MS;
    // Temporal looked away: ask it, so that rows waiting out a backoff go as soon as it is back.
    await this.sender.probe();
    for (;;) {
      const { rows, leaseLeftMs } = await this.outbox.claimDueLeased(this.opts.relayBatch, this.opts.leaseMs, this.opts.relayPerJourney);
      // What was left of the lease once the claim's update was done, counted from when the rows came back: counted
      // from before the claim, a claim slower than the lease less the send timeout (a backlog queued behind one busy
      // journey slows every claim's scan) left no time for any call, and every row was handed back untried, for good.
      // The full lease counted from here would outlast the database's by as long as the update took (a large claim,
      // or one that waited for a row's lock), and another instance could claim the journey while this one sends to it.
      const leaseUntil = Date.now() + leaseLeftMs - CLAIM_RETURN_MARGIN_MS;
      const closedBefore = round.closed;
      if (rows.length > 0) tallyRound(round, (await this.sender.send(rows, leaseUntil)).values());
      const full = new Set(rows.map((r) => r.workflowId)).size >= this.opts.relayBatch;
      if (!full || round.closed === closedBefore || Date.now() >= endAt || this.rounds.isStopped) return round;
    }
  }

  /** Said as it is: a round whose every send failed is a warning (once a minute while it lasts), not "resent". */
  private report(round: RelayRound): void {
    const line = roundLine(round);
    if (!line) return;
    if (line.level === 'log') {
      this.outage.clear();
      this.logger.log(line.text);
      return;
    }
    this.outage.say(line.text);
  }
}
