import { Injectable, Logger } from '@nestjs/common';
import { compileCampaign, compileStoredCampaign, type CompiledPlan, type PoolRef } from '../../domain/compiler';
import type { PlanSummary } from '../../domain/compiler';
import { nextCronRuns } from '../../domain/campaign/cron';
import type { DomainIssue } from '../../domain/issues';
import type { JsonObject } from '../../store/json';
import { PlanStore } from '../../store/plan-store';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { CampaignsRepository, type CampaignRow, type CampaignStatus, type StatusAndVersion } from '../../store/repositories/campaigns.repository';
import { ConflictError, DependencyUnavailableError, InputError, NotFoundError } from '../common/errors';
import { parseInput } from '../common/zod-input';
import { CampaignIndex } from '../routing/campaign-index';
import { BatchSchedules, ScheduleRefusedError, scheduleRefused, ScheduleSyncError, scheduleUnavailable } from './batch-schedules.service';
import { CampaignListQuery, type CampaignDetail, type CampaignList, type CampaignSummary } from './campaigns.schemas';
import { CampaignListCountsService } from './campaign-list-counts.service';
import { activeVersionHolds, allowedFrom, sameStatus, STATUS_CHANGES, type StatusAction, TEMPORAL_CALL_MS } from './status-changes';
import { splitEnvelope, unknownNodeIssues } from './version-envelope';

/** A request body is parsed JSON, so an object in it is a JSON object. */
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The 409 of a stale edit: which version is the latest, and what to do. It
 * says what this request did (nothing), not that no version of this edit
 * exists: an earlier send of this very edit would have been answered as saved
 * (a replay), but the same edit sent with other content, or over another
 * edit, comes here.
 */
const versionConflict = (key: string, base: number, latest: number) =>
  new ConflictError(
    `Campaign ${key} is at version ${latest}, saved after version ${base} that this edit started from, and version ${latest} is not this edit. This request saved nothing: reload version ${latest}, or compare it with version ${base}, and save again.`,
    'version_conflict',
    [{ path: 'baseVersion', message: `version ${latest} is the latest; this edit started from version ${base}` }],
  );

/** A new version of an archived campaign could never take an entry. */
const archivedIsFinal = (key: string) =>
  new ConflictError(
    `Campaign ${key} is archived, and archived is final: it takes no new versions. Nothing was saved. To run it again, create a campaign with another key from this definition.`,
    'campaign_archived',
  );

/**
 * The 409 of a status change whose precondition (`ifStatus`) does not hold:
 * the campaign's status now, what the request accepted, and that nothing
 * changed. `meanwhile`: the status changed after the request's first read.
 */
const notAsRequired = (key: string, status: CampaignStatus, action: StatusAction, ifStatus: readonly CampaignStatus[], meanwhile: boolean) =>
  new ConflictError(
    `Campaign ${key} ${meanwhile ? 'changed meanwhile and is now' : 'is'} ${status}, and this request may ${action} it only from ${[...new Set(ifStatus)].join(' or ')} (ifStatus); nothing changed.`,
    'invalid_status_change',
    [{ path: 'ifStatus', message: `the campaign is ${status}` }],
  );

/** The 409 of an activation whose `ifActiveVersion` does not hold: the version active now, and that nothing changed. */
const activeVersionChanged = (key: string, active: number | null, expected: number | null, version: number | undefined, meanwhile: boolean) => {
  const now = active === null ? 'no version is active' : `version ${active} is the active one`;
  const asked = expected === null ? 'while no version is active' : `while version ${expected} is the active one`;
  return new ConflictError(
    `Campaign ${key}${meanwhile ? ' changed meanwhile' : ''}: ${now}, and this request may activate version ${version} only ${asked} (ifActiveVersion); nothing changed.`,
    'active_version_changed',
    [{ path: 'ifActiveVersion', message: active === null ? 'no version is active' : `version ${active} is active` }],
  );
};

/**
 * Where a refused Schedule's problem is in the definition: the cron, or the
 * zone, named by entry.timezone or, when that is absent, by schedule.timezone
 * (which the cron then runs in).
 */
