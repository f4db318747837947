import { Controller, Get } from '@nestjs/common';
import { PoolsRepository, type PoolView } from '../../store/repositories/pools.repository';
import { ApiRoute } from '../common/api-route';
import { PoolListResponse } from './pool-list.schemas';

/** Pools are set up by hand and few; the bound keeps the answer small anyway (`total` says when it cut the list). */
const MAX_POOLS = 500;

@Controller('v1/pools')
export class PoolListController {
  constructor(private readonly pools: PoolsRepository) {}

  @Get()
  @ApiRoute({
    operationId: 'listPools',
    role: 'operator',
    summary: 'Every reward pool with its budget used and left, codes left and per-user limit.',
    success: { status: 200, schema: PoolListResponse, description: 'The pools.' },
  })
  async list(): Promise<{ pools: PoolView[]; total: number }> {
    return this.pools.list(MAX_POOLS);
  }
}
