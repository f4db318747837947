import { Injectable } from '@nestjs/common';
import { AnalyticsRepository } from '../../store/repositories/analytics.repository';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import type { JsonObject } from '../../store/json';
import { EXITED_STATE } from '../../domain/machine';
import type { DomainIssue } from '../../domain/issues';
import { InputError, NotFoundError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { FunnelQuery, IntervalsQuery, type FunnelResponse, type IntervalsResponse } from './analytics.schemas';

/** Funnel figures of one campaign from the counters kept with the journey log, intervals from the log itself (DESIGN.md, decision 8). */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly campaigns: CampaignsRepository,
  ) {}

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
    const of = version === undefined ? key : `${key} v${version}`;
    const problems: DomainIssue[] = (['from', 'to'] as const)
      .filter((k) => !known.has(asked[k]))
      .map((k) => ({ path: k, message: `"${asked[k]}" is not a state of ${of} (${states.join(', ')}) nor ${EXITED_STATE}` }));
    // Intervals pair arrivals of one path, and a path that reached `(exited)` or an end state never moves again (a
    // re-entry is a new path): timed from there, every answer would be a count of 0 that reads as "nobody went on".
    if (known.has(from) && (from === EXITED_STATE || (await this.endsEverywhere(key, version ?? null, from)))) {
      const where = from === EXITED_STATE ? `${EXITED_STATE} ends a path` : `"${from}" is an end state of ${of}: a path ends there`;
      problems.unshift({ path: 'from', message: `${where}, so no later arrival is by the same path (intervals pair arrivals of one path; a re-entry is a new path): time from a state a path leaves` });
    }
    if (problems.length > 0) throw new InputError(problems);
    return this.repo.intervals(key, from, to, version ?? null, { since: since ?? null, until: until ?? null });
  }

  /**
   * Whether `state` is an end state in every version of the campaign (or `version`) that defines it: then no path
   * ever leaves it. A state that is an end state in one version and waited in by another is left in over all versions.
   */
  private async endsEverywhere(key: string, version: number | null, state: string): Promise<boolean> {
    const definitions: JsonObject[] =
      version === null ? (await this.campaigns.versions(key)).map((v) => v.definition) : [await this.campaigns.definition(key, version)].filter((d): d is JsonObject => d !== null);
    const defining = definitions.map((d) => definedStatesIn(d)?.[state]).filter((s) => s !== undefined);
    return defining.length > 0 && defining.every((s) => isEndState(s));
  }

  /** The states the campaign defines (of `version` when given); 404 for no such campaign or version. */
  private async statesOf(key: string, version: number | null): Promise<string[]> {
    const { campaign, states } = await this.repo.definedStates(key, version);
    if (!campaign) throw new NotFoundError(`No campaign "${key}".`);
    if (!states) throw new NotFoundError(`Campaign ${key} has no version ${version}.`);
    return states;
  }
}

/** A definition's `states` object, as stored (a version is stored as submitted, after validation). */
function definedStatesIn(definition: JsonObject): Record<string, unknown> | undefined {
  const states = definition.states;
  return states !== null && typeof states === 'object' && !Array.isArray(states) ? (states as Record<string, unknown>) : undefined;
}

/** As the funnel's SQL reads it (end-state-sql.ts): `end` is true. */
const isEndState = (state: unknown): boolean => state !== null && typeof state === 'object' && (state as { end?: unknown }).end === true;
