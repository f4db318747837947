import { Injectable } from '@nestjs/common';
import { parseRewardPool } from '../../domain/campaign/schema';
import { PoolsRepository, type PoolView } from '../../store/repositories/pools.repository';
import { ConflictError, InputError, NotFoundError } from '../common/errors';
import { couponCodeIssues } from './pool-codes';

@Injectable()
export class PoolsService {
  constructor(private readonly pools: PoolsRepository) {}

  async create(body: unknown): Promise<PoolView> {
    const parsed = parseRewardPool(body);
    if (!parsed.ok) throw new InputError(parsed.issues);
    const issues = couponCodeIssues(parsed.value);
    if (issues.length > 0) throw new InputError(issues);
    const created = await this.pools.create(parsed.value);
    if (!created) throw new ConflictError(`A pool with key "${parsed.value.key}" exists; pools are not replaced.`, 'pool_exists');
    return created;
  }

  async get(key: string): Promise<PoolView> {
    const pool = await this.pools.find(key);
    if (!pool) throw new NotFoundError(`No pool "${key}".`);
    return pool;
  }
}
