import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeFailure, KairosApiError, unwrap } from '../api';
import { readSource } from '../campaign-files';
import { applyOne } from '../commands/campaigns';
import { sendEvents } from '../commands/events';
import { createPool } from '../commands/pools';
import type { CommandContext } from '../context';
import { ExitCode } from '../exit-codes';
import { renderTable } from '../table';
import { fillDates, type StreamFile } from './stream-file';
import { runTemplatePlay } from './template-play';

export interface DemoOptions {
  /** The folder holding campaigns/ and streams/. */
  examplesDir: string;
  now?: Date;
  /** How long to wait for the shown user's rewards (the journeys run asynchronously). */
  waitMs?: number;
}

const zoneOf = (definition: Record<string, unknown>): string => {
  const pick = (o: unknown) => (typeof o === 'object' && o !== null ? (o as { timezone?: unknown }).timezone : undefined);
  const zone = pick(definition.entry) ?? pick(definition.schedule);
  return typeof zone === 'string' ? zone : 'UTC';
};

/** `http://ui/namespaces/default/workflows/<id>/...` → `http://ui/namespaces/default/workflows`. */
export function workflowsPage(temporalUrl: string | null | undefined): string | undefined {
  const m = temporalUrl ? /^(.*\/namespaces\/[^/]+\/workflows)/.exec(temporalUrl) : null;
  return m?.[1];
}

/** The key's role when it cannot do all the demo does (an ingest key may not even ask: 403), or null for an admin key. */
async function roleShortOfDemo(ctx: CommandContext): Promise<string | null> {
  try {
    const me = await unwrap(ctx.client.GET('/v1/whoami'));
    return me.may.includes('operator') && me.may.includes('ingest') ? null : me.role;
  } catch (err) {
    if (err instanceof KairosApiError && err.status === 403) return 'ingest';
    throw err;
  }
}

/**
 * Loads every example (pools, profiles, the campaign, activated) and replays
 * its events, makes one play from a template the same way, then prints where
 * to look. Safe to run again: pools are kept
 * (never replaced), a campaign gets no new version when its file did not
 * change, profiles are set to the same values, and the events' fixed ids
 * make a second send a duplicate.
 */
export async function runDemo(ctx: CommandContext, opts: DemoOptions): Promise<ExitCode> {
  const now = opts.now ?? new Date();
  const streamsDir = path.join(opts.examplesDir, 'streams');
  const streams = readdirSync(streamsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: path.join(streamsDir, f), stream: JSON.parse(readFileSync(path.join(streamsDir, f), 'utf8')) as StreamFile }));
  let failed = 0;
  try {
    const role = await roleShortOfDemo(ctx);
    if (role !== null) {
      ctx.err(`npm run demo needs an admin key: it creates pools and campaigns (operator) and sends events (ingest); this key's role is ${role}. Nothing was changed.`);
      return ExitCode.usage;
    }
    ctx.out(`Kairos demo against ${ctx.connection.url}`);
    for (const { file, stream } of streams) {
      const campaignFile = path.relative(ctx.io.cwd, path.join(opts.examplesDir, 'campaigns', `${stream.campaign}.json`));
      ctx.out();
      ctx.out(`== ${stream.campaign}: ${stream.description ?? ''}`);
      for (const pool of stream.pools ?? []) {
        const outcome = await createPool(ctx, pool, { label: `${path.relative(ctx.io.cwd, file)} pool ${String(pool.key)}: ` });
        ctx.out(`pool ${String(pool.key)}: ${outcome === 'exists' ? 'exists (kept)' : outcome}`);
        if (outcome === 'refused') failed++;
      }
      const source = readSource(campaignFile, ctx.io.cwd);
      const zone = zoneOf(source.value as Record<string, unknown>);
      for (const [id, attributes] of Object.entries(fillDates(stream.profiles ?? {}, zone, now))) {
        await unwrap(ctx.client.PUT('/v1/users/{id}', { params: { path: { id } }, body: { attributes } }));
        ctx.out(`profile ${id}: ${JSON.stringify(attributes)}`);
      }
      if ((await applyOne(ctx, source, { activate: true })) !== 'applied') {
        failed++;
        continue;
      }
      const events = (stream.events ?? []).map((event) => ({ event }));
      if (events.length) {
        const sent = await sendEvents(ctx, events, 500, path.relative(ctx.io.cwd, file));
        ctx.out(`events: ${events.length} replayed: ${sent.accepted} accepted, ${sent.duplicates} already there (fixed ids)`);
        if (!sent.ok) failed++;
      }
      if (stream.tick) {
        ctx.out(`${stream.campaign} enters users on its schedule (entry.cron), not on events; to run a tick now:`);
        ctx.out(`  npm run -s temporal -- schedule trigger --schedule-id batch-entry:${stream.campaign}   (the Temporal CLI npm start uses, on the server Kairos is set for)`);
      }
    }
    if (!(await runTemplatePlay(ctx))) failed++;
    await whereToLook(ctx, streams.map((s) => s.stream), opts.waitMs ?? 30_000);
  } catch (err) {
    const failure = describeFailure(err, ctx.connected);
    ctx.err(`kairos demo: ${failure.message}`);
    return failure.exitCode;
  }
  return failed ? ExitCode.failure : ExitCode.ok;
}

