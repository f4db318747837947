import { INTERVALS_SQL } from '../src/store/repositories/analytics.repository';
import { LIVE_JOURNEYS_SQL } from '../src/store/repositories/live-journeys.repository';
import { TransitionsRepository } from '../src/store/repositories/transitions.repository';
import { spyOnStatements } from './support/statement-spy';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** Four states, one of them an end state nobody reaches in the log below. */
const direct = (key: string) => ({
  key,
  name: 'Analytics fixture',
  entry: { on: 'signup' },
  initial: 'start',
  states: {
    start: { transitions: [{ to: 'middle', on: 'a' }] },
    middle: { transitions: [{ to: 'won', on: 'b' }, { to: 'start', on: 'c' }, { to: 'lost', on: 'd' }] },
    won: { end: true },
    lost: { end: true },
  },
});

const T0 = Date.parse('2026-01-01T00:00:00Z');

interface PlanNode {
  'Relation Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows of `relation` a plan's scans (those `only` keeps, default all) returned or filtered out, over all their loops. */
function rowsRead(node: PlanNode, relation: string, only: (scan: PlanNode) => boolean = () => true): number {
  const own =
    node['Relation Name'] === relation && only(node)
      ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * (node['Actual Loops'] ?? 1)
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child, relation, only), 0);
}

