import { Logger } from '@nestjs/common';
import type { CompiledPlan } from '../../domain/compiler';
import type { PlanStore } from '../../store/plan-store';
import type { CampaignsRepository, RoutableCampaign } from '../../store/repositories/campaigns.repository';

export interface CampaignRef {
  key: string;
  /** The version new entries use (the active one). */
  version: number;
}

export interface Route {
  /** Campaigns this event type can start: signalWithStart. */
  start: readonly CampaignRef[];
  /** Campaigns whose running journeys wait for this type (and that it cannot start): signal only. */
  signal: readonly CampaignRef[];
}

const NO_ROUTE: Route = { start: [], signal: [] };

type MutableRoute = { start: CampaignRef[]; signal: CampaignRef[] };

/**
 * Event type -> campaigns, built from the compiled plans (entryTypes,
 * listenTypes) so that an event no campaign uses costs one insert and nothing
 * else. Active campaigns: the active version's entry types start journeys.
 * Active and paused campaigns: the listened types of every version that took
 * entries reach running journeys (a journey runs the version it entered with).
 * Drafts and archived campaigns: nothing.
 *
 * Rebuilt on `reload()`: at boot, after a change made through this instance,
 * and on every `kairos_campaigns` notification (ChangeListener).
 */
export class CampaignIndex {
  private readonly logger = new Logger('CampaignIndex');
  private byType = new Map<string, Route>();
  /** Versions that no longer compile, reported once each. */
  private readonly reported = new Set<string>();
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** When the index last loaded successfully (epoch ms); 0 before the first load. */
  private loadedAtMs = 0;

  constructor(
    private readonly campaigns: CampaignsRepository,
    /** Plans are immutable per (key, version): the process's one plan store compiles each once. */
    private readonly plans: PlanStore,
  ) {}

  /** Seconds since the index last loaded successfully: what an instance that stopped hearing changes shows. */
  ageSeconds(now = Date.now()): number {
    return this.loadedAtMs === 0 ? Number.POSITIVE_INFINITY : (now - this.loadedAtMs) / 1000;
  }

  route(eventType: string): Route {
    return this.byType.get(eventType) ?? NO_ROUTE;
  }

  /**
   * Reloads from the database. A call made while a load runs gets a load
   * that starts after it, so the index never ends older than the latest
   * change anyone waited for; calls meanwhile share that one load.
   */
  reload(): Promise<void> {
    if (!this.running) {
      this.running = this.load().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.reload();
      });
    return this.queued;
  }

  private async load(): Promise<void> {
    const next = new Map<string, MutableRoute>();
    const at = (type: string) => {
      let route = next.get(type);
      if (!route) next.set(type, (route = { start: [], signal: [] }));
      return route;
    };
    for (const campaign of await this.campaigns.routable()) {
      const ref: CampaignRef = { key: campaign.key, version: campaign.activeVersion };
      const starts = new Set(campaign.status === 'active' ? (this.plan(campaign, campaign.activeVersion)?.entryTypes ?? []) : []);
      const listens = new Set<string>();
      for (const v of campaign.versions) for (const type of this.plan(campaign, v.version)?.listenTypes ?? []) listens.add(type);
      for (const type of starts) at(type).start.push(ref);
      // signalWithStart also reaches a running journey, so a type that starts needs no separate signal.
      for (const type of listens) if (!starts.has(type)) at(type).signal.push(ref);
    }
    this.byType = next;
    this.loadedAtMs = Date.now();
  }

  private plan(campaign: RoutableCampaign, version: number): CompiledPlan | null {
    const id = `${campaign.key}@${version}`;
    const definition = campaign.versions.find((v) => v.version === version)?.definition;
    if (!definition) return null;
    const compiled = this.plans.planOf(campaign.key, version, definition);
    // Stored versions compiled when they were saved; one that no longer does (a compiler change) must not stop routing for the rest.
    if (!compiled.ok && !this.reported.has(id)) {
      this.reported.add(id);
      this.logger.error(`Campaign ${id} no longer compiles: ${JSON.stringify(compiled.issues)}`);
    }
    return compiled.ok ? compiled.value : null;
  }
}
