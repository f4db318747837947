import type { Command } from 'commander';
import { isNotFound, unwrap } from '../api';
import type { CommandContext } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { nonEmptyFlag } from '../non-empty-flag';

/** The journey a command names is not running (never started, or ended): one line, exit 1. */
function notRunning(err: unknown, campaign: string, user: string): never {
  if (isNotFound(err)) throw new CliError(`no running journey of ${user} in ${campaign}`, ExitCode.failure);
  throw err;
}

/** Retry or skip a held step: the one held, or the one --step (and --path) names when several are. */
async function decide(ctx: CommandContext, decision: 'retry' | 'skip', campaign: string, user: string, flags: { step?: string; path?: string }): Promise<ExitCode> {
  const params = { params: { path: { campaign, user } }, body: { ...(flags.step !== undefined ? { stepId: flags.step } : {}), ...(flags.path !== undefined ? { pathId: flags.path } : {}) } };
  const answer = await unwrap(
    decision === 'retry' ? ctx.client.POST('/v1/journeys/{campaign}/{user}/retry', params) : ctx.client.POST('/v1/journeys/{campaign}/{user}/skip', params),
  ).catch((err: unknown) => notRunning(err, campaign, user));
  ctx.out(
    decision === 'retry'
      ? `${answer.stepId} (path ${answer.pathId}): retrying; held again if it fails for good`
      : `${answer.stepId} (path ${answer.pathId}): skipped; the journey goes on without it`,
  );
  return ExitCode.ok;
}

async function exit(ctx: CommandContext, campaign: string, user: string, reason: string | undefined): Promise<ExitCode> {
  if (reason !== undefined && reason.trim() === '') throw new CliError('--reason: say why in words, or leave the flag out; spaces alone are no reason', ExitCode.usage);
  const answer = await unwrap(ctx.client.POST('/v1/journeys/{campaign}/{user}/exit', { params: { path: { campaign, user } }, body: reason ? { reason } : {} })).catch((err: unknown) =>
    notRunning(err, campaign, user),
  );
  ctx.out(`${answer.workflowId}: exit requested (${answer.reason}); rewards already issued stay`);
  return ExitCode.ok;
}

/** What an operator does to one journey: retry or skip a held step, end it. */
export function journeyActionCommands(journeys: Command, ctx: CommandContext, run: (work: () => Promise<ExitCode>) => Promise<void>): void {
  for (const decision of ['retry', 'skip'] as const) {
    journeys
      .command(`${decision} <campaign> <user>`)
      .description(decision === 'retry' ? 'run a held step again (operator)' : 'go on without a held step, as if it had failed (operator; cannot be undone)')
      .option('--step <id>', 'the held step, when several are held', nonEmptyFlag)
      .option('--path <id>', 'its path, when the step is held on several', nonEmptyFlag)
      .action((campaign: string, user: string, flags: { step?: string; path?: string }) => run(() => decide(ctx, decision, campaign, user, flags)));
  }
  journeys
    .command('exit <campaign> <user>')
    .description('end the journey now (operator): messages and webhooks not yet sent are stopped; rewards issued stay')
    .option('--reason <text>', 'recorded as the end reason (default: operator)')
    .action((campaign: string, user: string, flags: { reason?: string }) => run(() => exit(ctx, campaign, user, flags.reason)));
}
