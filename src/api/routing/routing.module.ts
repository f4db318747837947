import { Module } from '@nestjs/common';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { CampaignChangeListener } from './campaign-change-listener';
import { CampaignIndex } from './campaign-index';

/** The in-memory campaign index and the LISTEN connection that keeps it current. */
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
    CampaignChangeListener,
  ],
  exports: [CampaignIndex, CampaignChangeListener],
})
export class RoutingModule {}
