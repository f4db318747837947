import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { TransitionsRepository } from '../../src/store/repositories/transitions.repository';
import { cancelEverywhere } from '../../src/api/events/cancel-everywhere';

/** spend-and-post from CAMPAIGNS.md with its durations shortened to seconds. */
const spendAndPost = (key: string, nudgeAfter = 'PT2S') => ({
  key,
  name: 'Spend 20 (or 5 orders) and write 2 posts',
  entry: { on: 'order.completed', if: 'event.amount > 0' },
  participation: { maxEntries: 1, mode: 'serial' },
  exitOn: [{ on: 'user.unsubscribed' }],
  initial: 'collecting',
  states: {
    collecting: {
      transitions: [
        {
          to: 'rewarded',
          when: [["sum('order.completed', 'amount') >= 20", "count('order.completed') >= 5"], ["count('post.created') >= 2"]],
        },
        { to: 'nudged', after: nudgeAfter },
      ],
    },
    nudged: {
      actions: { steps: [{ type: 'message', channel: 'push', template: 'almost-there' }] },
      transitions: [
        { to: 'rewarded', when: [["sum('order.completed', 'amount') >= 20"], ["count('post.created') >= 2"]] },
        { to: 'expired', after: 'PT30S' },
      ],
    },
    rewarded: {
      actions: { steps: [{ type: 'points', amount: "sum('order.completed', 'amount') * 10" }] },
      end: true,
    },
    expired: { end: true },
  },
});

