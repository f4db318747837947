import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Registry } from 'prom-client';
import { PeriodicRounds } from '../common/periodic-rounds';
import { ThrottledWarning } from '../../observability/throttled-warning';
import { registerScrapedGauges } from '../../observability/once-per-scrape';
import { EventCancellationsRepository, type UnfinishedCancel } from '../../store/repositories/event-cancellations.repository';
import { RewardCausesRepository } from '../../store/repositories/reward-causes.repository';
import { RewardsRepository } from '../../store/repositories/rewards.repository';
import { isConnectivityError } from '../../temporal/connectivity';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { isPostgresUnavailable } from '../common/postgres-unavailable';
import { OUTBOX_OPTIONS, type OutboxOptions } from '../outbox/outbox.options';
import { cancelEverywhere, type CancelOutcome } from './cancel-everywhere';
import { RewardMetrics } from '../metrics/rewards.metrics';

/** Unfinished cancels claimed per round. */
const CLAIM = 50;
/** While every attempt fails (Temporal away), the warning is repeated at most this often. */
const OUTAGE_WARN_EVERY_MS = 60_000;

/**
 * Finishes cancels: tells the journeys an event was routed to, and reclaims
 * in the ledger what it caused. The cancel request does it at once; when
 * Temporal cannot be reached the cancel stays stored as unfinished
 * (`events.cancel_unfinished_since`), and every API instance's finisher
 * takes such cancels up again, on the outbox relay's interval, leased for
 * its retry delay, until they finish. So a cancel is never lost to an
 * outage, and nobody has to repeat the request. It also finishes a cancel
 * whose delivery a sender found delivered after the cancel closed it: that
 * sender tells only its own journey again and never finishes the cancel;
 * once its lease runs out, this tells every journey the event was routed to
 * and finishes it.
 */
@Injectable()
export class CancelFinisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CancelFinisher');
  private readonly rounds: PeriodicRounds;
  private readonly outage = new ThrottledWarning(OUTAGE_WARN_EVERY_MS, (text) => this.logger.warn(text));

  constructor(
    private readonly cancellations: EventCancellationsRepository,
    private readonly journeys: JourneyGateway,
    private readonly rewards: RewardsRepository,
    private readonly rewardCauses: RewardCausesRepository,
    @Inject(OUTBOX_OPTIONS) private readonly opts: OutboxOptions,
    @Inject(Registry) registry: Registry,
    private readonly metrics: RewardMetrics,
  ) {
    registerScrapedGauges(registry, () => cancellations.unfinished(), [
      ['kairos_cancels_unfinished', 'Cancelled events whose journeys are still to be told (Temporal was unreachable); the API finishes them by itself.', (u) => u.count],
      ['kairos_cancels_oldest_unfinished_seconds', 'How long the oldest unfinished cancel has waited (0 when none does).', (u) => u.oldestSeconds],
    ]);
    this.rounds = new PeriodicRounds(
      opts.relayIntervalMs,
      async () => this.report(await this.drain()),
      (err) => this.logger.warn(`Cancel finisher round failed (PostgreSQL down?): ${err.message}`),
    );
  }

  /**
   * Finishes one cancel, giving Temporal `timeoutMs` for the signals (the ledger passes are PostgreSQL's,
   * bounded by its statement timeout: see CancelDeps.signalTimeoutMs); throws when either could not
   * do its part, leaving the cancel unfinished for a later round.
   */
  async finish(cancel: UnfinishedCancel, timeoutMs: number): Promise<CancelOutcome> {
    const outcome = await cancelEverywhere(
      { journeys: this.journeys, rewards: this.rewards, rewardCauses: this.rewardCauses, reclaimed: (r) => this.metrics.reclaimed(r), signalTimeoutMs: timeoutMs },
      cancel,
    );
    await this.cancellations.finished(cancel.eventId, cancel.lateDeliveries);
    return outcome;
  }

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  /**
   * One round: finishes what is due until none is left. A failure that says
   * Temporal or PostgreSQL is away (or too slow to answer) ends the round:
   * the cancels claimed after it keep their lease and wait for a later round
   * rather than each waiting out a timeout now. Any other failure is that
   * cancel's own: it keeps its lease (tried again after it) and the round
   * goes on, so one cancel that keeps failing holds back none claimed with
   * it. `unfinished` counts the failed ones and those left.
   */
  async drain(): Promise<{ finished: number; unfinished: number; lastError: string | null }> {
    const tally = { finished: 0, unfinished: 0, lastError: null as string | null };
    for (;;) {
      const due = await this.cancellations.claimUnfinished(CLAIM, this.opts.maxRetryMs);
      let failedOnItsOwn = 0;
      for (const [index, cancel] of due.entries()) {
        try {
          await this.finish(cancel, this.opts.sendTimeoutMs);
          tally.finished++;
        } catch (err) {
          tally.lastError = (err as Error).message;
          if (isConnectivityError(err) || isPostgresUnavailable(err)) {
            tally.unfinished += due.length - index;
            return tally;
          }
          tally.unfinished++;
          failedOnItsOwn++;
        }
      }
      // Claimed again only once their lease runs out: a full claim of failures would be claimed no sooner.
      if (due.length < CLAIM || failedOnItsOwn === due.length || this.rounds.isStopped) return tally;
    }
  }

  private report(t: { finished: number; unfinished: number; lastError: string | null }): void {
    if (t.finished > 0) this.logger.log(`Finished ${t.finished} cancel(s) that Temporal had interrupted`);
    if (t.unfinished === 0) {
      if (t.finished > 0) this.outage.clear();
      return;
    }
    this.outage.say(`${t.unfinished} cancel(s) could not be finished yet (${t.lastError}); retrying`);
  }
}
