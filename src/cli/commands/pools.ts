import type { Command } from 'commander';
import { PoolResponse, PoolTopUpResponse } from '../../api/pools/pools.schemas';
import { answerOf, apiErrorLine, describeFailure, isNotFound, isRefusalOfFile, KairosApiError, mayHaveBeenStored, orNotFound, unwrap } from '../api';
import { problemLine, readSource, syntaxLines } from '../campaign-files';
import type { CommandContext } from '../context';
import { decimalNumber } from '../decimal';
import { repeatedKeys, sourceKey } from '../event-sources';
import { CliError, ExitCode } from '../exit-codes';
import { readTextFile } from '../io';
import { nonEmptyFlag } from '../non-empty-flag';
import { collectFlag } from '../single-value-flags';
import type { SourceDocument } from '../source-document';
import { printList } from '../table';

type Pool = Record<string, unknown>;

/*
 * What each write reads of Kairos's answer (readableAs): the fields it
 * prints, no more, so an older Kairos's answer without a field added since
 * (a pool's codes.voided) still reads as done.
 */
/** pools create prints the key it sent: the answer need only be a pool, which has its key. */
const CreatedPool = PoolResponse.pick({ key: true });
/** pools top-up prints whether it applied, and the pool's budget and codes as they are now. */
const TopUpAnswer = PoolTopUpResponse.pick({ applied: true }).extend({
  pool: PoolResponse.pick({ budget: true, used: true, left: true }).extend({ codes: PoolResponse.shape.codes.unwrap().pick({ total: true, left: true }).optional() }),
});

export type PoolOutcome = 'created' | 'exists' | 'refused';

/** A request path as the flag that gave it: `perUserLimit` is `--per-user-limit`, `codes[2]` is `--codes[2]` (the third code). */
export const flagPathOf = (path: string): string => path.replace(/^[A-Za-z]+/, (field) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);

/** Creates a pool; an existing key is `exists` (pools are never replaced), a refusal (poolRefusal) is printed at its path. */
export async function createPool(ctx: CommandContext, pool: Pool, where: { source?: SourceDocument; prefix?: string; label?: string; fromFlags?: boolean } = {}): Promise<PoolOutcome> {
  try {
    // Checked, not only resolved: a 2xx that is no pool (a mock, a gateway answering everything) created nothing this CLI can vouch for.
    await answerOf(CreatedPool, ctx.client.POST('/v1/pools', { body: pool as never }));
    return 'created';
  } catch (err) {
    if (err instanceof KairosApiError && err.status === 409) return 'exists';
    const details = poolRefusal(err);
    if (!details) throw err;
    for (const d of details) {
      const path = where.fromFlags ? flagPathOf(d.path) : where.prefix ? `${where.prefix}${d.path ? `.${d.path}` : ''}` : d.path;
      ctx.err(where.source ? problemLine(where.source, { ...d, path }) : `${where.label ?? ''}${path || '(pool)'} ${d.message}`);
    }
    return 'refused';
  }
}

/**
 * What Kairos refused about one pool, as problems at paths in it: a 400's
 * details (its message at the pool when it names none, rather than exit 1
 * with nothing said), or one line at the pool for a refusal of it whole (a
 * body over MAX_BODY_BYTES or a proxy's limit, 413; Kairos's own 404), so
 * the other pools of a list still go, as the other files of a campaigns or
 * sources folder do. Undefined for anything else, which stops the command.
 */
function poolRefusal(err: unknown): Array<{ path: string; message: string }> | undefined {
  if (isRefusalOfFile(err)) return [{ path: '', message: apiErrorLine(err) }];
  if (!(err instanceof KairosApiError) || err.status !== 400 || !err.body) return undefined;
  const { details, message } = err.body.error;
  return details.length > 0 ? details : [{ path: '', message }];
}

interface CreateFlags {
  key?: string;
  kind?: string;
  name?: string;
  budget?: string;
  perUserLimit?: string;
  /** Each --codes given, in order (the flag collects). */
  codes?: string[];
  generate?: string;
  validFor?: string;
  currency?: string;
  existsOk?: boolean;
}

