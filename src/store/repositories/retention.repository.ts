import type { DataSource } from 'typeorm';
import { EXITED_STATE } from '../../domain/machine';
import { anEndState, notAnEndState } from './end-state-sql';

/** Where a walk over old rows stopped: the (time, id) of the last row looked at. */
export interface PruneCursor {
  at: string;
  id: string;
}

/** One old row that may be pruned unless a journey that saw its event is still running. */
export interface PruneCandidate {
  id: string;
  at: string;
  /** Journeys the row's event went to; a running one keeps the row (a cancel must still reach it). */
  workflowIds: string[];
  /** Kept whatever the journeys do: an undelivered delivery, or a reward a cancel could still reclaim. */
  pinned: boolean;
}

/** A message or webhook call left unfinished, with the journey that made it (null when the row names none). */
export interface UnfinishedDispatch {
  id: string;
  at: string;
  journey: { campaignKey: string; userId: string } | null;
}

/** A journey whose every run has closed, and what of its positions may be taken out of the funnel (strandedPositions). */
export interface ClosedJourney {
  workflowId: string;
  /**
   * Only positions whose latest arrival is at or before this are taken out: when its last run closed (a run
   * started since, by the user's next event, arrives later), or for a journey Temporal no longer knows, a time
   * the caller chose well before it asked.
   */
  arrivedBy: Date;
}

/**
 * A position the funnel counts in `current` (a waiting state: not an end
 * state of its version, nor `(exited)`), with `p` the journey_positions row,
 * `v` its version's campaign_versions row and `exited` the parameter holding
 * `(exited)`.
 */
const waitingPosition = (exited: string) => `p.paths > 0 and p.state <> ${exited} and ${notAnEndState('v', 'p.state')}`;

/** A candidate as the candidate statements select it (`at` as text, ids of either table as text). */
interface CandidateRow {
  id: string;
  at: string;
  workflow_ids: string[] | null;
  pinned: boolean;
}

/** Days the ledger keeps a key's answer other than a reward (reward_answers). */
export const REWARD_ANSWER_DAYS = 7;

/** A message or webhook call no attempt is sending: none holds its claim (an attempt records its outcome on the row). */
const UNCLAIMED = '(claimed_until is null or claimed_until < now())';

/** What the driver answers a DELETE with: no rows, and the count. */
type DeleteAnswer = [unknown[], number];

/**
 * How long a retention statement may run when the caller sets no bound of
 * its own: below the retention activity's startToClose (2 minutes), so a
 * statement never outlives the attempt that started it, whatever
 * DATABASE_STATEMENT_TIMEOUT_MS says (up to an hour, or none).
 */
export const RETENTION_STATEMENT_MS = 90_000;

/**
 * The transaction's statement_timeout: the bound given ($1, ms), or the
 * session's (DATABASE_STATEMENT_TIMEOUT_MS) when that is shorter; 0 (none)
 * is not shorter. pg_settings reads it in ms, the transaction's own if set.
 */
const BOUND_STATEMENTS = `select set_config('statement_timeout', (case when s.setting::bigint between 1 and $1::bigint then s.setting::bigint else $1::bigint end)::text, true)
  from pg_settings s where s.name = 'statement_timeout'`;

/** One statement of a bounded transaction (RetentionRepository.bounded). */
type BoundedQuery = <T = unknown>(sql: string, params?: unknown[]) => Promise<T>;

/** A retention statement was not started: its attempt's time is up (statementMs at or below 0). */
export class RetentionOutOfTimeError extends Error {
  constructor() {
    super("the retention batch's attempt is out of time: no statement is started that could outlive it (a later attempt goes on)");
    this.name = 'RetentionOutOfTimeError';
  }
}

/** A reward caused (in part) by the event and not yet reclaimed: POST /v1/events/:id/cancel must still find it. */
const RECLAIMABLE_REWARD = (eventId: string) =>
  `exists (select 1 from rewards r where r.caused_by @> array[${eventId}] and r.status in ('issued', 'redeemed'))`;

