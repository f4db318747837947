import type { Command } from 'commander';
import { stringify } from 'yaml';
import { z } from 'zod';
import { SourceView as SourceAnswer } from '../../api/sources/sources.schemas';
import { SourceKey } from '../../ingest/source-definition';
import { answerOf, apiErrorLine, isRefusalOfFile, KairosApiError, orNotFound, readableAs, unwrap } from '../api';
import { renderChanges } from '../campaign-diff';
import { campaignFiles, keyProblem, problemLine, readSource, syntaxLines } from '../campaign-files';
import type { CommandContext } from '../context';
import { consumerWhy, repeatedKeys, sourceChanges, sourceItems, sourceKey, sourceReads, sourceRows, SOURCE_COLUMNS, type SourceView } from '../event-sources';
import { CliError, ExitCode } from '../exit-codes';
import type { SourceDocument } from '../source-document';
import { printList } from '../table';
import { printable } from '../terminal-text';

/*
 * What each command reads of Kairos's answer about a source (readableAs):
 * the fields it prints or compares, no more, so an older Kairos's answer
 * without a field added since still reads as done. lastError (added later)
 * only says why a consumer is in its state: an answer without it is read,
 * and no why-line is printed. The state is only printed (and compared with
 * `removed`): any string is read, so a state a newer Kairos adds does not
 * turn a source it saved into "not Kairos", nor stop the rest of a folder.
 */
const AnyState = { state: z.string() };
/** show prints these of the stored source, and apply compares its definition and version. */
const StoredSource = SourceAnswer.pick({ key: true, version: true, lastError: true, definition: true, updatedAt: true }).partial({ lastError: true }).extend(AnyState);
/** apply prints these of a source it created or replaced. */
const SavedSource = SourceAnswer.pick({ key: true, version: true, lastError: true }).partial({ lastError: true }).extend(AnyState);
/** delete prints these of the source it removed. */
const RemovedSource = SourceAnswer.pick({ version: true, lastError: true }).partial({ lastError: true }).extend(AnyState);

async function list(ctx: CommandContext): Promise<ExitCode> {
  const { sources } = await unwrap(ctx.client.GET('/v1/sources'));
  printList(ctx, {
    json: { sources },
    empty: 'No event sources yet: `kairos sources apply <file>` adds one (docs/cli.md, Event sources).',
    columns: SOURCE_COLUMNS,
    rows: sourceRows(sources),
  });
  // The table has no room for why a consumer is not consuming; a line each under it says so.
  if (!ctx.json) for (const source of sources) whyLine(ctx, source);
  return ExitCode.ok;
}

/** `key: why <state>: <lastError>` on stderr, when the API instance that answered gave a reason for its consumer's state. */
function whyLine(ctx: CommandContext, source: Pick<SourceView, 'key' | 'state' | 'lastError'>): void {
  const why = consumerWhy(source);
  if (why) ctx.err(`${source.key}: ${why}`);
}

/** The source stored under `key`, checked as Kairos's: `apply` decides from it whether to replace, and must not take another server's JSON for a source. */
async function getSource(ctx: CommandContext, key: string): Promise<SourceView | undefined> {
  const found = await orNotFound(ctx.client.GET('/v1/sources/{key}', { params: { path: { key } } }));
  return found === undefined ? undefined : readableAs(StoredSource, found);
}

async function show(ctx: CommandContext, key: string): Promise<ExitCode> {
  const source = await getSource(ctx, key);
  if (!source) throw new CliError(`no source ${key}`, ExitCode.failure);
  if (ctx.json) {
    ctx.printJson(source);
    return ExitCode.ok;
  }
  ctx.out(`${source.key} (${String(source.definition.broker)}), v${source.version}, ${source.state} on the API instance that answered`);
  const why = consumerWhy(source);
  if (why) ctx.out(why);
  ctx.out(`reads: ${sourceReads(source.definition)}`);
  ctx.out(`updated: ${source.updatedAt}`);
  ctx.out('definition:');
  // yaml escapes C0 controls in what it quotes, but leaves C1 and bidirectional controls as they are.
  ctx.io.stdout(printable(stringify(source.definition, { lineWidth: 0 }).replace(/^(?=.)/gm, '  ')));
  return ExitCode.ok;
}

/**
 * What Kairos refused about one source: a 400 as `file:line:col path message`
 * lines (under the item's prefix in a list), a conflict, a missing source or
 * a size limit as one line. Anything else (unreachable, a key refused, a
 * route the server lacks: isRefusalOfFile) is thrown on and stops the command.
 */
function reportRefusal(ctx: CommandContext, source: SourceDocument, prefix: string, err: unknown): void {
  // Only the key goes in a URL: a 414 is about it.
  if (err instanceof KairosApiError && err.status === 414 && err.body) {
    ctx.err(problemLine(source, { path: prefix ? `${prefix}.key` : 'key', message: apiErrorLine(err) }));
    return;
  }
  if (isRefusalOfFile(err)) {
    ctx.err(`${source.file}${prefix}: ${apiErrorLine(err)}`);
    return;
  }
  if (!(err instanceof KairosApiError) || err.status !== 400 || !err.body) throw err;
  const at = (path: string) => (prefix ? `${prefix}${path && !path.startsWith('[') ? '.' : ''}${path}` : path);
  const details = err.body.error.details;
  if (details.length === 0) ctx.err(problemLine(source, { path: prefix, message: err.body.error.message }));
  for (const d of details) ctx.err(problemLine(source, { ...d, path: at(d.path) }));
}