const num = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = decimalNumber(v);
  if (n === undefined) throw new CliError(`${flag}: not a number: ${v}`, ExitCode.usage);
  return n;
};

function poolFromFlags(f: CreateFlags): Pool {
  if (!f.key || !f.kind) throw new CliError('pools create needs a file, or --key and --kind', ExitCode.usage);
  const generate = f.generate ? generateFlag(f.generate) : undefined;
  const pool: Pool = {
    key: f.key,
    kind: f.kind,
    name: f.name,
    budget: num('--budget', f.budget),
    perUserLimit: num('--per-user-limit', f.perUserLimit),
    codes: codesOfFlags(f.codes),
    generate,
    validFor: f.validFor,
    currency: f.currency,
  };
  return Object.fromEntries(Object.entries(pool).filter(([, v]) => v !== undefined));
}

/**
 * The items of a list whose key another item has too, each with what to say
 * at its `key`. Created one by one, the second met the first's 409 and read
 * as a pool there before ("kept", exit 0 with --exists-ok), so one definition
 * was dropped unsaid; neither is sent, as campaigns and sources refuse theirs.
 */
function repeatedListKeys(items: ReadonlyArray<{ pool: Pool; prefix?: string }>): Map<string, string> {
  const listed = items.flatMap(({ pool, prefix }) => (prefix === undefined ? [] : [{ key: sourceKey(pool), where: prefix }]));
  const said = new Map<string, string>();
  for (const [key, places] of repeatedKeys(listed)) {
    for (const where of places) {
      const others = places.filter((other) => other !== where).join(', ');
      said.set(where, `key ${key} is also the key of ${others}: one definition a pool (pools are never replaced, so all but one would be dropped)`);
    }
  }
  return said;
}

async function create(ctx: CommandContext, file: string | undefined, flags: CreateFlags): Promise<ExitCode> {
  const items: { pool: Pool; source?: SourceDocument; prefix?: string }[] = [];
  // A file is the whole pool: flags beside it would be quietly ignored (--exists-ok is about what happens, not what the pool is).
  const poolFlags = Object.entries(flags).filter(([name, v]) => name !== 'existsOk' && v !== undefined);
  if (file && poolFlags.length > 0) throw new CliError(`pools create ${file} takes the pool from the file: leave out ${poolFlags.map(([n]) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`, ExitCode.usage);
  if (file) {
    const source = readSource(file, ctx.io.cwd);
    if (source.syntaxErrors.length) {
      syntaxLines(source).forEach((l) => ctx.err(l));
      return ExitCode.failure;
    }
    // One pool, or a list of them; an empty list creates nothing, which is said rather than passed as done.
    if (Array.isArray(source.value) && source.value.length === 0) {
      ctx.err(`${source.file}: an empty list, no pool in it`);
      return ExitCode.failure;
    }
    if (Array.isArray(source.value)) source.value.forEach((pool, i) => items.push({ pool: pool as Pool, source, prefix: `[${i}]` }));
    else items.push({ pool: source.value as Pool, source });
  } else items.push({ pool: poolFromFlags(flags) });
  let failed = 0;
  const repeated = repeatedListKeys(items);
  for (const { pool, source, prefix } of items) {
    const repeats = prefix === undefined ? undefined : repeated.get(prefix);
    if (source && repeats) {
      ctx.err(problemLine(source, { path: `${prefix}.key`, message: repeats }));
      failed++;
      continue;
    }
    const outcome = await createPool(ctx, pool, { source, prefix, fromFlags: !file });
    // Read only once Kairos took the item as a pool: a refused one (null, a list item that is a number) may have no key.
    const key = String((pool as Partial<Pool> | null)?.key);
    if (outcome === 'created') ctx.out(`${key}: created`);
    else if (outcome === 'exists') {
      if (flags.existsOk) {
        // Kept is fine; kept as another kind is not what the script asked for (a coupon pool where points are given).
        const stored = await orNotFound(ctx.client.GET('/v1/pools/{key}', { params: { path: { key } } }));
        if (stored && pool.kind !== undefined && stored.kind !== pool.kind) {
          ctx.err(`${key}: a ${stored.kind} pool with this key exists, not a ${String(pool.kind)} one (pools are never replaced: choose another key, or use the ${stored.kind} pool)`);
          failed++;
        } else ctx.out(`${key}: exists (kept; pools are never replaced)`);
      } else {
        ctx.err(`${key}: a pool with this key exists (pools are never replaced; --exists-ok accepts that)`);
        failed++;
      }
    } else failed++;
  }
  // A file of several pools ends as campaigns and sources do: how many did not go in.
  if (failed && items.length > 1) ctx.err(`${failed} of ${items.length} pool(s) not created`);
  return failed ? ExitCode.failure : ExitCode.ok;
}