/**
 * A cancel of the event not yet finished (`events.cancel_unfinished_since`):
 * the cancel finisher reads the event and its deliveries to tell the journeys
 * again, and a sender whose send was in flight when the cancel came finds the
 * cancel through the event. Among these: a cancel that closed a delivery a
 * sender still held, which stays unfinished until that send has settled.
 */
const UNFINISHED_CANCEL = (event: string) => `${event}.cancel_unfinished_since is not null`;

/**
 * A delivery not yet sent, or sent (or closed) so recently that its journey
 * may not show as running yet: visibility trails a start by about a second,
 * and a running journey is what keeps the event for a cancel. Five minutes is
 * far past that lag.
 */
const UNSETTLED_DELIVERY = (eventId: string) =>
  `exists (select 1 from signal_outbox o where o.event_id = ${eventId} and (o.delivered_at is null or o.delivered_at > now() - interval '5 minutes'))`;

/** Why an event is kept whatever its journeys do (candidates and the re-check under the delete say the same). */
const EVENT_PINNED = `(${UNSETTLED_DELIVERY('e.id')} or ${RECLAIMABLE_REWARD('e.id')} or ${UNFINISHED_CANCEL('e')})`;

const toCandidate = (r: CandidateRow): PruneCandidate => ({
  id: String(r.id),
  // As text: full microseconds, so a cursor never falls before the row it names.
  at: r.at,
  workflowIds: r.workflow_ids ?? [],
  pinned: r.pinned,
});

/**
 * The retention job's reads and deletes (docs/operations.md, "Retention"). Every call
 * touches at most `limit` rows in one short statement or transaction, so a
 * prune never holds many locks or a long transaction. What is never deleted:
 * undelivered deliveries and their events, events with a reclaimable reward
 * or an unfinished cancel (and their deliveries), events delivered in the
 * last minutes, the rewards ledger (but for the answers it keeps a week,
 * below), and the journey log's rows a journey may still need: those of a
 * path that has not ended, and each journey's latest row (pruneJourneyLog).
 */
export class RetentionRepository {
  /**
   * `statementMs`: how long the next statement of a prune may run, asked
   * before each one (the retention activity answers what is left of its
   * attempt); RETENTION_STATEMENT_MS unless given. The prunes' statements run
   * with that statement_timeout (or the session's, when shorter), so none
   * outlives the activity attempt that started it: a retry never runs the
   * same heavy statement beside the one before it, waiting on its locks.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly statementMs: () => number = () => RETENTION_STATEMENT_MS,
  ) {}

  /**
   * `work` in one transaction whose every statement is bounded by
   * statementMs (BOUND_STATEMENTS, set again before each, as the time left
   * shrinks). Refuses to start a statement once no time is left.
   */
  private bounded<T>(work: (query: BoundedQuery) => Promise<T>): Promise<T> {
    return this.ds.transaction((tx) =>
      work(async <R>(sql: string, params?: unknown[]): Promise<R> => {
        const ms = Math.floor(this.statementMs());
        if (!(ms >= 1)) throw new RetentionOutOfTimeError();
        await tx.query(BOUND_STATEMENTS, [ms]);
        return (await tx.query(sql, params)) as R;
      }),
    );
  }

  /** One bounded statement (see bounded). */
  private query<T = unknown>(sql: string, params?: unknown[]): Promise<T> {
    return this.bounded((query) => query<T>(sql, params));
  }

  /** Records that a pass pruned `kind` to its end now. */
  async markDone(kind: string): Promise<void> {
    await this.query(`insert into retention_done (kind, done_at) values ($1, now()) on conflict (kind) do update set done_at = excluded.done_at`, [kind]);
  }

  /**
   * Forgets when `kinds` were last pruned to their end: kinds whose window is
   * 0, which no pass prunes (or marks) again, so their last mark would read
   * as a pass stalled on them. Returns how many marks went.
   */
  async forgetDone(kinds: readonly string[]): Promise<number> {
    if (kinds.length === 0) return 0;
    const [, count]: DeleteAnswer = await this.ds.query(`delete from retention_done where kind = any($1::text[])`, [kinds]);
    return count;
  }

