import type { DataSource } from 'typeorm';
import { CoalescingQueue, type Pending } from '../coalescing-queue';
import { countLedgerRetry, type LedgerRetryReason } from '../ledger/ledger-retries.metric';
import type { LedgerIssueAnswer, LedgerIssueOutcome as IssueOutcome, ReclaimOutcome, RewardCommand } from '../../domain/rewards/contract';
import { toReward, type Reward, type RewardKind, type RewardRow } from '../ledger/reward';
import { isUuid } from '../../domain/storable';
import { sqlState } from '../sql-state';
import { exactUtcTimeSql } from '../exact-time';

export type { ReclaimOutcome } from '../../domain/rewards/contract';

/** The ledger's answer (src/domain/rewards) with the whole reward row. */
export interface IssueResult extends LedgerIssueAnswer {
  reward: Reward | null;
}

/**
 * The fields kairos_issue_reward reads (rewards-ledger/issue-reward-jsonb.sql.ts),
 * from the one reward command: the action's fields flattened into kind,
 * amount, currency, pool and unlessHolding.
 */
function ledgerRequest(r: RewardCommand) {
  const { idempotencyKey, campaignKey, campaignVersion, userId, stepId, causedBy, action: a } = r;
  const identity = { idempotencyKey, campaignKey, campaignVersion, userId, stepId, causedBy };
  switch (a.type) {
    case 'coupon':
      return { ...identity, kind: 'coupon', amount: null, currency: null, pool: a.pool, unlessHolding: a.unlessHolding };
    case 'points':
      return { ...identity, kind: 'points', amount: a.amount, currency: null, pool: a.pool, unlessHolding: false };
    case 'credit':
      return { ...identity, kind: 'credit', amount: a.amount, currency: a.currency, pool: a.pool, unlessHolding: false };
  }
}

export interface ReclaimResult {
  idempotencyKey: string;
  outcome: ReclaimOutcome;
  reward: Reward | null;
  /** This call took it back: no reclaim of the key was recorded before (a repeat answers the first outcome with false). */
  first: boolean;
}

export type RedeemResult = { kind: 'redeemed'; reward: Reward } | { kind: 'notFound' } | { kind: 'conflict'; reward: Reward; reason: string };

export interface UserRewards {
  rewards: Array<{
    id: string;
    campaign: string;
    kind: RewardKind;
    amount?: number;
    currency?: string;
    code?: string;
    pool?: string;
    status: Reward['status'];
    causedBy: string[];
    expiresAt?: string;
    issuedAt: string;
  }>;
  /** Every reward the user has, listed or not. */
  total: number;
  balances: { points: number; credit: Record<string, number> };
  /** Where to go on to older rewards (an opaque cursor): only when `limit` left some out. */
  next?: string;
}

/** A reward's place in a user's list, by issue time (microseconds, as stored) and then id. */
export interface RewardPosition {
  issuedAt: string;
  id: string;
}

/** Which of a user's rewards to list; the total and the balances count every one all the same. */
export interface UserRewardsFilter {
  /** The newest this many of those asked for (still listed oldest first); absent: all of them. */
  limit?: number;
  /** Only those issued before this position (the oldest a previous list gave). */
  before?: RewardPosition;
  /** Only those this event helped cause (their caused_by holds it). */
  causedBy?: string;
}

/** The user's rewards as the ledger reads them, and the oldest listed when older ones were left out. */
export type LedgerUserRewards = Omit<UserRewards, 'next'> & { older: RewardPosition | null };

/**
 * Raised by kairos_issue_reward when its probe found no free shard with room: call again with p_sweep. (No
 * other SQLSTATE of its own is raised: a budget found spent is an answer, `exhausted: budget`, which the
 * function keeps for the key. Anything else fails the call, and the activity's retry comes again.)
 */
const SWEEP_NEEDED = 'KR003';

/** deadlock_detected and serialization_failure: PostgreSQL rolled the whole call back; running it again is safe. */
const RETRYABLE: ReadonlyMap<string, LedgerRetryReason> = new Map([
  ['40P01', 'deadlock'],
  ['40001', 'serialization'],
]);
const MAX_ATTEMPTS = 5;

/**
 * Issue and reclaim are each one transaction inside one function call, so a
 * call aborted by PostgreSQL left nothing behind and may simply be run
 * again. The functions take their locks in one order (see the rewards-ledger
 * migrations), so a deadlock is a bug: each retry is counted in
 * kairos_ledger_retries_total to make one visible.
 */
