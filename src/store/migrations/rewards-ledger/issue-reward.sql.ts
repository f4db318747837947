/** Budget rows per pool: more than the issues one pool sees at once, so a free one is usually found. */
export const BUDGET_SHARDS = 32;

/**
 * `kairos_issue_reward`: one idempotent issue, in one transaction and one
 * round trip. Frozen with its migration: change it through a new migration.
 *
 * Order of work, and why:
 *  1. An advisory lock on the idempotency key serializes issues and reclaims
 *     of the same key, so a reclaim can never miss an issue that is about to
 *     commit (and vice versa).
 *  2. An existing reward with the key is the answer (a retry, or a second
 *     attempt after a crash between commit and completion).
 *  3. A key reclaimed before it was issued stays unissued ('exhausted',
 *     detail 'reclaimed'): its cause was cancelled.
 *  4. The pool's settings are read without a lock: kind, currency, limit and
 *     validity never change after creation.
 *  5. unlessHolding and perUserLimit are checked under an advisory lock on
 *     (pool, user): one user's issues from one pool serialize, other users'
 *     do not wait.
 *  6. The budget is charged to one of the pool's BUDGET_SHARDS rows: the
 *     first, counting from the key's own, that no other issue has locked and
 *     that has room for the cost (FOR UPDATE SKIP LOCKED). One counter row
 *     would make every issue of a pool wait for the previous one's commit;
 *     this way concurrent issues lock different rows. When no free shard has
 *     room (the budget is nearly spent, or spread too thin), all shards are
 *     locked in order (so two such issues cannot deadlock), what is left is
 *     summed, and either it is less than the cost (exhausted, exactly) or it
 *     is spread again, the key's shard getting at least the cost. Row locks
 *     are held until commit, so no two issues spend the same room.
 *  7. A coupon code is taken with FOR UPDATE SKIP LOCKED: two transactions
 *     never hold the same code, and none waits for another's code.
 *  8. The reward is inserted ON CONFLICT DO NOTHING, then its code, its
 *     ledger entry and its shard's "used" are written.
 * Every early return happens before any write (a re-spread budget aside,
 * which changes no total).
 *
 * Outcomes: issued | alreadyHolding | exhausted (detail: reclaimed, perUserLimit,
 * budget, noCodes) | unknownPool | wrongPoolKind | wrongCurrency.
 */