function refusedPath(plan: CompiledPlan | null, field: ScheduleRefusedError['field']): string {
  if (field === 'cron') return 'entry.cron';
  const definition = plan?.definition;
  return definition?.entry.timezone === undefined && definition?.schedule?.timezone !== undefined ? 'schedule.timezone' : 'entry.timezone';
}

/** What makes a refused Schedule acceptable: a version whose entry Temporal takes. */
const fixFor = (path: string): string =>
  path === 'entry.cron'
    ? 'save a version with another entry.cron and activate it'
    : `save a version with another ${path} (a zone the Temporal server knows) and activate it, or update the Temporal server's time zone data`;

/** Syncs of one status change at most (each a read after the last): status changes are rare, a campaign changing under every sync is not. */
const SCHEDULE_SYNC_ROUNDS = 5;

/**
 * The campaign lifecycle: every version is compiled before it is stored
 * (so a stored version always compiles) and again against the current
 * reward pools before it takes entries.
 */
@Injectable()
export class CampaignsService {
  private readonly logger = new Logger('CampaignsService');

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly index: CampaignIndex,
    private readonly schedules: BatchSchedules,
    private readonly plans: PlanStore,
    private readonly listCounts: CampaignListCountsService,
    private readonly journeys: JourneyGateway,
  ) {}

  /**
   * The plan's summary (for batch entry also the next three ticks within
   * its schedule window, in the campaign's zone: none once it closed), and what would stop its activation though not its
   * save: the reward pools it names, checked against those that exist now.
   */
  async validate(body: unknown, now = new Date()): Promise<{ summary: PlanSummary & { entryCronNextRuns?: string[] }; warnings: DomainIssue[] }> {
    // Against the pools first: a campaign that compiles with them (the usual case) is compiled once.
    const withPools = compileCampaign(body, { version: 1, pools: await this.campaigns.poolRefs(), admitting: true });
    // Otherwise its own problems are the 400; if it compiles without the pools, whatever they found is about them.
    const plan = withPools.ok ? withPools.value : this.compile(body, 1);
    const summary = plan.entry.cron ? { ...plan.summary, entryCronNextRuns: nextCronRuns(plan.entry.cron, plan.entry.timezone, now, 3, plan.schedule) } : plan.summary;
    return { summary, warnings: withPools.ok ? [] : withPools.issues.map(({ path, message }) => ({ path, message })) };
  }

  async create(request: unknown): Promise<{ key: string; version: 1; status: 'draft' }> {
    const { definition: body, envelope, issues } = splitEnvelope(request, ['layout']);
    const plan = this.compile(body, 1, { alongside: [...issues, ...(envelope.layout ? unknownNodeIssues(envelope.layout, body) : [])] });
    // Unreachable (it compiled, so it is an object); narrows the type for storing it as submitted.
    if (!isObject(body)) throw new InputError([{ path: '', message: 'expected a campaign definition (a JSON object)' }]);
    if (!(await this.campaigns.create(plan.key, plan.name, body, envelope.layout ?? null))) {
      throw new ConflictError(`Campaign ${plan.key} already exists; PUT /v1/campaigns/${plan.key} adds a version.`, 'campaign_exists');
    }
    return { key: plan.key, version: 1, status: 'draft' };
  }

  /**
   * With `baseVersion` (the version an editor loaded), a version saved by
   * someone else meanwhile makes this one a 409 naming the latest, instead of
   * silently becoming the version after theirs. The same request sent again
   * after its answer was lost finds its own version the base's next: answered
   * as saved (its number), and nothing stored twice.
   */
  async addVersion(key: string, request: unknown): Promise<{ key: string; version: number }> {
    const campaign = await this.find(key);
    // Before compiling: whatever the definition holds, it would not be stored.
    if (campaign.status === 'archived') throw archivedIsFinal(key);
    const { definition: body, envelope, issues } = splitEnvelope(request, ['layout', 'baseVersion']);
    if (!isObject(body)) throw new InputError([{ path: '', message: 'expected a campaign definition (a JSON object)' }]);
    if (body.key !== undefined && body.key !== key) {
      throw new InputError([{ path: 'key', message: `must be "${key}", the campaign in the path, or left out` }]);
    }
    // Stored with its key, so each version compiles on its own wherever it is read.
    const definition = { ...body, key };
    const plan = this.compile(definition, campaign.latestVersion + 1, { alongside: [...issues, ...(envelope.layout ? unknownNodeIssues(envelope.layout, definition) : [])] });
    const outcome = await this.campaigns.addVersion(key, plan.name, definition, { layout: envelope.layout ?? null, baseVersion: envelope.baseVersion });
    if (outcome === null) throw new NotFoundError(`No campaign ${key}.`);
    if ('archived' in outcome) throw archivedIsFinal(key);
    if ('conflict' in outcome) {
      const base = envelope.baseVersion ?? 0;
      const latest = outcome.conflict.latestVersion;
      // Not a version someone saved meanwhile: one that never was.
      if (base > latest) throw new InputError([{ path: 'baseVersion', message: `there is no version ${base}; the latest is ${latest}` }]);
      throw versionConflict(key, base, latest);
    }
    await this.refreshIndex();
    return { key, version: outcome.version };
  }

  /**
   * With `ifStatus` (the statuses the client saw and accepts, e.g. draft and
   * active for an automated apply that must never resume a paused campaign),
   * the activation happens only from one of them: checked here and again by
   * the repository's compare-and-set, so a pause that lands in between makes
   * it a 409 instead of being undone.
   */
  async activate(key: string, requested?: number, ifStatus?: readonly CampaignStatus[], ifActiveVersion?: number | null): Promise<CampaignSummary> {
    const campaign = await this.find(key);
    const version = requested ?? campaign.latestVersion;
    const definition = await this.campaigns.definition(key, version);
    if (!definition) throw new NotFoundError(`Campaign ${key} has no version ${version} (latest: ${campaign.latestVersion}).`);
    this.refuseChange(campaign, 'activate', ifStatus);
    if (ifActiveVersion !== undefined && !activeVersionHolds(campaign, version, ifActiveVersion)) throw activeVersionChanged(key, campaign.activeVersion, ifActiveVersion, version, false);
    const pools = await this.campaigns.poolRefs();
    // Resuming the version that runs (a pause released, or such a request sent again after its answer was lost)
    // admits nothing new: its journeys run it already, so rules added since it was saved (the schema's or the
    // compiler's) do not keep it paused; it compiles as they compile it. Another version is admitted as when it was first activated.
    const resuming = (campaign.status === 'paused' || campaign.status === 'active') && version === campaign.activeVersion;
    const plan = this.compile(definition, version, { pools, admitting: !resuming, message: `Version ${version} of ${key} cannot be activated: it does not compile, as it stands, against the current reward pools and rules.` });
    // A resume was admitted as such only while this version is the active one: another activated meanwhile makes it a switch, admitted anew.
    const whileActive = resuming || ifActiveVersion !== undefined ? campaign.activeVersion : undefined;
    const changed = await this.changeStatus(campaign, 'activate', plan, version, ifStatus, whileActive, ifActiveVersion);
    if (await this.scheduleEndMoved(key, changed.before.activeVersion, version, plan)) await this.tellJourneysSchedule(key, version, plan.schedule.endsAt);
    return this.settled(changed);
  }

  /**
   * Whether the campaign's running journeys are to be told its schedule end
   * (schedule-end-follows-activation): the version this activation replaced
   * (read under the row's lock) ended otherwise; or this version is
   * activated again (a resume, or the repeat a failed telling asks for) and
   * some other version that took entries ends otherwise, so journeys may run
   * on another end (they take the same news once). A campaign never
   * activated before has no journeys, and one whose versions all end alike
   * needs no Temporal to resume.
   */
  private async scheduleEndMoved(key: string, replaced: number | null, version: number, plan: CompiledPlan): Promise<boolean> {
    if (replaced === null) return false;
    const endOf = async (v: number) => (await this.plans.activePlan({ key, activeVersion: v }))?.schedule.endsAt ?? null;
    if (replaced !== version) return (await endOf(replaced)) !== plan.schedule.endsAt;
    const others = (await this.campaigns.versionInfos(key)).filter((v) => v.activatedAt !== null && v.version !== version);
    for (const other of others) if ((await endOf(other.version)) !== plan.schedule.endsAt) return true;
    return false;
  }

  async pause(key: string): Promise<CampaignSummary> {
    const campaign = await this.find(key);
    return this.settled(await this.changeStatus(campaign, 'pause', await this.plans.activePlan(campaign)));
  }

  /**
   * No entries and no events from now on; the campaign's running journeys
   * are told, so that each ends once no path runs instead of waiting for an
   * entry that cannot come. Repeating the request tells them again (harmless).
   */
  async archive(key: string): Promise<CampaignSummary> {
    const campaign = await this.find(key);
    const archived = await this.changeStatus(campaign, 'archive', await this.plans.activePlan(campaign));
    // A campaign that never took entries has no journeys to tell.
    if (archived.campaign.activeVersion !== null) await this.tellJourneysArchived(key);
    return this.settled(archived);
  }

  /**
   * Temporal took the change (or it needed none): its mark goes. Unless a
   * later change marked the campaign again; and if this fails, the sweep
   * (CampaignTemporalSweep) syncs once more, which changes nothing.
   */
  private async settled({ campaign, mark }: { campaign: CampaignRow; mark: string }): Promise<CampaignRow> {
    await this.campaigns.settleTemporal(campaign.key, mark).catch((err: Error) => this.logger.warn(`Campaign ${campaign.key}: its Temporal mark stays for the sweep (${err.message}).`));
    return campaign;
  }

  private async tellJourneysArchived(key: string): Promise<void> {
    try {
      const workflowId = await this.journeys.bounded(TEMPORAL_CALL_MS, () => this.journeys.startArchiveNotice(key));
      this.logger.log(`Campaign ${key} archived: its running journeys are being told (workflow ${workflowId}).`);
    } catch (err) {
      throw new DependencyUnavailableError(
        'temporal',
        `Campaign ${key} is archived, but its running journeys could not be told to end once idle (${(err as Error).message}); repeat the request.`,
      );
    }
  }

  private async tellJourneysSchedule(key: string, version: number, endsAt: number | null): Promise<void> {
    const ends = endsAt === null ? 'never' : new Date(endsAt).toISOString();
    try {
      const workflowId = await this.journeys.bounded(TEMPORAL_CALL_MS, () => this.journeys.startScheduleNotice(key));
      this.logger.log(`Campaign ${key} v${version} activated: its running journeys are being told the schedule ends ${ends} (workflow ${workflowId}).`);
    } catch (err) {
      throw new DependencyUnavailableError(
        'temporal',
        `Campaign ${key} v${version} is active, but its running journeys could not be told that the campaign's schedule now ends ${ends} (${(err as Error).message}); send this activation again (it tells them again).`,
      );
    }
  }

  /** Every campaign; with `?counts=true` each with its entries and running journeys. */
  async list(query: unknown): Promise<CampaignList> {
    const { counts } = parseInput(CampaignListQuery, query ?? {});
    const campaigns = await this.campaigns.list();
    if (counts !== 'true') return { campaigns };
    const byKey = await this.listCounts.of(campaigns);
    return { campaigns: campaigns.map((c) => ({ ...c, counts: byKey.get(c.key) })) };
  }

  async get(key: string): Promise<CampaignDetail> {
    const campaign = await this.find(key);
    const [versions, states, journeys] = await Promise.all([
      this.campaigns.versions(key),
      this.campaigns.stateCounts(key),
      this.campaigns.journeyCount(key),
    ]);
    return { ...campaign, versions, counts: { journeys, states } };
  }

  private async find(key: string): Promise<CampaignRow> {
    const campaign = await this.campaigns.get(key);
    if (!campaign) throw new NotFoundError(`No campaign ${key}.`);
    return campaign;
  }

  private refuseChange(campaign: CampaignRow, action: StatusAction, ifStatus?: readonly CampaignStatus[]): void {
    if (!STATUS_CHANGES[action].from.includes(campaign.status)) {
      throw new ConflictError(`Campaign ${campaign.key} is ${campaign.status}; it cannot ${action}.`, 'invalid_status_change');
    }
    if (!allowedFrom(action, ifStatus).includes(campaign.status)) throw notAsRequired(campaign.key, campaign.status, action, ifStatus ?? [], false);
  }

  private async changeStatus(
    campaign: CampaignRow,
    action: StatusAction,
    plan: CompiledPlan | null,
    version?: number,
    ifStatus?: readonly CampaignStatus[],
    whileActive?: number | null,
    ifActiveVersion?: number | null,
  ): Promise<{ campaign: CampaignRow; mark: string; before: { status: CampaignStatus; activeVersion: number | null } }> {
    this.refuseChange(campaign, action, ifStatus);
    const { to } = STATUS_CHANGES[action];
    const allowed = allowedFrom(action, ifStatus);
    const outcome = await this.campaigns.changeStatus(campaign.key, to, allowed, version, whileActive);
    if (!outcome) {
      const row = await this.campaigns.get(campaign.key);
      const now: CampaignStatus = row?.status ?? campaign.status;
      if (whileActive !== undefined && row && allowed.includes(now) && row.activeVersion !== whileActive) {
        // This very activation landed meanwhile (its first send, still running when this one came): a re-send, guarded as such.
        if (version !== undefined && ifActiveVersion !== undefined && whileActive !== version && activeVersionHolds(row, version, ifActiveVersion)) {
          return this.changeStatus(row, action, plan, version, ifStatus, version, ifActiveVersion);
        }
        if (ifActiveVersion !== undefined) throw activeVersionChanged(campaign.key, row.activeVersion, ifActiveVersion, version, true);
        throw new ConflictError(
          `Campaign ${campaign.key} changed meanwhile: version ${row.activeVersion} is now the active one, so this resume of version ${version} was not made; nothing changed. Activating version ${version} now would switch the campaign back over version ${row.activeVersion} (checked as a new activation): send it only if that is meant, with ifActiveVersion ${row.activeVersion}.`,
          'invalid_status_change',
          [{ path: 'version', message: `version ${row.activeVersion} is active now` }],
        );
      }
      // A status the action allows, refused only by the request's precondition: say which.
      if (ifStatus && STATUS_CHANGES[action].from.includes(now)) throw notAsRequired(campaign.key, now, action, ifStatus, true);
      throw new ConflictError(`Campaign ${campaign.key} changed meanwhile and is now ${now}; it cannot ${action}.`, 'invalid_status_change');
    }
    await this.refreshIndex();
    // A campaign that never entered by schedule has no Schedule to keep in line: its status change does not need Temporal.
    // Never entered by schedule: no version with entry.cron was ever activated (one saved and never activated gave it no Schedule).
    if (plan?.entry.cron || (await this.campaigns.hasCronVersion(campaign.key))) {
      try {
        await this.syncSchedule(outcome.campaign, plan, action, ifStatus);
      } catch (err) {
        if (err instanceof ScheduleRefusedError && action === 'activate') throw await this.undoRefusedActivation(outcome.campaign, outcome.before, plan, err);
        throw err;
      }
    }
    return outcome;
  }

  /**
   * Temporal refused the Schedule of this activation for good (a zone its
   * own tz data lacks, say): the activation is undone, so the campaign is not
   * left active with no tick to come, and the answer is a 400 at the field
   * the refusal names. The refused create or update changed nothing in
   * Temporal, and the change's mark stays for the sweep, which syncs the
   * status put back (a no-op). When another change landed meanwhile, that
   * one is kept: its own request answers for it.
   */
  private async undoRefusedActivation(activated: CampaignRow, before: StatusAndVersion, plan: CompiledPlan | null, err: ScheduleRefusedError): Promise<Error> {
    const restored = await this.campaigns.restoreStatus(activated.key, { status: activated.status, activeVersion: activated.activeVersion }, before);
    if (restored) await this.refreshIndex();
    const path = refusedPath(plan, err.field);
    const issue = { path, message: `Temporal refused the batch-entry schedule: ${err.reason}${err.field === 'timezone' ? " (the Temporal server's time zone data does not know this zone)" : ''}` };
    const refused = `Version ${activated.activeVersion} of ${activated.key} cannot be activated: Temporal refused its batch-entry schedule (${err.reason}).`;
    if (restored) {
      return new InputError([issue], `${refused} Nothing changed: the campaign is ${restored.status}${restored.activeVersion !== null ? ` (version ${restored.activeVersion})` : ''}. Sending it again gets the same answer; ${fixFor(path)}.`, 'schedule_refused');
    }
    const now = await this.campaigns.get(activated.key);
    return new ConflictError(
      `${refused} The campaign changed meanwhile and is now ${now?.status ?? 'gone'}, so this activation was not undone; ${fixFor(path)}.`,
      'schedule_refused',
      [issue],
    );
  }

  /**
   * Syncs the Schedule, then reads the campaign again and syncs once more
   * while it has changed since: a pause and an activation at once could
   * apply their syncs in the other order and leave an active campaign's
   * Schedule paused (no tick, and nothing said so). Whichever sync lands
   * last is followed by a read after every change committed before it, so
   * the Schedule ends as the campaign does. No lock: a slow Temporal holds
   * no database connection.
   */
  private async syncSchedule(changed: CampaignRow, plan: CompiledPlan | null, action: StatusAction, ifStatus?: readonly CampaignStatus[]): Promise<void> {
    let target = changed;
    let targetPlan = plan;
    for (let round = 0; round < SCHEDULE_SYNC_ROUNDS; round++) {
      try {
        await this.schedules.sync(target, targetPlan);
      } catch (err) {
        if (!(err instanceof ScheduleSyncError)) throw err;
        // This activation's own Schedule refused: changeStatus undoes it (undoRefusedActivation).
        if (err instanceof ScheduleRefusedError && action === 'activate' && target === changed) throw err;
        // Named from the campaign as it is now: another change may have landed since this one (in any round).
        const now = (await this.campaigns.get(changed.key).catch(() => null)) ?? target;
        if (err instanceof ScheduleRefusedError) throw scheduleRefused(now, err.reason);
        throw scheduleUnavailable(now, err.reason, sameStatus(now, changed) ? undefined : { action, version: action === 'activate' ? changed.activeVersion : null, ifStatus });
      }
      const current = await this.campaigns.get(changed.key);
      if (!current || sameStatus(current, target)) return;
      target = current;
      targetPlan = await this.plans.activePlan(current);
    }
  }

  /**
   * This instance reloads at once so its next request sees the change; the
   * others hear of it through the trigger's notification.
   */
  private async refreshIndex(): Promise<void> {
    await this.index.reload().catch((err: Error) => this.logger.error(`Campaign index not reloaded after a change: ${err.message}`));
  }

  /**
   * The compiled plan, or one 400 with every problem: the compiler's, and
   * `alongside` (the request's other fields: layout, baseVersion), so a client
   * fixes them all at once instead of one kind per attempt. Without
   * `admitting`, the definition is a stored version and compiles as its
   * journeys compile it (compileStoredCampaign): not against today's schema.
   */
  private compile(
    definition: unknown,
    version: number,
    { pools, admitting = true, message = 'The campaign does not compile.', alongside = [] }: { pools?: PoolRef[]; admitting?: boolean; message?: string; alongside?: DomainIssue[] } = {},
  ): CompiledPlan {
    const result = admitting ? compileCampaign(definition, { version, pools, admitting }) : compileStoredCampaign(definition, { version, pools });
    if (!result.ok) throw new InputError([...result.issues, ...alongside], message, 'invalid_campaign');
    if (alongside.length > 0) throw new InputError(alongside);
    return result.value;
  }
}
