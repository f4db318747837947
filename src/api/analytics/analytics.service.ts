import { Injectable } from '@nestjs/common';
import { AnalyticsRepository } from '../../store/repositories/analytics.repository';
import { NotFoundError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { FunnelQuery, IntervalsQuery, type FunnelResponse, type IntervalsResponse } from './analytics.schemas';

/** Funnel and interval figures of one campaign, from the journey log (DESIGN.md, decision 8). */
@Injectable()
export class AnalyticsService {
  constructor(private readonly repo: AnalyticsRepository) {}

  async funnel(key: string, query: unknown): Promise<FunnelResponse> {
    const { version } = parseInput(FunnelQuery, query ?? {});
    await this.mustExist(key);
    const [states, edges] = await Promise.all([this.repo.funnelStates(key, version ?? null), this.repo.funnelEdges(key, version ?? null)]);
    return { states, edges };
  }

  async intervals(key: string, query: unknown): Promise<IntervalsResponse> {
    const { from, to, version } = parseInput(IntervalsQuery, query ?? {});
    await this.mustExist(key);
    return this.repo.intervals(key, from, to, version ?? null);
  }

  private async mustExist(key: string): Promise<void> {
    if (!(await this.repo.campaignExists(key))) throw new NotFoundError(`No campaign "${key}".`);
  }
}
