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
 *  4. The pool row is locked FOR UPDATE: budget, per-user limit and
 *     unlessHolding are checked while no other issue of the pool can commit.
 *  5. A coupon code is taken with FOR UPDATE SKIP LOCKED: two transactions
 *     never hold the same code.
 *  6. The reward is inserted ON CONFLICT DO NOTHING and only then are code,
 *     budget and entries written, so nothing is spent twice.
 * Every early return happens before any write.
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
    select * into v_pool from reward_pools p where p.key = p_pool for update;
    if not found then
      o_outcome := 'unknownPool'; o_detail := format('no pool %s', p_pool); return;
    end if;
    if v_pool.kind <> p_kind then
      o_outcome := 'wrongPoolKind'; o_detail := format('pool %s is a %s pool, not %s', p_pool, v_pool.kind, p_kind); return;
    end if;
    if p_kind = 'credit' and v_pool.currency is not null and v_pool.currency <> p_currency then
      o_outcome := 'wrongCurrency'; o_detail := format('pool %s holds %s, not %s', p_pool, v_pool.currency, p_currency); return;
    end if;

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

    v_cost := case when p_kind = 'coupon' then 1 else p_amount end;
    if v_pool.budget is not null and v_pool.used + v_cost > v_pool.budget then
      o_outcome := 'exhausted'; o_detail := 'budget'; return;
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
                       amount, currency, code, pool_key, caused_by, expires_at)
  values (p_key, p_campaign, p_version, p_user, p_step, p_kind,
          case when p_kind = 'coupon' then null else p_amount end,
          case when p_kind = 'credit' then p_currency end,
          v_code, p_pool, coalesce(p_caused_by, '{}'),
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
    update reward_pools p set used = p.used + v_cost, updated_at = now() where p.key = p_pool;
  end if;

  o_outcome := 'issued'; o_reward := to_jsonb(v_reward);
end
$fn$`;
