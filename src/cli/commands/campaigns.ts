import type { Command } from 'commander';
import { z } from 'zod';
import { CampaignSummary } from '../../api/campaigns/campaigns.schemas';
import { answerOf, apiErrorLine, describeFailure, isRefusalOfFile, isUnreachable, KairosApiError, orNotFound, unwrap } from '../api';
import { diffValues, renderChanges } from '../campaign-diff';
import { campaignFiles, campaignKey, envelopeFieldProblems, loadCampaignSource, problemLine } from '../campaign-files';
import type { CommandContext } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { isObject } from '../../domain/is-object';
import { nonEmptyFlag } from '../non-empty-flag';
import type { SourceDocument } from '../source-document';
import { printList } from '../table';
import { printable } from '../terminal-text';
import { versionFlag, versionOrLatestFlag } from '../version-flag';
import { writeOutputFile } from '../write-file';
import { yamlForFile } from '../yaml-text';

/**
 * What activate, pause and archive (and apply --activate) read of Kairos's
 * answer, the campaign's summary: its status and active version. The rest
 * is not required, so an older Kairos's answer without a field added since
 * still reads as done (readableAs). The status is only printed: any string
 * is read, so a status a newer Kairos adds does not turn a change it made
 * into "not Kairos".
 */
const StatusAnswer = CampaignSummary.pick({ activeVersion: true }).extend({ status: z.string() });

/** Files are sent as they are: the server's compiler is the judge of what they hold. */
type Definition = Record<string, unknown>;

/**
 * What Kairos refused about one file: a 400 as `file:line:col path message`
 * lines, a conflict (an archived campaign) or a size limit as one line, a
 * key too long for a URL at the key, so the other files of a folder still go. Anything else (unreachable, a key
 * refused, a route the server lacks: isRefusalOfFile) is thrown on and stops the command.
 */
function reportRefusal(ctx: CommandContext, source: SourceDocument, err: unknown): void {
  // Only the key goes in a URL: a 414 is about it.
  if (err instanceof KairosApiError && err.status === 414 && err.body) {
    ctx.err(problemLine(source, { path: 'key', message: apiErrorLine(err) }));
    return;
  }
  if (isRefusalOfFile(err)) {
    ctx.err(`${source.file}: ${apiErrorLine(err)}`);
    return;
  }
  if (!(err instanceof KairosApiError) || err.status !== 400 || !err.body) throw err;
  const details = err.body.error.details;
  if (details.length === 0) ctx.err(`${source.file}:1:1 (document) ${err.body.error.message}`);
  for (const d of details) ctx.err(problemLine(source, d));
}

/** Reads every file; prints syntax problems; gives back those that parsed. */
function loadAll(ctx: CommandContext, target: string): { sources: SourceDocument[]; failed: number } {
  let failed = 0;
  const sources: SourceDocument[] = [];
  for (const file of campaignFiles(target, ctx.io.cwd)) {
    const loaded = loadCampaignSource(file, ctx.io.cwd);
    if ('problems' in loaded) {
      loaded.problems.forEach((l) => ctx.err(l));
      failed++;
    } else sources.push(loaded.source);
  }
  return { sources, failed };
}

async function validate(ctx: CommandContext, target: string): Promise<ExitCode> {
  const { sources, failed } = loadAll(ctx, target);
  // What apply refuses, validate refuses too: a pull request's check must not pass what main's apply will not.
  // Each file is still compiled, so all its problems show at once.
  const invalid = sharedKeys(ctx, sources);
  for (const source of sources) {
    try {
      const { summary, warnings } = await unwrap(ctx.client.POST('/v1/campaigns/validate', { body: source.value as never }));
      const entry = summary.entryCron ? `cron ${summary.entryCron}` : `on ${summary.entryTypes.join(', ')}`;
      // A file that compiles but shares its key is not ok: the line above said why.
      if (!invalid.has(source)) {
        ctx.out(`${source.file}: ok: ${summary.key} "${summary.name}", ${summary.states.length} states, entry ${entry}${summary.pools.length ? `, pools ${summary.pools.join(', ')}` : ''}`);
        if (summary.entryCronNextRuns?.length) ctx.out(`  next runs: ${summary.entryCronNextRuns.join(', ')}`);
        else if (summary.entryCronNextRuns) ctx.out(`  next runs: ${noRunsLeft(source.value)}`);
      }
      // Not a failure (the file is valid and may be saved), but activation will refuse it until they are fixed.
      for (const w of warnings) ctx.err(`${problemLine(source, w)} (warning: activation needs this fixed)`);
    } catch (err) {
      reportRefusal(ctx, source, err);
      invalid.add(source);
    }
  }
  const bad = failed + invalid.size;
  if (bad) ctx.err(`${bad} of ${sources.length + failed} file(s) invalid`);
  return bad ? ExitCode.failure : ExitCode.ok;
}

