import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';

export interface CampaignRef {
  key: string;
  version: number;
  initialState: string;
}

export interface Route {
  /** Campaigns this event type can start: signalWithStart. */
  start: readonly CampaignRef[];
  /** Campaigns whose running journeys wait for this type: signal only. */
  signal: readonly CampaignRef[];
}

const NO_ROUTE: Route = { start: [], signal: [] };

/**
 * In-memory index from event type to campaigns, so an event no active
 * campaign uses costs one insert and nothing else. Rebuilt from the active
 * versions on `reload()`.
 */
export class CampaignIndex {
  private byType = new Map<string, Route>();

  constructor(private readonly campaigns: CampaignsRepository) {}

  route(eventType: string): Route {
    return this.byType.get(eventType) ?? NO_ROUTE;
  }

  async reload(): Promise<void> {
    const next = new Map<string, { start: CampaignRef[]; signal: CampaignRef[] }>();
    for (const c of await this.campaigns.activeVersions()) {
      const entry = (c.definition.entry ?? {}) as { on?: string | string[] };
      const ref: CampaignRef = { key: c.key, version: c.version, initialState: String(c.definition.initial ?? 'start') };
      for (const type of [entry.on ?? []].flat()) {
        const route = next.get(type) ?? { start: [], signal: [] };
        route.start.push(ref);
        next.set(type, route);
      }
    }
    this.byType = next;
  }
}