export const ISSUE_REWARD_FUNCTION = `
create function kairos_issue_reward(
  p_key text, p_campaign text, p_version int, p_user text, p_step text, p_caused_by text[],
  p_kind text, p_amount numeric, p_currency text, p_pool text, p_unless_holding boolean,
  out o_outcome text, out o_detail text, out o_reward jsonb)
language plpgsql as $fn$
declare
  v_pool reward_pools%rowtype;
  v_reward rewards%rowtype;
  v_code text;
  v_cost numeric;
  v_held int;
  v_start int := abs(hashtextextended(p_key, 0) % ${BUDGET_SHARDS})::int;
  v_shard int;
  v_left numeric;
  v_share numeric;
begin
  perform pg_advisory_xact_lock(hashtextextended('kairos.reward:' || p_key, 0));

  select * into v_reward from rewards r where r.idempotency_key = p_key;
  if found then
    o_outcome := 'issued'; o_reward := to_jsonb(v_reward); return;
  end if;

  if exists (select 1 from reward_reclaims c where c.idempotency_key = p_key) then
    o_outcome := 'exhausted'; o_detail := 'reclaimed'; return;
  end if;

  if p_pool is null then
    if p_kind = 'coupon' then
      o_outcome := 'unknownPool'; o_detail := 'a coupon needs a pool'; return;
    end if;
  else
    select * into v_pool from reward_pools p where p.key = p_pool;
    if not found then
      o_outcome := 'unknownPool'; o_detail := format('no pool %s', p_pool); return;
    end if;
    if v_pool.kind <> p_kind then
      o_outcome := 'wrongPoolKind'; o_detail := format('pool %s is a %s pool, not %s', p_pool, v_pool.kind, p_kind); return;
    end if;
    if p_kind = 'credit' and v_pool.currency is not null and v_pool.currency <> p_currency then
      o_outcome := 'wrongCurrency'; o_detail := format('pool %s holds %s, not %s', p_pool, v_pool.currency, p_currency); return;
    end if;

    if p_unless_holding or v_pool.per_user_limit is not null then
      perform pg_advisory_xact_lock(hashtextextended('kairos.pool-user:' || p_pool || ':' || p_user, 0));
      if p_unless_holding then
        select * into v_reward from rewards r
         where r.pool_key = p_pool and r.user_id = p_user and r.status = 'issued'
           and (r.expires_at is null or r.expires_at > now())
         order by r.created_at desc limit 1;
        if found then
          o_outcome := 'alreadyHolding'; o_reward := to_jsonb(v_reward); return;
        end if;
      end if;
      if v_pool.per_user_limit is not null then
        -- A reclaimed reward gives its slot back, as it gives its budget back.
        select count(*) into v_held from rewards r
         where r.pool_key = p_pool and r.user_id = p_user and r.status <> 'reclaimed';
        if v_held >= v_pool.per_user_limit then
          o_outcome := 'exhausted'; o_detail := 'perUserLimit'; return;
        end if;
      end if;
    end if;

    v_cost := case when p_kind = 'coupon' then 1 else p_amount end;
    select s.shard into v_shard from pool_budget_shards s
     where s.pool_key = p_pool and (s.budget is null or s.used + v_cost <= s.budget)
     order by (s.shard - v_start + ${BUDGET_SHARDS}) % ${BUDGET_SHARDS}
     limit 1
     for update skip locked;
    if not found then
      if v_pool.budget is null then
        -- Unlimited and every shard busy: wait for the key's own.
        v_shard := v_start;
      else
        perform 1 from pool_budget_shards s where s.pool_key = p_pool order by s.shard for update;
        select sum(s.budget - s.used) into v_left from pool_budget_shards s where s.pool_key = p_pool;
        if v_left < v_cost then
          o_outcome := 'exhausted'; o_detail := 'budget'; return;
        end if;
        -- Truncated shares keep the total exact; the key's shard takes the rest, at least the cost.
        v_share := trunc((v_left - v_cost) / ${BUDGET_SHARDS}, 6);
        update pool_budget_shards s
           set budget = s.used + case when s.shard = v_start then v_left - ${BUDGET_SHARDS - 1} * v_share else v_share end
         where s.pool_key = p_pool;
        v_shard := v_start;
      end if;
    end if;

    if p_kind = 'coupon' then
      select c.code into v_code from coupon_codes c
       where c.pool_key = p_pool and c.state = 'available'
       order by c.seq limit 1
       for update skip locked;
      if not found then
        o_outcome := 'exhausted'; o_detail := 'noCodes'; return;
      end if;
    end if;
  end if;

  insert into rewards (idempotency_key, campaign_key, campaign_version, user_id, step_id, kind,
                       amount, currency, code, pool_key, budget_shard, caused_by, expires_at)
  values (p_key, p_campaign, p_version, p_user, p_step, p_kind,
          case when p_kind = 'coupon' then null else p_amount end,
          case when p_kind = 'credit' then p_currency end,
          v_code, p_pool, v_shard, coalesce(p_caused_by, '{}'),
          case when v_pool.valid_for is not null then now() + v_pool.valid_for end)
  on conflict (idempotency_key) do nothing
  returning * into v_reward;
  if not found then
    -- Unreachable under the advisory lock; kept so that even then nothing is spent twice.
    select * into v_reward from rewards r where r.idempotency_key = p_key;
    o_outcome := 'issued'; o_reward := to_jsonb(v_reward); return;
  end if;

  if p_kind = 'coupon' then
    update coupon_codes c set state = 'issued', reward_id = v_reward.id
     where c.pool_key = p_pool and c.code = v_code;
  elsif p_kind = 'points' then
    insert into points_entries (reward_id, user_id, delta, reason) values (v_reward.id, p_user, p_amount, 'issue');
  else
    insert into credit_entries (reward_id, user_id, delta, currency, reason) values (v_reward.id, p_user, p_amount, p_currency, 'issue');
  end if;
  if p_pool is not null then
    update pool_budget_shards s set used = s.used + v_cost where s.pool_key = p_pool and s.shard = v_shard;
  end if;

  o_outcome := 'issued'; o_reward := to_jsonb(v_reward);
end
$fn$`;
