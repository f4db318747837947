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
 * size: entries from one grouped count of journey_entries, running journeys
 * from Temporal's visibility (per campaign that was ever activated). A
 * funnel per campaign would read every campaign's whole journey log on each
 * refresh.
 */
@Injectable()
export class CampaignListCountsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly journeys: JourneyGateway,
  ) {}

  /** Campaigns never activated (no active version) run no journey: Temporal is asked about the others only. */
  async of(campaigns: ReadonlyArray<{ key: string; activeVersion: number | null }>): Promise<Map<string, CampaignListCounts>> {
    const keys = campaigns.map((c) => c.key);
    const entered = await this.campaigns.entryCounts();
    const running = new Map<string, number | null>();
    // Not "nobody entered": a journey started while the worker is behind has logged no entry yet, and runs.
    const asked = campaigns.filter((c) => c.activeVersion !== null).map((c) => c.key);
    const deadline = Date.now() + RUNNING_WITHIN_MS;
    await runLimited(asked, AT_ONCE, async (key) => {
      const left = deadline - Date.now();
      const count = left > 0 ? await this.journeys.bounded(left, () => this.journeys.countRunning(key)).catch(() => null) : null;
      running.set(key, count);
    });
    return new Map(keys.map((k) => [k, { entered: entered.get(k) ?? 0, running: running.has(k) ? (running.get(k) ?? null) : 0 }]));
  }
}