async function show(ctx: CommandContext, key: string): Promise<ExitCode> {
  const pool = await orNotFound(ctx.client.GET('/v1/pools/{key}', { params: { path: { key } } }));
  if (!pool) throw new CliError(`no pool ${key}`, ExitCode.failure);
  if (ctx.json) {
    ctx.printJson(pool);
    return ExitCode.ok;
  }
  const unit = pool.kind === 'coupon' ? ' coupons' : pool.kind === 'credit' && pool.currency ? ` ${pool.currency}` : pool.kind === 'points' ? ' points' : '';
  ctx.out(`${pool.key} (${pool.kind}${pool.name ? `, "${pool.name}"` : ''})`);
  ctx.out(`budget: ${pool.budget === null ? 'unlimited' : `${pool.budget}${unit}`}; used ${pool.used}${unit}; left ${pool.left === null ? 'unlimited' : `${pool.left}${unit}`}`);
  if (pool.perUserLimit !== null) ctx.out(`per user: at most ${pool.perUserLimit}`);
  if (pool.validFor) ctx.out(`coupons valid for ${pool.validFor}`);
  if (pool.codes) ctx.out(`codes: ${pool.codes.total} total, ${pool.codes.issued} issued, ${pool.codes.left} left, ${pool.codes.voided} voided`);
  const topUps = pool.topUps;
  if (topUps && topUps.total > 0) {
    ctx.out(`top-ups: ${topUps.total}${topUps.total > topUps.latest.length ? ` (the newest ${topUps.latest.length}, newest first)` : ', newest first'}`);
    for (const t of topUps.latest) {
      const added = [t.budgetAdded !== null ? `budget +${t.budgetAdded}${unit}` : null, t.codesAdded > 0 ? `+${t.codesAdded} codes` : null].filter(Boolean);
      ctx.out(`  ${t.at}  ${t.id}  ${added.join(', ')}`);
    }
  }
  return ExitCode.ok;
}

interface TopUpFlags {
  id?: string;
  budget?: string;
  /** Each --codes and --codes-file given, in order (both collect: a second one adds to the first). */
  codes?: string[];
  codesFile?: string[];
  generate?: string;
}

/** The codes of every --codes flag, in order: `--codes A,B --codes C` is A, B, C (`--codes[2]` is C). */
function codesOfFlags(flags: string[] | undefined): string[] | undefined {
  return flags?.flatMap((flag) => flag.split(',')).map((c) => c.trim());
}

/** PATTERN:COUNT, as --generate spells it. */
function generateFlag(value: string): { pattern: string; count: number } {
  const m = /^(.+):(\d+)$/.exec(value);
  if (!m) throw new CliError('--generate is PATTERN:COUNT, e.g. WELCOME-XXXX-99:500', ExitCode.usage);
  return { pattern: m[1], count: Number(m[2]) };
}

/** A code to add, with where it was given: `--codes[0]`, or `codes.txt:12`. */
interface GivenCode {
  code: string;
  where: string;
}

