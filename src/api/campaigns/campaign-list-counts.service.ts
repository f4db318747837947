import { Injectable } from '@nestjs/common';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { runLimited } from '../outbox/run-limited';
import type { CampaignListCounts } from './campaigns.schemas';

/** Visibility counts asked at once; the list waits at most this long for all of them. */
const AT_ONCE = 8;
const RUNNING_WITHIN_MS = 3_000;

/**
 * The counts the campaigns page shows for every campaign, cheap at any
 * size: entries and journeys in states now from the funnel's counters (a
 * few rows per campaign), running journeys from Temporal's visibility (per campaign that was ever
 * activated), in one request for the whole list rather than a funnel
 * request per campaign.
 */
@Injectable()
export class CampaignListCountsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly journeys: JourneyGateway,
  ) {}

  /** Campaigns never activated (no active version) run no journey: Temporal is asked about the others only. */
  async of(campaigns: ReadonlyArray<{ key: string; activeVersion: number | null }>): Promise<Map<string, CampaignListCounts>> {
    const [entered, current] = await Promise.all([this.campaigns.entryCounts(), this.campaigns.currentCounts()]);
    // Not "nobody entered": a journey started while the worker is behind has logged no entry yet, and runs.
    const running = new Map<string, number | null>(campaigns.map((c) => [c.key, c.activeVersion === null ? 0 : null]));
    const asked = campaigns.filter((c) => c.activeVersion !== null).map((c) => c.key);
    const deadline = Date.now() + RUNNING_WITHIN_MS;
    await runLimited(asked, AT_ONCE, async (key) => {
      const left = deadline - Date.now();
      if (left > 0) running.set(key, await this.journeys.bounded(left, () => this.journeys.countRunning(key)).catch(() => null));
    });
    return new Map(campaigns.map((c) => [c.key, { entered: entered.get(c.key) ?? 0, current: current.get(c.key) ?? 0, running: running.get(c.key) ?? null }]));
  }
}
