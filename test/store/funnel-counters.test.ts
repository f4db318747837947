import { seededRandom } from '../../bench/rules/fact-sets';
import type { DataSource, EntityManager } from 'typeorm';
import { rebuildFunnel } from '../../src/store/funnel-from-log';
import { FunnelCounters1765200000000 } from '../../src/store/migrations/1765200000000-funnel-counters';
import { RetentionRepository, type PruneCursor } from '../../src/store/repositories/retention.repository';
import { TransitionsRepository, type TransitionRecord } from '../../src/store/repositories/transitions.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const STATES = ['a', 'b', 'c', 'done', '(exited)'];

/**
 * One journey's log as a journey writes it: entries (sometimes a second,
 * parallel one) and moves of its paths between states, in time order.
 */
function journeyLog(random: () => number, campaignKey: string, campaignVersion: number, userId: string, execution: number, t0: number): TransitionRecord[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const workflowId = `journey:${campaignKey}:${userId}`;
  const paths: string[] = [];
  const records: TransitionRecord[] = [];
  const add = (fromState: string | null, toState: string) =>
    records.push({
      idempotencyKey: `${workflowId}:${execution}:${records.length}`,
      campaignKey,
      campaignVersion,
      userId,
      workflowId,
      fromState,
      toState,
      at: new Date(t0 + records.length * 1000).toISOString(),
      cause: 'test',
    });
  const moves = Math.floor(random() * 7);
  for (let i = 0; i < moves || paths.length === 0; i++) {
    if (paths.length === 0 || random() < 0.1) {
      const to = pick(['a', 'b']);
      add(null, to);
      paths.push(to);
      continue;
    }
    const p = Math.floor(random() * paths.length);
    const to = pick(STATES);
    add(paths[p], to);
    if (to === 'done' || to === '(exited)') paths.splice(p, 1);
    else paths[p] = to;
  }
  return records;
}

