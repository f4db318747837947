import { Injectable } from '@nestjs/common';
import { AnalyticsRepository } from '../../store/repositories/analytics.repository';
import { EXITED_STATE } from '../../domain/machine';
import { InputError, NotFoundError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { FunnelQuery, IntervalsQuery, type FunnelResponse, type IntervalsResponse } from './analytics.schemas';

/** Funnel figures of one campaign from the counters kept with the journey log, intervals from the log itself (DESIGN.md, decision 8). */
@Injectable()
export class AnalyticsService {
  constructor(private readonly repo: AnalyticsRepository) {}

  async funnel(key: string, query: unknown): Promise<FunnelResponse> {
    const { version } = parseInput(FunnelQuery, query ?? {});
    await this.statesOf(key, version ?? null);
    const [states, edges] = await Promise.all([this.repo.funnelStates(key, version ?? null), this.repo.funnelEdges(key, version ?? null)]);
    return { states, edges };
  }

  async intervals(key: string, query: unknown): Promise<IntervalsResponse> {
    const { from, to, version, since, until } = parseInput(IntervalsQuery, query ?? {});
    // A misspelt state would otherwise answer count 0, as if nobody had made that move.
    const states = await this.statesOf(key, version ?? null);
    const known = new Set([...states, EXITED_STATE]);
    const asked = { from, to };
    const unknown = (['from', 'to'] as const).filter((k) => !known.has(asked[k]));
    if (unknown.length > 0) {
      const of = version === undefined ? key : `${key} v${version}`;
      throw new InputError(unknown.map((k) => ({ path: k, message: `"${asked[k]}" is not a state of ${of} (${states.join(', ')}) nor ${EXITED_STATE}` })));
    }
    return this.repo.intervals(key, from, to, version ?? null, { since: since ?? null, until: until ?? null });
  }

  /** The states the campaign defines (of `version` when given); 404 for no such campaign or version. */
  private async statesOf(key: string, version: number | null): Promise<string[]> {
    const { campaign, states } = await this.repo.definedStates(key, version);
    if (!campaign) throw new NotFoundError(`No campaign "${key}".`);
    if (!states) throw new NotFoundError(`Campaign ${key} has no version ${version}.`);
    return states;
  }
}
