import { compileStoredCampaign, type CompiledPlan } from '../domain/compiler';
import type { Result } from '../domain/issues';

/** Where stored campaign versions are read from (campaign_versions). */
export interface DefinitionSource {
  definition(campaignKey: string, version: number): Promise<Record<string, unknown> | null>;
}

/** Versions kept in memory; campaign versions are immutable, so an entry is good for the process's life. */
const MAX_CACHED_VERSIONS = 1000;

interface Entry {
  definition: Record<string, unknown>;
  compiled?: Result<CompiledPlan>;
}

/**
 * The one cache of stored campaign versions and their compiled plans, shared
 * by the API (routing index, preview, batch schedules), the batch entry and
 * the journey's start. A version is read and compiled at most once per
 * process while it stays among the most recently used.
 */
export class PlanStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly source: DefinitionSource,
    private readonly maxEntries = MAX_CACHED_VERSIONS,
  ) {}

  /** The stored definition of `campaignKey` v`version`; null when there is no such version. */
  async definition(campaignKey: string, version: number): Promise<Record<string, unknown> | null> {
    return (await this.entry(campaignKey, version))?.definition ?? null;
  }

  /** The compiled plan, or the compiler's issues when a stored version no longer compiles; null when there is no such version. */
  async plan(campaignKey: string, version: number): Promise<Result<CompiledPlan> | null> {
    const entry = await this.entry(campaignKey, version);
    return entry ? this.compiledOf(entry, version) : null;
  }

  /**
   * The plan new entries of a campaign use (its entry.cron drives the batch
   * schedule): its active version's, or null when none is active or the
   * stored version no longer compiles.
   */
  async activePlan(campaign: { key: string; activeVersion: number | null }): Promise<CompiledPlan | null> {
    if (campaign.activeVersion === null) return null;
    const compiled = await this.plan(campaign.key, campaign.activeVersion);
    return compiled?.ok ? compiled.value : null;
  }

  /** The plan of a version whose definition the caller already holds (the routing index reads those it lacks in one statement). */
  planOf(campaignKey: string, version: number, definition: Record<string, unknown>): Result<CompiledPlan> {
    const entry = this.lookup(campaignKey, version) ?? this.remember(campaignKey, version, { definition });
    return this.compiledOf(entry, version);
  }

  /** Whether the version is in memory now (its definition need not be read to plan it). */
  holds(campaignKey: string, version: number): boolean {
    return this.entries.has(`${campaignKey}@${version}`);
  }

  /**
   * The campaign name of a version already compiled here, without reading or
   * compiling anything; undefined otherwise. The journey gateway puts it in a
   * journey's start memo, so the journey need not write the memo itself.
   */
  cachedName(campaignKey: string, version: number): string | undefined {
    const compiled = this.entries.get(`${campaignKey}@${version}`)?.compiled;
    return compiled?.ok ? compiled.value.name : undefined;
  }

  private async entry(campaignKey: string, version: number): Promise<Entry | null> {
    const known = this.lookup(campaignKey, version);
    if (known) return known;
    const definition = await this.source.definition(campaignKey, version);
    return definition ? this.lookup(campaignKey, version) ?? this.remember(campaignKey, version, { definition }) : null;
  }

  /**
   * As the journey workflow compiles it (compileStoredCampaign, no schema): a
   * stored version passed the schema of its day, and rules added since apply
   * to saving and admitting only. Through today's schema, a version saved
   * before a rule was added would route nothing, take no batch tick and lose
   * its Schedule while its journeys run on.
   */
  private compiledOf(entry: Entry, version: number): Result<CompiledPlan> {
    entry.compiled ??= compileStoredCampaign(entry.definition, { version });
    return entry.compiled;
  }

  /** A hit moves the version to the most recently used end. */
  private lookup(campaignKey: string, version: number): Entry | undefined {
    const key = `${campaignKey}@${version}`;
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  private remember(campaignKey: string, version: number, entry: Entry): Entry {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(`${campaignKey}@${version}`, entry);
    return entry;
  }
}
