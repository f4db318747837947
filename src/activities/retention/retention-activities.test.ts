import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { asyncLocalStorage } from '@temporalio/activity';
import { JourneyGateway } from '../../temporal/journey-gateway';
import { visibilityString } from '../../temporal/visibility-query';
import { createRetentionActivities } from './retention-activities';

const JOURNEY = 'journey:cashback:ann';
const SECOND = 1000;

/** A run as visibility lists it (the fields `running` reads). */
interface ListedRun {
  workflowId: string;
  status: { name: string };
  closeTime?: Date;
}

/**
 * A Temporal client whose visibility lists `runs`, answering the two
 * conditions a retention ask puts to it (`ExecutionStatus = 'Running'` and
 * `CloseTime > '<time>'`, alone or joined by OR), and whose describe reads
 * each workflow's current run from `current`.
 */
function temporalWith(runs: ListedRun[], current: Record<string, string>) {
  const described: string[] = [];
  const listed = (query: string, run: ListedRun) => {
    if (!query.includes(visibilityString(run.workflowId))) return false;
    if (run.status.name === 'RUNNING' && query.includes(`ExecutionStatus = 'Running'`)) return true;
    const since = /CloseTime > '([^']+)'/.exec(query)?.[1];
    return since !== undefined && run.closeTime !== undefined && run.closeTime > new Date(since);
  };
  const client = {
    workflow: {
      list: ({ query }: { query: string }) =>
        (async function* () {
          for (const run of runs) if (listed(query, run)) yield run;
        })(),
      getHandle: (id: string) => ({
        describe: async () => {
          described.push(id);
          return { status: { name: current[id] ?? 'COMPLETED' } };
        },
      }),
    },
  } as unknown as Client;
  return { gateway: new JourneyGateway(client, 'q'), described };
}

/**
 * A data source answering the statements one events batch and one batch of
 * unfinished messages run: one old event delivered to JOURNEY and one
 * retrying message of that journey, both unpinned; records what is deleted.
 */
function storeWithOldRows(events: Array<{ id: string; workflowIds: string[] }> = [{ id: 'evt-old', workflowIds: [JOURNEY] }], deliveriesOfEvents = 0) {
  const deleted: string[] = [];
  /** The statement_timeout (ms) each statement was given (RetentionRepository's BOUND_STATEMENTS). */
  const bounds: number[] = [];
  const answer = async (sql: string, params: unknown[] = []): Promise<unknown> => {
    if (sql.includes("set_config('statement_timeout'")) {
      bounds.push(params[0] as number);
      return [{}];
    }
    if (sql.includes('e.received_at::text as at')) return events.map((e) => ({ id: e.id, at: '2024-01-01 00:00:00+00', workflow_ids: e.workflowIds, pinned: false }));
    if (sql.includes('from messages') && sql.includes("status in ('pending', 'retrying') and created_at < $1")) {
      return [{ id: '7', at: '2024-01-01 00:00:00+00', campaign_key: 'cashback', user_id: 'ann' }];
    }
    if (sql.includes('for update') || sql.startsWith('select e.id from events e')) return [];
    if (sql.startsWith('delete from signal_outbox')) return [[], deliveriesOfEvents];
    if (sql.startsWith('delete from events') || sql.startsWith('delete from messages')) {
      const ids = params[0] as string[];
      deleted.push(...ids);
      return [[], ids.length];
    }
    if (sql.startsWith('insert into retention_done')) return [];
    if (sql.startsWith('delete from reward_answers')) return [[], 0];
    throw new Error(`unexpected statement: ${sql}`);
  };
  const dataSource = { query: answer, transaction: async (work: (tx: { query: typeof answer }) => Promise<unknown>) => work({ query: answer }) } as unknown as DataSource;
  return { dataSource, deleted, bounds };
}

