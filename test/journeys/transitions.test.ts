import { eventually } from '../support/system-under-test';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { TransitionsRepository } from '../../src/store/repositories/transitions.repository';
import { cancelEventSignal } from '../../src/workflows/journey/contract';

const path = async (h: JourneyHarness, key: string, user: string) =>
  (await new TransitionsRepository(h.db.dataSource).forUser(key, user)).map((t) => t.toState);

describe('transition kinds, exitOn and cancellation on the real dev server', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('`on` with `if` fires on the first matching event only, first match wins', async () => {
    const c = {
      key: 'on-if',
      version: await h.seedCampaign({
        key: 'on-if',
        name: 'on/if',
        entry: { on: 'signup' },
        initial: 'waiting',
        states: {
          waiting: {
            transitions: [
              { to: 'big', on: 'order.completed', if: 'event.amount >= 100' },
              { to: 'small', on: 'order.completed' },
            ],
          },
          big: { end: true },
          small: { end: true },
        },
      }),
    };
    await h.send(c, { id: 's1', type: 'signup', userId: 'big' });
    await h.send(c, { id: 'o1', type: 'order.completed', userId: 'big', properties: { amount: 150 } }, 'signal');
    await h.send(c, { id: 's2', type: 'signup', userId: 'small' });
    await h.send(c, { id: 'o2', type: 'order.completed', userId: 'small', properties: { amount: 10 } }, 'signal');
    await Promise.all([h.handle('on-if', 'big').result(), h.handle('on-if', 'small').result()]);
    expect(await path(h, 'on-if', 'big')).toEqual(['waiting', 'big']);
    expect(await path(h, 'on-if', 'small')).toEqual(['waiting', 'small']);
  });

  it('`at` fires at its time; immediate `if` branches and the unconditional fallback route on entry', async () => {
    const at = new Date(Date.now() + 2500).toISOString();
    const c = {
      key: 'at-branch',
      version: await h.seedCampaign({
        key: 'at-branch',
        name: 'at + branches',
        entry: { on: 'visit' },
        initial: 'route',
        states: {
          route: { transitions: [{ to: 'vip', if: 'event.tier == "gold"' }, { to: 'regular' }] },
          vip: { transitions: [{ to: 'done', at }] },
          regular: { transitions: [{ to: 'done', at }] },
          done: { end: true },
        },
      }),
    };
    await h.send(c, { id: 'v1', type: 'visit', userId: 'gold', properties: { tier: 'gold' } });
    await h.send(c, { id: 'v2', type: 'visit', userId: 'plain', properties: {} });
    const waiting = await h.waitForView('at-branch', 'gold', (v) => v.states[0] === 'vip');
    expect(waiting.paths[0].timers).toEqual([expect.objectContaining({ fireAt: at })]);
    await Promise.all([h.handle('at-branch', 'gold').result(), h.handle('at-branch', 'plain').result()]);
    expect(await path(h, 'at-branch', 'gold')).toEqual(['route', 'vip', 'done']);
    expect(await path(h, 'at-branch', 'plain')).toEqual(['route', 'regular', 'done']);
    const [done] = (await new TransitionsRepository(h.db.dataSource).forUser('at-branch', 'gold')).slice(-1);
    expect(Date.parse(done.at)).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it('`split` sends users down both branches by weight, each journey choosing once', async () => {
    const c = {
      key: 'split',
      version: await h.seedCampaign({
        key: 'split',
        name: 'A/B',
        entry: { on: 'visit' },
        initial: 'ab',
        states: {
          ab: { transitions: [{ split: [{ to: 'a', weight: 50 }, { to: 'b', weight: 50 }] }] },
          a: { end: true },
          b: { end: true },
        },
      }),
    };
    const users = Array.from({ length: 16 }, (_, i) => `s${i}`);
    await Promise.all(users.map((u) => h.send(c, { id: `v-${u}`, type: 'visit', userId: u })));
    await Promise.all(users.map((u) => h.handle('split', u).result()));
    const branches = await Promise.all(users.map(async (u) => (await path(h, 'split', u))[1]));
    expect(new Set(branches)).toEqual(new Set(['a', 'b']));
    for (const u of users) expect(await path(h, 'split', u)).toHaveLength(2);
  });

  it('exitOn ends every active path at once', async () => {
    const c = {
      key: 'exit-on',
      version: await h.seedCampaign({
        key: 'exit-on',
        name: 'exitOn',
        entry: { on: 'visit' },
        exitOn: [{ on: 'user.unsubscribed' }],
        initial: 'waiting',
        states: { waiting: { transitions: [{ to: 'done', after: 'PT60S' }] }, done: { end: true } },
      }),
    };
    await h.send(c, { id: 'e1', type: 'visit', userId: 'leaver' });
    await h.waitForView('exit-on', 'leaver', (v) => v.states[0] === 'waiting');
    await h.send(c, { id: 'e2', type: 'user.unsubscribed', userId: 'leaver' }, 'signal');
    const result = await h.handle('exit-on', 'leaver').result();
    expect(result.status).toBe('ended');
    expect(await path(h, 'exit-on', 'leaver')).toEqual(['waiting', '(exited)']);
  });

  it('a cancelled event stops counting in a pending aggregate, and the reward cites only the events that remained', async () => {
    const c = {
      key: 'cancel-wait',
      version: await h.seedCampaign({
        key: 'cancel-wait',
        name: 'three posts',
        entry: { on: 'post.created' },
        initial: 'collecting',
        states: {
          collecting: { transitions: [{ to: 'rewarded', when: "count('post.created') >= 3" }, { to: 'gone', after: 'PT60S' }] },
          rewarded: { actions: { steps: [{ type: 'points', amount: 5 }] }, end: true },
          gone: { end: true },
        },
      }),
    };
    await h.send(c, { id: 'p1', type: 'post.created', userId: 'writer' });
    await h.send(c, { id: 'p2', type: 'post.created', userId: 'writer' }, 'signal');
    await h.handle('cancel-wait', 'writer').signal(cancelEventSignal, { version: 1, eventId: 'p2' });
    await h.send(c, { id: 'p3', type: 'post.created', userId: 'writer' }, 'signal');
    const view = await h.waitForView('cancel-wait', 'writer', (v) => v.trace.some((t) => t.input.includes('p3')));
    if (view.states.length === 0) console.log(JSON.stringify(view.trace, null, 1).slice(0, 3000));
    expect(view.states).toEqual(['collecting']);
    expect(view.paths[0].aggregates["count('post.created')"]).toBe(2);
    await h.send(c, { id: 'p4', type: 'post.created', userId: 'writer' }, 'signal');
    await h.handle('cancel-wait', 'writer').result();
    const rewards = await eventually(async () => {
      const r = await h.db.dataSource.query(`select caused_by from rewards where campaign_key = 'cancel-wait'`);
      return r.length ? r : undefined;
    });
    expect(rewards[0].caused_by.sort()).toEqual(['p1', 'p3', 'p4']);
  });

  it('reclaims a reward when its cause is cancelled while the journey still runs', async () => {
    const c = {
      key: 'cancel-after',
      version: await h.seedCampaign({
        key: 'cancel-after',
        name: 'reward then wait',
        entry: { on: 'order.completed' },
        initial: 'rewarded',
        states: {
          rewarded: { actions: { steps: [{ type: 'points', amount: 'event.amount' }] }, transitions: [{ to: 'done', after: 'PT60S' }] },
          done: { end: true },
        },
      }),
    };
    await h.send(c, { id: 'r1', type: 'order.completed', userId: 'refunder', properties: { amount: 40 } });
    await h.waitForView('cancel-after', 'refunder', (v) => v.rewards.some((r) => r.status === 'issued'));
    await h.handle('cancel-after', 'refunder').signal(cancelEventSignal, { version: 1, eventId: 'r1', reason: 'refund' });
    const rows = await eventually(async () => {
      const r = await h.db.dataSource.query(`select status from rewards where campaign_key = 'cancel-after'`);
      return r[0]?.status === 'reclaimed' ? r : undefined;
    });
    expect(rows).toHaveLength(1);
    const [{ balance }] = await h.db.dataSource.query(`select coalesce(sum(delta), 0)::float as balance from points_entries where user_id = 'refunder'`);
    expect(balance).toBe(0);
    // Cancelling again changes nothing.
    await h.handle('cancel-after', 'refunder').signal(cancelEventSignal, { version: 1, eventId: 'r1' });
    const v = await h.waitForView('cancel-after', 'refunder', (x) => x.trace.filter((t) => t.input.includes('cancel r1')).length >= 2);
    expect(v.rewards.filter((r) => r.status === 'reclaimed')).toHaveLength(1);
    const entries = await h.db.dataSource.query(`select count(*)::int as n from points_entries where user_id = 'refunder'`);
    expect(entries[0].n).toBe(2);
  });
});
