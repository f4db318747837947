import { Module } from '@nestjs/common';
import { PoolsController } from './pools.controller';
import { PoolsMetrics } from './pools.metrics';
import { PoolsService } from './pools.service';

@Module({
  controllers: [PoolsController],
  providers: [PoolsService, PoolsMetrics],
})
export class PoolsModule {}