describe('retention: a journey visibility lists as not running (review 50, finding 3)', () => {
  const cutoff = new Date().toISOString();

  it('keeps the events and unfinished messages of a journey caught mid continue-as-new: its old run closed a second ago, its next run not listed yet', async () => {
    const { gateway, described } = temporalWith([{ workflowId: JOURNEY, status: { name: 'CONTINUED_AS_NEW' }, closeTime: new Date(Date.now() - SECOND) }], { [JOURNEY]: 'RUNNING' });
    const store = storeWithOldRows();
    const { pruneExpired } = createRetentionActivities({ dataSource: store.dataSource, journeys: gateway });

    const events = await pruneExpired({ kind: 'events', cutoff, limit: 10, after: null });
    const messages = await pruneExpired({ kind: 'messages', cutoff, limit: 10, after: { at: '-infinity', id: '0' } });

    expect({ events: events.deleted, messages: messages.deleted }).toEqual({ events: 0, messages: 0 });
    expect(store.deleted).toEqual([]);
    // Temporal itself said so (describe reads the current run), once per ask.
    expect(described).toEqual([JOURNEY, JOURNEY]);
  });

  it('prunes them once describe says the journey has ended, and asks no describe of a journey that closed long ago', async () => {
    const ended = temporalWith([{ workflowId: JOURNEY, status: { name: 'COMPLETED' }, closeTime: new Date(Date.now() - SECOND) }], {});
    const store = storeWithOldRows();
    await createRetentionActivities({ dataSource: store.dataSource, journeys: ended.gateway }).pruneExpired({ kind: 'events', cutoff, limit: 10, after: null });
    expect(store.deleted).toEqual(['evt-old']);
    expect(ended.described).toEqual([JOURNEY]);

    const longAgo = temporalWith([{ workflowId: JOURNEY, status: { name: 'CONTINUED_AS_NEW' }, closeTime: new Date(Date.now() - 2 * 3600 * SECOND) }], { [JOURNEY]: 'RUNNING' });
    const again = storeWithOldRows();
    await createRetentionActivities({ dataSource: again.dataSource, journeys: longAgo.gateway }).pruneExpired({ kind: 'events', cutoff, limit: 10, after: null });
    expect(again.deleted).toEqual(['evt-old']);
    expect(longAgo.described).toEqual([]);
  });
});

describe('retention: journeys whose workflow ids hold quotes (review 54 retention, finding 1)', () => {
  const cutoff = new Date().toISOString();

  it("asks visibility about ids with a ' (user ids such as o'neil) in its queries: a batch of them costs no describe", async () => {
    const events = Array.from({ length: 150 }, (_, i) => ({ id: `evt-${i}`, workflowIds: [`journey:cashback:o'neil-${i}`] }));
    const running = events[7].workflowIds[0];
    const { gateway, described } = temporalWith([{ workflowId: running, status: { name: 'RUNNING' } }], {});
    const store = storeWithOldRows(events);
    const result = await createRetentionActivities({ dataSource: store.dataSource, journeys: gateway }).pruneExpired({ kind: 'events', cutoff, limit: 150, after: null });
    expect(described).toEqual([]);
    expect(result.deleted).toBe(149);
    expect(store.deleted).not.toContain('evt-7');
  });

  it('describes at most a hundred ids visibility cannot match (a " or a \\) a batch, keeping the rest for a later pass', async () => {
    const events = Array.from({ length: 150 }, (_, i) => ({ id: `evt-${i}`, workflowIds: [`journey:cashback:say-"hi"-${i}`] }));
    const { gateway, described } = temporalWith([], {});
    const store = storeWithOldRows(events);
    const result = await createRetentionActivities({ dataSource: store.dataSource, journeys: gateway }).pruneExpired({ kind: 'events', cutoff, limit: 150, after: null });
    expect(described).toHaveLength(100);
    // The described ones had ended and went; the others are kept, and the cursor moves past them all.
    expect(result).toEqual({ deleted: 100, after: { at: '2024-01-01 00:00:00+00', id: 'evt-149' }, done: false });
  });
});