  /**
   * Gives each of `kinds` (those a pass prunes) a mark of now unless it has
   * one: from then on KairosRetentionStalled can fire for a pass that never
   * prunes the kind to its end. An existing mark keeps its time. Returns how
   * many marks were added.
   */
  async baselineDone(kinds: readonly string[]): Promise<number> {
    if (kinds.length === 0) return 0;
    const added: unknown[] = await this.ds.query(
      `insert into retention_done (kind, done_at) select k, now() from unnest($1::text[]) k on conflict (kind) do nothing returning kind`,
      [kinds],
    );
    return added.length;
  }

  /**
   * Up to `limit` of the ledger's kept answers (`reward_answers`: a key's
   * exhausted or alreadyHolding) older than REWARD_ANSWER_DAYS, oldest first;
   * returns how many went. A kept answer is for attempts of its key still
   * running when the journey got its answer, whose statements end within the
   * database's statement timeout: a week is far past them.
   */
  async pruneRewardAnswers(limit: number): Promise<number> {
    const [, count] = await this.query<DeleteAnswer>(
      `delete from reward_answers where idempotency_key in (
         select idempotency_key from reward_answers where answered_at < now() - make_interval(days => $1) order by answered_at limit $2)`,
      [REWARD_ANSWER_DAYS, limit],
    );
    return count;
  }

  /** When each kind was last pruned to its end (unix seconds); kinds never finished are absent. */
  async lastDone(): Promise<Array<{ kind: string; seconds: number }>> {
    const rows: Array<{ kind: string; seconds: number }> = await this.ds.query(`select kind, extract(epoch from done_at)::float8 as seconds from retention_done order by kind`);
    return rows;
  }

  /**
   * Delivered (or closed) deliveries older than `cutoff`, oldest first, after
   * `after`. Those of an event whose cancel is unfinished are pinned: the
   * finisher tells the journeys it finds in them.
   */
  async deliveryCandidates(cutoff: Date, after: PruneCursor | null, limit: number): Promise<PruneCandidate[]> {
    const rows = await this.query<CandidateRow[]>(
      `select o.id, o.delivered_at::text as at, array[o.workflow_id] as workflow_ids,
              ${RECLAIMABLE_REWARD('o.event_id')} or exists (select 1 from events e where e.id = o.event_id and ${UNFINISHED_CANCEL('e')}) as pinned
         from signal_outbox o
        where o.delivered_at is not null and o.delivered_at < $1
          and (o.delivered_at, o.id) > ($2::timestamptz, $3::bigint)
        order by o.delivered_at, o.id
        limit $4`,
      [cutoff, after?.at ?? '-infinity', after?.id ?? '0', limit],
    );
    return rows.map(toCandidate);
  }

  async deleteDeliveries(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const [, count] = await this.query<DeleteAnswer>(
      `delete from signal_outbox o where o.id = any($1::bigint[]) and o.delivered_at is not null
          and not exists (select 1 from events e where e.id = o.event_id and ${UNFINISHED_CANCEL('e')})`,
      [ids],
    );
    return count;
  }

  /** Events received before `cutoff`, oldest first, after `after`. */
  async eventCandidates(cutoff: Date, after: PruneCursor | null, limit: number): Promise<PruneCandidate[]> {
    const rows = await this.query<CandidateRow[]>(
      `select e.id, e.received_at::text as at,
              (select array_agg(distinct o.workflow_id) from signal_outbox o where o.event_id = e.id) as workflow_ids,
              ${EVENT_PINNED} as pinned
         from events e
        where e.received_at < $1 and (e.received_at, e.id) > ($2::timestamptz, $3::text)
        order by e.received_at, e.id
        limit $4`,
      [cutoff, after?.at ?? '-infinity', after?.id ?? '', limit],
    );
    return rows.map(toCandidate);
  }

