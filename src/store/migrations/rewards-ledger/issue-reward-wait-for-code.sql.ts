import { ISSUE_REWARD_ANSWERS_FUNCTION } from './issue-reward-answers.sql';

/**
 * `kairos_issue_reward(p_request jsonb, p_sweep boolean)`, seventh version
 * (migration 1767300000000). Frozen with its migration: change it through a
 * new migration.
 *
 * The sixth version (issue-reward-answers.sql.ts) with one change, in the
 * coupon claim. Its claim skipped codes other transactions held locked
 * (`skip locked`), and when it found nothing it answered `exhausted:
 * noCodes` and, for a lone call, kept that answer for the key. But a locked
 * code is not a spent one: a batch that claimed it and then rolled back (a
 * later request's KR003), or a lone call killed before its commit, gives it
 * back. The key had been told noCodes for good while the pool still had the
 * code, and the next user got it (review 56, finding 1).
 *
 * Now a lone call whose skip-locked claim found nothing claims again without
 * `skip locked`. If the statement's snapshot shows no available code, that
 * claim returns at once and noCodes stands: no code is available in
 * committed state. If it shows one, the claim waits for its lock; PostgreSQL
 * then re-reads the row, and if its holder issued it the claim moves on to
 * the next available code (waiting again if that one is locked too), and if
 * its holder rolled back the claim gets it. So a noCodes that is kept means
 * the pool had no code left, not that none was free to lock at that moment.
 *
 * Waiting here closes no wait cycle. The caller holds its key's lock, perhaps
 * its pool-and-user lock, and the shard it charged (or every shard, in a
 * sweep), but no code. Whoever holds a code's lock is a batch, which never
 * waits, or a lone call past its claim, whose only step left is writing its
 * reward and its own code row: neither waits for anything the caller holds.
 * A holder that never ends (a connection left idle in its transaction) is
 * cut off by the statement_timeout (57014), and the activity's retry comes
 * again.
 *
 * A batch (`batched`) still never waits: its noCodes is not kept, and the
 * repository asks such a request again alone once the batch committed, where
 * this claim waits.
 */
const SKIP_LOCKED_CLAIM_FOUND_NOTHING = `       for update skip locked;
      if not found then
`;

const WAITING_CLAIM = `       for update skip locked;
      -- Codes locked by others still read as available here: wait for them, a batch excepted (it never waits).
      if not found and not p_batched then
        select c.code into v_code from coupon_codes c
         where c.pool_key = p_pool and c.state = 'available'
         order by c.seq limit 1
         for update;
      end if;
      if not found then
`;

export const ISSUE_REWARD_WAIT_FOR_CODE_FUNCTION = replaceOnce(ISSUE_REWARD_ANSWERS_FUNCTION, SKIP_LOCKED_CLAIM_FOUND_NOTHING, WAITING_CLAIM);

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)} in the function body`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
