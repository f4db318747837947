import { Logger, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { DATA_SOURCE } from '../core/tokens';
import { CAMPAIGNS_CHANNEL, ChangeListener } from './change-listener';
import { CampaignIndex } from './campaign-index';
import { RoutingMetrics } from './routing.metrics';

const logger = new Logger('CampaignIndex');

/** The in-memory campaign index and the LISTEN connection that keeps it (and any other subscriber) current. */
@Module({
  providers: [
    {
      provide: CampaignIndex,
      useFactory: async (repo: CampaignsRepository) => {
        const index = new CampaignIndex(repo);
        await index.reload();
        return index;
      },
      inject: [CampaignsRepository],
    },
    {
      provide: ChangeListener,
      useFactory: (ds: DataSource, index: CampaignIndex) => {
        const listener = new ChangeListener(ds);
        listener.subscribe(CAMPAIGNS_CHANNEL, (key) => {
          index.reload().catch((err: Error) => logger.error(`Could not reload the campaign index (${key ? `campaign ${key} changed` : 'listening'}): ${err.message}`));
        });
        return listener;
      },
      inject: [DATA_SOURCE, CampaignIndex],
    },
    RoutingMetrics,
  ],
  exports: [CampaignIndex, ChangeListener],
})
export class RoutingModule {}