  /**
   * Deletes the events with their delivered deliveries, in one transaction.
   * The events are locked first, as a cancel locks its event: a cancel then
   * either ran before the re-check, which sees it, or waits and finds the
   * event gone (404). The conditions are checked again in a statement after
   * the lock (a fresh snapshot), so an event that gained a pending delivery,
   * a reward or an unfinished cancel since it was read stays.
   * Answers both counts: the deliveries that go with their events are pruned
   * rows too (all of them, with RETENTION_DELIVERIES_DAYS=0), and are
   * reported as such.
   */
  async deleteEvents(ids: readonly string[]): Promise<{ events: number; deliveries: number }> {
    if (ids.length === 0) return { events: 0, deliveries: 0 };
    return this.bounded(async (query) => {
      await query(`select id from events where id = any($1::text[]) order by id for update`, [ids]);
      const kept = await query<Array<{ id: string }>>(`select e.id from events e where e.id = any($1::text[]) and ${EVENT_PINNED}`, [ids]);
      const keep = new Set(kept.map((r) => r.id));
      const gone = ids.filter((id) => !keep.has(id));
      if (gone.length === 0) return { events: 0, deliveries: 0 };
      const [, deliveries] = await query<DeleteAnswer>(`delete from signal_outbox where event_id = any($1::text[])`, [gone]);
      const [, events] = await query<DeleteAnswer>(`delete from events where id = any($1::text[])`, [gone]);
      return { events, deliveries };
    });
  }

  /**
   * Messages or webhook calls left unfinished (`pending`, `retrying`) created
   * before `cutoff`, oldest first, after `after`, each with the journey that
   * made it (null for a row that names none): nothing but that journey would
   * ever finish it, so it may go once the journey no longer runs. A row an
   * attempt is sending (it holds the row's claim) is not one: the attempt
   * runs on after its journey was terminated, and records its outcome on the
   * row; it goes with a later pass once its claim has lapsed.
   */
  async unfinishedDispatchCandidates(table: 'messages' | 'webhook_calls', cutoff: Date, after: PruneCursor | null, limit: number): Promise<UnfinishedDispatch[]> {
    const rows = await this.query<Array<{ id: string; at: string; campaign_key: string | null; user_id: string | null }>>(
      `select id::text, created_at::text as at, campaign_key, user_id from ${table}
        where status in ('pending', 'retrying') and created_at < $1 and ${UNCLAIMED}
          and (created_at, id) > ($2::timestamptz, $3::bigint)
        order by created_at, id
        limit $4`,
      [cutoff, after?.at ?? '-infinity', after?.id ?? '0', limit],
    );
    return rows.map((r) => ({ id: r.id, at: r.at, journey: r.campaign_key !== null && r.user_id !== null ? { campaignKey: r.campaign_key, userId: r.user_id } : null }));
  }

  /**
   * Unfinished rows by id, checked again under the delete: one that was finished meanwhile is a final row, pruned by
   * its own rule, and one an attempt claimed meanwhile stays until its claim has lapsed.
   */
  async deleteUnfinishedDispatches(table: 'messages' | 'webhook_calls', ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const [, count] = await this.query<DeleteAnswer>(`delete from ${table} where id = any($1::bigint[]) and status in ('pending', 'retrying') and ${UNCLAIMED}`, [ids]);
    return count;
  }

  /**
   * Messages or webhook calls that reached their final status before
   * `cutoff`: at most `limit`, oldest written first. The window runs from when the
   * row was sent, stored or rejected (`updated_at`, set with the status), not
   * from when it was written: a held step retried months later sends the
   * row it wrote then, and that send is what a dispute asks about. A row
   * an attempt has claimed (an operator's retry of a rejected one, sending
   * now) stays until that attempt records its outcome.
   */
  async pruneDispatches(table: 'messages' | 'webhook_calls', cutoff: Date, limit: number): Promise<number> {
    const final = table === 'messages' ? `('sent', 'rejected', 'stored')` : `('sent', 'rejected')`;
    const expired = `status in ${final} and updated_at < $1 and ${UNCLAIMED}`;
    // created_at < cutoff adds nothing (a row is finished after it is written) but walks the final rows' index,
    // (created_at, id), past the few sent late, where an order by updated_at would need an index of its own. The
    // delete checks again what a claim or a retry may have changed since the select read the row.
    const [, count] = await this.query<DeleteAnswer>(
      `delete from ${table} where id in (
         select id from ${table} where created_at < $1 and ${expired} order by created_at, id limit $2)
         and ${expired}`,
      [cutoff, limit],
    );
    return count;
  }