describe('funnel counters: kept with the journey log, equal to counting the log', () => {
  let db: TestDatabase;
  let log: TransitionsRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    log = new TransitionsRepository(db.dataSource);
  });
  afterAll(async () => db?.drop());

  const q = <T>(sql: string, params: unknown[] = []): Promise<T[]> => db.dataSource.query(sql, params);

  /** The counters, shards summed, as `campaign v<version> kind from→to: n` lines (zeros left out). */
  const counters = async () =>
    (
      await q<{ c: string; v: number; kind: string; f: string; t: string; n: number }>(
        `select campaign_key as c, campaign_version as v, kind, from_state as f, to_state as t, sum(n)::int as n
           from funnel_counters group by 1, 2, 3, 4, 5 having sum(n) <> 0`,
      )
    )
      .map((r) => `${r.c} v${r.v} ${r.kind} ${r.f}→${r.t}: ${r.n}`)
      .sort();

  const positions = async () =>
    (await q<{ w: string; v: number; s: string; n: number }>(`select workflow_id as w, campaign_version as v, state as s, paths as n from journey_positions where paths <> 0`))
      .map((r) => `${r.w} v${r.v} ${r.s}: ${r.n}`)
      .sort();

  /** What counting the whole log (as the funnel did before the counters) gives for the same lines. */
  const countedFromLog = async (visits: Set<string>) => {
    const moves = `select campaign_key as c, campaign_version as v, workflow_id as w, to_state as s, 1 as d from journey_transitions
                   union all select campaign_key, campaign_version, workflow_id, from_state, -1 from journey_transitions where from_state is not null`;
    const current = await q<{ line: string }>(
      `select c || ' v' || v || ' current →' || s || ': ' || count(*) as line
         from (select c, v, w, s from (${moves}) m group by 1, 2, 3, 4 having sum(d) > 0) live group by c, v, s`,
    );
    const edges = await q<{ line: string }>(
      `select campaign_key || ' v' || campaign_version || ' edge ' || coalesce(from_state, '(entry)') || '→' || to_state || ': ' || count(*) as line
         from journey_transitions group by campaign_key, campaign_version, coalesce(from_state, '(entry)'), to_state`,
    );
    const entered = new Map<string, number>();
    for (const visit of visits) {
      const [c, v, s] = visit.split('|');
      const line = `${c} v${v} entered →${s}`;
      entered.set(line, (entered.get(line) ?? 0) + 1);
    }
    const lines = [...current, ...edges].map((r) => r.line).concat([...entered].map(([line, n]) => `${line}: ${n}`));
    const position = await q<{ line: string }>(`select w || ' v' || v || ' ' || s || ': ' || sum(d) as line from (${moves}) m group by w, v, s having sum(d) <> 0`);
    return { counters: lines.sort(), positions: position.map((r) => r.line).sort() };
  };

  it('agrees with the log after concurrent journeys write it in batches, retries and rewrites', async () => {
    // Seeded, so a failing log can be written again.
    const random = seededRandom(20261201);
    const journeys: TransitionRecord[][] = [];
    for (let u = 0; u < 60; u++) {
      const campaign = u % 5 === 0 ? 'other' : 'shop';
      // Users u0 to u14 run twice (a second execution of the same workflow id, in the other version).
      journeys.push(journeyLog(random, campaign, 1 + (u % 2), `u${u % 45}`, u, Date.parse('2026-06-01T00:00:00Z') + u));
    }
    // Who arrived where, over every content ever written (a rewrite's old visits stay: "ever arrived").
    const visits = new Set<string>();
    const visit = (r: TransitionRecord) => {
      for (const v of [r.campaignVersion, 0]) visits.add(`${r.campaignKey}|${v}|${r.toState}|${r.userId}`);
      if (r.fromState === null) visits.add(`${r.campaignKey}|0|(entry)|${r.userId}`);
    };

    const writeJourney = async (records: TransitionRecord[]) => {
      let i = 0;
      while (i < records.length) {
        const n = 1 + Math.floor(random() * 3);
        const batch = records.slice(i, i + n);
        batch.forEach(visit);
        if (batch.length === 1 && random() < 0.5) await log.record(batch[0]);
        else await log.recordMany(batch);
        // A retried write of what is stored already: nothing counts twice.
        if (random() < 0.3) await (random() < 0.5 ? log.record(batch[0]) : log.recordMany(batch));
        i += n;
      }
      // A failed workflow task's write had left a move's `from` wrong; the retry's write has the last word.
      const moved = records.filter((r) => r.fromState !== null);
      if (moved.length > 0 && random() < 0.5) {
        const right = moved[Math.floor(random() * moved.length)];
        const wrong = { ...right, fromState: right.fromState === 'a' ? 'c' : 'a' };
        await log.recordMany([wrong]);
        await log.recordMany([right]);
      }
    };
    // Each journey writes its own log in order, a workflow id's executions one after another; journeys write at the same time.
    const byWorkflow = new Map<string, TransitionRecord[][]>();
    for (const records of journeys) byWorkflow.set(records[0].workflowId, [...(byWorkflow.get(records[0].workflowId) ?? []), records]);
    await Promise.all(
      [...byWorkflow.values()].map(async (executions) => {
        for (const records of executions) await writeJourney(records);
      }),
    );

    const expected = await countedFromLog(visits);
    expect(await counters()).toEqual(expected.counters);
    expect(await positions()).toEqual(expected.positions);
    // The generator did make what the counters have to get right.
    expect(expected.counters.some((l) => l.includes('current →done'))).toBe(true);
    expect(expected.positions.some((l) => l.endsWith(': 2'))).toBe(true);
    expect(expected.counters.some((l) => l.startsWith('shop v0 entered →(entry)'))).toBe(true);
  });

  it('counts a rewrite that changes a move once, taking back what the old move said', async () => {
    const row = (key: string, fromState: string | null, toState: string): TransitionRecord => ({
      idempotencyKey: key,
      campaignKey: 'rewrite',
      campaignVersion: 1,
      userId: 'r1',
      workflowId: 'journey:rewrite:r1',
      fromState,
      toState,
      at: '2026-06-01T00:00:00Z',
      cause: 'test',
    });
    await log.recordMany([row('rw:0', null, 'a'), row('rw:1', 'a', 'b')]);
    await log.recordMany([row('rw:1', 'a', 'c')]);
    const lines = (await counters()).filter((l) => l.startsWith('rewrite v1'));
    expect(lines).toEqual(
      ['rewrite v1 current →c: 1', 'rewrite v1 edge (entry)→a: 1', 'rewrite v1 edge a→c: 1', 'rewrite v1 entered →a: 1', 'rewrite v1 entered →b: 1', 'rewrite v1 entered →c: 1'].sort(),
    );
  });

  it('the migration counts a log written before it as the statements would have', async () => {
    const [before, beforePositions] = [await counters(), await positions()];
    const migration = new FunnelCounters1765200000000();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    // The rewrite above left a visit of `b` that the log no longer shows; everything else is the same.
    expect(await counters()).toEqual(before.filter((l) => l !== 'rewrite v1 entered →b: 1' && l !== 'rewrite v0 entered →b: 1'));
    expect(await positions()).toEqual(beforePositions);
  });
  it('a rebuild counts rows written by a process that kept no counters (a rolling upgrade), and loses no write made meanwhile', async () => {
    const at = '2026-07-01T00:00:00Z';
    // An old worker's writes: the log only.
    await q(
      `insert into journey_transitions (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause)
       values ('old:1', 'upgraded', 1, 'o1', 'journey:upgraded:o1', null, 'a', $1, 'test'), ('old:2', 'upgraded', 1, 'o1', 'journey:upgraded:o1', 'a', 'b', $1, 'test')`,
      [at],
    );
    expect((await counters()).filter((l) => l.startsWith('upgraded'))).toEqual([]);
    const record = (key: string, userId: string, fromState: string | null, toState: string): TransitionRecord => ({
      idempotencyKey: key,
      campaignKey: 'upgraded',
      campaignVersion: 1,
      userId,
      workflowId: `journey:upgraded:${userId}`,
      fromState,
      toState,
      at,
      cause: 'test',
    });
    // A new worker writes while the rebuild runs.
    await Promise.all([rebuildFunnel(db.dataSource), log.recordMany([record('new:1', 'n1', null, 'a'), record('new:2', 'n1', 'a', 'c')])]);
    await log.recordMany([record('new:3', 'n2', null, 'b')]);

    const rows = await q<{ c: string; v: number; t: string; u: string; entry: boolean }>(
      `select campaign_key as c, campaign_version as v, to_state as t, user_id as u, from_state is null as entry from journey_transitions`,
    );
    const visits = new Set<string>();
    for (const r of rows) {
      for (const v of [r.v, 0]) visits.add(`${r.c}|${v}|${r.t}|${r.u}`);
      if (r.entry) visits.add(`${r.c}|0|(entry)|${r.u}`);
    }
    const expected = await countedFromLog(visits);
    expect(await counters()).toEqual(expected.counters);
    expect(await positions()).toEqual(expected.positions);
    expect((await counters()).filter((l) => l.startsWith('upgraded v1 current'))).toEqual(['upgraded v1 current →b: 2', 'upgraded v1 current →c: 1']);
  });

  it('a rebuild reads one log: a retention batch that folds moves between its statements is in none of them', async () => {
    const old = new Date(Date.now() - 500 * 86_400_000);
    const record = (n: number, fromState: string | null, toState: string): TransitionRecord => ({
      idempotencyKey: `folded:${n}`,
      campaignKey: 'folded',
      campaignVersion: 1,
      userId: 'f1',
      workflowId: 'journey:folded:f1',
      fromState,
      toState,
      at: new Date(old.getTime() + n * 1000).toISOString(),
      cause: 'test',
    });
    await log.recordMany([record(0, null, 'a'), record(1, 'a', 'b'), record(2, 'b', 'c')]);
    const folded = async () => (await counters()).filter((l) => l.startsWith('folded'));
    const before = await folded();
    expect(before).toContain('folded v1 edge a→b: 1');

    /** The journey-log prune, run to its end and committed on another connection: a → b goes, b → c becomes a → c. */
    const prune = async () => {
      const retention = new RetentionRepository(db.dataSource);
      const cutoff = new Date(Date.now() - 400 * 86_400_000);
      let after: PruneCursor | null = null;
      for (let batch = 0; batch < 100; batch++) {
        const result = await retention.pruneJourneyLog(cutoff, after, 1000);
        if (result.done) return;
        after = result.after;
      }
      throw new Error('the journey-log prune did not finish');
    };
    // db.dataSource, but the prune commits right after the rebuild's first statement that reads the log (positions), before the other two.
    const real = db.dataSource;
    const interleaved = {
      transaction: (...args: unknown[]) => {
        const work = args.pop() as (tx: EntityManager) => Promise<unknown>;
        const withPrune = (tx: EntityManager) =>
          work(
            new Proxy(tx, {
              get: (target, prop, receiver) =>
                prop === 'query'
                  ? async (sql: string, params?: unknown[]) => {
                      const answer: unknown = await target.query(sql, params);
                      if (sql.trimStart().startsWith('insert into journey_positions')) await prune();
                      return answer;
                    }
                  : Reflect.get(target, prop, receiver),
            }),
          );
        return (real.transaction as (...a: unknown[]) => Promise<unknown>).call(real, ...args, withPrune);
      },
    } as unknown as DataSource;
    await rebuildFunnel(interleaved);

    // The prune did happen, after the snapshot: the rebuilt figures are the log's before it, edges and visits as the positions.
    const moves = await q<{ f: string | null; t: string }>(`select from_state as f, to_state as t from journey_transitions where campaign_key = 'folded' order by at, id`);
    expect(moves.map((m) => `${m.f ?? '(entry)'}→${m.t}`)).toEqual(['(entry)→a', 'a→c']);
    expect(await folded()).toEqual(before);
  });
});
