import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { RewardPool } from '../../domain/campaign/schema';
import type { PoolView } from '../../store/repositories/pools.repository';
import { ApiRoute } from '../common/api-route';
import { PoolResponse, PoolTopUp, PoolTopUpResponse } from './pools.schemas';
import { PoolsService } from './pools.service';

@Controller('v1/pools')
export class PoolsController {
  constructor(private readonly service: PoolsService) {}

  @Post()
  @ApiRoute({
    operationId: 'createPool',
    role: 'operator',
    summary:
      'Create a reward pool: coupon codes (imported `codes`, or `generate` from a pattern: # a digit, ? a letter), or a points/credit budget. Pools are never replaced: an existing key answers 409.',
    body: RewardPool,
    example: { key: 'welcome-coupons', kind: 'coupon', budget: 1000, generate: { pattern: 'SAVE-####-????', count: 1000 }, perUserLimit: 1, validFor: 'P30D' },
    success: { status: 201, schema: PoolResponse, description: 'Created, with its codes.' },
    errors: [409],
  })
  async create(@Body() body: unknown): Promise<PoolView> {
    return this.service.create(body);
  }

  @Get(':key')
  @ApiRoute({
    operationId: 'getPool',
    role: 'operator',
    summary: 'A pool with its budget, used and left; for coupon pools the codes total, issued and left.',
    success: { status: 200, schema: PoolResponse, description: 'The pool.' },
    errors: [404],
  })
  async get(@Param('key') key: string): Promise<PoolResponse> {
    return this.service.get(key);
  }

  @Post(':key/top-up')
  @ApiRoute({
    operationId: 'topUpPool',
    role: 'operator',
    summary:
      "Add to a pool: `budget` (added to a limited pool's budget), and for coupon pools `codes` or `generate` (handed out after the codes it holds). One transaction: all of it or nothing. An `id` makes a retry safe: the same id again adds nothing and answers `applied: false`.",
    body: PoolTopUp,
    example: { id: 'december-restock', budget: 500, generate: { pattern: 'SAVE-####-????', count: 500 } },
    success: { status: 200, schema: PoolTopUpResponse, description: 'The pool after the top-up; `applied` false when this id was applied before.' },
    errors: [404, 409],
  })
  async topUp(@Param('key') key: string, @Body() body: unknown): Promise<PoolTopUpResponse> {
    return this.service.topUp(key, body);
  }
}
