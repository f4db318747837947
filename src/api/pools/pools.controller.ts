import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { PoolView } from '../../store/repositories/pools.repository';
import { RequireRole } from '../common/roles';
import { PoolsService } from './pools.service';

@Controller('v1/pools')
export class PoolsController {
  constructor(private readonly service: PoolsService) {}

  @Post()
  @HttpCode(201)
  @RequireRole('operator')
  async create(@Body() body: unknown): Promise<PoolView> {
    return this.service.create(body);
  }

  @Get(':key')
  @RequireRole('operator')
  async get(@Param('key') key: string): Promise<PoolView> {
    return this.service.get(key);
  }
}