describe('analytics: funnel and intervals over the journey log', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  const op = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
  const paths = (res: { body: { error: { details: Array<{ path: string }> } } }) => res.body.error.details.map((d) => d.path).sort();

  let seq = 0;
  /** Appends rows as the journey activity does (the funnel's counters are written with them), at T0 + ms. */
  const log = async (campaign: string, version: number, user: string, moves: Array<[string | null, string, number, string?]>) => {
    const transitions = new TransitionsRepository(sut.db.dataSource);
    for (const [fromState, toState, ms, pathId] of moves) {
      const at = new Date(T0 + ms).toISOString();
      await transitions.record({ idempotencyKey: `k${seq++}`, campaignKey: campaign, campaignVersion: version, userId: user, workflowId: `journey:${campaign}:${user}`, fromState, toState, at, cause: 'test', pathId });
    }
  };

  describe('from rows written directly', () => {
    beforeAll(async () => {
      expect((await op('POST', '/v1/campaigns', direct('direct'))).status).toBe(201);
      const { key: _key, ...v2 } = direct('direct');
      expect((await op('PUT', '/v1/campaigns/direct', v2)).status).toBe(200);
      await log('direct', 1, 'u1', [[null, 'start', 0], ['start', 'middle', 1000], ['middle', 'won', 4000]]);
      // Back to start once, now in middle again.
      await log('direct', 1, 'u2', [[null, 'start', 0], ['start', 'middle', 2000], ['middle', 'start', 3000], ['start', 'middle', 5000]]);
      await log('direct', 1, 'u3', [[null, 'start', 0]]);
      await log('direct', 1, 'u4', [[null, 'start', 0], ['start', 'middle', 1000], ['middle', '(exited)', 1500]]);
      await log('direct', 2, 'u5', [[null, 'start', 0], ['start', 'middle', 10000]]);
      // Two parallel paths: one moved on to middle, one still in start.
      await log('direct', 1, 'u6', [[null, 'start', 0], [null, 'start', 0], ['start', 'middle', 3000]]);
      // Another campaign's rows never count.
      await log('other', 1, 'u1', [[null, 'start', 0], ['start', 'middle', 1]]);
    });

    it('counts distinct users per state, users there now (parallel paths, end states and exits included), and every transition per edge', async () => {
      const res = await op('GET', '/v1/campaigns/direct/funnel');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        states: [
          { state: 'start', entered: 6, current: 2 },
          { state: 'middle', entered: 5, current: 3 },
          { state: '(exited)', entered: 1, current: 0 },
          { state: 'won', entered: 1, current: 0 },
          { state: 'lost', entered: 0, current: 0 },
        ],
        edges: [
          { from: '(entry)', to: 'start', count: 7 },
          { from: 'start', to: 'middle', count: 6 },
          { from: 'middle', to: '(exited)', count: 1 },
          { from: 'middle', to: 'start', count: 1 },
          { from: 'middle', to: 'won', count: 1 },
        ],
      });
    });

    it('keeps one version with ?version=', async () => {
      const v1 = await op('GET', '/v1/campaigns/direct/funnel?version=1');
      expect(v1.status).toBe(200);
      expect(v1.body.states.slice(0, 2)).toEqual([
        { state: 'start', entered: 5, current: 2 },
        { state: 'middle', entered: 4, current: 2 },
      ]);
      expect(v1.body.edges.slice(0, 2)).toEqual([
        { from: '(entry)', to: 'start', count: 6 },
        { from: 'start', to: 'middle', count: 5 },
      ]);
      const v2 = await op('GET', '/v1/campaigns/direct/funnel?version=2');
      expect(v2.body).toEqual({
        states: [
          { state: 'middle', entered: 1, current: 1 },
          { state: 'start', entered: 1, current: 0 },
          { state: 'lost', entered: 0, current: 0 },
          { state: 'won', entered: 0, current: 0 },
        ],
        edges: [
          { from: '(entry)', to: 'start', count: 1 },
          { from: 'start', to: 'middle', count: 1 },
        ],
      });
    });

    it('reads the funnel, the campaign\'s counts and its live journeys from the counters, never the whole log', async () => {
      const spy = spyOnStatements(sut.db.dataSource);
      try {
        const [funnel, campaign, live] = await Promise.all([
          op('GET', '/v1/campaigns/direct/funnel'),
          op('GET', '/v1/campaigns/direct'),
          op('GET', '/v1/campaigns/direct/journeys'),
        ]);
        expect([funnel.status, campaign.status, live.status]).toEqual([200, 200, 200]);
        expect(campaign.body.counts.journeys).toBe(6);
        // u2, u3 and u6 (twice: two paths) in start or middle, u5 in middle: waiting states only, latest arrival first (then by user).
        expect(live.body.journeys.map((j: { userId: string; state: string }) => `${j.userId} ${j.state}`)).toEqual(['u5 middle', 'u2 middle', 'u6 middle', 'u3 start', 'u6 start']);
        // Journeys running elsewhere in the suite write the log meanwhile: only reads of it count.
        expect(spy.texts().filter((sql) => sql.includes('journey_transitions') && !sql.includes('insert into journey_transitions'))).toEqual([]);
      } finally {
        spy.restore();
      }
    });

    it('times each arrival in `to` from the latest arrival in `from` before it, with interpolated percentiles', async () => {
      // start -> middle: u1 1000, u2 2000 and 2000 (timed from its second visit), u4 1000, u5 10000, u6 3000.
      const res = await op('GET', '/v1/campaigns/direct/intervals?from=start&to=middle');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ count: 6, p50Ms: 2000, p90Ms: 6500, p99Ms: 9650 });
      expect((await op('GET', '/v1/campaigns/direct/intervals?from=start&to=middle&version=2')).body).toEqual({ count: 1, p50Ms: 10000, p90Ms: 10000, p99Ms: 10000 });
      expect((await op('GET', '/v1/campaigns/direct/intervals?from=start&to=won')).body).toEqual({ count: 1, p50Ms: 4000, p90Ms: 4000, p99Ms: 4000 });
      expect((await op('GET', '/v1/campaigns/direct/intervals?from=middle&to=(exited)')).body).toEqual({ count: 1, p50Ms: 500, p90Ms: 500, p99Ms: 500 });
      // Between two visits of the same state.
      expect((await op('GET', '/v1/campaigns/direct/intervals?from=middle&to=middle')).body).toEqual({ count: 1, p50Ms: 3000, p90Ms: 3000, p99Ms: 3000 });
    });

    it('times only the moves that arrived in `from` within ?since= and ?until=, and says which bound is wrong', async () => {
      const at = (ms: number) => encodeURIComponent(new Date(T0 + ms).toISOString());
      // Only u2's second visit arrived in start after T0 + 1000: 3000 -> 5000.
      expect((await op('GET', `/v1/campaigns/direct/intervals?from=start&to=middle&since=${at(1000)}`)).body).toEqual({ count: 1, p50Ms: 2000, p90Ms: 2000, p99Ms: 2000 });
      // The arrivals at T0: u1 1000, u2 2000, u4 1000, u5 10000, u6 3000 (its two paths' arrivals, one move to time).
      expect((await op('GET', `/v1/campaigns/direct/intervals?from=start&to=middle&until=${at(1000)}`)).body).toMatchObject({ count: 5, p50Ms: 2000 });
      expect((await op('GET', `/v1/campaigns/direct/intervals?from=start&to=middle&since=${at(-1)}&until=${at(1)}&version=2`)).body).toEqual({ count: 1, p50Ms: 10000, p90Ms: 10000, p99Ms: 10000 });
      expect((await op('GET', `/v1/campaigns/direct/intervals?from=start&to=middle&since=${at(60_000)}`)).body).toEqual({ count: 0, p50Ms: null, p90Ms: null, p99Ms: null });
      expect(paths(await op('GET', '/v1/campaigns/direct/intervals?from=start&to=middle&since=yesterday'))).toEqual(['since']);
      expect(paths(await op('GET', '/v1/campaigns/direct/intervals?from=start&to=middle&since=2026-13-01T00:00:00Z'))).toEqual(['since']);
      expect(paths(await op('GET', `/v1/campaigns/direct/intervals?from=start&to=middle&since=${at(1000)}&until=${at(1000)}`))).toEqual(['until']);
      // A bad bound beside a good one: a 400 at the bad one alone, never a 500 from comparing them (review 54, finding 1).
      for (const [query, expected] of [
        [`since=yesterday&until=${at(1000)}`, ['since']],
        [`since=${at(1000)}&until=x`, ['until']],
        [`since=${encodeURIComponent('2026-06-01T00:00:00+99:00')}&until=${at(1000)}`, ['since']],
        [`since=2026-02-30T00:00:00Z&until=2026-01-01T00:00:00Z`, ['since']],
      ] as const) {
        const res = await op('GET', `/v1/campaigns/direct/intervals?from=start&to=middle&${query}`);
        expect({ query, status: res.status, paths: res.status === 400 ? paths(res) : res.body }).toEqual({ query, status: 400, paths: expected });
      }
      // Compared at microseconds, as stored: an `until` later within the same millisecond is after `since`.
      const sameMillisecond = await op('GET', '/v1/campaigns/direct/intervals?from=start&to=middle&since=2026-06-01T00:00:00.000100Z&until=2026-06-01T00:00:00.000900Z');
      expect({ status: sameMillisecond.status, body: sameMillisecond.body }).toEqual({ status: 200, body: { count: 0, p50Ms: null, p90Ms: null, p99Ms: null } });
      // The same microsecond, written with another offset, or with digits past the microsecond (cut, as stored), is not after it.
      expect(paths(await op('GET', `/v1/campaigns/direct/intervals?from=start&to=middle&since=2026-06-01T00:00:00.000100Z&until=${encodeURIComponent('2026-06-01T02:00:00.0001+02:00')}`))).toEqual(['until']);
      expect(paths(await op('GET', '/v1/campaigns/direct/intervals?from=start&to=middle&since=2026-06-01T00:00:00.000100Z&until=2026-06-01T00:00:00.0001009Z'))).toEqual(['until']);
    });

    it('with ?until=, leaves out an arrival in `to` that followed a visit to `from` after the window, rather than timing it from an earlier visit', async () => {
      const revisit = {
        key: 'revisit',
        name: 'Analytics fixture: back to a',
        entry: { on: 'signup' },
        initial: 'a',
        states: {
          a: { transitions: [{ to: 'c', on: 'x' }, { to: 'b', on: 'z' }] },
          c: { transitions: [{ to: 'a', on: 'y' }] },
          b: { end: true },
        },
      };
      expect((await op('POST', '/v1/campaigns', revisit)).status).toBe(201);
      const min = 60_000;
      const at = (ms: number) => encodeURIComponent(new Date(T0 + ms).toISOString());
      // In a at 0, c at 5 min, back in a at 120 min, b at 130 min: 10 min from its latest visit.
      await log('revisit', 1, 'r1', [[null, 'a', 0, 'p1'], ['a', 'c', 5 * min, 'p1'], ['c', 'a', 120 * min, 'p1'], ['a', 'b', 130 * min, 'p1']]);
      // Two paths: p2 arriving in a after the window is another path's visit, so p1's 40 min still counts.
      await log('revisit', 1, 'r2', [[null, 'a', 0, 'p1'], [null, 'a', 90 * min, 'p2'], ['a', 'b', 40 * min, 'p1']]);
      const tenMinutes = { count: 1, p50Ms: 10 * min, p90Ms: 10 * min, p99Ms: 10 * min };
      const fortyMinutes = { count: 1, p50Ms: 40 * min, p90Ms: 40 * min, p99Ms: 40 * min };
      expect((await op('GET', '/v1/campaigns/revisit/intervals?from=a&to=b')).body).toEqual({ count: 2, p50Ms: 1_500_000, p90Ms: 2_220_000, p99Ms: 2_382_000 });
      // r1's arrival in b follows its visit at 120 min, outside [.., 60 min): not counted (it was timed 130 min from 0).
      expect((await op('GET', `/v1/campaigns/revisit/intervals?from=a&to=b&until=${at(60 * min)}`)).body).toEqual(fortyMinutes);
      expect((await op('GET', `/v1/campaigns/revisit/intervals?from=a&to=b&since=${at(0)}&until=${at(60 * min)}`)).body).toEqual(fortyMinutes);
      // The later visit within the window is the one timed, as without one.
      expect((await op('GET', `/v1/campaigns/revisit/intervals?from=a&to=b&since=${at(60 * min)}`)).body).toEqual(tenMinutes);
      expect((await op('GET', `/v1/campaigns/revisit/intervals?from=a&to=b&since=${at(60 * min)}&until=${at(125 * min)}`)).body).toEqual(tenMinutes);
    });

    it("times a parallel journey's paths each on its own, and a row from before paths were logged with the path that follows it", async () => {
      expect((await op('POST', '/v1/campaigns', direct('paths'))).status).toBe(201);
      // p1 enters at 0 and p2 at 1000; p1 reaches middle at 3000 and p2 at 7000: 3000 and 6000, not one arrival timed 2000.
      await log('paths', 1, 'w1', [[null, 'start', 0, 'p1'], [null, 'start', 1000, 'p2'], ['start', 'middle', 3000, 'p1'], ['start', 'middle', 7000, 'p2']]);
      expect((await op('GET', '/v1/campaigns/paths/intervals?from=start&to=middle')).body).toEqual({ count: 2, p50Ms: 4500, p90Ms: 5700, p99Ms: 5970 });
      // Entered before the upgrade (no path), moved after it: timed as one journey's rows were.
      await log('paths', 1, 'w2', [[null, 'start', 0], ['start', 'middle', 8000, 'p1']]);
      expect((await op('GET', '/v1/campaigns/paths/intervals?from=start&to=middle')).body).toMatchObject({ count: 3, p50Ms: 6000 });
    });

    it('answers 400 with the paths of bad query parameters and 404 for an unknown campaign', async () => {
      const none = await op('GET', '/v1/campaigns/direct/intervals');
      expect(none.status).toBe(400);
      expect(paths(none)).toEqual(['from', 'to']);
      expect(paths(await op('GET', '/v1/campaigns/direct/intervals?from=start'))).toEqual(['to']);
      expect(paths(await op('GET', '/v1/campaigns/direct/intervals?from=start&from=middle&to=won'))).toEqual(['from']);
      expect(paths(await op('GET', '/v1/campaigns/direct/intervals?from=start&to='))).toEqual(['to']);
      expect(paths(await op('GET', '/v1/campaigns/direct/funnel?version=two'))).toEqual(['version']);
      expect(paths(await op('GET', '/v1/campaigns/direct/funnel?version=0'))).toEqual(['version']);
      expect(paths(await op('GET', '/v1/campaigns/direct/funnel?verison=1'))).toEqual(['verison']);
      const unknown = await op('GET', '/v1/campaigns/nope/funnel');
      expect({ status: unknown.status, code: unknown.body.error.code }).toEqual({ status: 404, code: 'not_found' });
      expect((await op('GET', '/v1/campaigns/nope/intervals?from=a&to=b')).status).toBe(404);
      // A state no version defines is a mistake, not a count of 0.
      const misspelt = await op('GET', '/v1/campaigns/direct/intervals?from=strat&to=middle');
      expect(misspelt.status).toBe(400);
      expect(misspelt.body.error.details).toEqual([{ path: 'from', message: '"strat" is not a state of direct (lost, middle, start, won) nor (exited)' }]);
      expect(paths(await op('GET', '/v1/campaigns/direct/intervals?from=a&to=b&version=1'))).toEqual(['from', 'to']);
      // A version the campaign does not have: 404, as for its graph.
      for (const path of ['/v1/campaigns/direct/funnel?version=9', '/v1/campaigns/direct/intervals?from=start&to=middle&version=9']) {
        const res = await op('GET', path);
        expect({ status: res.status, message: res.body.error.message }).toEqual({ status: 404, message: 'Campaign direct has no version 9.' });
      }
      // Rows in the log do not make a campaign: "other" was never created.
      expect((await op('GET', '/v1/campaigns/other/funnel')).status).toBe(404);
      expect((await sut.request('GET', '/v1/campaigns/direct/funnel', { role: 'support' })).status).toBe(403);
    });
  });

  // Review 62, finding 2: intervals pair arrivals of one path, and a path never moves on from `(exited)` or an end state
  // (a re-entry is a new path), so timed from there every answer was "0 timed", read as "nobody came back".
  it('refuses to time from `(exited)` or from a state that is an end state in every version asked about, at `from`', async () => {
    expect((await op('POST', '/v1/campaigns', direct('ends'))).status).toBe(201);
    await log('ends', 1, 'e1', [[null, 'start', 0, 'p1'], ['start', '(exited)', 1000, 'p1'], [null, 'start', 5000, 'p2'], ['start', 'won', 6000, 'p2']]);
    for (const query of ['from=(exited)&to=start', 'from=won&to=start', 'from=won&to=won', 'from=(exited)&to=start&version=1']) {
      const res = await op('GET', `/v1/campaigns/ends/intervals?${query}`);
      expect({ query, status: res.status, paths: res.body.error?.details.map((d: { path: string }) => d.path) }).toEqual({ query, status: 400, paths: ['from'] });
    }
    expect((await op('GET', '/v1/campaigns/ends/intervals?from=won&to=start')).body.error.details[0].message).toMatch(/"won" is an end state of ends: a path ends there, so no later arrival is by the same path/);
    // Each bad part at once: an end state at `from` beside a misspelt `to`.
    expect(paths(await op('GET', '/v1/campaigns/ends/intervals?from=(exited)&to=strat'))).toEqual(['from', 'to']);
    // Timing to them is what they are for.
    expect((await op('GET', '/v1/campaigns/ends/intervals?from=start&to=(exited)')).body).toEqual({ count: 1, p50Ms: 1000, p90Ms: 1000, p99Ms: 1000 });
    expect((await op('GET', '/v1/campaigns/ends/intervals?from=start&to=won')).body).toEqual({ count: 1, p50Ms: 1000, p90Ms: 1000, p99Ms: 1000 });
    // A state a path leaves in some version is timed from over all versions, and refused only in a version where it ends.
    const { key: _key, ...fixture } = direct('ends');
    const v2 = { ...fixture, states: { ...fixture.states, won: { transitions: [{ to: 'lost', on: 'e' }] } } };
    expect((await op('PUT', '/v1/campaigns/ends', v2)).status).toBe(200);
    await log('ends', 2, 'e2', [[null, 'start', 0, 'p1'], ['start', 'middle', 1000, 'p1'], ['middle', 'won', 2000, 'p1'], ['won', 'lost', 4500, 'p1']]);
    expect((await op('GET', '/v1/campaigns/ends/intervals?from=won&to=lost')).body).toEqual({ count: 1, p50Ms: 2500, p90Ms: 2500, p99Ms: 2500 });
    expect((await op('GET', '/v1/campaigns/ends/intervals?from=won&to=lost&version=2')).body).toEqual({ count: 1, p50Ms: 2500, p90Ms: 2500, p99Ms: 2500 });
    expect(paths(await op('GET', '/v1/campaigns/ends/intervals?from=won&to=lost&version=1'))).toEqual(['from']);
  });

  it('with ?version=, times within that version: a journey that moved on is not timed from one version to the other', async () => {
    expect((await op('POST', '/v1/campaigns', direct('moved'))).status).toBe(201);
    const { key: _key, ...v2 } = direct('moved');
    expect((await op('PUT', '/v1/campaigns/moved', v2)).status).toBe(200);
    // v1: entered and exited; the same journey (one workflow) then entered v2 and reached middle.
    await log('moved', 1, 'm1', [[null, 'start', 0], ['start', '(exited)', 500]]);
    await log('moved', 2, 'm1', [[null, 'start', 20_000], ['start', 'middle', 32_000]]);
    expect((await op('GET', '/v1/campaigns/moved/intervals?from=start&to=middle&version=1')).body).toEqual({ count: 0, p50Ms: null, p90Ms: null, p99Ms: null });
    expect((await op('GET', '/v1/campaigns/moved/intervals?from=start&to=middle&version=2')).body).toEqual({ count: 1, p50Ms: 12000, p90Ms: 12000, p99Ms: 12000 });
    expect((await op('GET', '/v1/campaigns/moved/intervals?from=start&to=middle')).body).toEqual({ count: 1, p50Ms: 12000, p90Ms: 12000, p99Ms: 12000 });
    // A position with no arrival time (a rewrite took back a departure whose arrival was never counted) is no 500.
    await sut.db.dataSource.query(`insert into journey_positions (workflow_id, campaign_version, state, campaign_key, user_id, paths, since) values ('journey:moved:m9', 1, 'start', 'moved', 'm9', 1, null)`);
    const live = await op('GET', '/v1/campaigns/moved/journeys');
    expect(live.status).toBe(200);
    expect(live.body.journeys.map((j: { userId: string; state: string }) => `${j.userId} ${j.state}`)).toEqual(['m1 middle']);
  });

  it('counts past 2^31 in the funnel: its counters are bigint, summed over shards each below it', async () => {
    expect((await op('POST', '/v1/campaigns', direct('busy'))).status).toBe(201);
    // A loop edge taken three billion times, as many users who arrived in start, and as many journeys in middle now.
    const BIG = 3_000_000_000;
    await sut.db.dataSource.query(
      `insert into funnel_counters (campaign_key, campaign_version, kind, from_state, to_state, shard, n)
       select 'busy', k.version, k.kind, k.from_state, k.to_state, shard, $1
         from (values (1, 'edge', 'middle', 'start'), (0, 'entered', '', 'start'), (1, 'current', '', 'middle')) k(version, kind, from_state, to_state),
              generate_series(0, 1) shard`,
      [BIG / 2],
    );
    const res = await op('GET', '/v1/campaigns/busy/funnel');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      states: [
        { state: 'start', entered: BIG, current: 0 },
        { state: 'lost', entered: 0, current: 0 },
        { state: 'middle', entered: 0, current: BIG },
        { state: 'won', entered: 0, current: 0 },
      ],
      edges: [{ from: 'middle', to: 'start', count: BIG }],
    });
    // The campaign's own counts read the same counters: as many entries, and journeys that entered.
    await sut.db.dataSource.query(
      `insert into funnel_counters (campaign_key, campaign_version, kind, from_state, to_state, shard, n)
       select 'busy', k.version, k.kind, k.from_state, k.to_state, shard, $1
         from (values (1, 'edge', '(entry)', 'start'), (0, 'entered', '', '(entry)')) k(version, kind, from_state, to_state),
              generate_series(0, 1) shard`,
      [BIG / 2],
    );
    const campaign = await op('GET', '/v1/campaigns/busy');
    expect(campaign.status).toBe(200);
    expect(campaign.body.counts).toEqual({
      journeys: BIG,
      states: [
        { state: 'middle', entered: 0, current: BIG, ended: 0 },
        { state: 'start', entered: 2 * BIG, current: 0, ended: 0 },
      ],
    });
    const listed = await op('GET', '/v1/campaigns?counts=true');
    expect(listed.status).toBe(200);
    expect(listed.body.campaigns.find((c: { key: string }) => c.key === 'busy').counts).toMatchObject({ entered: BIG, current: BIG });
  });

  it('lists live journeys by probing the waiting states, not by walking every journey that ended', async () => {
    expect((await op('POST', '/v1/campaigns', direct('finished'))).status).toBe(201);
    // 5,000 journeys that ended in `won` or left, their positions kept for good; two still wait.
    await sut.db.dataSource.query(
      `insert into journey_positions (workflow_id, campaign_version, state, campaign_key, user_id, paths, since)
       select 'journey:finished:f' || i, 1, case when i % 2 = 0 then 'won' else '(exited)' end, 'finished', 'f' || i, 1, now() - interval '1 day'
         from generate_series(1, 5000) as i`,
    );
    await log('finished', 1, 'w1', [[null, 'start', 0]]);
    await log('finished', 1, 'w2', [[null, 'start', 0], ['start', 'middle', 1000]]);
    await sut.db.dataSource.query('analyze journey_positions');
    const live = await op('GET', '/v1/campaigns/finished/journeys');
    expect(live.body.journeys.map((j: { userId: string; state: string }) => `${j.userId} ${j.state}`)).toEqual(['w2 middle', 'w1 start']);
    // Rows of journey_positions the statement touched (returned or filtered out), from its plan as run.
    const [{ 'QUERY PLAN': [plan] }] = (await sut.db.dataSource.query(`explain (analyze, format json) ${LIVE_JOURNEYS_SQL}`, ['finished', 50])) as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
    expect(rowsRead(plan.Plan, 'journey_positions')).toBeLessThan(200);
  });

  it('with ?since=, reads the arrivals into `from` within the window, not every one the campaign ever logged (review 55, finding 1)', async () => {
    expect((await op('POST', '/v1/campaigns', direct('window'))).status).toBe(201);
    // 5,000 journeys that entered start at T0, a day before the window; one entered within it and reached middle.
    await sut.db.dataSource.query(
      `insert into journey_transitions (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause)
       select 'window-' || i, 'window', 1, 'o' || i, 'journey:window:o' || i, null, 'start', $1::timestamptz, 'test'
         from generate_series(1, 5000) as i`,
      [new Date(T0).toISOString()],
    );
    await log('window', 1, 'n1', [[null, 'start', 86_400_000], ['start', 'middle', 86_400_000 + 2000]]);
    await sut.db.dataSource.query('analyze journey_transitions');
    const since = new Date(T0 + 3_600_000).toISOString();
    expect((await op('GET', `/v1/campaigns/window/intervals?from=start&to=middle&since=${encodeURIComponent(since)}`)).body).toEqual({ count: 1, p50Ms: 2000, p90Ms: 2000, p99Ms: 2000 });
    // The repository's statement for that question, with its parameters, run again under EXPLAIN ANALYZE.
    const [{ 'QUERY PLAN': [plan] }] = (await sut.db.dataSource.query(`explain (analyze, format json) ${INTERVALS_SQL}`, ['window', 'start', 'middle', null, since, null])) as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
    // Rows of the log the whole statement touched (returned or filtered out): the window's arrival and its pair, not the 5,000 before it.
    expect(rowsRead(plan.Plan, 'journey_transitions')).toBeLessThan(50);
  });

  it("pairs a re-entering journey's arrivals in `from` with their own path's next arrival in `to`, however many other paths reached it (review 55, finding 2)", async () => {
    expect((await op('POST', '/v1/campaigns', direct('reenter'))).status).toBe(201);
    // One journey entered 200 times, one path after the other: odd paths left from start, even ones reached middle.
    await sut.db.dataSource.query(
      `insert into journey_transitions (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause, path_id)
       select 'reenter-' || i || '-' || s, 'reenter', 1, 'e1', 'journey:reenter:e1', case when s = 0 then null else 'start' end,
              case when s = 0 then 'start' when i % 2 = 1 then '(exited)' else 'middle' end,
              $1::timestamptz + make_interval(secs => i * 10 + s), 'test', 'p' || i
         from generate_series(1, 200) as i, generate_series(0, 1) as s`,
      [new Date(T0).toISOString()],
    );
    // A row without a path after a path's arrival still pairs with it, as before.
    await log('reenter', 1, 'e2', [[null, 'start', 0, 'p1'], ['start', 'middle', 500]]);
    await sut.db.dataSource.query('analyze journey_transitions');
    expect((await op('GET', '/v1/campaigns/reenter/intervals?from=start&to=middle')).body).toEqual({ count: 101, p50Ms: 1000, p90Ms: 1000, p99Ms: 1000 });
    // Rows of the log the probes for the next arrival in middle touched (returned or filtered out), from the plan as run:
    // one probe of each path's own arrivals, not every later path's arrival in middle for each path that never got there.
    const [{ 'QUERY PLAN': [plan] }] = (await sut.db.dataSource.query(`explain (analyze, format json) ${INTERVALS_SQL}`, ['reenter', 'start', 'middle', null, null, null])) as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
    const probesMiddle = (scan: PlanNode) => [scan['Index Cond'], scan['Recheck Cond'], scan.Filter].some((cond) => cond?.includes(`to_state = 'middle'`));
    // The probes were found (run once for each of the 201 arrivals in start at least), so their count below means something.
    const loops = (node: PlanNode): number =>
      (node['Relation Name'] === 'journey_transitions' && probesMiddle(node) ? (node['Actual Loops'] ?? 0) : 0) + (node.Plans ?? []).reduce((sum, child) => sum + loops(child), 0);
    expect(loops(plan.Plan)).toBeGreaterThanOrEqual(201);
    // (EXPLAIN gives rows as averages over loops, rounded.) The probe that only filtered on the path read some 10,000 here.
    expect(rowsRead(plan.Plan, 'journey_transitions', probesMiddle)).toBeLessThan(1000);
  });

  it("looks for a retention fold between a pair among the journey's folded moves only, not every other path's moves (review 60, finding 5)", async () => {
    expect((await op('POST', '/v1/campaigns', direct('overlap'))).status).toBe(201);
    // One parallel journey: 2,000 paths entering start 1 s apart, each reaching middle 100 s after it entered, so
    // some 200 moves of other paths lie between each pair's two arrivals. Nothing was folded.
    await sut.db.dataSource.query(
      `insert into journey_transitions (idempotency_key, campaign_key, campaign_version, user_id, workflow_id, from_state, to_state, at, cause, path_id)
       select 'overlap-' || i || '-' || s, 'overlap', 1, 'x1', 'journey:overlap:x1', case when s = 0 then null else 'start' end,
              case when s = 0 then 'start' else 'middle' end, $1::timestamptz + make_interval(secs => i + s * 100), 'test', 'p' || i
         from generate_series(1, 2000) as i, generate_series(0, 1) as s`,
      [new Date(T0).toISOString()],
    );
    await sut.db.dataSource.query('analyze journey_transitions');
    expect((await op('GET', '/v1/campaigns/overlap/intervals?from=start&to=middle')).body).toEqual({ count: 2000, p50Ms: 100_000, p90Ms: 100_000, p99Ms: 100_000 });
    const [{ 'QUERY PLAN': [plan] }] = (await sut.db.dataSource.query(`explain (analyze, format json) ${INTERVALS_SQL}`, ['overlap', 'start', 'middle', null, null, null])) as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
    const probesFolds = (scan: PlanNode) => [scan['Index Cond'], scan['Recheck Cond'], scan.Filter].some((cond) => cond?.includes('pruned_arrivals'));
    // The fold probe was found (run once for each of the 2,000 pairs), so the count below means something.
    const loops = (node: PlanNode): number =>
      (node['Relation Name'] === 'journey_transitions' && probesFolds(node) ? (node['Actual Loops'] ?? 0) : 0) + (node.Plans ?? []).reduce((sum, child) => sum + loops(child), 0);
    expect(loops(plan.Plan)).toBeGreaterThanOrEqual(2000);
    // On journey_transitions_workflow_at_idx it read every move of the journey between the two: some 400,000 here.
    expect(rowsRead(plan.Plan, 'journey_transitions', probesFolds)).toBeLessThan(1000);
  });

  it('reports a journey run through the API with the numbers its log holds', async () => {
    const live = {
      key: 'live',
      name: 'Live funnel',
      entry: { on: 'signup' },
      exitOn: [{ on: 'user.unsubscribed' }],
      initial: 'waiting',
      states: { waiting: { transitions: [{ to: 'bought', on: 'order.completed' }] }, bought: { end: true } },
    };
    expect((await op('POST', '/v1/campaigns', live)).status).toBe(201);
    expect((await op('POST', '/v1/campaigns/live/activate', {})).status).toBe(200);
    const send = async (id: string, type: string, userId: string) => {
      const res = await sut.request('POST', '/v1/events', { role: 'ingest', body: { id, type, userId } });
      expect(res.status).toBe(202);
    };
    for (const user of ['r1', 'r2', 'r3']) await send(`su-${user}`, 'signup', user);
    await send('ord-r1', 'order.completed', 'r1');
    await send('unsub-r3', 'user.unsubscribed', 'r3');

    const rows = await eventually(async () => {
      const r: Array<{ user_id: string; to_state: string; at: Date; path_id: string | null }> = await sut.db.dataSource.query(
        `select user_id, to_state, at, path_id from journey_transitions where campaign_key = 'live' order by id`,
      );
      return r.length === 5 ? r : undefined;
    });
    // Each row names the path that moved (intervals pair within a path).
    expect(rows.map((r) => r.path_id)).toEqual(['p1', 'p1', 'p1', 'p1', 'p1']);
    const res = await op('GET', '/v1/campaigns/live/funnel');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      states: [
        { state: 'waiting', entered: 3, current: 1 },
        { state: '(exited)', entered: 1, current: 0 },
        { state: 'bought', entered: 1, current: 0 },
      ],
      edges: [
        { from: '(entry)', to: 'waiting', count: 3 },
        { from: 'waiting', to: '(exited)', count: 1 },
        { from: 'waiting', to: 'bought', count: 1 },
      ],
    });
    const at = (state: string) => rows.find((r) => r.user_id === 'r1' && r.to_state === state)!.at.getTime();
    const waited = at('bought') - at('waiting');
    const intervals = await op('GET', '/v1/campaigns/live/intervals?from=waiting&to=bought');
    expect(intervals.body).toEqual({ count: 1, p50Ms: waited, p90Ms: waited, p99Ms: waited });
  });
});
