import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { PoolsRepository } from '../../src/store/repositories/pools.repository';
import { TransitionsRepository } from '../../src/store/repositories/transitions.repository';
import { retryActionUpdate, skipActionUpdate } from '../../src/workflows/journey/contract';
import { eventually } from '../support/system-under-test';

/** A fake webhook receiver whose answer the test sets. */
function receiver() {
  let status = 200;
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(body);
      res.writeHead(status).end();
    });
  });
  return {
    received,
    answer: (s: number) => (status = s),
    start: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const rewardCampaign = (key: string, actions: Record<string, unknown>) => ({
  key,
  name: key,
  entry: { on: 'order.completed' },
  initial: 'rewarded',
  states: { rewarded: { actions }, done: { end: true } },
});
const withEnd = (def: ReturnType<typeof rewardCampaign>) => {
  (def.states.rewarded as Record<string, unknown>).end = true;
  delete (def.states as Record<string, unknown>).done;
  return def;
};

const rewardsOf = (h: JourneyHarness, key: string, user: string) =>
  h.db.dataSource.query(`select kind, amount::float as amount, pool_key, step_id from rewards where campaign_key = $1 and user_id = $2 order by step_id`, [key, user]);

describe('action groups and held actions on the real dev server', () => {
  let h: JourneyHarness;
  const hook = receiver();
  let url: string;
  beforeAll(async () => {
    // The receiver is on loopback: listed, as an operator would list a local receiver.
    h = await startJourneyHarness({ activityDeps: { webhookAllowedHosts: [{ host: '127.0.0.1' }] } });
    url = await hook.start();
    const pools = new PoolsRepository(h.db.dataSource);
    await pools.create({ key: 'empty-coupons', kind: 'coupon', codes: ['ONLY-ONE'] });
    await pools.create({ key: 'vip-coupons', kind: 'coupon', codes: ['VIP-1', 'VIP-2'] });
  });
  afterAll(async () => {
    await hook.stop();
    await h?.stop();
  });

  it('parallel issues every step', async () => {
    const def = withEnd(rewardCampaign('par', { strategy: 'parallel', steps: [{ type: 'points', amount: 10 }, { type: 'credit', amount: 5, currency: 'EUR' }, { type: 'coupon', pool: 'vip-coupons' }] }));
    const c = { key: 'par', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'o1', type: 'order.completed', userId: 'u' });
    await h.handle('par', 'u').result();
    expect((await rewardsOf(h, 'par', 'u')).map((r: { kind: string }) => r.kind).sort()).toEqual(['coupon', 'credit', 'points']);
  });

  it('priority moves past an exhausted pool and a false `if`, and stops at the first success', async () => {
    // Use up the one code first.
    const drain = withEnd(rewardCampaign('drain', { steps: [{ type: 'coupon', pool: 'empty-coupons' }] }));
    await h.send({ key: 'drain', version: await h.seedCampaign(drain) }, { id: 'd1', type: 'order.completed', userId: 'first' });
    await h.handle('drain', 'first').result();

    const def = withEnd(
      rewardCampaign('prio', {
        strategy: 'priority',
        steps: [
          { id: 'vip', type: 'coupon', pool: 'vip-coupons', if: 'event.vip == true' },
          { id: 'gone', type: 'coupon', pool: 'empty-coupons' },
          { id: 'pts', type: 'points', amount: 7 },
          { id: 'never', type: 'points', amount: 1000 },
        ],
      }),
    );
    const c = { key: 'prio', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'o2', type: 'order.completed', userId: 'u', properties: { vip: false } });
    await h.handle('prio', 'u').result();
    expect(await rewardsOf(h, 'prio', 'u')).toEqual([{ kind: 'points', amount: 7, pool_key: null, step_id: 'pts' }]);
    const v = await h.view('prio', 'u');
    expect(v.finished).toHaveLength(1);
  });

  it('serial runs its steps in order', async () => {
    hook.answer(200);
    const def = withEnd(
      rewardCampaign('ser', {
        strategy: 'serial',
        steps: [
          { id: 'first', type: 'points', amount: 1 },
          { id: 'call', type: 'webhook', url: '' },
          { id: 'last', type: 'points', amount: 2 },
        ],
      }),
    );
    ((def.states.rewarded as { actions: { steps: Array<{ url?: string }> } }).actions.steps[1]).url = url;
    const c = { key: 'ser', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'o3', type: 'order.completed', userId: 'u' });
    await h.handle('ser', 'u').result();
    expect((await rewardsOf(h, 'ser', 'u')).map((r: { step_id: string }) => r.step_id)).toEqual(['first', 'last']);
    expect(hook.received.length).toBeGreaterThanOrEqual(1);
  });

  it('a user id such as 用户1 gets its webhook (ids in headers are ASCII-safe), not a held step', async () => {
    hook.answer(200);
    const before = hook.received.length;
    const def = withEnd(rewardCampaign('intl', { steps: [{ id: 'call', type: 'webhook', url, body: { n: 1 } }, { id: 'after', type: 'points', amount: 2 }] }));
    const c = { key: 'intl', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'o-intl', type: 'order.completed', userId: '用户1' });
    await h.handle('intl', '用户1').result();
    expect((await rewardsOf(h, 'intl', '用户1')).map((r: { step_id: string }) => r.step_id)).toEqual(['after']);
    expect(hook.received.length).toBe(before + 1);
    const [{ status }] = await h.db.dataSource.query(`select status from webhook_calls where user_id = $1`, ['用户1']);
    expect(status).toBe('sent');
  });

  it('holds a webhook to an address that is not listed (127.0.0.2), with the reason, without calling it', async () => {
    const before = hook.received.length;
    const refusedUrl = url.replace('127.0.0.1', '127.0.0.2');
    const def = withEnd(rewardCampaign('ssrf', { steps: [{ id: 'call', type: 'webhook', url: refusedUrl }, { id: 'after', type: 'points', amount: 1 }] }));
    const c = { key: 'ssrf', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'o-ssrf', type: 'order.completed', userId: 'u' });
    const held = await h.waitForView('ssrf', 'u', (v) => v.held.length === 1);
    expect(held.held[0]).toMatchObject({ stepId: 'call', error: expect.stringContaining('refused: 127.0.0.2 resolves to a loopback address') });
    expect(hook.received.length).toBe(before);
    await h.handle('ssrf', 'u').executeUpdate(skipActionUpdate, { args: [{ version: 1, stepId: 'call' }] });
    await h.handle('ssrf', 'u').result();
    expect((await rewardsOf(h, 'ssrf', 'u')).map((r: { step_id: string }) => r.step_id)).toEqual(['after']);
  });

  it('holds a step that fails for good until an operator retries it, visibly', async () => {
    hook.answer(400);
    const def = rewardCampaign('held', { steps: [{ id: 'call', type: 'webhook', url }, { id: 'after', type: 'points', amount: 3 }] });
    (def.states.rewarded as Record<string, unknown>).transitions = [{ to: 'done', after: 'PT1S' }];
    const c = { key: 'held', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'o4', type: 'order.completed', userId: 'u' });
    const held = await h.waitForView('held', 'u', (v) => v.held.length === 1);
    expect(held.held[0]).toMatchObject({ stepId: 'call', error: expect.stringMatching(/400/) });
    // The decision trace tells the story too: the hold, and later the operator's retry.
    expect(held.trace.at(-1)).toEqual({
      at: held.held[0].since,
      input: 'held call',
      notes: [{ kind: 'held', pathId: held.held[0].pathId, message: expect.stringMatching(/^call: webhook .* failed for good: .*400.*; held until an operator retries or skips it$/) }],
    });
    const listed = await eventually(async () => {
      const found: string[] = [];
      for await (const wf of h.client.workflow.list({ query: `CampaignKey = "held" AND JourneyState = "held"` })) found.push(wf.workflowId);
      return found.length ? found : undefined;
    });
    expect(listed).toEqual(['journey:held:u']);
    await expect(h.handle('held', 'u').executeUpdate(skipActionUpdate, { args: [{ version: 1, stepId: 'nope' }] })).rejects.toMatchObject({ cause: { type: 'NotHeld', message: expect.stringMatching(/no action/) } });

    hook.answer(200);
    const decided = await h.handle('held', 'u').executeUpdate(retryActionUpdate, { args: [{ version: 1 }] });
    expect(decided).toEqual({ pathId: expect.any(String), stepId: 'call', decision: 'retry' });
    const retried = await h.waitForView('held', 'u', (v) => v.trace.some((t) => t.input === 'outcome call succeeded'));
    const inputs = retried.trace.map((t) => t.input);
    expect(inputs.indexOf('held call')).toBeLessThan(inputs.indexOf('operator retry call'));
    expect(inputs.indexOf('operator retry call')).toBeLessThan(inputs.indexOf('outcome call succeeded'));
    expect(retried.trace.find((t) => t.input === 'operator retry call')?.notes).toEqual([{ kind: 'action', pathId: decided.pathId, message: expect.stringMatching(/^an operator retried call: webhook /) }]);
    await h.handle('held', 'u').result();
    expect((await rewardsOf(h, 'held', 'u')).map((r: { step_id: string }) => r.step_id)).toEqual(['after']);
  });

  it('a reward that carries its step\'s journey log and fails for good: the log is still written, the step held until retried', async () => {
    const def = withEnd(rewardCampaign('late-pool', { steps: [{ id: 'coupon', type: 'coupon', pool: 'late-coupons' }] }));
    const c = { key: 'late-pool', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'o6', type: 'order.completed', userId: 'u' });
    const held = await h.waitForView('late-pool', 'u', (v) => v.held.length === 1);
    expect(held.held[0]).toMatchObject({ stepId: 'coupon', error: expect.stringMatching(/late-coupons/) });
    const log = await eventually(async () => {
      const rows = await new TransitionsRepository(h.db.dataSource).forUser('late-pool', 'u');
      return rows.length > 0 ? rows : undefined;
    });
    expect(log.map((t) => [t.fromState, t.toState])).toEqual([[null, 'rewarded']]);

    await new PoolsRepository(h.db.dataSource).create({ key: 'late-coupons', kind: 'coupon', codes: ['LATE-1'] });
    await h.handle('late-pool', 'u').executeUpdate(retryActionUpdate, { args: [{ version: 1 }] });
    await h.handle('late-pool', 'u').result();
    expect(await rewardsOf(h, 'late-pool', 'u')).toEqual([{ kind: 'coupon', amount: null, pool_key: 'late-coupons', step_id: 'coupon' }]);
    // The entry's log went with the first reward call; the retry is a lone reward, the rewrite a log batch.
    const events = (await h.handle('late-pool', 'u').fetchHistory()).events ?? [];
    const localActivities = events.flatMap((e) => {
      const data = e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? e.markerRecordedEventAttributes.details?.data?.payloads?.[0]?.data : undefined;
      return data ? [(JSON.parse(Buffer.from(data).toString()) as { activity_type: string }).activity_type] : [];
    });
    expect(localActivities).toEqual(['loadJourneyStart', 'issueRewardWithLog', 'recordTransitions', 'issueReward']);
  });

  it('an amount computed above the most one reward gives holds the step with the reason and issues nothing; the most itself is issued', async () => {
    const def = withEnd(rewardCampaign('huge', { steps: [{ id: 'points', type: 'points', amount: 'event.amount' }] }));
    const c = { key: 'huge', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'h1', type: 'order.completed', userId: 'whale', properties: { amount: 1.7e308 } });
    await h.send(c, { id: 'h2', type: 'order.completed', userId: 'max', properties: { amount: 1e12 } });
    const held = await h.waitForView('huge', 'whale', (v) => v.held.length === 1);
    expect(held.held[0]).toMatchObject({ stepId: 'points', error: expect.stringContaining('more than one reward gives (at most 1,000,000,000,000)') });
    await h.handle('huge', 'max').result();
    expect(await rewardsOf(h, 'huge', 'max')).toEqual([expect.objectContaining({ kind: 'points', amount: 1e12 })]);
    expect(await rewardsOf(h, 'huge', 'whale')).toEqual([]);
  });

  it('skipAction moves a held serial group on', async () => {
    hook.answer(404);
    const def = withEnd(rewardCampaign('skip', { steps: [{ id: 'call', type: 'webhook', url }, { id: 'after', type: 'points', amount: 4 }] }));
    const c = { key: 'skip', version: await h.seedCampaign(def) };
    await h.send(c, { id: 'o5', type: 'order.completed', userId: 'u' });
    await h.waitForView('skip', 'u', (v) => v.held.length === 1);
    await h.handle('skip', 'u').executeUpdate(skipActionUpdate, { args: [{ version: 1, stepId: 'call' }] });
    await h.handle('skip', 'u').result();
    expect((await rewardsOf(h, 'skip', 'u')).map((r: { step_id: string }) => r.step_id)).toEqual(['after']);
  });
});
