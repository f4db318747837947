import { ISSUE_REWARDS_BATCH_FUNCTION } from './issue-rewards-batch.sql';
import { ISSUE_REWARD_NO_WAIT_FUNCTION } from './issue-reward-no-wait.sql';

/**
 * `kairos_issue_reward(p_request jsonb, p_sweep boolean)`, sixth version, and
 * `kairos_issue_rewards(p_requests jsonb)`, second version (migration
 * 1766850000000). Frozen with their migration: change them through a new one.
 *
 * The fifth version (issue-reward-no-wait.sql.ts) recognised a repeated key
 * only by its reward or its reclaim tombstone, so only `issued` was final. An
 * attempt that outlived its activity attempt (queued in a worker, or waiting
 * on a key lock inside a batch, while Temporal gave the next attempt the
 * 30 s timeout) could reach the key after the journey had been told
 * `exhausted` or `alreadyHolding`, and issue if budget or codes had come back
 * meanwhile: a reward the journey never knew of.
 *
 * Now every other answer the ledger judged (`exhausted`: perUserLimit,
 * budget, noCodes; `alreadyHolding`, with the held reward's id) is written to
 * `reward_answers` in the same transaction, under the same key lock, and the
 * key's probe reads it with the reward and the tombstone: a repeated key gets
 * its first answer back, read before anything is evaluated (for
 * alreadyHolding, the held reward's row as it is now).
 *
 * Not kept:
 * - the refusals (unknownPool, wrongPoolKind, wrongCurrency): an operator
 *   retries a held step once the pool is fixed, and that retry is judged
 *   afresh;
 * - `exhausted: reclaimed`: the tombstone is its record already;
 * - noCodes found in a batch: the batch asks such a request again alone
 *   (its claim skipped codes other calls held), and that answer is the one
 *   kept. The batch marks its requests `batched` for this.
 *
 * Rows older than 7 days are pruned by the retention job: by then no attempt
 * of the key is still running.
 */

/** Keeps the answer just set (o_outcome, o_detail; o_reward: the held reward, for alreadyHolding). */
const KEEP_ANSWER = `insert into reward_answers (idempotency_key, outcome, detail, reward_id)
           values (p_key, o_outcome, o_detail, (o_reward->>'id')::uuid);`;

const EDITS: ReadonlyArray<readonly [from: string, to: string]> = [
  [
    `  p_unless_holding boolean := (p_request->>'unlessHolding')::boolean;\n`,
    `  p_unless_holding boolean := (p_request->>'unlessHolding')::boolean;
  -- Set by kairos_issue_rewards: its noCodes is asked again alone, so it is not the key's answer.
  p_batched boolean := coalesce((p_request->>'batched')::boolean, false);
  -- The key's first answer other than issued (null: none kept).
  v_answered text;
  v_answered_detail text;
  v_answered_reward jsonb;\n`,
  ],
  [
    `         exists (select 1 from reward_reclaims c where c.idempotency_key = p_key),\n`,
    `         exists (select 1 from reward_reclaims c where c.idempotency_key = p_key),
         a.outcome, a.detail, (select to_jsonb(h) from rewards h where h.id = a.reward_id),\n`,
  ],
  [`    into o_reward, v_reclaimed, v_pool_key,`, `    into o_reward, v_reclaimed, v_answered, v_answered_detail, v_answered_reward, v_pool_key,`],
  [
    `    from (select) one\n    left join reward_pools p on p.key = p_pool;\n`,
    `    from (select) one
    left join reward_answers a on a.idempotency_key = p_key
    left join reward_pools p on p.key = p_pool;\n`,
  ],
  [
    `  if o_reward is not null then\n    o_outcome := 'issued'; return;\n  end if;\n`,
    `  if o_reward is not null then
    o_outcome := 'issued'; return;
  end if;
  -- Final once given, whatever came back since (budget, codes, the held coupon used).
  if v_answered is not null then
    o_outcome := v_answered; o_detail := v_answered_detail; o_reward := v_answered_reward; return;
  end if;\n`,
  ],
  [
    `o_outcome := 'alreadyHolding'; o_reward := to_jsonb(v_reward); return;`,
    `o_outcome := 'alreadyHolding'; o_reward := to_jsonb(v_reward);
          ${KEEP_ANSWER}
          return;`,
  ],
  [
    `o_outcome := 'exhausted'; o_detail := 'perUserLimit'; return;`,
    `o_outcome := 'exhausted'; o_detail := 'perUserLimit';
          ${KEEP_ANSWER}
          return;`,
  ],
  [
    `o_outcome := 'exhausted'; o_detail := 'budget'; return;`,
    `o_outcome := 'exhausted'; o_detail := 'budget';
          ${KEEP_ANSWER}
          return;`,
  ],
  [
    `o_outcome := 'exhausted'; o_detail := 'noCodes'; return;`,
    `o_outcome := 'exhausted'; o_detail := 'noCodes';
        if not p_batched then
          ${KEEP_ANSWER}
        end if;
        return;`,
  ],
];

export const ISSUE_REWARD_ANSWERS_FUNCTION = EDITS.reduce((body, [from, to]) => replaceOnce(body, from, to), ISSUE_REWARD_NO_WAIT_FUNCTION);

/** The batch's requests go marked `batched`; otherwise the first version. */
export const ISSUE_REWARDS_BATCH_ANSWERS_FUNCTION = replaceOnce(
  ISSUE_REWARDS_BATCH_FUNCTION,
  `kairos_issue_reward(v_item.request, false)`,
  `kairos_issue_reward(v_item.request || '{"batched": true}'::jsonb, false)`,
);

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)} in the function body`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