describe("retention: statements bounded by their attempt's time (review 54 retention, finding 2)", () => {
  const cutoff = new Date().toISOString();

  it("gives every statement a statement_timeout within the attempt's startToClose, shrinking as the attempt goes on", async () => {
    const { gateway } = temporalWith([], {});
    const store = storeWithOldRows();
    const { pruneExpired } = createRetentionActivities({ dataSource: store.dataSource, journeys: gateway });
    const context = { info: { startToCloseTimeoutMs: 120_000 } } as unknown as Parameters<typeof asyncLocalStorage.run>[0];
    await asyncLocalStorage.run(context, () => pruneExpired({ kind: 'events', cutoff, limit: 10, after: null }));
    // Candidates, the delete's four statements, the reward answers: each bounded, by 3/4 of the 2 minutes at most.
    expect(store.bounds.length).toBeGreaterThanOrEqual(6);
    for (const ms of store.bounds) expect(ms).toBeGreaterThan(0);
    for (const ms of store.bounds) expect(ms).toBeLessThanOrEqual(90_000);
    expect([...store.bounds].sort((a, b) => b - a)).toEqual(store.bounds);
  });

  it('outside an activity, bounds them by attemptMs when given, else by RETENTION_STATEMENT_MS', async () => {
    const { gateway } = temporalWith([], {});
    const given = storeWithOldRows();
    await createRetentionActivities({ dataSource: given.dataSource, journeys: gateway, attemptMs: 5_000 }).pruneExpired({ kind: 'events', cutoff, limit: 10, after: null });
    for (const ms of given.bounds) expect(ms).toBeLessThanOrEqual(5_000);
    const unset = storeWithOldRows();
    await createRetentionActivities({ dataSource: unset.dataSource, journeys: gateway }).pruneExpired({ kind: 'events', cutoff, limit: 10, after: null });
    for (const ms of unset.bounds) expect(ms).toBeLessThanOrEqual(90_000);
    expect(unset.bounds.length).toBeGreaterThan(0);
  });

  it('starts no statement once the attempt is out of time', async () => {
    const { gateway } = temporalWith([], {});
    const store = storeWithOldRows();
    const err: unknown = await createRetentionActivities({ dataSource: store.dataSource, journeys: gateway, attemptMs: 0 })
      .pruneExpired({ kind: 'events', cutoff, limit: 10, after: null })
      .catch((e) => e);
    expect(err).toEqual(expect.objectContaining({ name: 'RetentionOutOfTimeError' }));
    expect(store.bounds).toEqual([]);
  });
});