/**
 * The codes of every --codes, then of every --codes-file (one a line; blank
 * lines skipped), in the order given, each with where it was given: its
 * item of the --codes flags, or its file and line.
 */
function codesFlags(ctx: CommandContext, f: TopUpFlags): GivenCode[] | undefined {
  if (f.codes === undefined && f.codesFile === undefined) return undefined;
  const fromFlags = (codesOfFlags(f.codes) ?? []).map((code, i) => ({ code, where: `--codes[${i}]` }));
  const fromFiles = (f.codesFile ?? []).flatMap((file) => codesOfFile(ctx, file));
  return [...fromFlags, ...fromFiles];
}

/** One --codes-file's codes, each at its `file:line` (blank lines count as lines, and are skipped). */
function codesOfFile(ctx: CommandContext, file: string): GivenCode[] {
  const lines = readTextFile(ctx.io, file).split(/\r?\n/);
  return lines.map((line, i) => ({ code: line.trim(), where: `${file}:${i + 1}` })).filter((c) => c.code !== '');
}

/**
 * A problem Kairos found in the top-up, said where the user gave what it is
 * about: `codes[3]` (of the codes sent, flags' and file's together) is where
 * that code was given, in the path and in the message (`"X" repeats codes[1]`).
 */
function topUpProblem(key: string, detail: { path: string; message: string }, codes: GivenCode[] | undefined): string {
  const whereCode = (index: string, rest = ''): string | undefined => {
    const given = codes?.[Number(index)];
    return given === undefined ? undefined : `${given.where}${rest}`;
  };
  const at = /^codes\[(\d+)\](.*)$/.exec(detail.path);
  const where = at ? whereCode(at[1], at[2]) : undefined;
  if (where === undefined) return `${key}: ${detail.path || '(top-up)'} ${detail.message}`;
  return `${where} ${detail.message.replace(/\bcodes\[(\d+)\]/g, (said, index: string) => whereCode(index) ?? said)}`;
}