/**
 * What `next runs` says of a batch entry with none within its schedule window: closed only
 * once `schedule.endsAt` has passed; before then its ticks in the window are
 * over (the server refuses a window that holds none at all).
 */
function noRunsLeft(definition: unknown): string {
  const schedule = isObject(definition) && isObject(definition.schedule) ? definition.schedule : {};
  const endsAt = typeof schedule.endsAt === 'string' ? schedule.endsAt : '';
  const ends = Date.parse(endsAt);
  if (Number.isNaN(ends)) return 'none within the schedule window';
  return ends < Date.now() ? 'none (the schedule window has closed)' : `none left before the schedule window closes at ${printable(endsAt)}`;
}

interface Campaign {
  status: string;
  activeVersion: number | null;
  latestVersion: number;
  versions: { version: number; createdAt: string; activatedAt: string | null }[];
}

/** The campaign and its versions without their definitions (a campaign has as many versions as saves, each up to MAX_CAMPAIGN_BYTES). */
async function getCampaign(ctx: CommandContext, key: string): Promise<Campaign | undefined> {
  return orNotFound(ctx.client.GET('/v1/campaigns/{key}/versions', { params: { path: { key } } }));
}

/** One version's definition as submitted; undefined when there is no such version. */
async function definitionOf(ctx: CommandContext, key: string, version: number): Promise<Definition | undefined> {
  return (await orNotFound(ctx.client.GET('/v1/campaigns/{key}/versions/{version}', { params: { path: { key, version: String(version) } } })))?.definition;
}

