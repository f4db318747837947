import { DEFAULT_ROUTING_OPTIONS, ROUTING_OPTIONS, type RoutingOptions } from '../routing/routing.options';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { generateDevKeys, type Config } from '../../config/config';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { EventsRepository } from '../../store/repositories/events.repository';
import { ApiKeyRing } from '../common/api-keys';
import { DEFAULT_OUTBOX_OPTIONS, OUTBOX_OPTIONS, type OutboxOptions } from '../outbox/outbox.options';
import { CONFIG, DATA_SOURCE, RUNTIME_INFO, TEMPORAL_CLIENT } from './tokens';

export interface RuntimeInfo {
  temporalAddress: string;
  temporalUiUrl?: string;
}

export interface CoreDeps {
  config: Config;
  dataSource: DataSource;
  temporal: Client;
  runtime: RuntimeInfo;
  /** Outbox send and retry timings (tests shorten them). */
  outbox?: Partial<OutboxOptions>;
  /** Routing-index reconcile and retry timings (tests shorten them). */
  routing?: Partial<RoutingOptions>;
}

/** Hands the resources built at boot (config, database, Temporal) to every feature module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: DATA_SOURCE, useValue: deps.dataSource },
        { provide: TEMPORAL_CLIENT, useValue: deps.temporal },
        { provide: RUNTIME_INFO, useValue: deps.runtime },
        { provide: ApiKeyRing, useValue: new ApiKeyRing(deps.config.apiKeys ?? generateDevKeys()) },
        { provide: EventsRepository, useFactory: (ds: DataSource) => new EventsRepository(ds), inject: [DATA_SOURCE] },
        { provide: CampaignsRepository, useFactory: (ds: DataSource) => new CampaignsRepository(ds), inject: [DATA_SOURCE] },
        { provide: OUTBOX_OPTIONS, useValue: { ...DEFAULT_OUTBOX_OPTIONS, ...deps.outbox } },
        { provide: ROUTING_OPTIONS, useValue: { ...DEFAULT_ROUTING_OPTIONS, ...deps.routing } },
      ],
      exports: [CONFIG, DATA_SOURCE, TEMPORAL_CLIENT, RUNTIME_INFO, ApiKeyRing, EventsRepository, CampaignsRepository, OUTBOX_OPTIONS, ROUTING_OPTIONS],
    };
  }
}