  /**
   * One batch of the journey log's prune: looks at the next `limit` moves
   * older than `cutoff` after `after`, oldest first. Two rules, on rows no
   * window keeps a journey from needing: whole ended paths go, and moves a
   * later move leaves are folded into it.
   *
   * A path that has ended goes whole, its entry included, once its last move
   * (into an end state of its version, or into `(exited)`) is older than
   * `cutoff`, so all its rows are, and the journey has a later row: so each
   * journey's latest row stays (its current state), with its path. Such a
   * path says where nobody is now, and its entry no longer counts: caps,
   * cooldowns and entry numbers read journey_entries, which is never pruned.
   * The funnel's figures are kept apart (funnel_counters, journey_positions),
   * so they do not change; intervals pair arrivals within a path, so one
   * timed from a visit in the window never pairs with a pruned path's row.
   * A path keeps the fold's rule instead when its journey's first entry was
   * logged without its path (before paths were), or a row in its span of the
   * journey's rows was (by an older worker, during an upgrade): intervals
   * pair such rows with any path's, and deleting a path whole could time one
   * from another visit. (Rows an older worker logged between two paths are
   * not looked for: that would walk the journey's rows back to its start,
   * deleted ones included, in every batch.) A path costs a few probes by key
   * (its entry is the log row of the journey_entries row its id names,
   * `p<n>`) and a walk over its span, in a serial journey its own rows.
   *
   * The funnel counts who is in a state now as arrivals minus departures per
   * journey and state, so a pruned move A → B must not leave A's arrival
   * without its departure. It goes only when a later move leaves B in the
   * same journey (B → C), and that move is folded to A → C: each state's
   * arrivals minus departures stay as they were. The arrival in B goes with
   * it, and with it what intervals timed from or to it: the folded move
   * keeps the states whose arrivals went before it (`pruned_arrivals`,
   * those of earlier folds into the moves that go included), so intervals
   * leave out a pair across the fold rather than time it from an earlier
   * visit (analytics.repository.ts). B → C is the same path's
   * when the log knows paths (a parallel journey's other path may leave B
   * first; intervals time each path on its own). B → C must itself be older
   * than `cutoff`: a journey may write a recent move again (a retried log
   * write wins, transitions.repository.ts), and would take the fold for a
   * change. A move into an end state is left only by an exit (an end state
   * has no transitions), so its next move is looked for among the journey's
   * moves into `(exited)` alone, and a move into `(exited)` has none: a
   * journey with many ended paths costs a probe per move, not a walk over
   * its later moves. A move with no such later move stays unless its path
   * goes whole.
   *
   * A journey's prunable moves that follow on one from the next (A → B,
   * B → A, A → B, ... each the next one's earlier move) fold as one chain: all
   * go, and the move after the last takes the first one's from-state, so a
   * journey looping between two states for a long while costs a batch per
   * `limit` of its moves, not one per move. Each path of a parallel journey
   * chains on its own (a journey with moves logged before paths were, as
   * one line, as is a journey whose moves' next moves include one without a
   * path: such a move may follow any path's). A chain ends at the first move
   * of its line that does not follow on, which is left for the next batch,
   * so no two folds meet: a line has one chain, and a chain's next move is of
   * its own path when its line is a path. A move of a path that goes whole,
   * or whose next move is one, folds into nothing: one statement must not
   * both update and delete a row. The cursor returned stops
   * just before the first move left so, else at the last move looked at: the
   * moves before it went or have no old next move, and the next batch does
   * not look at them again. A move that gains an old next move later, and a
   * journey's latest path once the journey has moved on, are taken by the
   * next pass, which starts from the oldest row again: what it walks past is
   * what stays, about a row for each journey idle for longer than the window
   * and for each path waiting in a state that long.
   */
  async pruneJourneyLog(cutoff: Date, after: PruneCursor | null, limit: number): Promise<{ deleted: number; after: PruneCursor | null; done: boolean }> {
    const [row] = await this.query<Array<{ deleted: number; looked: number; left_some: boolean; at: string | null; id: string | null }>>(
      `with looked as (
         select t.id, t.workflow_id, t.campaign_key, t.user_id, t.path_id, t.from_state, t.to_state, t.pruned_arrivals, t.at,
                coalesce(next.id, next_exit.id) as next_id, coalesce(next.path_id, next_exit.path_id) as next_path_id,
                t.to_state = $5 or ${anEndState('v', 't.to_state')} as ends_path
           from journey_transitions t
           left join campaign_versions v on v.campaign_key = t.campaign_key and v.version = t.campaign_version
           left join lateral (select l.id, l.path_id from journey_transitions l
                               where t.to_state <> $5 and not (${anEndState('v', 't.to_state')})
                                 and l.workflow_id = t.workflow_id and l.from_state = t.to_state and (l.at, l.id) > (t.at, t.id) and l.at < $1
                                 and (t.path_id is null or l.path_id is null or l.path_id = t.path_id)
                               order by l.at, l.id limit 1) next on true
           -- Out of an end state only an exit moves (journey_transitions_workflow_state_idx, over the journey's exits).
           left join lateral (select l.id, l.path_id from journey_transitions l
                               where ${anEndState('v', 't.to_state')}
                                 and l.workflow_id = t.workflow_id and l.to_state = $5 and l.from_state = t.to_state and (l.at, l.id) > (t.at, t.id) and l.at < $1
                                 and (t.path_id is null or l.path_id is null or l.path_id = t.path_id)
                               order by l.at, l.id limit 1) next_exit on true
          where t.from_state is not null and t.at < $1 and (t.at, t.id) > ($2::timestamptz, $3::bigint)
          order by t.at, t.id
          limit $4
       ), ended as (
         -- Paths' last moves, into an end state or (exited), older than the cutoff, of journeys that have a later row.
         select k.id, k.workflow_id, k.campaign_key, k.user_id, k.path_id, k.at
           from looked k
          where k.ends_path and k.path_id is not null and k.next_id is null
            -- An exit may still take a path out of its end state (while the state's actions run): then the exit is its last move.
            and not exists (select 1 from journey_transitions x
                             where x.workflow_id = k.workflow_id and x.to_state = $5 and x.path_id = k.path_id and (x.at, x.id) > (k.at, k.id))
            and exists (select 1 from journey_transitions l where l.workflow_id = k.workflow_id and (l.at, l.id) > (k.at, k.id))
            -- Not in a journey whose first entry was logged without its path (before paths were). Both by key.
            and not exists (select 1 from journey_transitions f
                             where f.idempotency_key = (select j.transition_key from journey_entries j
                                                         where j.campaign_key = k.campaign_key and j.user_id = k.user_id and j.entry_no = 1)
                               and f.path_id is null)
       ), gone_paths as materialized (
         -- From each path's entry to its last move. A path's id names its entry (p<n>: the journey's n-th, as
         -- journey_entries numbers it), found by key; a row that is not that path's entry before the move keeps the path.
         select e.workflow_id, e.path_id, e.at, e.id, s.at as start_at, s.id as start_id
           from ended e
           cross join lateral (select s.at, s.id from journey_transitions s
                                where s.idempotency_key = (select j.transition_key from journey_entries j
                                                            where j.campaign_key = e.campaign_key and j.user_id = e.user_id
                                                              and j.entry_no = case when e.path_id ~ '^p[1-9][0-9]{0,8}$' then substr(e.path_id, 2)::int end)
                                  and s.workflow_id = e.workflow_id and s.path_id = e.path_id and s.from_state is null and (s.at, s.id) < (e.at, e.id)
                                limit 1) s
       ), spans as (
         -- Each path's span of its journey's rows: in a serial journey its own rows, in a parallel one theirs and
         -- those of the paths beside it. A row there logged without its path (an older worker's, during an
         -- upgrade) keeps the path.
         select g.workflow_id, g.path_id, bool_or(r.path_id is null) as unpathed, array_agg(r.id) filter (where r.path_id = g.path_id) as ids
           from gone_paths g
           cross join lateral (select r.id, r.path_id from journey_transitions r
                                where r.workflow_id = g.workflow_id and r.at between g.start_at and g.at
                                  and (r.at, r.id) >= (g.start_at, g.start_id) and (r.at, r.id) <= (g.at, g.id)) r
          group by g.workflow_id, g.path_id
       ), gone as (
         select unnest(ids) as id from spans where not unpathed
       ), lines as (
         -- Each path of a journey chains on its own; a journey with a move logged without its path (before paths
         -- were, or by an older worker during an upgrade) among these or their next moves, as one line: such a
         -- next move may follow any path's, and two paths' chains must not fold into it.
         select l.*,
                l.workflow_id || case when bool_or(l.path_id is null or l.next_path_id is null) over (partition by l.workflow_id) then '' else ':' || l.path_id end as line
           from looked l
          where l.next_id is not null and not exists (select 1 from gone g where g.id = l.id or g.id = l.next_id)
       ), candidates as (
         select id, line, from_state, to_state, pruned_arrivals, at, next_id, row_number() over w as nth, lag(next_id) over w as previous_next
           from lines
         window w as (partition by line order by at, id)
       ), chain_end as (
         -- Per line, the first move that does not follow on from the one before it.
         select line, min(nth) as nth from candidates where nth > 1 and previous_next is distinct from id group by line
       ), pruned as (
         select c.id, c.line, c.from_state, c.to_state, c.pruned_arrivals, c.next_id, c.nth from candidates c left join chain_end e using (line)
          where e.nth is null or c.nth < e.nth
       ), chains as (
         -- The move after a chain's last takes its first move's from-state.
         select distinct on (p.line) p.line, p.next_id as last_next, h.from_state as head_from
           from pruned p join pruned h on h.line = p.line and h.nth = 1
          order by p.line, p.nth desc
       ), traces as (
         -- The states whose arrivals a chain's fold deletes: its moves', and those earlier folds had deleted before them.
         select p.line, array_agg(distinct s) as states
           from pruned p cross join lateral unnest(array[p.to_state] || coalesce(p.pruned_arrivals, '{}')) s
          group by p.line
       ), first_left as (
         select c.at, c.id from candidates c where not exists (select 1 from pruned p where p.id = c.id) order by c.at, c.id limit 1
       ), resume as (
         select k.at, k.id from looked k where not exists (select 1 from first_left f where (k.at, k.id) >= (f.at, f.id)) order by k.at desc, k.id desc limit 1
       ), folded as (
         update journey_transitions l
            set from_state = c.head_from,
                pruned_arrivals = array(select distinct s from unnest(coalesce(l.pruned_arrivals, '{}') || t.states) s order by s)
           from chains c join traces t using (line)
          where l.id = c.last_next
         returning l.id
       ), deleted as (
         delete from journey_transitions t using (select id from pruned union all select id from gone) p where t.id = p.id returning t.id
       )
       select (select count(*)::int from deleted) as deleted, (select count(*)::int from looked) as looked,
              exists (select 1 from first_left) as left_some, (select at::text from resume) as at, (select id::text from resume) as id`,
      [cutoff, after?.at ?? '-infinity', after?.id ?? '0', limit, EXITED_STATE],
    );
    return {
      deleted: row.deleted,
      // As text: full microseconds, so the cursor never falls before the row it names.
      after: row.at !== null && row.id !== null ? { at: row.at, id: row.id } : after,
      done: row.looked < limit && !row.left_some,
    };
  }