async function diff(ctx: CommandContext, file: string, opts: { exitCode?: boolean; version?: string }): Promise<ExitCode> {
  const loaded = loadCampaignSource(file, ctx.io.cwd);
  if ('problems' in loaded) {
    loaded.problems.forEach((l) => ctx.err(l));
    return ExitCode.failure;
  }
  const { source } = loaded;
  const found = campaignKey(source);
  if ('problem' in found) {
    ctx.err(found.problem);
    return ExitCode.failure;
  }
  const envelope = envelopeFieldProblems(source);
  if (envelope.length > 0) {
    envelope.forEach((l) => ctx.err(l));
    return ExitCode.failure;
  }
  // A difference that apply would refuse is not one it "will change": the file is compiled too.
  const compiles = await compilesOnServer(ctx, source);
  const refused = (): ExitCode => {
    ctx.err(`${file}: does not compile, so \`kairos campaigns apply\` would refuse it (the problems above)`);
    return ExitCode.failure;
  };
  const campaign = await getCampaign(ctx, found.key);
  const local = { ...(source.value as Definition), key: found.key };
  if (!campaign) {
    if (!compiles) return refused();
    ctx.out(`${found.key} does not exist yet: \`kairos campaigns apply ${file}\` creates it`);
    return opts.exitCode ? ExitCode.differences : ExitCode.ok;
  }
  const asked = opts.version === 'latest' ? campaign.latestVersion : opts.version ? Number(opts.version) : undefined;
  const version = asked ?? campaign.activeVersion ?? campaign.latestVersion;
  let against = `the active version v${version}`;
  if (asked !== undefined) against = `version v${version}${version === campaign.latestVersion ? ' (the latest)' : ''}`;
  else if (campaign.activeVersion === null) against = `the latest version v${version} (none is active)`;
  const stored = await definitionOf(ctx, found.key, version);
  if (!stored) throw new CliError(`${found.key} has no version ${version} (latest: v${campaign.latestVersion})`, ExitCode.failure);
  const changes = diffValues(stored, local);
  if (changes.length === 0) ctx.out(`${found.key}: no differences from ${against}`);
  else {
    ctx.out(`${found.key}: ${changes.length} difference(s) from ${against} (- there, + in ${file}):`);
    renderChanges(changes).forEach((l) => ctx.out(`  ${l}`));
  }
  // apply compares with the latest version: when that is not the one shown, say what apply would do.
  let fromLatest = changes.length;
  const archived = campaign.status === 'archived';
  if (version !== campaign.latestVersion) {
    const latest = await definitionOf(ctx, found.key, campaign.latestVersion);
    fromLatest = latest ? diffValues(latest, local).length : 0;
    ctx.out(
      fromLatest === 0
        ? `${found.key}: the file is the latest version v${campaign.latestVersion}: apply adds nothing${campaign.activeVersion !== campaign.latestVersion && !archived ? ` (activate v${campaign.latestVersion} to use it)` : ''}`
        : `${found.key}: apply compares with the latest version v${campaign.latestVersion} (${fromLatest} difference(s))${archived ? '' : ` and would add v${campaign.latestVersion + 1}`}`,
    );
  }
  if (!compiles) return refused();
  // Kairos refuses a new version of an archived campaign (409 campaign_archived): a difference is not something apply will change.
  if (archived && fromLatest > 0) {
    ctx.err(`${found.key}: the campaign is archived (final): \`kairos campaigns apply ${file}\` would refuse the file (no new version of an archived campaign); use a new key`);
    return ExitCode.failure;
  }
  // --exit-code says what apply would do, as the lines above do: 4 when it would add a version (or create the campaign),
  // not whenever the version shown differs. After a rollback (active v4, latest v5, the file back at v4) apply adds v6.
  return fromLatest > 0 && opts.exitCode ? ExitCode.differences : ExitCode.ok;
}

/** Whether Kairos compiles the file; its problems are printed when it does not (as validate prints them). */
async function compilesOnServer(ctx: CommandContext, source: SourceDocument): Promise<boolean> {
  try {
    await unwrap(ctx.client.POST('/v1/campaigns/validate', { body: source.value as never }));
    return true;
  } catch (err) {
    if (!(err instanceof KairosApiError) || err.status !== 400) throw err;
    reportRefusal(ctx, source, err);
    return false;
  }
}

export interface ApplyOptions {
  activate?: boolean;
  /** Add the version even when another was saved after the one compared with (no `baseVersion` precondition). */
  force?: boolean;
}

/** The API's 409 for an update whose `baseVersion` is no longer the latest. */
const isVersionConflict = (err: unknown): err is InstanceType<typeof KairosApiError> => err instanceof KairosApiError && err.status === 409 && err.code === 'version_conflict';

/** Which version was applied meanwhile, and when, with the two ways on; read again because the 409 only says that one was. */
async function reportVersionConflict(ctx: CommandContext, source: SourceDocument, key: string, base: number): Promise<void> {
  const now = await getCampaign(ctx, key);
  const latest = now?.versions.find((v) => v.version === now.latestVersion);
  const which = latest ? `v${latest.version} was saved at ${latest.createdAt}` : 'a newer version was saved';
  ctx.err(`${source.file}: version conflict: ${key} changed after v${base}, which this file was compared with (${which}); nothing was saved`);
  ctx.err(`  see what changed: kairos campaigns diff ${source.file} --version latest`);
  ctx.err(`  apply on top of it anyway: kairos campaigns apply ${source.file} --force`);
}

/**
 * Creates the campaign, or adds a version when the definition differs from
 * the latest one; never a version for nothing. The new version is sent with
 * the version it was compared with as `baseVersion`, so a version someone
 * else applied in between is not silently overwritten (409
 * `version_conflict`, unless `force`).
 */
