import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { ExitResponse, HeldActionBody, HeldActionResponse, RunId } from '../../api/journeys/journeys.schemas';
import { answerOf, apiErrorLine, describeFailure, isNotFound, KairosApiError, mayHaveTakenEffect } from '../api';
import type { CommandContext } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { nonEmptyFlag } from '../non-empty-flag';
import { codePointName } from '../terminal-text';

/*
 * What each command reads of Kairos's answer (readableAs): the fields it
 * prints, no more, so an older Kairos's answer without a field added since
 * still reads as done.
 */
/** retry and skip print the step decided on and its path. */
const DecisionAnswer = HeldActionResponse.pick({ stepId: true, pathId: true });
/** exit prints the journey's workflow id and the reason recorded. */
const ExitAnswer = ExitResponse.pick({ workflowId: true, reason: true });

/** The journey a command names is not running (never started, or ended; or not in the run --run-id names): one line, exit 1. */
function notRunning(err: unknown, campaign: string, user: string, runId: string | undefined): void {
  if (isNotFound(err)) throw new CliError(`no running journey of ${user} in ${campaign}${runId === undefined ? '' : ` in run ${runId}`}`, ExitCode.failure);
}

/**
 * Kairos refusing to act on a journey that moved on since it was read: the
 * run named ended while another runs (409 `run_changed`), or the step was held
 * again after the hold named (409 `not_held` with --since). Nothing was done;
 * the line says so in Kairos's words, then where to read the journey again.
 */
function movedOn(err: unknown, campaign: string, user: string, sent: { runId?: string; since?: string }): void {
  if (!(err instanceof KairosApiError) || err.status !== 409 || !err.body) return;
  const stale = err.code === 'run_changed' || (err.code === 'not_held' && sent.since !== undefined);
  if (!stale) return;
  const said = apiErrorLine(err);
  const show = ['kairos', 'journeys', 'show', campaign, user].map(shellWord).join(' ');
  throw new CliError(`${said}${/[.!?]$/.test(said) ? '' : '.'} \`${show}\` shows it: its run (for --run-id) and since when each step is held (for --since)`, ExitCode.failure);
}

interface DecisionFlags {
  step?: string;
  path?: string;
  runId?: string;
  since?: string;
  idempotencyKey?: string;
}

/**
 * Retry or skip a held step: the one held, or the one --step (and --path) names when several are.
 * Always under an Idempotency-Key (the one given, else a new one): when no answer says what became
 * of it, the message gives the command that sends the same decision again, carried out once.
 */
async function decide(ctx: CommandContext, decision: 'retry' | 'skip', campaign: string, user: string, flags: DecisionFlags): Promise<ExitCode> {
  const key = flags.idempotencyKey ?? randomUUID();
  const params = {
    params: { path: { campaign, user }, header: { 'idempotency-key': key } },
    body: {
      ...(flags.step !== undefined ? { stepId: flags.step } : {}),
      ...(flags.path !== undefined ? { pathId: flags.path } : {}),
      ...(flags.runId !== undefined ? { runId: flags.runId } : {}),
      ...(flags.since !== undefined ? { since: flags.since } : {}),
    },
  };
  const answer = await answerOf(
    DecisionAnswer,
    decision === 'retry' ? ctx.client.POST('/v1/journeys/{campaign}/{user}/retry', params) : ctx.client.POST('/v1/journeys/{campaign}/{user}/skip', params),
  ).catch((err: unknown) => {
    notRunning(err, campaign, user, flags.runId);
    movedOn(err, campaign, user, flags);
    const failure = describeFailure(err, ctx.connected);
    // Kairos's own 5xx (decision_pending among them), no answer in time, a connection that broke after sending,
    // or a gateway that lost the answer: what was sent may have been carried out.
    const mayHaveApplied = (err instanceof KairosApiError && err.body !== undefined && err.status >= 500) || mayHaveTakenEffect(err);
    if (!mayHaveApplied) throw failure;
    const again = ['kairos', 'journeys', decision, campaign, user, ...decisionFlags(flags), '--idempotency-key', key];
    throw new CliError(`${failure.message}; to send the same ${decision} again, carried out once whatever became of this one: ${again.map(shellWord).join(' ')}`, failure.exitCode);
  });
  ctx.out(
    decision === 'retry'
      ? `${answer.stepId} (path ${answer.pathId}): retrying; held again if it fails for good`
      : `${answer.stepId} (path ${answer.pathId}): skipped; the journey goes on without it`,
  );
  return ExitCode.ok;
}