  /**
   * The next `limit` journeys of journey_positions in workflow id order after
   * `after`, and which of them have a path in a waiting state as the funnel
   * counts it: those the funnel's `current` and the live journeys list show.
   * Walked by the table's key, `limit` journeys a statement whatever they
   * hold: a walk that skipped to the next waiting journey would read through
   * every ended journey before it (millions, for a campaign long over) in one
   * statement, past its timeout, and stall the pass for good.
   */
  async waitingJourneys(after: string, limit: number): Promise<{ waiting: string[]; scanned: number; last: string | null }> {
    const rows = await this.query<Array<{ workflow_id: string; waiting: boolean }>>(
      `with scanned as (
         select workflow_id from journey_positions where workflow_id > $1
          group by workflow_id order by workflow_id limit $2)
       select s.workflow_id, coalesce(bool_or(${waitingPosition('$3')}), false) as waiting
         from scanned s
         join journey_positions p on p.workflow_id = s.workflow_id
         left join campaign_versions v on v.campaign_key = p.campaign_key and v.version = p.campaign_version
        group by s.workflow_id
        order by s.workflow_id`,
      [after, limit, EXITED_STATE],
    );
    return { waiting: rows.filter((r) => r.waiting).map((r) => r.workflow_id), scanned: rows.length, last: rows.at(-1)?.workflow_id ?? null };
  }

