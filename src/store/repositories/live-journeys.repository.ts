import type { DataSource } from 'typeorm';
import { notAnEndState } from './end-state-sql';

export interface LiveJourney {
  userId: string;
  workflowId: string;
  version: number;
  /** A state the journey has a path in now. */
  state: string;
  /** When the latest arrival into that state was logged. */
  since: string;
}

/**
 * Each waiting state of each version (the definition's states that are not
 * end states; `(exited)` is none of them) is probed for its latest `limit`
 * arrivals by index (migration 1766000000000), then the newest `limit` of
 * those: the cost follows the states, not every journey that ever ended
 * (end states and `(exited)` keep their positions for good). $1 the
 * campaign, $2 the limit. Exported for the test that reads its plan.
 */
export const LIVE_JOURNEYS_SQL = `
  select p.user_id, p.workflow_id, p.campaign_version as version, p.state, p.since
    from campaign_versions v
    cross join lateral jsonb_object_keys(case when jsonb_typeof(v.definition -> 'states') = 'object' then v.definition -> 'states' else '{}'::jsonb end) as s(state)
    cross join lateral (
      select w.user_id, w.workflow_id, w.campaign_version, w.state, w.since
        from journey_positions w
       where w.campaign_key = $1 and w.campaign_version = v.version and w.state = s.state and w.paths > 0 and w.since is not null
       order by w.since desc, w.user_id
       limit $2
    ) p
   where v.campaign_key = $1 and ${notAnEndState('v', 's.state')}
   order by p.since desc, p.user_id, p.state
   limit $2`;

/**
 * Journeys of a campaign with a path in a waiting state now, from the
 * positions kept with the journey log (migration 1765200000000), the ones
 * the funnel's `current` counts (end states and `(exited)` left out), so
 * the list agrees with the counts on the campaign page. Latest arrivals
 * first. A position with no arrival time (a departure taken back by a
 * rewrite whose arrival a worker from before the counters never counted)
 * is left out: it has no `since` to show, and waits for `funnel:rebuild`.
 */
export class LiveJourneysRepository {
  constructor(private readonly ds: DataSource) {}

  async live(key: string, limit: number): Promise<LiveJourney[]> {
    const rows: Array<{ user_id: string; workflow_id: string; version: number; state: string; since: Date }> = await this.ds.query(LIVE_JOURNEYS_SQL, [key, limit]);
    return rows.map((r) => ({ userId: r.user_id, workflowId: r.workflow_id, version: r.version, state: r.state, since: r.since.toISOString() }));
  }
}
