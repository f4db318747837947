import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { CampaignIndex } from './campaign-index';
import { Backoff } from '../../retry/backoff';
import { ROUTING_OPTIONS, type RoutingOptions } from './routing.options';

/** What asks for a reload: a change notice, the periodic reconcile, or the backoff after a failure. */
const RELOAD_TRIGGERS = ['change', 'reconcile', 'retry'] as const;
type ReloadTrigger = (typeof RELOAD_TRIGGERS)[number];

/**
 * Keeps the campaign index current when a reload fails or a notification is
 * lost: a failed reload is tried again with backoff until one succeeds, and
 * a reconcile every `reconcileMs` reloads whatever happened. Failures are
 * counted; the index's age is the other half of the picture (RoutingMetrics).
 */
@Injectable()
export class IndexRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CampaignIndex');
  private readonly failures: Counter<'trigger'>;
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly index: CampaignIndex,
    @Inject(ROUTING_OPTIONS) private readonly opts: RoutingOptions,
    @Inject(Registry) registry: Registry,
  ) {
    this.backoff = new Backoff(opts.firstRetryMs, opts.maxRetryMs);
    this.failures = new Counter({
      name: 'kairos_routing_reload_failures_total',
      help: 'Campaign routing index reloads that failed, by what asked for them (change, reconcile, retry); each is retried with backoff.',
      labelNames: ['trigger'],
      registers: [registry],
    });
    // Shown from the start at 0, so a first failure is an increase Prometheus sees.
    for (const trigger of RELOAD_TRIGGERS) this.failures.inc({ trigger }, 0);
  }

  onApplicationBootstrap(): void {
    this.reconcileTimer = setInterval(() => this.reload('reconcile'), this.opts.reconcileMs);
    this.reconcileTimer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.reconcileTimer);
    clearTimeout(this.retryTimer);
  }

  /** Reloads now; a failure is logged, counted and retried. */
  reload(trigger: ReloadTrigger, why: string = trigger): void {
    if (this.stopped) return;
    this.index.reload().then(
      () => {
        this.backoff.reset();
      },
      (err: Error) => {
        this.failures.inc({ trigger });
        if (this.stopped || this.retryTimer) return;
        const retryMs = this.backoff.next();
        this.logger.error(`Could not reload the campaign index (${why}): ${err.message}; trying again in ${retryMs} ms`);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.reload('retry');
        }, retryMs);
        this.retryTimer.unref();
      },
    );
  }
}
