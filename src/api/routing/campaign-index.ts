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
  /**
   * The plans of the routable versions, by `key@version` (null: no longer compiles), kept here rather than
   * only in the shared PlanStore: with more routable versions than the store keeps, every load would push
   * out the next version it needs and read and compile them all again. Rebuilt at each load from the
   * previous one, so it holds the routable versions only.
   */
  private plansByVersion = new Map<string, CompiledPlan | null>();
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
    // Plans are immutable: only versions neither this index nor the process's plan store holds are read, all in one statement.
    const unseen = campaigns.flatMap((c) =>
      c.versions.filter((v) => !this.plansByVersion.has(`${c.key}@${v}`) && !this.plans.holds(c.key, v)).map((version) => ({ key: c.key, version })),
    );
    const fetched = await this.campaigns.definitions(unseen);
    const planned = new Map<string, CompiledPlan | null>();
    const plan = async (key: string, version: number): Promise<CompiledPlan | null> => {
      const id = `${key}@${version}`;
      const known = planned.has(id) ? planned.get(id) : this.plansByVersion.get(id);
      if (known !== undefined) {
        planned.set(id, known);
        return known;
      }
      const compiled = await this.plan(key, version, fetched);
      // A version not found (undefined) is not kept: it is asked again next time.
      if (compiled !== undefined) planned.set(id, compiled);
      return compiled ?? null;
    };
    for (const campaign of campaigns) {
      const ref: CampaignRef = { key: campaign.key, version: campaign.activeVersion };
      const starts = new Set(campaign.status === 'active' ? ((await plan(campaign.key, campaign.activeVersion))?.entryTypes ?? []) : []);
      const listens = new Set<string>();
      for (const v of campaign.versions) for (const type of (await plan(campaign.key, v))?.listenTypes ?? []) listens.add(type);
      for (const type of starts) at(type).start.push(ref);
      // signalWithStart also reaches a running journey, so a type that starts needs no separate signal.
      for (const type of listens) if (!starts.has(type)) at(type).signal.push(ref);
    }
    this.byType = next;
    // Versions no longer routable are dropped: the map is as large as the routable set, never more.
    this.plansByVersion = planned;
    this.loadedAtMs = Date.now();
  }

  /** The plan of a version this index does not hold yet: null when it no longer compiles, undefined when there is no such version. */
  private async plan(key: string, version: number, fetched: ReadonlyMap<string, JsonObject>): Promise<CompiledPlan | null | undefined> {
    const id = `${key}@${version}`;
    const definition = fetched.get(id);
    // A version the plan store held before this load is planned from memory; one it let go meanwhile (more versions than it keeps) is read again.
    const compiled = definition ? this.plans.planOf(key, version, definition) : await this.plans.plan(key, version);
    if (!compiled) return undefined;
    // Stored versions compiled when they were saved; one that no longer does (a compiler change) must not stop routing for the rest.
    if (!compiled.ok && !this.reported.has(id)) {
      this.reported.add(id);
      this.logger.error(`Campaign ${id} no longer compiles: ${JSON.stringify(compiled.issues)}`);
    }
    return compiled.ok ? compiled.value : null;
  }
}