/** Creates the source, or replaces it when the file differs from what is stored; never a new version (and a consumer restart) for nothing. */
async function applyOne(ctx: CommandContext, source: SourceDocument, item: { definition: unknown; prefix: string }): Promise<boolean> {
  const key = sourceKey(item.definition);
  const keyPath = item.prefix ? `${item.prefix}.key` : 'key';
  if (!key) {
    ctx.err(problemLine(source, { path: keyPath, message: 'a source needs a key (a string) to be applied' }));
    return false;
  }
  // Looked up by its key in a URL: one Kairos takes no source under (`..`, half a surrogate pair) is this source's problem, not the folder's.
  const refused = keyProblem(SourceKey, key);
  if (refused !== undefined) {
    ctx.err(problemLine(source, { path: keyPath, message: refused }));
    return false;
  }
  try {
    const existing = await getSource(ctx, key);
    if (!existing) {
      const created = await answerOf(SavedSource, ctx.client.POST('/v1/sources', { body: item.definition as never }));
      ctx.out(`${key}: created v${created.version} from ${source.file} (${created.state})`);
      whyLine(ctx, created);
      return true;
    }
    const changes = sourceChanges(existing.definition, item.definition);
    if (changes?.length === 0) {
      ctx.out(`${key}: unchanged (v${existing.version})`);
      // Unchanged is not consuming: a source the broker refuses says so on every apply, as a created or replaced one does.
      whyLine(ctx, existing);
      return true;
    }
    const replaced = await answerOf(SavedSource, ctx.client.PUT('/v1/sources/{key}', { params: { path: { key } }, body: item.definition as never }));
    ctx.out(`${key}: updated to v${replaced.version} from ${source.file} (${replaced.state})`);
    renderChanges(changes ?? []).forEach((l) => ctx.out(`  ${l}`));
    whyLine(ctx, replaced);
    return true;
  } catch (err) {
    reportRefusal(ctx, source, item.prefix, err);
    return false;
  }
}

async function apply(ctx: CommandContext, target: string): Promise<ExitCode> {
  ctx.checkConnection();
  let bad = 0;
  let total = 0;
  const items: Array<{ source: SourceDocument; item: { definition: unknown; prefix: string }; where: string; key: string | undefined }> = [];
  for (const file of campaignFiles(target, ctx.io.cwd)) {
    const source = readSource(file, ctx.io.cwd);
    if (source.syntaxErrors.length) {
      syntaxLines(source).forEach((l) => ctx.err(l));
      bad++;
      total++;
      continue;
    }
    // An empty list applies nothing: said, so a file emptied by mistake does not pass as applied.
    if (Array.isArray(source.value) && source.value.length === 0) {
      ctx.err(`${source.file}: an empty list, no source in it`);
      bad++;
      total++;
      continue;
    }
    for (const item of sourceItems(source.value)) items.push({ source, item, where: `${source.file}${item.prefix}`, key: sourceKey(item.definition) });
  }
  // Two definitions of one source would replace each other on every run: neither is applied.
  const repeated = repeatedKeys(items);
  for (const { source, item, where, key } of items) {
    total++;
    const others = key === undefined ? undefined : repeated.get(key)?.filter((w) => w !== where);
    if (others) {
      ctx.err(`${where}: key ${key} is also the key of ${others.join(', ')}: one definition a source, or every apply replaces it`);
      bad++;
    } else if (!(await applyOne(ctx, source, item))) bad++;
  }
  if (bad) ctx.err(`${bad} of ${total} source(s) not applied`);
  return bad ? ExitCode.failure : ExitCode.ok;
}

async function remove(ctx: CommandContext, key: string): Promise<ExitCode> {
  const found = await orNotFound(ctx.client.DELETE('/v1/sources/{key}', { params: { path: { key } } }));
  if (!found) throw new CliError(`no source ${key}`, ExitCode.failure);
  const removed = readableAs(RemovedSource, found);
  if (ctx.json) ctx.printJson(removed);
  else if (removed.state === 'removed') ctx.out(`${key}: removed (was v${removed.version}); messages still in the broker stay there`);
  else stillConsumed(ctx, key, removed);
  return ExitCode.ok;
}

/**
 * The definition is deleted, but the API instance that answered still runs
 * its consumer (its reload of the sources failed, and is retried until it
 * succeeds): "removed" would say the messages stopped, and they have not.
 * Still exit 0: nothing is left to ask of Kairos, and a second delete
 * would find no source.
 */
function stillConsumed(ctx: CommandContext, key: string, removed: { version: number; state: string; lastError?: string | null }): void {
  ctx.out(`${key}: deleted (was v${removed.version}); messages still in the broker stay there`);
  ctx.err(
    `${key}: the API instance that answered still consumes it (${removed.state}): ${removed.lastError ?? 'it has not reloaded the sources yet'}; until then it takes messages off the broker (that instance's log says why a reload fails)`,
  );
}

export function sourcesCommand(program: Command, ctx: CommandContext, run: (work: () => Promise<ExitCode>) => Promise<void>): void {
  const sources = program.command('sources').description('event sources: RabbitMQ queues and NATS JetStream streams that feed events in');
  sources
    .command('list')
    .description('every source: broker, where it reads, enabled, consumer state, version')
    .action(() => run(() => list(ctx)));
  sources
    .command('show <key>')
    .description('one source with its definition (--json: as the API answered)')
    .action((key: string) => run(() => show(ctx, key)));
  sources
    .command('apply <file|dir>')
    .description('create each source (a file holds one or a list), or replace it when it changed (not when it did not); problems as file:line:col path message')
    .action((target: string) => run(() => apply(ctx, target)));
  sources
    .command('delete <key>')
    .description('remove a source: every API instance stops consuming it (to pause one, apply it with enabled: false)')
    .action((key: string) => run(() => remove(ctx, key)));
}