export async function retryingAborts<T>(call: () => Promise<T>, onRetry?: (reason: LedgerRetryReason) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const reason = RETRYABLE.get(sqlState(err) ?? '');
      if (attempt >= MAX_ATTEMPTS || !reason) throw err;
      countLedgerRetry(reason, onRetry);
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** What `kairos_issue_reward` answers; the reward is `to_jsonb` of its row. */
interface IssueResultRow {
  o_outcome: IssueOutcome;
  o_detail: string | null;
  o_reward: RewardRow | null;
}

/** What `kairos_issue_rewards` answers for one request of its batch; `issueAlone`: not issued, issue it alone. */
type BatchIssueRow = { o_index: number } & (IssueResultRow | { o_outcome: 'issueAlone'; o_detail: null; o_reward: null });

/**
 * Issues in one batched call at most: a batch holds the budget shards it
 * charged until it commits, and two batches of 8 leave most of a pool's 32
 * shards free for the issues going alone.
 */
const MAX_ISSUES_PER_BATCH = 8;
/** Batched calls running at once: one is filled while the other commits. */
const ISSUE_BATCHES_IN_FLIGHT = 2;

const toIssueResult = (row: IssueResultRow): IssueResult => ({
  outcome: row.o_outcome,
  detail: row.o_detail,
  reward: row.o_reward ? toReward(row.o_reward) : null,
});

/** What `kairos_reclaim_reward` answers. */
interface ReclaimResultRow {
  o_outcome: ReclaimOutcome;
  o_reward: RewardRow | null;
  first: boolean;
}

interface ReclaimRecordRow {
  idempotency_key: string;
  reward_id: string | null;
  outcome: ReclaimOutcome;
  reason: string | null;
  created_at: Date;
}

export interface ReclaimRecord {
  idempotencyKey: string;
  rewardId: string | null;
  outcome: ReclaimOutcome;
  reason: string | null;
  at: string;
}

const toReclaimRecord = (r: ReclaimRecordRow): ReclaimRecord => ({
  idempotencyKey: r.idempotency_key,
  rewardId: r.reward_id ?? null,
  outcome: r.outcome,
  reason: r.reason ?? null,
  at: r.created_at.toISOString(),
});

/** The rewards ledger. Issue and reclaim are database functions (see the rewards-ledger migration). */
export class RewardsRepository {
  /** `onRetry`: reports each retried abort instead of kairos_ledger_retries_total (the worker reports it on its own endpoint). */
  constructor(
    private readonly ds: DataSource,
    private readonly onRetry?: (reason: LedgerRetryReason) => void,
  ) {}

  /**
   * Concurrent issues share a call: whatever arrives while calls are running
   * goes in the next batch (`kairos_issue_rewards`), one round trip and one
   * commit for all of them. A lone issue goes at once, alone.
   */
  private readonly issues = new CoalescingQueue<RewardCommand, IssueResult>((group) => this.issueGroup(group), {
    inFlight: ISSUE_BATCHES_IN_FLIGHT,
    maxWeight: MAX_ISSUES_PER_BATCH,
  });

  /**
   * Answered once per key: a repeated key returns the first answer without
   * spending again, the reward, or the exhausted or alreadyHolding the ledger
   * kept (reward_answers). Refusals (unknown pool, wrong kind or currency)
   * are not kept: a call after the pool is fixed is judged afresh.
   */
  issue(r: RewardCommand): Promise<IssueResult> {
    return this.issues.submit(r);
  }

  /** One round trip, one transaction. */
  async issueAlone(r: RewardCommand): Promise<IssueResult> {
    // Named fields, the ones the function reads: nothing to keep in order.
    const request = JSON.stringify(ledgerRequest(r));
    const call = (sweep: boolean): Promise<IssueResultRow[]> =>
      this.ds.query(`select o_outcome, o_detail, o_reward from kairos_issue_reward($1::jsonb, $2)`, [request, sweep]);
    const rows = await retryingAborts(async () => {
      try {
        return await call(false);
      } catch (err) {
        // No free shard had room: the call rolled back, releasing what its probe locked; sweep in a fresh one.
        if (sqlState(err) === SWEEP_NEEDED) return await call(true);
        throw err;
      }
    }, this.onRetry);
    return toIssueResult(rows[0]);
  }

  /**
   * A group from the queue: alone if it is one, else one batched call. A
   * request the batch did not issue (its key's lock held elsewhere, a user
   * lock it needs, no free shard with room for it: `issueAlone`) is issued
   * alone once the batch committed, as is a noCodes. If the batch rolls
   * back (a value one request carries, an abort), nothing of it was
   * written: each issue runs alone, so an error stays with the request that
   * caused it.
   */
  private async issueGroup(group: Array<Pending<RewardCommand, IssueResult>>): Promise<void> {
    const alone = (p: Pending<RewardCommand, IssueResult>) => this.issueAlone(p.item).then(p.resolve, p.reject);
    if (group.length === 1) return alone(group[0]);
    let rows: BatchIssueRow[];
    try {
      rows = await this.ds.query(`select o_index, o_outcome, o_detail, o_reward from kairos_issue_rewards($1::jsonb)`, [
        JSON.stringify(group.map((p) => ledgerRequest(p.item))),
      ]);
    } catch (err) {
      countLedgerRetry(RETRYABLE.get(sqlState(err) ?? '') ?? 'batchSplit', this.onRetry);
      await Promise.all(group.map(alone));
      return;
    }
    const left: Array<Pending<RewardCommand, IssueResult>> = [];
    for (const row of rows) {
      const p = group[row.o_index];
      // No code left is asked again alone, after this batch committed: the claim skips codes other calls hold
      // uncommitted, and a batch holds its codes longer (and rolls back more often) than a lone call. (The batch
      // keeps no such answer for the key, so the lone call judges it afresh; its answer is the one kept.)
      if (row.o_outcome === 'issueAlone' || (row.o_outcome === 'exhausted' && row.o_detail === 'noCodes')) left.push(p);
      else p.resolve(toIssueResult(row));
    }
    await Promise.all(left.map(alone));
  }

  /**
   * Each key in its own transaction, retried if PostgreSQL aborts it (see
   * retryingAborts). `first`: whether this call is the one that recorded the
   * reclaim (the reclaim counters count it once). The key's lock is taken
   * before asking, as the ledger function takes it (the lock is re-entrant):
   * asked in the function's own statement, a call that waited on another's
   * lock read reward_reclaims as before that one committed, and both counted.
   */
  async reclaim(idempotencyKey: string, eventId: string, reason: string | null): Promise<ReclaimResult> {
    const row = await retryingAborts(
      () =>
        this.ds.transaction(async (tx): Promise<ReclaimResultRow> => {
          await tx.query(`select pg_advisory_xact_lock(hashtextextended('kairos.reward:' || $1, 0))`, [idempotencyKey]);
          const [{ first }]: Array<{ first: boolean }> = await tx.query(
            `select not exists (select 1 from reward_reclaims c where c.idempotency_key = $1) as first`,
            [idempotencyKey],
          );
          const [r]: Array<Omit<ReclaimResultRow, 'first'>> = await tx.query(`select f.o_outcome, f.o_reward from kairos_reclaim_reward($1::jsonb) f`, [
            JSON.stringify({ idempotencyKey, eventId, reason }),
          ]);
          return { ...r, first };
        }),
      this.onRetry,
    );
    return { idempotencyKey, outcome: row.o_outcome, reward: row.o_reward ? toReward(row.o_reward) : null, first: row.first };
  }

  async find(id: string): Promise<Reward | null> {
    if (!isUuid(id)) return null;
    const rows: RewardRow[] = await this.ds.query(`select * from rewards where id = $1`, [id]);
    return rows[0] ? toReward(rows[0]) : null;
  }

  async findByKey(idempotencyKey: string): Promise<Reward | null> {
    const rows: RewardRow[] = await this.ds.query(`select * from rewards where idempotency_key = $1`, [idempotencyKey]);
    return rows[0] ? toReward(rows[0]) : null;
  }

  /** The ledger's status of each key that has a reward (a key without one is left out). */
  async statusesByKey(idempotencyKeys: readonly string[]): Promise<Map<string, Reward['status']>> {
    if (idempotencyKeys.length === 0) return new Map();
    const rows: Array<{ idempotency_key: string; status: Reward['status'] }> = await this.ds.query(
      `select idempotency_key, status from rewards where idempotency_key = any($1::text[])`,
      [idempotencyKeys],
    );
    return new Map(rows.map((r) => [r.idempotency_key, r.status]));
  }

  /**
   * Marks a coupon used. Redeeming a used coupon again changes nothing. The
   * update waits for a reclaim holding the row and then sees its result, so a
   * coupon is either redeemed or reclaimed, never both.
   */
  async redeem(id: string): Promise<RedeemResult> {
    if (!isUuid(id)) return { kind: 'notFound' };
    const updated: RewardRow[] = await this.ds.query(
      // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      `with u as (
         update rewards set status = 'redeemed', redeemed_at = now(), updated_at = now()
          where id = $1 and kind = 'coupon' and status = 'issued' and (expires_at is null or expires_at > now())
          returning *)
       select * from u`,
      [id],
    );
    if (updated[0]) return { kind: 'redeemed', reward: toReward(updated[0]) };
    const reward = await this.find(id);
    if (!reward) return { kind: 'notFound' };
    if (reward.kind !== 'coupon') return { kind: 'conflict', reward, reason: `reward ${id} is ${reward.kind}, not a coupon` };
    if (reward.status === 'reclaimed') return { kind: 'conflict', reward, reason: `coupon ${id} was reclaimed` };
    // Checked in the update above by PostgreSQL's clock, so a coupon cannot pass on this process's.
    if (reward.status === 'issued') return { kind: 'conflict', reward, reason: `coupon ${id} expired at ${reward.expiresAt}` };
    return { kind: 'redeemed', reward };
  }

  /**
   * What cancelling `eventId` took back, for `GET /v1/events/:id`: one row per reclaimed key, first reclaim's outcome.
   * A key is recorded once, under its first reclaim: a reward step held when the cancel came is released, and the
   * release voids the step's key (`skipped:<key>`, the journey's own reclaim) beside the cancel's reclaim of it, and
   * either may come first. So a reward the event caused whose key a skip voided once the event was cancelled is the event's
   * too, with the skip's reason (a skip before the cancel is an operator's, not the cancel's).
   */
  async reclaimedBy(eventId: string): Promise<ReclaimRecord[]> {
    const rows: ReclaimRecordRow[] = await this.ds.query(
      `select idempotency_key, reward_id, outcome, reason, created_at from reward_reclaims where event_id = $1
       union
       select c.idempotency_key, c.reward_id, c.outcome, c.reason, c.created_at
         from events e
         join rewards r on r.caused_by @> array[e.id]
         join reward_reclaims c on c.reward_id = r.id
        where e.id = $1 and c.event_id = 'skipped:' || c.idempotency_key and c.created_at >= e.cancelled_at
       order by created_at, idempotency_key`,
      [eventId],
    );
    return rows.map(toReclaimRecord);
  }

  /**
   * The shape of API.md's `GET /v1/users/:id/rewards`: every reward, or
   * those `filter` asks for, the newest `limit` of them (still oldest
   * first); the total and the balances always count them all. Keyset on
   * (created_at, id): a batch's rewards share created_at, and rewards
   * issued meanwhile never shift the older ones from one list to the next.
   */
  async forUser(userId: string, filter: UserRewardsFilter = {}): Promise<LedgerUserRewards> {
    const { limit } = filter;
    // One snapshot, so the balances always match the list of rewards.
    const [rows, older, total, points, credit] = await this.ds.transaction('REPEATABLE READ', async (tx) => {
      const asked = rewardsAsked(userId, filter);
      // One more than the limit tells whether older ones remain. LIMIT NULL is no limit: one statement for both.
      const newest: Array<RewardRow & { issued_exact: string }> = await tx.query(
        `select * from (
           select *, ${exactUtcTimeSql('created_at')} as issued_exact from rewards
            where ${asked.where}
            order by created_at desc, id desc
            limit $${asked.params.length + 1}) newest
          order by created_at, id`,
        [...asked.params, limit === undefined ? null : limit + 1],
      );
      const cut = limit !== undefined && newest.length > limit;
      const list = cut ? newest.slice(1) : newest;
      const listsAll = !cut && filter.before === undefined && filter.causedBy === undefined;
      const n: number = listsAll ? list.length : (await tx.query(`select count(*)::int as n from rewards where user_id = $1`, [userId]))[0].n;
      const p: Array<{ total: string | null }> = await tx.query(`select sum(delta) as total from points_entries where user_id = $1`, [userId]);
      const c: Array<{ currency: string; total: string }> = await tx.query(
        `select currency, sum(delta) as total from credit_entries where user_id = $1 group by currency order by currency`,
        [userId],
      );
      const oldest = cut ? list[0] : undefined;
      return [list, oldest ? { issuedAt: oldest.issued_exact, id: oldest.id } : null, n, p, c] as const;
    });
    return {
      rewards: rows.map(toReward).map((r) => ({
        id: r.id,
        campaign: r.campaignKey,
        kind: r.kind,
        ...(r.amount !== null ? { amount: r.amount } : {}),
        ...(r.currency !== null ? { currency: r.currency } : {}),
        ...(r.code !== null ? { code: r.code } : {}),
        ...(r.pool !== null ? { pool: r.pool } : {}),
        status: r.status,
        causedBy: r.causedBy,
        ...(r.expiresAt !== null ? { expiresAt: r.expiresAt } : {}),
        issuedAt: r.createdAt,
      })),
      total,
      balances: {
        points: Number(points[0]?.total ?? 0),
        credit: Object.fromEntries(credit.map((c) => [c.currency, Number(c.total)])),
      },
      older,
    };
  }
}

/**
 * The condition on `rewards` for the rewards a filter asks for, and its parameters ($1 on). Spelled out only
 * for what is asked: `caused_by @>` is what the GIN index rewards_caused_by_idx serves.
 */
function rewardsAsked(userId: string, filter: UserRewardsFilter): { where: string; params: unknown[] } {
  const where = ['user_id = $1'];
  const params: unknown[] = [userId];
  if (filter.causedBy !== undefined) {
    params.push(filter.causedBy);
    where.push(`caused_by @> array[$${params.length}::text]`);
  }
  if (filter.before !== undefined) {
    params.push(filter.before.issuedAt, filter.before.id);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  return { where: where.join(' and '), params };
}