export async function applyOne(ctx: CommandContext, source: SourceDocument, opts: ApplyOptions): Promise<ApplyOutcome> {
  const found = campaignKey(source);
  if ('problem' in found) {
    ctx.err(found.problem);
    return 'not-applied';
  }
  const envelope = envelopeFieldProblems(source);
  if (envelope.length > 0) {
    envelope.forEach((l) => ctx.err(l));
    return 'not-applied';
  }
  const key = found.key;
  const definition = { ...(source.value as Definition), key };
  let existing: Campaign | undefined;
  let version: number;
  let saved = true;
  try {
    // In the try: a lookup Kairos refuses for this file alone (a key too long for a URL, 414) is this file's problem, not the folder's.
    existing = await getCampaign(ctx, key);
    if (!existing) {
      version = savedVersion(await unwrap(ctx.client.POST('/v1/campaigns', { body: definition as never })));
      ctx.out(`${key}: created v${version} from ${source.file}`);
    } else if (diffValues(await definitionOf(ctx, key, existing.latestVersion), definition).length === 0) {
      version = existing.latestVersion;
      saved = false;
      ctx.out(`${key}: unchanged (v${version})`);
    } else {
      const body = opts.force ? definition : { ...definition, baseVersion: existing.latestVersion };
      version = savedVersion(await unwrap(ctx.client.PUT('/v1/campaigns/{key}', { params: { path: { key } }, body: body as never })));
      ctx.out(`${key}: new version v${version} from ${source.file}${opts.force ? ' (--force: no check for versions saved meanwhile)' : ''}`);
    }
    if (!opts.activate) return existing?.status === 'archived' ? archivedLine(ctx, key) : 'applied';
    return await activateApplied(ctx, source, { key, version, saved, existing });
  } catch (err) {
    if (isVersionConflict(err) && existing) {
      await reportVersionConflict(ctx, source, key, existing.latestVersion);
      return 'not-applied';
    }
    reportRefusal(ctx, source, err);
    return 'not-applied';
  }
}

/** Reached only unchanged: Kairos refuses a new version of an archived campaign (409 campaign_archived). */
function archivedLine(ctx: CommandContext, key: string): ApplyOutcome {
  ctx.err(`${key}: the campaign is archived (final): it can never be activated again, nor take a new version`);
  return 'applied';
}

/**
 * apply --activate, once the file's version is saved (or found unchanged):
 * activates it, unless that would undo an operator's brake. A pause stays
 * (also one that lands while this runs: the statuses read here go as the
 * activation's `ifStatus`), and so does a move back to an older version
 * (also one made meanwhile: the active version read here goes as
 * `ifActiveVersion`). A CI job runs apply --activate on every commit, and
 * must not put back what an operator took out.
 */
async function activateApplied(ctx: CommandContext, source: SourceDocument, applied: { key: string; version: number; saved: boolean; existing: Campaign | undefined }): Promise<ApplyOutcome> {
  const { key, version, existing } = applied;
  if (existing?.status === 'archived') return archivedLine(ctx, key);
  if (existing?.status === 'paused') {
    ctx.err(`${key}: the campaign is paused, so v${version} is saved and left paused (apply --activate never resumes a campaign): \`kairos campaigns activate ${key} --version ${version}\` resumes it`);
    return 'applied';
  }
  if (existing?.status === 'active' && existing.activeVersion === version) return 'applied';
  if (existing && isMovedOff(existing, version, applied.saved)) {
    ctx.err(
      `${key}: v${existing.activeVersion} is active, and v${version} (the latest, as in ${source.file}) was active before: someone moved the campaign off it, which apply --activate does not undo: \`kairos campaigns activate ${key} --version ${version}\` uses it`,
    );
    return 'applied';
  }
  // The active version the activation was sent under: the one read, and once the first send stored it, this one (the re-send's).
  let activeRead = existing?.activeVersion ?? null;
  try {
    const body = { version, ifStatus: [...APPLY_ACTIVATES_FROM], ifActiveVersion: activeRead };
    await answerOf(StatusAnswer, ctx.client.POST('/v1/campaigns/{key}/activate', { params: { path: { key } }, body })).catch((err: unknown) => {
      if (!isStoredUntold(err)) throw err;
      activeRead = version;
      return activateAgain(ctx, key, version, err);
    });
  } catch (err) {
    if (!(err instanceof KairosApiError) || isUnreachable(err)) throw err;
    // The version is saved: say that, and why it is not active, rather than "not applied".
    // A status or active version changed meanwhile: Kairos's message names it (its detail at ifStatus or ifActiveVersion says the same again).
    const changedMeanwhile = err.status === 409 && (err.code === 'invalid_status_change' || err.code === 'active_version_changed') ? err.body?.error.message : undefined;
    ctx.err(`${source.file}: ${key} v${version} is saved but not active: ${changedMeanwhile ?? apiErrorLine(err)}`);
    if (changedMeanwhile !== undefined) await explainStatusChanged(ctx, key, version, activeRead);
    return 'not-activated';
  }
  ctx.out(`${key}: v${version} active`);
  return 'applied';
}

