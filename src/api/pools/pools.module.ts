import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PoolKeysRepository } from '../../store/repositories/pool-keys.repository';
import { PoolsRepository } from '../../store/repositories/pools.repository';
import { DATA_SOURCE } from '../core/tokens';
import { PoolListController } from './pool-list.controller';
import { PoolsController } from './pools.controller';
import { PoolsMetrics } from './pools.metrics';
import { PoolsService } from './pools.service';

@Module({
  controllers: [PoolsController, PoolListController],
  providers: [
    PoolsService,
    PoolsMetrics,
    { provide: PoolKeysRepository, useFactory: (ds: DataSource) => new PoolKeysRepository(ds), inject: [DATA_SOURCE] },
    { provide: PoolsRepository, useFactory: (ds: DataSource) => new PoolsRepository(ds), inject: [DATA_SOURCE] },
  ],
})
export class PoolsModule {}
