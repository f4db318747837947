import { Injectable } from '@nestjs/common';
import { AnalyticsRepository } from '../../store/repositories/analytics.repository';
import { LiveJourneysRepository } from '../../store/repositories/live-journeys.repository';
import { NotFoundError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { LiveJourneysQuery, type LiveJourneysResponse } from './live-journeys.schemas';

const DEFAULT_LIMIT = 50;

/** The journeys waiting in a campaign's states now, so the editor can preview an event against one of them. */
@Injectable()
export class LiveJourneysService {
  constructor(
    private readonly analytics: AnalyticsRepository,
    private readonly repo: LiveJourneysRepository,
  ) {}

  async list(key: string, query: unknown): Promise<LiveJourneysResponse> {
    const { limit } = parseInput(LiveJourneysQuery, query ?? {});
    if (!(await this.analytics.campaignExists(key))) throw new NotFoundError(`No campaign "${key}".`);
    return { journeys: await this.repo.live(key, limit ?? DEFAULT_LIMIT) };
  }
}