/**
 * An operator's move back: the file's version, found unchanged (not saved by
 * this run), was active once, and another one is now. A version never
 * activated (a run whose activation was refused, an apply without
 * --activate) is still to be activated.
 */
function isMovedOff(campaign: Campaign, version: number, saved: boolean): boolean {
  if (saved || campaign.activeVersion === null || campaign.activeVersion === version) return false;
  return campaign.versions.some((v) => v.version === version && v.activatedAt !== null);
}

/** Kairos's wait before a re-send (Retry-After) is honoured up to this long; a CI job is not held longer. */
const RESEND_WAIT_MAX_S = 30;

/**
 * A 503 `temporal_unavailable` that asks for the activation again
 * (Retry-After): Kairos stored it (a status change calls Temporal only after
 * its commit) and could not tell Temporal, e.g. the running journeys of a
 * new schedule end, which nothing else tells them again.
 */
function isStoredUntold(err: unknown): err is KairosApiError {
  return err instanceof KairosApiError && err.status === 503 && err.code === 'temporal_unavailable' && err.retryAfterSeconds !== null;
}

/**
 * The activation sent again once, after Kairos's Retry-After: run again,
 * apply --activate finds the version active and sends nothing, so it would
 * never be told. Only while this version is the active one (as the console's
 * Send again), so a pause or another activation that landed meanwhile is a
 * 409, not undone (thrown on: activateApplied says it as for the first send).
 * Failing again in any other way (Temporal again, PostgreSQL, no answer
 * within --timeout, a gateway's 502), the version is still active and its
 * journeys still not told: said with the first 503's reason and the command
 * that sends it again, with that failure's exit code.
 */
async function activateAgain(ctx: CommandContext, key: string, version: number, first: KairosApiError): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, Math.min(first.retryAfterSeconds ?? 0, RESEND_WAIT_MAX_S) * 1000));
  const body = { version, ifStatus: ['active' as const], ifActiveVersion: version };
  try {
    return await answerOf(StatusAnswer, ctx.client.POST('/v1/campaigns/{key}/activate', { params: { path: { key } }, body }));
  } catch (err) {
    if (err instanceof KairosApiError && err.status === 409 && err.body) throw err;
    const rerun = `Run again, apply --activate sends nothing for the active version: \`kairos campaigns activate ${key} --version ${version}\` sends it again`;
    if (isStoredUntold(err)) throw new CliError(`${key}: v${version} is active, but Kairos could not tell Temporal, also when sent again: ${apiErrorLine(err)} ${rerun}`, ExitCode.unreachable);
    const failure = describeFailure(err, ctx.connected);
    throw new CliError(`${key}: v${version} is active, but Kairos could not tell Temporal: ${sentence(apiErrorLine(first))} Sending the activation again failed: ${sentence(failure.message)} ${rerun}`, failure.exitCode);
  }
}

