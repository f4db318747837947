import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { RewardPool } from '../../domain/campaign/schema';
import { listedIssues } from '../../domain/issues';
import { PoolTopUpsRepository } from '../../store/repositories/pool-top-ups.repository';
import { PoolsRepository, type PoolView } from '../../store/repositories/pools.repository';
import { ConflictError, DependencyUnavailableError, InputError, NotFoundError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { couponCodeIssues } from './pool-codes';
import { PoolTopUp, type PoolResponse, type PoolTopUpResponse } from './pools.schemas';
import { topUpIssues } from './top-up-issues';

/** How many of a pool's top-ups its view lists, newest first. */
const TOP_UPS_SHOWN = 20;

/** What a top-up adds, whatever its id: a retry hashes the same, another top-up under the same id does not. */
const requestHash = (t: PoolTopUp): string =>
  createHash('sha256')
    .update(JSON.stringify([t.budget ?? null, t.codes ?? null, t.generate ? [t.generate.pattern, t.generate.count] : null]))
    .digest('hex');

@Injectable()
export class PoolsService {
  private readonly logger = new Logger('PoolsService');

  constructor(
    private readonly pools: PoolsRepository,
    private readonly topUps: PoolTopUpsRepository,
  ) {}

  async create(body: unknown): Promise<PoolView> {
    // Capped, as every 400 is: a body of thousands of bad codes or unknown fields names the first hundred.
    const pool = parseInput(RewardPool, body);
    const issues = couponCodeIssues(pool);
    if (issues.length > 0) throw new InputError(listedIssues(issues));
    const created = await this.pools.create(pool);
    if (!created) throw new ConflictError(`A pool with key "${pool.key}" exists; pools are not replaced.`, 'pool_exists');
    return created;
  }

  /** One pool, with its newest top-ups: one snapshot, so a top-up listed is in the budget shown. */
  async get(key: string): Promise<PoolResponse> {
    const pool = await this.pools.findWithTopUps(key, TOP_UPS_SHOWN);
    if (!pool) throw new NotFoundError(`No pool "${key}".`);
    return pool;
  }

  /** Adds budget or codes to a pool; the same `id` again adds nothing. */
  async topUp(key: string, body: unknown): Promise<PoolTopUpResponse> {
    const topUp = parseInput(PoolTopUp, body);
    const id = topUp.id ?? randomUUID();
    const { budget, codes, generate } = topUp;
    const result = await this.topUps.topUp(key, { id, requestHash: requestHash(topUp), budget, codes, generate }, (pool) => topUpIssues(pool, topUp));
    switch (result.outcome) {
      case 'noPool':
        throw new NotFoundError(`No pool "${key}".`);
      case 'refused':
        throw new InputError(listedIssues(result.issues));
      case 'repeated':
        if (!result.same) {
          throw new ConflictError(`Pool "${key}" took a top-up with id "${id}" that added something else; give this one another id.`, 'top_up_id_reused', [
            { path: 'id', message: 'names another top-up of this pool' },
          ]);
        }
        return { applied: false, pool: await this.get(key) };
      case 'applied':
        this.logger.log({ msg: 'pool topped up', pool: key, topUp: id, budgetAdded: budget ?? 0, codesAdded: result.codesAdded });
        return { applied: true, pool: await this.get(key).catch((err: unknown) => this.appliedUnread(key, id, topUp, result.codesAdded, err)) };
    }
  }

  /**
   * The top-up committed, and the pool could not be read back after it (a
   * failover, a dropped connection). PostgreSQL's own 503 would say "retry",
   * and a retry without an id would add it again: the answer says it was
   * applied, under which id (the one Kairos drew when none was sent), and how
   * to see the pool. No Retry-After: sending it again is not what helps.
   */
  private appliedUnread(key: string, id: string, topUp: PoolTopUp, codesAdded: number, err: unknown): never {
    this.logger.warn({ msg: 'pool topped up, not read back', pool: key, topUp: id, err: (err as Error)?.message ?? String(err) });
    const added = [topUp.budget !== undefined ? `budget ${topUp.budget}` : null, codesAdded > 0 || topUp.budget === undefined ? `${codesAdded} codes` : null].filter((a) => a !== null).join(' and ');
    throw new DependencyUnavailableError(
      'postgres',
      `Top-up "${id}" was applied to pool "${key}" (${added} added), but the pool could not be read back after it. Do not send it again without "id": "${id}" (that would add it again; with that id it adds nothing); GET /v1/pools/${key} shows the pool and its newest top-ups.`,
      null,
      'top_up_applied',
    );
  }
}
