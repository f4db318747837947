import { ISSUE_REWARD_LEAN_FUNCTION } from './issue-reward-lean.sql';

/** The end of the probe in the fourth version: only a budgeted pool gave up there; an unlimited one went on to wait. */
const PROBE_GIVES_UP = '      if v_shard is null and v_pool_budget is not null then\n';

/**
 * `kairos_issue_reward(p_request jsonb, p_sweep boolean)`, fifth version
 * (migration 1765900000000). Frozen with its migration: change it through a
 * new migration.
 *
 * The fourth version (issue-reward-lean.sql.ts) with one change: a call
 * without `p_sweep` never waits for a shard. When its probe finds every
 * shard of an unlimited pool locked by others, it raises KR003 as it
 * already did for a budgeted pool, instead of waiting for the key's own
 * shard. A lone caller then calls again with `p_sweep`, holding nothing,
 * and waits there; a batch (kairos_issue_rewards, which never sweeps) rolls
 * back and issues each request alone. Before, a batch that held shards it
 * had charged waited for another shard, and two batches of one busy
 * unlimited pool could wait for each other: a deadlock PostgreSQL broke
 * after a second, and the deadlock alert's ticket.
 */
export const ISSUE_REWARD_NO_WAIT_FUNCTION = replaceOnce(ISSUE_REWARD_LEAN_FUNCTION, PROBE_GIVES_UP, '      if v_shard is null then\n');

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)} in the function body`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