async function topUp(ctx: CommandContext, key: string, flags: TopUpFlags): Promise<ExitCode> {
  const codes = codesFlags(ctx, flags);
  const body = Object.fromEntries(
    Object.entries({ id: flags.id, budget: num('--budget', flags.budget), codes: codes?.map((c) => c.code), generate: flags.generate ? generateFlag(flags.generate) : undefined }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  if (Object.keys(body).filter((k) => k !== 'id').length === 0) throw new CliError('pools top-up needs --budget, --codes, --codes-file or --generate', ExitCode.usage);
  let answer;
  try {
    answer = await answerOf(TopUpAnswer, ctx.client.POST('/v1/pools/{key}/top-up', { params: { path: { key } }, body: body as never }));
  } catch (err) {
    if (isNotFound(err)) throw new CliError(`no pool ${key}`, ExitCode.failure);
    // A 2xx that cannot be read took the top-up too, and Kairos's own 5xx may have come after its COMMIT.
    if (mayHaveBeenStored(err)) throw topUpMayHaveApplied(ctx, err, key, flags.id);
    if (!(err instanceof KairosApiError) || !err.body || (err.status !== 400 && err.status !== 409)) throw err;
    if (err.status === 409) throw new CliError(`${key}: ${err.body.error.message}`, ExitCode.failure);
    // A 400 that names no path is said in its message, rather than exit 1 with nothing said.
    if (err.body.error.details.length === 0) ctx.err(`${key}: ${err.body.error.message}`);
    for (const d of err.body.error.details) ctx.err(topUpProblem(key, d, codes));
    return ExitCode.failure;
  }
  if (ctx.json) {
    ctx.printJson(answer);
    return ExitCode.ok;
  }
  const { pool } = answer;
  ctx.out(answer.applied ? `${key}: topped up` : `${key}: top-up ${flags.id} was applied before; nothing added`);
  if (pool.budget !== null) ctx.out(`budget: ${pool.budget}; used ${pool.used}; left ${pool.left}`);
  if (pool.codes) ctx.out(`codes: ${pool.codes.total} total, ${pool.codes.left} left`);
  return ExitCode.ok;
}

/**
 * A top-up whose answer did not come (or could not be read, or was
 * Kairos's own 5xx) may have been applied: with --id, sending it again adds nothing twice; without, it
 * would add it again, so the pool's newest top-ups are where to look first.
 */
function topUpMayHaveApplied(ctx: CommandContext, err: unknown, key: string, id: string | undefined): CliError {
  const failure = describeFailure(err, ctx.connected);
  const again =
    id !== undefined
      ? `sent again with --id ${id}, the top-up adds nothing twice`
      : `this top-up carried no --id, so sending it again may add it twice: \`kairos pools show ${key}\` lists the newest top-ups; give --id next time`;
  return new CliError(`${failure.message}; ${again}`, failure.exitCode);
}

/** Every pool: budget used and left, codes left (the console's pools page). */
async function list(ctx: CommandContext): Promise<ExitCode> {
  const { pools, total } = await unwrap(ctx.client.GET('/v1/pools'));
  printList(ctx, {
    json: { pools, total },
    empty: 'no pools yet: kairos pools create creates one',
    columns: ['key', 'kind', 'budget', 'used', 'left', 'codes left', 'per user'],
    rows: pools.map((p) => [p.key, p.kind === 'credit' && p.currency ? `credit ${p.currency}` : p.kind, p.budget, p.used, p.left, p.codes?.left, p.perUserLimit]),
  });
  if (!ctx.json && total > pools.length) ctx.err(`the oldest ${pools.length} of ${total} pools; kairos pools show <key> shows any one`);
  return ExitCode.ok;
}

export function poolsCommand(program: Command, ctx: CommandContext, run: (work: () => Promise<ExitCode>) => Promise<void>): void {
  const pools = program.command('pools').description('reward pools: coupon codes, points or credit budgets');
  pools
    .command('create [file]')
    .description('create a pool from a YAML/JSON file (one pool or a list) or from flags')
    .option('--key <key>', 'pool key')
    .option('--kind <kind>', 'coupon, points or credit')
    .option('--name <name>', 'a name for people')
    .option('--budget <n>', 'total amount (points, credit) or number of coupons')
    .option('--per-user-limit <n>', 'rewards one user may get from the pool')
    .option('--codes <a,b,c>', 'coupon codes to hand out, in order (repeatable)', collectFlag)
    .option('--generate <PATTERN:COUNT>', 'generated coupon codes: X a letter or digit, 9 a digit')
    .option('--valid-for <duration>', 'how long an issued coupon stays valid (ISO 8601, e.g. P30D)')
    .option('--currency <code>', 'credit pools: ISO 4217 currency')
    .option('--exists-ok', 'a pool with the same key already there is not an error')
    .action((file: string | undefined, flags: CreateFlags) => run(() => create(ctx, file, flags)));
  pools
    .command('list')
    .description('every pool: budget, used, left, codes left, per-user limit (- : none or unlimited)')
    .action(() => run(() => list(ctx)));
  pools
    .command('show <key>')
    .description('budget used and left, codes issued and voided')
    .action((key: string) => run(() => show(ctx, key)));
  pools
    .command('top-up <key>')
    .description('add budget or codes to a pool, all or nothing; with --id a rerun adds nothing twice')
    .option('--id <id>', 'names this top-up: the same id again adds nothing', nonEmptyFlag)
    .option('--budget <n>', 'added to the budget (points, credit, or a number of coupons)')
    .option('--codes <a,b,c>', 'coupon codes to add, handed out after the ones the pool holds (repeatable)', collectFlag)
    .option('--codes-file <file>', 'coupon codes to add, one a line (repeatable: each file is added)', collectFlag)
    .option('--generate <PATTERN:COUNT>', 'generated coupon codes, none equal to one the pool holds')
    .action((key: string, flags: TopUpFlags) => run(() => topUp(ctx, key, flags)));
}
