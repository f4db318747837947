import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { isObject } from '../../domain/is-object';
import type { DomainIssue } from '../../domain/issues';
import { jsonBytes } from '../../domain/json-size';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { InputError, NotFoundError } from '../common/errors';
import { VersionText } from '../common/version-text';
import { inputPart, parseAll, parseInput } from '../common/zod-input';
import { boundedUntil, journeyError, TEMPORAL_CALL_TIMEOUT_MS } from '../journeys/temporal-calls';
import { runLimited } from '../outbox/run-limited';
import { LayoutBody, MAX_LAYOUT_NODES, NODE_PLACE_BYTES, type RunningByVersion, type VersionLayout } from './campaign-versions.schemas';
import type { CampaignVersionDetail, CampaignVersionList } from './campaigns.schemas';
import { layoutCap, refuseUnknownNodes } from './version-envelope';

const VersionParam = z.object({ version: VersionText });

/** Visibility counts one request for running journeys asks at once (as the campaigns list does); all of them share one deadline. */
const COUNTS_AT_ONCE = 8;
const COUNTED_WITHIN_MS = TEMPORAL_CALL_TIMEOUT_MS;
/** A version to read: its number, or `latest`. */
const VersionRef = z.object({
  version: z.union([z.literal('latest'), VersionText], { error: 'expected a campaign version, a positive integer, or `latest`' }),
});

/**
 * The one issue of a layout larger than any of `definition`'s could be: more
 * nodes than layoutCap, or more bytes than its states' names and their
 * places weigh (NODE_PLACE_BYTES); null when it is within both.
 */
function layoutBoundIssue(layout: Record<string, unknown>, definition: unknown): DomainIssue | null {
  const cap = layoutCap(definition);
  if (Object.keys(layout).length > cap) return { path: 'layout', message: `at most ${cap} nodes (the version's states and the entry)` };
  const bound = jsonBytes(definition) + cap * NODE_PLACE_BYTES;
  const bytes = jsonBytes(layout);
  return bytes > bound ? { path: 'layout', message: `is ${bytes} bytes as JSON; a layout of this version weighs at most ${bound}` } : null;
}

/** Past these, a layout is judged against its version's definition before its names are parsed: every version allows as much. */
const MIN_LAYOUT_BYTES = MAX_LAYOUT_NODES * NODE_PLACE_BYTES;

/**
 * What belongs to a version beside its definition: where the canvas drew it,
 * and how many running journeys still follow it.
 */
@Injectable()
export class CampaignVersionsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly journeys: JourneyGateway,
  ) {}

  /** The campaign and every version's number, dates and layout, without the definitions. */
  async list(key: string): Promise<CampaignVersionList> {
    const campaign = await this.campaigns.get(key);
    if (!campaign) throw new NotFoundError(`No campaign ${key}.`);
    return { ...campaign, versions: await this.campaigns.versionInfos(key) };
  }

  /** One version with its definition as submitted; `latest` is the newest one. */
  async get(key: string, versionParam: string): Promise<CampaignVersionDetail> {
    const { version: ref } = parseInput(VersionRef, { version: versionParam });
    let version = ref;
    if (version === 'latest') {
      const campaign = await this.campaigns.get(key);
      if (!campaign) throw new NotFoundError(`No campaign ${key}.`);
      version = campaign.latestVersion;
    }
    const found = await this.campaigns.version(key, version);
    if (found) return { key, ...found };
    if (!(await this.campaigns.get(key))) throw new NotFoundError(`No campaign ${key}.`);
    throw new NotFoundError(`Campaign ${key} has no version ${version}.`);
  }

  /** A positions-only save: the version's layout changes, its definition and plan do not, and no version is added. */
  async saveLayout(key: string, versionParam: string, body: unknown): Promise<{ key: string; version: number; layout: VersionLayout }> {
    const read = await this.refuseOverlargeLayout(key, versionParam, body);
    // The version and the body at once: a 400 names every bad part.
    const [{ version }, { layout }] = parseAll(inputPart(VersionParam, { version: versionParam }), inputPart(LayoutBody, body ?? {}));
    const definition = read ?? (await this.campaigns.definition(key, version));
    if (!definition) throw new NotFoundError(`Campaign ${key} has no version ${version}.`);
    refuseUnknownNodes(layout, definition);
    if (!(await this.campaigns.setLayout(key, version, layout))) throw new NotFoundError(`Campaign ${key} has no version ${version}.`);
    return { key, version, layout };
  }

  /**
   * A layout larger than its version's could be is one 400 at `layout`,
   * before the schema checks each name: a body of up to MAX_BODY_BYTES holds
   * some 200,000 names, whose issues cost seconds of the event loop and
   * hundreds of MB (review-62, finding 3). Only a layout past what every
   * version allows has its version's definition read first (returned, for the
   * save); its version must then parse, as the layout is judged against it.
   */
  private async refuseOverlargeLayout(key: string, versionParam: string, body: unknown): Promise<Record<string, unknown> | undefined> {
    const layout = isObject(body) && isObject(body.layout) ? body.layout : undefined;
    if (!layout || (Object.keys(layout).length <= MAX_LAYOUT_NODES && jsonBytes(layout) <= MIN_LAYOUT_BYTES)) return undefined;
    const { version } = parseInput(VersionParam, { version: versionParam });
    const definition = await this.campaigns.definition(key, version);
    if (!definition) throw new NotFoundError(`Campaign ${key} has no version ${version}.`);
    const issue = layoutBoundIssue(layout, definition);
    if (issue) throw new InputError([issue]);
    return definition;
  }

  /**
   * Running journeys per version that ever took entries, from Temporal's
   * visibility (the CampaignVersion search attribute each journey carries
   * from its start). Visibility trails a start or an end by a moment.
   *
   * A campaign activated after every edit has a version for each, and the
   * console polls this: so COUNTS_AT_ONCE counts at a time, all within one
   * deadline. The total is asked first and is the answer's one required
   * count (Temporal not answering it is a 503, as before); then the active
   * version, then the others newest first (the likeliest to still run
   * journeys). A version not counted by the deadline is `running: null`.
   */
  async running(key: string): Promise<RunningByVersion> {
    const campaign = await this.campaigns.get(key);
    if (!campaign) throw new NotFoundError(`No campaign ${key}.`);
    const taken = (await this.campaigns.versionInfos(key)).filter((v) => v.activatedAt !== null || v.version === campaign.activeVersion).map((v) => v.version);
    const deadline = Date.now() + COUNTED_WITHIN_MS;
    const count = (version?: number) => boundedUntil(this.journeys, deadline, () => this.journeys.countRunning(key, version));
    const byVersion = new Map<number, number | null>();
    const total: { n?: number; failed?: { err: unknown } } = {};
    const asked = [...taken].sort((a, b) => Number(b === campaign.activeVersion) - Number(a === campaign.activeVersion) || b - a);
    await runLimited<number | 'total'>(['total', ...asked], COUNTS_AT_ONCE, async (item) => {
      if (item === 'total') {
        await count().then(
          (n) => (total.n = n),
          (err: unknown) => (total.failed = { err }),
        );
        return;
      }
      // Without the total there is no answer: the versions still waiting are not asked.
      if (total.failed) return;
      byVersion.set(item, await count(item).catch(() => null));
    });
    if (total.n === undefined) throw journeyError(`the journeys of ${key}`, total.failed?.err);
    return { key, activeVersion: campaign.activeVersion, versions: taken.map((version) => ({ version, running: byVersion.get(version) ?? null })), total: total.n };
  }
}
