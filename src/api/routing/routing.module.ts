import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PlanStore } from '../../store/plan-store';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { DATA_SOURCE } from '../core/tokens';
import { CAMPAIGNS_CHANNEL, ChangeListener } from './change-listener';
import { CampaignIndex } from './campaign-index';
import { IndexRefresher } from './index-refresher';
import { RoutingMetrics } from './routing.metrics';

/** The in-memory campaign index and the LISTEN connection that keeps it (and any other subscriber) current. */
@Module({
  providers: [
    {
      provide: CampaignIndex,
      useFactory: async (repo: CampaignsRepository, plans: PlanStore) => {
        const index = new CampaignIndex(repo, plans);
        await index.reload();
        return index;
      },
      inject: [CampaignsRepository, PlanStore],
    },
    IndexRefresher,
    {
      provide: ChangeListener,
      useFactory: (ds: DataSource, refresher: IndexRefresher) => {
        const listener = new ChangeListener(ds);
        listener.subscribe(CAMPAIGNS_CHANNEL, (key) => refresher.reload('change', key ? `campaign ${key} changed` : 'listening'));
        return listener;
      },
      inject: [DATA_SOURCE, IndexRefresher],
    },
    RoutingMetrics,
  ],
  exports: [CampaignIndex, ChangeListener],
})
export class RoutingModule {}
