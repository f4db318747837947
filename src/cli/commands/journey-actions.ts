import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { ExitResponse, HeldActionResponse } from '../../api/journeys/journeys.schemas';
import { answerOf, describeFailure, isNotFound, KairosApiError, mayHaveTakenEffect } from '../api';
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

/** The journey a command names is not running (never started, or ended): one line, exit 1. */
function notRunning(err: unknown, campaign: string, user: string): never {
  if (isNotFound(err)) throw new CliError(`no running journey of ${user} in ${campaign}`, ExitCode.failure);
  throw err;
}

interface DecisionFlags {
  step?: string;
  path?: string;
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
    body: { ...(flags.step !== undefined ? { stepId: flags.step } : {}), ...(flags.path !== undefined ? { pathId: flags.path } : {}) },
  };
  const answer = await answerOf(
    DecisionAnswer,
    decision === 'retry' ? ctx.client.POST('/v1/journeys/{campaign}/{user}/retry', params) : ctx.client.POST('/v1/journeys/{campaign}/{user}/skip', params),
  ).catch((err: unknown) => {
    if (isNotFound(err)) notRunning(err, campaign, user);
    const failure = describeFailure(err, ctx.connected);
    // Kairos's own 5xx (decision_pending among them), no answer in time, a connection that broke after sending,
    // or a gateway that lost the answer: what was sent may have been carried out.
    const mayHaveApplied = (err instanceof KairosApiError && err.body !== undefined && err.status >= 500) || mayHaveTakenEffect(err);
    if (!mayHaveApplied) throw failure;
    const again = ['kairos', 'journeys', decision, campaign, user, ...(flags.step ? ['--step', flags.step] : []), ...(flags.path ? ['--path', flags.path] : []), '--idempotency-key', key];
    throw new CliError(`${failure.message}; to send the same ${decision} again, carried out once whatever became of this one: ${again.map(shellWord).join(' ')}`, failure.exitCode);
  });
  ctx.out(
    decision === 'retry'
      ? `${answer.stepId} (path ${answer.pathId}): retrying; held again if it fails for good`
      : `${answer.stepId} (path ${answer.pathId}): skipped; the journey goes on without it`,
  );
  return ExitCode.ok;
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

async function exit(ctx: CommandContext, campaign: string, user: string, reason: string | undefined): Promise<ExitCode> {
  if (reason !== undefined && reason.trim() === '') throw new CliError('--reason: say why in words, or leave the flag out; spaces alone are no reason', ExitCode.usage);
  const answer = await answerOf(ExitAnswer, ctx.client.POST('/v1/journeys/{campaign}/{user}/exit', { params: { path: { campaign, user } }, body: reason ? { reason } : {} })).catch((err: unknown) =>
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
      .option('--idempotency-key <key>', 'sends the decision under this key: sent again with it, it is carried out once (default: a new key)', idempotencyKeyFlag)
      .action((campaign: string, user: string, flags: DecisionFlags) => run(() => decide(ctx, decision, campaign, user, flags)));
  }
  journeys
    .command('exit <campaign> <user>')
    .description('end the journey now (operator): messages and webhooks not yet sent are stopped; rewards issued stay')
    .option('--reason <text>', 'recorded as the end reason (default: operator)')
    .action((campaign: string, user: string, flags: { reason?: string }) => run(() => exit(ctx, campaign, user, flags.reason)));
}
