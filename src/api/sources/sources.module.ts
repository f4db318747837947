import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { Config } from '../../config/config';
import { NatsConsumer } from '../../ingest/nats-consumer';
import { RabbitMqConsumer } from '../../ingest/rabbitmq-consumer';
import { SourceMetrics } from '../../ingest/source-metrics';
import { SourceSupervisor } from '../../ingest/source-supervisor';
import { SourcesRepository } from '../../store/repositories/sources.repository';
import { PeriodicRounds } from '../common/periodic-rounds';
import { CONFIG } from '../core/tokens';
import { EventsModule } from '../events/events.module';
import { EventsService } from '../events/events.service';
import { RoutingModule } from '../routing/routing.module';
import { ChangeListener, SOURCES_CHANNEL } from '../routing/change-listener';
import { ROUTING_OPTIONS, type RoutingOptions } from '../routing/routing.options';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';

const logger = new Logger('Sources');

/**
 * Event sources (RabbitMQ, NATS JetStream): the API to manage them, and this
 * instance's consumers, kept in line with the `sources` table through the
 * change listener, like the campaign index and with its timings: a failed
 * reload is tried again with backoff, and a reconcile every `reconcileMs`
 * catches a change whose notification was missed. Messages go into
 * EventsService, the POST /v1/events path.
 */
@Module({
  imports: [RoutingModule, EventsModule],
  controllers: [SourcesController],
  providers: [
    SourcesService,
    { provide: SourceMetrics, useFactory: (registry: Registry) => new SourceMetrics(registry), inject: [Registry] },
    {
      provide: SourceSupervisor,
      useFactory: (config: Config, repo: SourcesRepository, events: EventsService, metrics: SourceMetrics, routing: RoutingOptions) => {
        const log = { warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) };
        // A batch carries at most what one POST /v1/events may (MAX_BODY_BYTES) in properties, and a message is no larger than its body may be.
        const shared = { sink: events, metrics, log, propertiesCapBytes: config.sizeCaps.eventPropertiesBytes, batchBytes: config.maxBodyBytes, bodyCapBytes: config.maxBodyBytes };
        return new SourceSupervisor({
          load: () => repo.list(),
          metrics,
          log,
          firstRetryMs: routing.firstRetryMs,
          maxRetryMs: routing.maxRetryMs,
          createConsumer: ({ definition }) =>
            definition.broker === 'rabbitmq'
              ? new RabbitMqConsumer(definition, { ...shared, url: config.brokers.rabbitmqUrl })
              : new NatsConsumer(definition, { ...shared, servers: config.brokers.natsServers, login: config.brokers.natsLogin, eventsRetentionDays: config.retention.eventsDays }),
        });
      },
      inject: [CONFIG, SourcesRepository, EventsService, SourceMetrics, ROUTING_OPTIONS],
    },
  ],
})
export class SourcesModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly reconcile: PeriodicRounds;

  constructor(
    private readonly listener: ChangeListener,
    @Inject(SourceSupervisor) private readonly supervisor: SourceSupervisor,
    @Inject(ROUTING_OPTIONS) routing: RoutingOptions,
  ) {
    // A failed reload is logged and retried by the supervisor itself: the round has nothing left to report.
    this.reconcile = new PeriodicRounds(
      routing.reconcileMs,
      () => supervisor.reload('reconcile').catch(() => undefined),
      (err) => logger.error(`Event sources reconcile failed: ${err.message}`),
    );
  }

  onModuleInit(): void {
    // Called with null once listening (boot, reconnection): the first load happens there.
    this.listener.subscribe(SOURCES_CHANNEL, () => {
      this.supervisor.reload('change').catch(() => undefined);
    });
  }

  onApplicationBootstrap(): void {
    this.reconcile.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reconcile.stop();
    // Said and swallowed: a rejected hook would end Nest's shutdown before the other modules' hooks run.
    await this.supervisor.stop().catch((err: unknown) => logger.error(`Event sources did not stop cleanly: ${(err as Error).message}`));
  }
}
