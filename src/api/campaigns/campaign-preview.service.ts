import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { JourneyEvent } from '../../domain/event';
import { eventEntryCause, initialJourneyState, LIMITS, preview, type PreviewResult } from '../../domain/machine';
import { PlanStore } from '../../store/plan-store';
import { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { JourneyContextRepository } from '../../store/repositories/journey-context.repository';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { ConflictError, InputError, NotFoundError } from '../common/errors';
import { CampaignIndex } from '../routing/campaign-index';
import { callJourney } from '../journeys/temporal-calls';
import type { PreviewBody, PreviewResponse } from './preview.schemas';

/**
 * What an event would do for a user now, with nothing issued (DESIGN.md
 * decision 1): a running journey answers its own `preview` query (its pinned
 * plan, its state), unless it is idle on a version other than the active
 * one (the next entry moves it there); otherwise the pure machine runs the active version's
 * plan from the state a new journey would start with (its past entries and
 * the stored profile), the same way the workflow builds it. As that start
 * does, it asks whether an earlier entry of the user into the campaign was
 * on this very event (patch seen-events-outlive-run): a journey ignores such
 * an event, so the preview refuses it.
 */
@Injectable()
export class CampaignPreviewService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly context: JourneyContextRepository,
    private readonly plans: PlanStore,
    private readonly journeys: JourneyGateway,
    private readonly index: CampaignIndex,
  ) {}

  async preview(key: string, body: PreviewBody): Promise<PreviewResponse> {
    if (body.event.userId !== undefined && body.event.userId !== body.userId) {
      throw new InputError([{ path: 'event.userId', message: `must be the userId of the body (${body.userId}) or left out` }]);
    }
    const campaign = await this.campaigns.get(key);
    if (!campaign) throw new NotFoundError(`No campaign ${key}.`);
    if (campaign.activeVersion === null) throw new ConflictError(`Campaign ${key} has no active version; activate one first.`, 'not_active');
    const event: JourneyEvent = {
      version: 1,
      id: body.event.id ?? `preview-${randomUUID()}`,
      type: body.event.type,
      userId: body.userId,
      occurredAt: body.event.occurredAt ?? new Date().toISOString(),
      properties: body.event.properties,
    };
    const workflowId = this.journeys.idOf(key, body.userId);
    const base = { campaign: key, workflowId };

    if (campaign.status === 'archived') return { ...base, version: campaign.activeVersion, basedOn: 'campaign', ...nothing(`campaign ${key} is archived: it takes no events`) };
    const running = await this.runningJourneyVersion(workflowId);
    // An idle journey on another version moves to the active one with the user's next entry
    // (docs/campaigns.md, "Versions"): that entry is decided as a new journey's would be, with the user's past entries.
    if (running !== null && campaign.status === 'active' && running !== campaign.activeVersion && (await this.isIdle(workflowId))) {
      return { ...base, version: campaign.activeVersion, basedOn: 'campaign', ...(await this.fresh(key, campaign.activeVersion, event, workflowId)) };
    }
    if (running !== null) {
      // Delivered as the router delivers it: a type that does not start this campaign (paused, or not an entry type of its active version) as a plain signal, no entry.
      const starts = this.index.route(event.type).start.some((c) => c.key === key);
      const routed = starts ? event : { ...event, delivery: 'signal' as const };
      const result = await callJourney(this.journeys, workflowId, () => this.journeys.preview(workflowId, routed));
      // A worker still on an older build answers without `conditions` or `webhooks` (it left webhooks out: its notes name them).
      return { ...base, version: running, basedOn: 'journey', ...result, webhooks: result.webhooks ?? [], conditions: result.conditions ?? [] };
    }
    if (campaign.status !== 'active') return { ...base, version: campaign.activeVersion, basedOn: 'campaign', ...nothing(`campaign ${key} is ${campaign.status}: no new entries`) };
    return { ...base, version: campaign.activeVersion, basedOn: 'campaign', ...(await this.fresh(key, campaign.activeVersion, event, workflowId)) };
  }

  /** The pinned version of the user's running journey, or null when none runs (never started, or ended). */
  private async runningJourneyVersion(workflowId: string): Promise<number | null> {
    try {
      const d = await callJourney(this.journeys, workflowId, () => this.journeys.describe(workflowId));
      if (d.status.name !== 'RUNNING') return null;
      const v = d.memo?.campaignVersion;
      return typeof v === 'number' ? v : null;
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /** Whether the running journey has no path (its paths ended, and the user may enter again). */
  private async isIdle(workflowId: string): Promise<boolean> {
    const view = await callJourney(this.journeys, workflowId, () => this.journeys.state(workflowId));
    return view.status === 'idle' && view.paths.length === 0;
  }

  private async fresh(key: string, version: number, event: JourneyEvent, workflowId: string): Promise<PreviewResult> {
    const compiled = await this.plans.plan(key, version);
    // Stored versions always compiled when stored; a failure here is a server fault, not the client's.
    if (!compiled?.ok) throw new Error(`Campaign ${key} v${version} no longer compiles.`);
    // The question a journey's start asks of the entries it came with, for this event alone.
    const [prior, user, taken] = await Promise.all([
      this.context.priorEntries(key, event.userId, LIMITS.entryTimes),
      this.context.profile(event.userId),
      this.context.entriesTakenBefore(key, event.userId, [eventEntryCause(event.type, event.id)]),
    ]);
    if (taken.length > 0) return nothing(takenBefore(key, event));
    const state = {
      ...initialJourneyState(compiled.value, { campaignKey: key, userId: event.userId, seed: workflowId }),
      entries: prior.count,
      entryTimes: prior.times,
    };
    return preview(compiled.value, state, event, { userId: event.userId, user, now: Date.now() });
  }
}

/** Why an event an earlier entry of the user was on enters nobody (a journey's trace says `ignored: event <id> was already received`). */
function takenBefore(key: string, event: JourneyEvent): string {
  return `event ${event.id} was already taken: user ${event.userId} entered campaign ${key} on it before, and a journey ignores an event it has taken`;
}

function nothing(why: string): PreviewResult {
  return { entered: false, refusedBecause: why, transitions: [], rewards: [], messages: [], webhooks: [], notes: [why], conditions: [] };
}
