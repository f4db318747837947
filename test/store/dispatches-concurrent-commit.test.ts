import { Client } from 'pg';
import { DispatchesRepository, type DispatchRow } from '../../src/store/repositories/dispatches.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Another attempt's write to a dispatch row commits while this attempt's
 * statement waits for the row. Its UPDATE then re-checks the newer row and
 * skips it, and the statement's own reads still see the row as it was when
 * the statement began: the repository must answer the row as that commit
 * left it. Made deterministic with a real second transaction: it holds the
 * row locked, the statement starts and waits for the lock (seen in
 * pg_stat_activity), and only then does the transaction commit.
 */
describe('DispatchesRepository after another attempt commits while a statement waits for the row', () => {
  let db: TestDatabase;
  let repo: DispatchesRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    repo = new DispatchesRepository(db.dataSource);
  });
  afterAll(async () => db?.drop());

  let keys = 0;
  const webhookCall = (): Promise<DispatchRow> =>
    repo.putWebhookCall({ idempotencyKey: `concurrent-${++keys}`, campaignKey: null, userId: null, url: 'https://example.com/hook', causedBy: [], payload: '{}' });

  /** Until a statement of this database waits for a row lock held by another transaction. */
  async function untilAStatementWaitsForALock(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const [r]: Array<{ n: number }> = await db.dataSource.query(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      if (r.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no statement came to wait for the row lock');
  }

  /**
   * Runs `write` (on `table`, row `id`) in a transaction on a connection of its own, starts `statement` while that
   * transaction holds the row, commits once the statement waits for it, and answers what the statement answered.
   */
  async function committedWhileWaiting<T>(write: string, id: string, statement: () => Promise<T>): Promise<T> {
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(write, [id]);
      const answered = statement();
      // Settled whatever happens below (a failed wait ends the transaction, and the statement then goes on).
      void answered.catch(() => undefined);
      await untilAStatementWaitsForALock();
      await other.query('commit');
      return await answered;
    } finally {
      await other.end();
    }
  }

  it("recordAttempt: a failure not written because another attempt's sent committed answers the row sent", async () => {
    const row = await webhookCall();
    const claim = await repo.claim('webhook_calls', row.id, 60_000);
    if (!claim.claimed) throw new Error('expected the claim');
    // The attempt that took over once this one's claim lapsed: its 2xx is recorded as this one records a 400.
    const recorded = await committedWhileWaiting(
      `update webhook_calls set status = 'sent', attempts = attempts + 1, last_status = 200, claimed_until = null, sent_at = now() where id = $1`,
      row.id,
      () => repo.recordAttempt('webhook_calls', row.id, { status: 'rejected', httpStatus: 400, error: 'HTTP 400' }, claim.token),
    );
    expect(recorded).toEqual({ recorded: false, row: expect.objectContaining({ status: 'sent', attempts: 1, lastStatus: 200 }) });
  });

  it("claim: a claim another attempt committed meanwhile answers as that claim, with the time it has left", async () => {
    const row = await webhookCall();
    const claim = await committedWhileWaiting(`update webhook_calls set claimed_until = clock_timestamp() + interval '1 hour' where id = $1`, row.id, () =>
      repo.claim('webhook_calls', row.id, 60_000),
    );
    if (claim.claimed) throw new Error('claimed a row another attempt holds');
    // Not 0, which sends the attempt to look again at once (and spends one of its tries) while the other one sends.
    expect(claim.leftMs).toBeGreaterThan(0);
  });

  it("claim: a sent another attempt committed meanwhile answers the row sent", async () => {
    const row = await webhookCall();
    const claim = await committedWhileWaiting(`update webhook_calls set status = 'sent', attempts = 1, last_status = 200 where id = $1`, row.id, () =>
      repo.claim('webhook_calls', row.id, 60_000),
    );
    expect(claim).toEqual({ claimed: false, row: expect.objectContaining({ status: 'sent', lastStatus: 200 }), leftMs: 0 });
  });

  it("markStored: a message another worker's attempt sent meanwhile stays sent, and answers so", async () => {
    const row = await repo.putMessage({ idempotencyKey: 'concurrent-message', campaignKey: 'spend', userId: 'u-1', channel: 'push', template: 't', data: {}, causedBy: [], payload: '{}' });
    const stored = await committedWhileWaiting(`update messages set status = 'sent', attempts = 1, last_status = 200 where id = $1`, row.id, () => repo.markStored(row.id));
    expect(stored).toMatchObject({ status: 'sent', lastStatus: 200 });
  });

  it('without a race: a second claim finds the first with its time left, and the holder records its failure', async () => {
    const row = await webhookCall();
    const claim = await repo.claim('webhook_calls', row.id, 60_000);
    if (!claim.claimed) throw new Error('expected the claim');
    const again = await repo.claim('webhook_calls', row.id, 60_000);
    expect(again).toMatchObject({ claimed: false, row: { status: 'pending' } });
    expect(again.claimed === false && again.leftMs).toBeGreaterThan(0);
    expect(await repo.recordAttempt('webhook_calls', row.id, { status: 'retrying', httpStatus: 503, error: 'HTTP 503' }, claim.token)).toEqual({
      recorded: true,
      row: expect.objectContaining({ status: 'retrying', attempts: 1, lastStatus: 503 }),
    });
  });
});