/** A message as a sentence, ending with its full stop. */
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * The statuses apply --activate activates from (sent as the activation's
 * `ifStatus`): a draft (also one just created), or an active campaign
 * switching versions. Never paused (an operator's brake) or archived (final).
 */
const APPLY_ACTIVATES_FROM = ['draft', 'active'] as const;

/**
 * After a 409 to the activation: the status or the active version changed
 * after apply read them. Says what it is now and how to activate on
 * purpose; the version stays saved and not active.
 */
async function explainStatusChanged(ctx: CommandContext, key: string, version: number, activeRead: number | null): Promise<void> {
  const now = await getCampaign(ctx, key).catch(() => undefined);
  if (now?.status === 'paused') {
    ctx.err(`  ${key} was paused while this apply ran, and apply --activate never resumes a campaign: \`kairos campaigns activate ${key} --version ${version}\` resumes it`);
  } else if (now?.status === 'archived') {
    ctx.err(`  ${key} was archived while this apply ran: archived is final, so no version of it can be activated again`);
  } else if (now && now.activeVersion !== activeRead) {
    ctx.err(`  v${now.activeVersion} of ${key} was activated while this apply ran, and apply --activate does not switch over it: \`kairos campaigns activate ${key} --version ${version}\` uses v${version}`);
  }
}

/** The version Kairos says it saved; an answer without one saved nothing this CLI can vouch for (a green CI run on nothing). */
function savedVersion(answer: { version?: unknown }): number {
  if (typeof answer.version !== 'number' || !Number.isInteger(answer.version)) throw new TypeError(`the answer names no saved version: ${JSON.stringify(answer).slice(0, 200)}`);
  return answer.version;
}

/** What applying one file came to: saved (and active when asked), nothing saved, or saved but refused activation. */
export type ApplyOutcome = 'applied' | 'not-applied' | 'not-activated';

/**
 * Files of one folder that name the same campaign: each apply would add a
 * version over the other's, on every run. They are refused, all of them,
 * with the other files named.
 */
function sharedKeys(ctx: CommandContext, sources: SourceDocument[]): Set<SourceDocument> {
  const byKey = new Map<string, SourceDocument[]>();
  for (const source of sources) {
    const found = campaignKey(source);
    if ('key' in found) byKey.set(found.key, [...(byKey.get(found.key) ?? []), source]);
  }
  const refused = new Set<SourceDocument>();
  for (const [key, same] of byKey) {
    if (same.length < 2) continue;
    for (const source of same) {
      ctx.err(`${source.file}: key ${key} is also the key of ${same.filter((s) => s !== source).map((s) => s.file).join(', ')}: one file a campaign, or every apply adds a version for each`);
      refused.add(source);
    }
  }
  return refused;
}

/** Applies a file or a folder; exit 1 when any file was not applied (invalid, refused, or a version conflict). */
export async function applyCampaigns(ctx: CommandContext, target: string, opts: ApplyOptions): Promise<ExitCode> {
  ctx.checkConnection();
  const { sources, failed } = loadAll(ctx, target);
  const shared = sharedKeys(ctx, sources);
  let bad = failed + shared.size;
  let inactive = 0;
  for (const source of sources) {
    if (shared.has(source)) continue;
    const outcome = await applyOne(ctx, source, opts);
    if (outcome === 'not-applied') bad++;
    if (outcome === 'not-activated') inactive++;
  }
  if (bad) ctx.err(`${bad} of ${sources.length + failed} file(s) not applied`);
  if (inactive) ctx.err(`${inactive} of ${sources.length + failed} file(s) saved but not activated`);
  return bad || inactive ? ExitCode.failure : ExitCode.ok;
}

async function changeStatus(ctx: CommandContext, key: string, action: 'activate' | 'pause' | 'archive', version?: number): Promise<ExitCode> {
  const params = { params: { path: { key } } };
  const summary =
    action === 'activate'
      ? await answerOf(StatusAnswer, ctx.client.POST('/v1/campaigns/{key}/activate', { ...params, body: version === undefined ? {} : { version } }))
      : action === 'pause'
        ? await answerOf(StatusAnswer, ctx.client.POST('/v1/campaigns/{key}/pause', { ...params, body: {} }))
        : await answerOf(StatusAnswer, ctx.client.POST('/v1/campaigns/{key}/archive', { ...params, body: {} }));
  ctx.out(`${key}: ${summary.status}${summary.activeVersion ? ` (v${summary.activeVersion})` : ''}`);
  return ExitCode.ok;
}

async function exportCampaign(ctx: CommandContext, key: string, opts: { version?: string; output?: string }): Promise<ExitCode> {
  const campaign = await getCampaign(ctx, key);
  if (!campaign) throw new CliError(`no campaign ${key}`, ExitCode.failure);
  const version = opts.version === 'latest' ? campaign.latestVersion : opts.version ? Number(opts.version) : (campaign.activeVersion ?? campaign.latestVersion);
  const definition = await definitionOf(ctx, key, version);
  if (!definition) throw new CliError(`${key} has no version ${opts.version} (latest: v${campaign.latestVersion})`, ExitCode.failure);
  const active = campaign.activeVersion === null ? 'none active' : `v${campaign.activeVersion} active`;
  const text = `${printable(`# ${key} v${version} (campaign ${campaign.status}, ${active}), exported by kairos campaigns export`)}\n${yamlForFile(definition)}`;
  if (opts.output) {
    writeOutputFile(ctx.io, opts.output, text);
    ctx.err(`${key} v${version} written to ${opts.output}`);
  } else ctx.io.stdout(text);
  return ExitCode.ok;
}

/** Every campaign with its status, active version, entries and running journeys (the console's campaigns page). */
async function list(ctx: CommandContext): Promise<ExitCode> {
  const { campaigns } = await unwrap(ctx.client.GET('/v1/campaigns', { params: { query: { counts: true } } }));
  printList(ctx, {
    // What the API answered, as --json promises (and the pools, sources and templates lists print).
    json: { campaigns },
    empty: 'no campaigns yet: kairos campaigns apply <file|dir> creates them (npm run demo loads examples)',
    columns: ['key', 'name', 'status', 'active', 'latest', 'entered', 'running'],
    rows: campaigns.map((c) => [c.key, c.name, c.status, c.activeVersion === null ? null : `v${c.activeVersion}`, `v${c.latestVersion}`, c.counts?.entered, c.counts?.running]),
  });
  // Running journeys come from Temporal visibility; a '-' there means it did not answer in time.
  if (!ctx.json && campaigns.some((c) => c.activeVersion !== null && c.counts?.running === null)) ctx.err('running: Temporal did not answer in time for those marked -');
  return ExitCode.ok;
}

/**
 * A campaign's versions, oldest first: when each was saved and first
 * activated, which one the campaign points at, and how many running
 * journeys each still keeps (the console's versions panel). Temporal answers
 * the running counts; while it does not (Kairos's 503 temporal_unavailable,
 * or not in time for a version), they are '-' and the rest prints.
 */
async function versions(ctx: CommandContext, key: string): Promise<ExitCode> {
  const campaign = await getCampaign(ctx, key);
  if (!campaign) throw new CliError(`no campaign ${key}`, ExitCode.failure);
  const notCounted: { err?: KairosApiError } = {};
  const running = await unwrap(ctx.client.GET('/v1/campaigns/{key}/running', { params: { path: { key } } })).catch((err: unknown) => {
    // Kairos's own word that Temporal did not answer, as users show reads it; any other 503 (PostgreSQL away or too slow,
    // a gateway's page) fails the command as usual, rather than blaming Temporal with exit 0.
    if (!(err instanceof KairosApiError && err.status === 503 && err.body?.error.code === 'temporal_unavailable')) throw err;
    notCounted.err = err;
    return null;
  });
  const runningOf = new Map(running?.versions.map((v) => [v.version, v.running]));
  // `current`: the version the campaign points at; `active`: that one while the campaign is active (a paused or archived campaign's takes no entries).
  const rows = campaign.versions.map((v) => {
    const current = v.version === campaign.activeVersion;
    return { ...v, current, active: current && campaign.status === 'active', running: runningOf.get(v.version) ?? null };
  });
  printList(ctx, {
    json: { ...campaign, versions: rows },
    // The version the campaign points at carries the campaign's status: a paused campaign's takes no entries.
    columns: ['version', 'status', 'saved', 'first active', 'running'],
    rows: rows.map((v) => [`v${v.version}`, v.current ? campaign.status : '', v.createdAt, v.activatedAt, v.running]),
  });
  if (!ctx.json && notCounted.err) ctx.err(notCountedLine(notCounted.err));
  // Kairos counts a campaign's versions a few at a time within one deadline: one not counted by then is null.
  else if (!ctx.json && running?.versions.some((v) => v.running === null)) ctx.err('running: Temporal did not count those marked - in time; try again in a moment');
  return ExitCode.ok;
}

/**
 * Why the running counts are '-', with Kairos's reason. A 503 with
 * Retry-After is Temporal not answering now; one without is Kairos saying
 * Temporal refused the count (its visibility store lacks the CampaignVersion
 * search attribute, Kairos's access to it), which asking again does not change.
 */
function notCountedLine(err: KairosApiError): string {
  if (err.retryAfterSeconds === null) return `running: not counted: ${apiErrorLine(err)}`;
  return `running: Temporal did not answer; try again in a moment (${apiErrorLine(err)})`;
}

export function campaignsCommand(program: Command, ctx: CommandContext, run: (work: () => Promise<ExitCode>) => Promise<void>): void {
  const campaigns = program.command('campaigns').description('validate, compare, apply and manage campaign definitions (YAML or JSON)');
  campaigns
    .command('list')
    .description('every campaign: status, active and latest version, entries, journeys running now')
    .action(() => run(() => list(ctx)));
  campaigns
    .command('versions <key>')
    .description("a campaign's versions: saved when, first active when, which one the campaign points at, running journeys each keeps")
    .action((key: string) => run(() => versions(ctx, key)));
  campaigns
    .command('validate <file|dir>')
    .description('compile with the server\'s compiler; problems as file:line:col path message')
    .action((target: string) => run(() => validate(ctx, target)));
  campaigns
    .command('diff <file>')
    .description('compare a file with the active version (the latest when none is active)')
    .option('--version <n|latest>', 'compare with this version instead', versionOrLatestFlag)
    .option('--exit-code', `exit ${ExitCode.differences} when apply would change something: add a version (the file differs from the latest) or create the campaign`)
    .action((file: string, opts: { exitCode?: boolean; version?: string }) => run(() => diff(ctx, file, opts)));
  campaigns
    .command('apply <file|dir>')
    .description('create each campaign, or add a version when it changed (none when it did not)')
    .option('--activate', 'also make the applied version the active one')
    .option('--force', 'add the version even if another was saved after the one it was compared with (skips the baseVersion check)')
    .action((target: string, opts: ApplyOptions) => run(() => applyCampaigns(ctx, target, opts)));
  campaigns
    .command('activate <key>')
    .description('point new entries at a version (default: the latest)')
    .option('--version <n>', 'the version to activate', versionFlag)
    .action((key: string, opts: { version?: string }) => run(() => changeStatus(ctx, key, 'activate', opts.version ? Number(opts.version) : undefined)));
  campaigns
    .command('pause <key>')
    .description('no new entries; running journeys go on')
    .action((key: string) => run(() => changeStatus(ctx, key, 'pause')));
  campaigns
    .command('archive <key>')
    .description('no new entries and no more events')
    .action((key: string) => run(() => changeStatus(ctx, key, 'archive')));
  campaigns
    .command('export <key>')
    .description('write a version as YAML (default: the active one, else the latest)')
    .option('--version <n|latest>', 'the version to export', versionOrLatestFlag)
    .option('-o, --output <file>', 'write to a file instead of stdout', nonEmptyFlag)
    .action((key: string, opts: { version?: string; output?: string }) => run(() => exportCampaign(ctx, key, opts)));
}
