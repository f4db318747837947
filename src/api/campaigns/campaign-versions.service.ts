import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { NotFoundError } from '../common/errors';
import { VersionText } from '../common/version-text';
import { parseInput } from '../common/zod-input';
import { journeyError, TEMPORAL_CALL_TIMEOUT_MS } from '../journeys/temporal-calls';
import { LayoutBody, type RunningByVersion, type VersionLayout } from './campaign-versions.schemas';
import type { CampaignVersionDetail, CampaignVersionList } from './campaigns.schemas';
import { refuseUnknownNodes } from './version-envelope';

const VersionParam = z.object({ version: VersionText });
/** A version to read: its number, or `latest`. */
const VersionRef = z.object({
  version: z.union([z.literal('latest'), VersionText], { error: 'expected a campaign version, a positive integer, or `latest`' }),
});

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
    const { version } = parseInput(VersionParam, { version: versionParam });
    const { layout } = parseInput(LayoutBody, body ?? {});
    const definition = await this.campaigns.definition(key, version);
    if (!definition) throw new NotFoundError(`Campaign ${key} has no version ${version}.`);
    refuseUnknownNodes(layout, definition);
    if (!(await this.campaigns.setLayout(key, version, layout))) throw new NotFoundError(`Campaign ${key} has no version ${version}.`);
    return { key, version, layout };
  }

  /**
   * Running journeys per version that ever took entries, from Temporal's
   * visibility (the CampaignVersion search attribute each journey carries
   * from its start). Visibility trails a start or an end by a moment.
   */
  async running(key: string): Promise<RunningByVersion> {
    const campaign = await this.campaigns.get(key);
    if (!campaign) throw new NotFoundError(`No campaign ${key}.`);
    const taken = (await this.campaigns.versionInfos(key)).filter((v) => v.activatedAt !== null || v.version === campaign.activeVersion).map((v) => v.version);
    const count = (version?: number) =>
      this.journeys.bounded(TEMPORAL_CALL_TIMEOUT_MS, () => this.journeys.countRunning(key, version)).catch((err: unknown) => {
        throw journeyError(`the journeys of ${key}`, err);
      });
    const [total, ...perVersion] = await Promise.all([count(), ...taken.map((v) => count(v))]);
    return { key, activeVersion: campaign.activeVersion, versions: taken.map((version, i) => ({ version, running: perVersion[i] })), total };
  }
}
