import { Logger } from '@nestjs/common';
import type { CompiledPlan } from '../../domain/compiler';
import type { PlanStore } from '../../store/plan-store';
import type { JsonObject } from '../../store/json';
import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';

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
    const campaigns = await this.campaigns.routable();
    // Plans are immutable: only versions this process has not seen yet are read, all in one statement.
    const unseen = campaigns.flatMap((c) => c.versions.filter((v) => !this.plans.holds(c.key, v)).map((version) => ({ key: c.key, version })));
    const fetched = await this.campaigns.definitions(unseen);
    for (const campaign of campaigns) {
      const ref: CampaignRef = { key: campaign.key, version: campaign.activeVersion };
      const starts = new Set(campaign.status === 'active' ? ((await this.plan(campaign.key, campaign.activeVersion, fetched))?.entryTypes ?? []) : []);
      const listens = new Set<string>();
      for (const v of campaign.versions) for (const type of (await this.plan(campaign.key, v, fetched))?.listenTypes ?? []) listens.add(type);
      for (const type of starts) at(type).start.push(ref);
      // signalWithStart also reaches a running journey, so a type that starts needs no separate signal.
      for (const type of listens) if (!starts.has(type)) at(type).signal.push(ref);
    }
    this.byType = next;
    this.loadedAtMs = Date.now();
  }

  private async plan(key: string, version: number, fetched: ReadonlyMap<string, JsonObject>): Promise<CompiledPlan | null> {
    const id = `${key}@${version}`;
    const definition = fetched.get(id);
    // A version held before this load is planned from memory; one the store let go meanwhile (more versions than it keeps) is read again.
    const compiled = definition ? this.plans.planOf(key, version, definition) : await this.plans.plan(key, version);
    if (!compiled) return null;
    // Stored versions compiled when they were saved; one that no longer does (a compiler change) must not stop routing for the rest.
    if (!compiled.ok && !this.reported.has(id)) {
      this.reported.add(id);
      this.logger.error(`Campaign ${id} no longer compiles: ${JSON.stringify(compiled.issues)}`);
    }
    return compiled.ok ? compiled.value : null;
  }
}