async function whereToLook(ctx: CommandContext, streams: StreamFile[], waitMs: number): Promise<void> {
  // The busiest example shows the most: its user's rewards come from several events.
  const shown = streams.filter((s) => !s.tick && s.expect?.rewards?.length).sort((a, b) => (b.events?.length ?? 0) - (a.events?.length ?? 0))[0];
  const user = shown?.expect?.rewards?.[0]?.userId;
  ctx.out();
  ctx.out('== where to look');
  // Added to the URL's path, not put in its place: a Kairos behind a gateway's prefix serves its console under it too.
  ctx.out(`console:     ${ctx.connection.url}/console`);
  if (!shown || !user) return;
  const rewards = await waitForRewards(ctx, user, shown.expect!.rewards!.filter((r) => r.userId === user).length, waitMs);
  const journeys = await unwrap(ctx.client.GET('/v1/users/{id}/journeys', { params: { path: { id: user } } }));
  const page = workflowsPage(journeys.journeys.find((j) => j.temporalUrl)?.temporalUrl);
  ctx.out(`Temporal UI: ${page ?? '(the address npm start printed)'}; type in its query box:`);
  for (const s of streams) ctx.out(`  CampaignKey="${s.campaign}"`);
  ctx.out(`  CampaignKey="${shown.campaign}" AND UserId="${user}"`);
  ctx.out();
  ctx.out(`${user}'s rewards${rewards.rewards.length ? '' : ' (none yet: the journey may still be running; look again in a moment)'}:`);
  if (rewards.rewards.length) {
    ctx.io.stdout(renderTable(['campaign', 'kind', 'amount', 'code', 'status', 'caused by'], rewards.rewards.map((r) => [r.campaign, r.kind, r.amount ?? null, r.code ?? null, r.status, r.causedBy.join(',')])));
  }
  const cause = rewards.rewards[0]?.causedBy[0];
  ctx.out();
  ctx.out('next, with the kairos CLI (npm run -s kairos -- <command>):');
  ctx.out(`  kairos users show ${user}`);
  ctx.out(`  kairos journeys show ${shown.campaign} ${user}`);
  ctx.out(`  kairos funnel ${shown.campaign}`);
  if (cause) ctx.out(`  kairos events cancel ${cause} --reason refund    # takes the reward back; users show ${user} shows it reclaimed`);
}

async function waitForRewards(ctx: CommandContext, user: string, expected: number, waitMs: number) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const rewards = await unwrap(ctx.client.GET('/v1/users/{id}/rewards', { params: { path: { id: user } } }));
    if (rewards.rewards.length >= expected || Date.now() >= deadline) return rewards;
    await new Promise((r) => setTimeout(r, 500));
  }
}