  /**
   * Takes closed journeys out of the funnel: their positions in waiting
   * states go to 0 paths, and the `current` counters drop with them, as the
   * log write keeps both (transitions.repository.ts): a journey terminated,
   * failed or timed out while waiting never logs its way out. Only positions
   * whose latest arrival is at or before the journey's `arrivedBy`: a new run
   * of the same id (the user's next event) that has arrived since keeps its
   * own. The positions are locked first, in the log write's order (journey,
   * version, state), and checked again under the lock (a write that got
   * there first may have moved them), so a log write of the same journey
   * and a second retention pass at the same time each see the other's work:
   * a position is taken out once. Returns how many positions went.
   */
  async strandedPositions(journeys: readonly ClosedJourney[]): Promise<number> {
    if (journeys.length === 0) return 0;
    return this.bounded(async (query) => {
      const locked = await query<Array<{ workflow_id: string; campaign_version: number; state: string }>>(
        `select p.workflow_id, p.campaign_version, p.state
           from journey_positions p
           join unnest($1::text[], $2::timestamptz[]) as closed(workflow_id, arrived_by) on closed.workflow_id = p.workflow_id
           join campaign_versions v on v.campaign_key = p.campaign_key and v.version = p.campaign_version
          where ${waitingPosition('$3')} and (p.since is null or p.since <= closed.arrived_by)
          order by p.workflow_id, p.campaign_version, p.state
          for update of p`,
        [journeys.map((j) => j.workflowId), journeys.map((j) => j.arrivedBy), EXITED_STATE],
      );
      if (locked.length === 0) return 0;
      // Each position went from some paths to none: `current` loses one there, on the shard the log write counts it on.
      await query(
        `with zeroed as (
           update journey_positions p set paths = 0
             from unnest($1::text[], $2::int[], $3::text[]) as k(workflow_id, campaign_version, state)
            where (p.workflow_id, p.campaign_version, p.state) = (k.workflow_id, k.campaign_version, k.state)
           returning p.workflow_id, p.campaign_key, p.campaign_version, p.state)
         insert into funnel_counters as fc (campaign_key, campaign_version, kind, from_state, to_state, shard, n)
         select campaign_key, campaign_version, 'current', '', state, hashtext(workflow_id) & 7, -count(*)
           from zeroed group by 1, 2, 5, 6 order by 1, 2, 5, 6
         on conflict (campaign_key, campaign_version, kind, from_state, to_state, shard) do update set n = fc.n + excluded.n`,
        [locked.map((r) => r.workflow_id), locked.map((r) => r.campaign_version), locked.map((r) => r.state)],
      );
      return locked.length;
    });
  }
}