/** The flags that name what a decision is about, as the command line that sends it again gives them. */
function decisionFlags(flags: DecisionFlags): string[] {
  const named: Array<[string, string | undefined]> = [
    ['--step', flags.step],
    ['--path', flags.path],
    ['--run-id', flags.runId],
    ['--since', flags.since],
  ];
  return named.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]));
}

/** `--run-id` as Kairos takes it (a run's UUID), checked before sending: a 400 would be read as a refusal (exit 1) where this is a usage mistake. */
function runIdFlag(value: string): string {
  nonEmptyFlag(value);
  if (RunId.safeParse(value).success) return value;
  throw new InvalidArgumentError('Expected the runId of a journey as Kairos gave it (a UUID: journeys show prints it).');
}

/** `--since` as Kairos takes it (HeldActionBody's since), checked before sending as --run-id is. */
function sinceFlag(value: string): string {
  nonEmptyFlag(value);
  if (HeldActionBody.shape.since.safeParse(value).success) return value;
  throw new InvalidArgumentError('Expected the since of the held step as journeys show prints it, an ISO 8601 time with its zone (2026-11-30T06:45:37.711Z).');
}

/**
 * `--idempotency-key` as Kairos takes it (1 to 200 visible ASCII
 * characters): checked here, since a key fetch cannot put in a header
 * (`ключ`) would fail before anything is sent, read as "not Kairos" (exit 3).
 */
function idempotencyKeyFlag(value: string): string {
  nonEmptyFlag(value);
  if (/^[\x21-\x7e]{1,200}$/.test(value)) return value;
  const chars = [...value];
  const at = chars.findIndex((c) => !/[\x21-\x7e]/.test(c));
  const why = at < 0 ? `this one is ${chars.length} long` : `character ${at + 1} is ${codePointName(chars[at])}`;
  throw new InvalidArgumentError(`Kairos takes 1 to 200 visible ASCII characters, no spaces (it travels in a header), and ${why}.`);
}

/** A word as a POSIX shell reads it back: as it is when plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9._:@/+=,%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

async function exit(ctx: CommandContext, campaign: string, user: string, flags: { reason?: string; runId?: string }): Promise<ExitCode> {
  const { reason, runId } = flags;
  if (reason !== undefined && reason.trim() === '') throw new CliError('--reason: say why in words, or leave the flag out; spaces alone are no reason', ExitCode.usage);
  const body = { ...(reason ? { reason } : {}), ...(runId !== undefined ? { runId } : {}) };
  const answer = await answerOf(ExitAnswer, ctx.client.POST('/v1/journeys/{campaign}/{user}/exit', { params: { path: { campaign, user } }, body })).catch((err: unknown) => {
    notRunning(err, campaign, user, runId);
    movedOn(err, campaign, user, { runId });
    throw err;
  });
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
      .option('--run-id <id>', 'the run that was seen (journeys show prints it): a journey that runs on in another run is refused (409 run_changed), nothing decided', runIdFlag)
      .option('--since <time>', 'when the step was held, as journeys show prints it: a step held again since is refused (409 not_held), nothing decided', sinceFlag)
      .option('--idempotency-key <key>', 'sends the decision under this key: sent again with it, it is carried out once (default: a new key)', idempotencyKeyFlag)
      .action((campaign: string, user: string, flags: DecisionFlags) => run(() => decide(ctx, decision, campaign, user, flags)));
  }
  journeys
    .command('exit <campaign> <user>')
    .description('end the journey now (operator): messages and webhooks not yet sent are stopped; rewards issued stay')
    .option('--reason <text>', 'recorded as the end reason (default: operator)')
    .option('--run-id <id>', 'the run that was seen (journeys show prints it): a journey that runs on in another run is refused (409 run_changed), nothing ended', runIdFlag)
    .action((campaign: string, user: string, flags: { reason?: string; runId?: string }) => run(() => exit(ctx, campaign, user, flags)));
}