describe('journey workflow on the real dev server', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('collects events, fires `when`, issues points once, logs transitions, and ends', async () => {
    const c = { key: 'sp-when', version: await h.seedCampaign(spendAndPost('sp-when', 'PT60S')) };
    await h.send(c, { id: 'o1', type: 'order.completed', userId: 'u1', properties: { amount: 15 } });
    await h.send(c, { id: 'p1', type: 'post.created', userId: 'u1' }, 'signal');
    await h.send(c, { id: 'p1', type: 'post.created', userId: 'u1' }, 'signal'); // duplicate id: ignored
    const waiting = await h.waitForView('sp-when', 'u1', (v) => v.trace.some((t) => t.input.includes('p1')));
    expect(waiting.states).toEqual(['collecting']);
    expect(waiting.paths[0].aggregates).toMatchObject({ "count('post.created')": 1, "sum('order.completed', 'amount')": 15 });

    await h.send(c, { id: 'o2', type: 'order.completed', userId: 'u1', properties: { amount: 10 } }, 'signal');
    await h.send(c, { id: 'p2', type: 'post.created', userId: 'u1' }, 'signal');
    const result = await h.handle('sp-when', 'u1').result();
    expect(result).toMatchObject({ status: 'ended', entries: 1 });

    const points = await h.db.dataSource.query(`select user_id, kind, amount::float as amount, caused_by from rewards where campaign_key = 'sp-when'`);
    expect(points).toEqual([{ user_id: 'u1', kind: 'points', amount: 250, caused_by: expect.arrayContaining(['o1', 'o2', 'p2']) }]);
    const log = await new TransitionsRepository(h.db.dataSource).forUser('sp-when', 'u1');
    expect(log.map((t) => [t.fromState, t.toState])).toEqual([
      [null, 'collecting'],
      ['collecting', 'rewarded'],
    ]);
  });

  it('keeps its history lean: the log in local-activity batches, the reward a local activity, JourneyState upserted once per batch of inputs, the profile read with the start', async () => {
    const c = { key: 'sp-lean', version: await h.seedCampaign(spendAndPost('sp-lean', 'PT60S')) };
    // Entry, then `rewarded` on the second post, then the path ends after its reward.
    await h.send(c, { id: 'l1', type: 'order.completed', userId: 'u-lean', properties: { amount: 20 } });
    await Promise.all([
      h.send(c, { id: 'l2', type: 'post.created', userId: 'u-lean' }, 'signal'),
      h.send(c, { id: 'l3', type: 'post.created', userId: 'u-lean' }, 'signal'),
    ]);
    await h.handle('sp-lean', 'u-lean').result();
    const events = (await h.handle('sp-lean', 'u-lean').fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
    // A ledger reward is a local activity (patch local-rewards): no activity task at all.
    expect(scheduled).toEqual([]);
    const localActivities = events.flatMap((e) => {
      const data = e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? e.markerRecordedEventAttributes.details?.data?.payloads?.[0]?.data : undefined;
      return data ? [(JSON.parse(Buffer.from(data).toString()) as { activity_type: string }).activity_type] : [];
    });
    expect(localActivities).not.toContain('loadProfile');
    expect(localActivities.filter((t) => t === 'loadJourneyStart')).toHaveLength(1);
    // One local activity issues the reward. Its step's log entry goes with it (issueRewardWithLog) when
    // the log writer is idle at that moment; on a loaded machine the entry's log write may still be running,
    // and then the reward goes alone (issueReward) and the log entry in the writer's next batch.
    expect(localActivities.filter((t) => t === 'issueRewardWithLog' || t === 'issueReward')).toHaveLength(1);
    expect(localActivities.filter((t) => t === 'recordTransitions').length).toBeGreaterThanOrEqual(1);
    const upserts = events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.JourneyState);
    const tasks = events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
    expect(upserts.length).toBeLessThanOrEqual(tasks);
    const log = await new TransitionsRepository(h.db.dataSource).forUser('sp-lean', 'u-lean');
    expect(log.map((t) => [t.fromState, t.toState])).toEqual([
      [null, 'collecting'],
      ['collecting', 'rewarded'],
    ]);
    expect(new Set(log.map((t) => t.idempotencyKey.split(':').slice(0, -1).join(':'))).size).toBe(1);
  });

  it('moves on `after`, sends the nudge message, and expires', async () => {
    const def = spendAndPost('sp-after', 'PT1S');
    (def.states.nudged.transitions[1] as { after: string }).after = 'PT2S';
    const c = { key: 'sp-after', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'a1', type: 'order.completed', userId: 'u2', properties: { amount: 5 } });
    const result = await h.handle('sp-after', 'u2').result();
    expect(result.status).toBe('ended');
    const log = await new TransitionsRepository(h.db.dataSource).forUser('sp-after', 'u2');
    expect(log.map((t) => t.toState)).toEqual(['collecting', 'nudged', 'expired']);
    const messages = await h.db.dataSource.query(`select channel, template from messages where campaign_key = 'sp-after'`);
    expect(messages).toEqual([{ channel: 'push', template: 'almost-there' }]);
  });

  it('reclaims the points of a journey that already ended when a causing event is cancelled', async () => {
    const c = { key: 'sp-cancel', version: await h.seedCampaign(spendAndPost('sp-cancel', 'PT60S')) };
    await h.send(c, { id: 'c1', type: 'order.completed', userId: 'u3', properties: { amount: 30 } });
    await h.send(c, { id: 'c2', type: 'post.created', userId: 'u3' }, 'signal');
    await h.send(c, { id: 'c3', type: 'post.created', userId: 'u3' }, 'signal');
    await h.handle('sp-cancel', 'u3').result();
    const first = await cancelEverywhere({ journeys: h.kairos.journeys, ...h.kairos.repositories }, { eventId: 'c2', reason: 'refund', workflowIds: ['journey:sp-cancel:u3'] });
    expect(first).toEqual({ signalled: [], ended: ['journey:sp-cancel:u3'], reclaimed: [{ idempotencyKey: expect.any(String), outcome: 'reversed' }] });
    const again = await cancelEverywhere({ journeys: h.kairos.journeys, ...h.kairos.repositories }, { eventId: 'c2', reason: null, workflowIds: ['journey:sp-cancel:u3'] });
    expect(again.reclaimed).toEqual([]);
    const rows = await h.db.dataSource.query(`select status from rewards where campaign_key = 'sp-cancel'`);
    expect(rows).toEqual([{ status: 'reclaimed' }]);
    const [{ balance }] = await h.db.dataSource.query(`select coalesce(sum(delta), 0)::float as balance from points_entries where user_id = 'u3'`);
    expect(balance).toBe(0);
  });
});