describe('retention: bookkeeping after a committed batch does not fail it (review 56, finding 2)', () => {
  const cutoff = new Date().toISOString();
  let clock = 1_000_000;
  beforeEach(() => {
    clock = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
  });
  afterEach(() => jest.restoreAllMocks());

  /**
   * storeWithOldRows, whose events delete spends `deleteMs` of the fake clock
   * and whose reward-answers statements answer `rewardAnswers` in turn (a
   * count, or an error thrown); records the statements run besides.
   */
  function storeWith(deleteMs: number, rewardAnswers: Array<number | Error> = [0]) {
    const base = storeWithOldRows();
    const statements: string[] = [];
    let rewardCalls = 0;
    const answer = async (sql: string, params?: unknown[]): Promise<unknown> => {
      if (!sql.includes("set_config('statement_timeout'")) statements.push(sql.split(/\s+/).slice(0, 3).join(' '));
      if (sql.startsWith('delete from reward_answers')) {
        const next = rewardAnswers[Math.min(rewardCalls++, rewardAnswers.length - 1)];
        if (next instanceof Error) throw next;
        return [[], next];
      }
      const out = await base.dataSource.query(sql, params);
      if (sql.startsWith('delete from events')) clock += deleteMs;
      return out;
    };
    const dataSource = { query: answer, transaction: async (work: (tx: { query: typeof answer }) => Promise<unknown>) => work({ query: answer }) } as unknown as DataSource;
    return { dataSource, deleted: base.deleted, statements };
  }

  it('returns the batch when its delete spent the budget, skipping the mark and the reward answers', async () => {
    const { gateway } = temporalWith([], {});
    const store = storeWith(100);
    const result = await createRetentionActivities({ dataSource: store.dataSource, journeys: gateway, attemptMs: 100 }).pruneExpired({ kind: 'events', cutoff, limit: 10, after: null });
    expect(result).toEqual({ deleted: 1, after: { at: '2024-01-01 00:00:00+00', id: 'evt-old' }, done: true });
    expect(store.deleted).toEqual(['evt-old']);
    expect(store.statements.filter((s) => s.startsWith('insert into retention_done') || s.startsWith('delete from reward_answers'))).toEqual([]);
  });

  it('returns the batch when a reward-answers statement hits its statement_timeout, after the mark', async () => {
    const { gateway } = temporalWith([], {});
    const timeout = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    const store = storeWith(0, [10, timeout]);
    const result = await createRetentionActivities({ dataSource: store.dataSource, journeys: gateway, attemptMs: 100 }).pruneExpired({ kind: 'events', cutoff, limit: 10, after: null });
    expect(result).toEqual(expect.objectContaining({ deleted: 1, done: true }));
    expect(store.statements.filter((s) => s.startsWith('insert into retention_done'))).toHaveLength(1);
    expect(store.statements.filter((s) => s.startsWith('delete from reward_answers'))).toHaveLength(2);
  });

  it('still fails the attempt on any other failure of the bookkeeping', async () => {
    const { gateway } = temporalWith([], {});
    const store = storeWith(0, [new Error('connection terminated')]);
    await expect(
      createRetentionActivities({ dataSource: store.dataSource, journeys: gateway, attemptMs: 100 }).pruneExpired({ kind: 'events', cutoff, limit: 10, after: null }),
    ).rejects.toThrow('connection terminated');
  });
});

describe('retention: deliveries deleted with their events (review 62-background, finding 2)', () => {
  it('are logged and counted as pruned deliveries, beside the events', async () => {
    const { gateway } = temporalWith([], {});
    const store = storeWithOldRows([{ id: 'evt-old', workflowIds: [JOURNEY] }], 3);
    const logged: Array<{ message: string; attrs: Record<string, unknown> }> = [];
    const counted: Array<{ name: string; by: number; labels: Record<string, string> }> = [];
    const context = {
      info: { startToCloseTimeoutMs: 120_000 },
      log: { info: (message: string, attrs: Record<string, unknown>) => logged.push({ message, attrs }), warn: () => undefined },
      metricMeter: { createCounter: (name: string) => ({ add: (by: number, labels: Record<string, string>) => counted.push({ name, by, labels }) }) },
    } as unknown as Parameters<typeof asyncLocalStorage.run>[0];
    const cutoff = new Date().toISOString();
    const { pruneExpired } = createRetentionActivities({ dataSource: store.dataSource, journeys: gateway });
    const result = await asyncLocalStorage.run(context, () => pruneExpired({ kind: 'events', cutoff, limit: 10, after: null }));
    expect(result).toEqual({ deleted: 1, after: { at: '2024-01-01 00:00:00+00', id: 'evt-old' }, done: true });
    expect(logged.filter((l) => l.message === 'retention pruned rows').map((l) => l.attrs)).toEqual([
      { kind: 'events', deleted: 1, cutoff },
      { kind: 'deliveries', deleted: 3, cutoff, withEvents: true },
    ]);
    expect(counted.filter((c) => c.name === 'kairos_retention_pruned_rows_total').map((c) => [c.labels.kind, c.by])).toEqual([
      ['events', 1],
      ['deliveries', 3],
    ]);
  });
});
