import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PoolsRepository } from '../../store/repositories/pools.repository';
import { DATA_SOURCE } from '../core/tokens';
import { PoolsController } from './pools.controller';
import { PoolsMetrics } from './pools.metrics';
import { PoolsService } from './pools.service';

@Module({
  controllers: [PoolsController],
  providers: [PoolsService, PoolsMetrics, { provide: PoolsRepository, useFactory: (ds: DataSource) => new PoolsRepository(ds), inject: [DATA_SOURCE] }],
})
export class PoolsModule {}
