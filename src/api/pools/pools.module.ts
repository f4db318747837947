import { Module } from '@nestjs/common';
import { PoolListController } from './pool-list.controller';
import { PoolsController } from './pools.controller';
import { PoolsMetrics } from './pools.metrics';
import { PoolsService } from './pools.service';

@Module({
  controllers: [PoolsController, PoolListController],
  providers: [PoolsService, PoolsMetrics],
})
export class PoolsModule {}
