import type { Command } from 'commander';
import { KairosApiError, orNotFound, unwrap } from '../api';
import type { CommandContext } from '../context';
import { decimalNumber } from '../decimal';
import { CliError, ExitCode } from '../exit-codes';
import { renderJourney } from '../journey-render';
import { journeyActionCommands } from './journey-actions';
import { renderTable } from '../table';
import { versionFlag } from '../version-flag';

async function showJourney(ctx: CommandContext, campaign: string, user: string): Promise<ExitCode> {
  const journey = await orNotFound(ctx.client.GET('/v1/journeys/{campaign}/{user}', { params: { path: { campaign, user } } }));
  if (!journey) throw new CliError(`no journey of ${user} in ${campaign}`, ExitCode.failure);
  if (ctx.json) ctx.printJson(journey);
  else renderJourney(journey).forEach((l) => ctx.out(l));
  return ExitCode.ok;
}

/** The most rewards `users show` lists unless told: the newest, as the console's support desk does (it shows 200). */
const REWARDS_SHOWN = 50;
/** The most the rewards route lists at once. */
const REWARDS_AT_MOST = 1000;

/** --rewards: a count from 1 to 1000, or `all`. */
function rewardsLimit(value: string | undefined): number | undefined {
  if (value === undefined) return REWARDS_SHOWN;
  if (value === 'all') return undefined;
  const n = decimalNumber(value);
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > REWARDS_AT_MOST) throw new CliError(`--rewards: a number from 1 to ${REWARDS_AT_MOST}, or all: ${value}`, ExitCode.usage);
  return n;
}

async function showUser(ctx: CommandContext, id: string, flags: { rewards?: string }): Promise<ExitCode> {
  const path = { params: { path: { id } } };
  const limit = rewardsLimit(flags.rewards);
  // Journeys come from Temporal; the profile and rewards from PostgreSQL: while Temporal does not answer, the rest still shows.
  const notListed: { why?: string; refused?: boolean } = {};
  const [profile, journeys, rewards] = await Promise.all([
    orNotFound(ctx.client.GET('/v1/users/{id}', path)),
    unwrap(ctx.client.GET('/v1/users/{id}/journeys', path)).catch((err: unknown) => {
      // Kairos's own word that Temporal did not answer; any other 503 (a proxy's page, PostgreSQL away) fails the command as usual.
      if (!(err instanceof KairosApiError && err.status === 503 && err.body?.error.code === 'temporal_unavailable')) throw err;
      // Without Retry-After Kairos says Temporal refused the listing (its visibility store lacks the UserId search attribute,
      // Kairos's access to it): asking again gets the same answer, so it is not said as "try again".
      notListed.why = err.message;
      notListed.refused = err.retryAfterSeconds === null;
      return null;
    }),
    unwrap(ctx.client.GET('/v1/users/{id}/rewards', { params: { path: { id }, query: limit === undefined ? {} : { limit } } })),
  ]);
  if (notListed.why !== undefined) ctx.err(`journeys: not listed${notListed.refused ? '' : ' now'}: ${notListed.why}`);
  if (ctx.json) {
    ctx.printJson({ profile: profile ?? null, journeys: journeys?.journeys ?? null, journeysTruncated: journeys?.truncated ?? null, ...rewards });
    return ExitCode.ok;
  }
  ctx.out(`user ${id}`);
  ctx.out(profile ? `profile: ${JSON.stringify(profile.attributes)} (updated ${profile.updatedAt})` : 'profile: none stored');
  ctx.out();
  if (!journeys) ctx.out(notListed.refused ? 'journeys: not listed (Temporal refused the listing: see stderr)' : 'journeys: not listed now (Temporal did not answer; try again in a moment)');
  else ctx.out(journeys.truncated ? `journeys (the first ${journeys.journeys.length} found; there may be more: the Temporal UI lists every one, by UserId):` : `journeys (${journeys.journeys.length}):`);
  if (journeys?.journeys.length) {
    ctx.io.stdout(
      renderTable(
        ['campaign', 'version', 'state', 'status', 'held', 'entered'],
        journeys.journeys.map((j) => [j.campaign, j.version, j.state, j.journeyStatus ?? j.status, j.held, j.enteredAt]),
      ),
    );
  }
  ctx.out();
  const shown = rewards.rewards.length;
  ctx.out(shown < rewards.total ? `rewards (the newest ${shown} of ${rewards.total}; --rewards all lists every one):` : `rewards (${shown}):`);
  if (rewards.rewards.length) {
    ctx.io.stdout(
      renderTable(
        ['id', 'campaign', 'kind', 'amount', 'code', 'status', 'caused by'],
        rewards.rewards.map((r) => [r.id, r.campaign, r.kind, r.amount ?? null, r.code ?? null, r.status, r.causedBy.join(',')]),
      ),
    );
  }
  const credit = Object.entries(rewards.balances.credit).map(([c, n]) => `${n} ${c}`);
  ctx.out(`balances: ${rewards.balances.points} points${credit.length ? `, credit ${credit.join(', ')}` : ''}`);
  return ExitCode.ok;
}

async function funnel(ctx: CommandContext, key: string, flags: { version?: string }): Promise<ExitCode> {
  const query = flags.version === undefined ? {} : { version: Number(flags.version) };
  const f = await unwrap(ctx.client.GET('/v1/campaigns/{key}/funnel', { params: { path: { key }, query } }));
  if (ctx.json) {
    ctx.printJson(f);
    return ExitCode.ok;
  }
  ctx.io.stdout(renderTable(['state', 'entered', 'current'], f.states.map((s) => [s.state, s.entered, s.current])));
  if (f.edges.length) {
    ctx.out();
    ctx.io.stdout(renderTable(['from', 'to', 'count'], f.edges.map((e) => [e.from, e.to, e.count])));
  }
  return ExitCode.ok;
}

export function readCommands(program: Command, ctx: CommandContext, run: (work: () => Promise<ExitCode>) => Promise<void>): void {
  const journeys = program.command('journeys').description('one user\'s journey in a campaign');
  journeys
    .command('show <campaign> <user>')
    .description('its paths, timers, aggregates, rewards, held steps and decision trace')
    .action((campaign: string, user: string) => run(() => showJourney(ctx, campaign, user)));
  journeyActionCommands(journeys, ctx, run);
  program
    .command('users')
    .description('what Kairos knows about a user')
    .command('show <id>')
    .description('profile, journeys and rewards')
    .option('--rewards <n>', `the newest n rewards (1 to ${REWARDS_AT_MOST}; default ${REWARDS_SHOWN}), or all; balances count every one`)
    .action((id: string, flags: { rewards?: string }) => run(() => showUser(ctx, id, flags)));
  program
    .command('funnel <key>')
    .description('a campaign\'s funnel as tables: users who entered and journeys there now per state, transitions per edge')
    .option('--version <n>', 'only journeys that entered with this campaign version', versionFlag)
    .action((key: string, flags: { version?: string }) => run(() => funnel(ctx, key, flags)));
}
