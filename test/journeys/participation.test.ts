import { exitSignal } from '../../src/workflows/journey/contract';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';

const waitAndEnd = (key: string, participation: Record<string, unknown>, waitFor = 'PT60S') => ({
  key,
  name: key,
  entry: { on: 'visit' },
  participation,
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'done', on: 'finish' }, { to: 'done', after: waitFor }] }, done: { end: true } },
});

const entriesOf = (h: JourneyHarness, key: string, user: string) =>
  h.db.dataSource
    .query(`select count(*)::int as n from journey_transitions where campaign_key = $1 and user_id = $2 and from_state is null`, [key, user])
    .then((r: Array<{ n: number }>) => r[0].n);

describe('participation: modes and caps on the real dev server', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('serial: a new entry while a path is active is refused; after it ends the user may enter again up to maxEntries', async () => {
    const c = { key: 'serial', version: await h.seedCampaign(waitAndEnd('serial', { mode: 'serial', maxEntries: 2 })) };
    await h.send(c, { id: 'v1', type: 'visit', userId: 'u' });
    await h.send(c, { id: 'v2', type: 'visit', userId: 'u' });
    let v = await h.waitForView('serial', 'u', (x) => x.trace.some((t) => t.input.includes('v2')));
    expect(v.paths).toHaveLength(1);
    expect(v.trace.find((t) => t.input.includes('v2'))!.notes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'refused' })]));
    await h.send(c, { id: 'f1', type: 'finish', userId: 'u' }, 'signal');
    v = await h.waitForView('serial', 'u', (x) => x.status === 'idle');
    await h.send(c, { id: 'v3', type: 'visit', userId: 'u' });
    v = await h.waitForView('serial', 'u', (x) => x.entries === 2);
    await h.send(c, { id: 'f2', type: 'finish', userId: 'u' }, 'signal');
    expect((await h.handle('serial', 'u').result()).status).toBe('ended');
    expect(await entriesOf(h, 'serial', 'u')).toBe(2);
  });

  it("schedule: an idle journey ends once the schedule's endsAt has passed, with no input to wake it (patch schedule-end-held-apart)", async () => {
    // A few seconds from now: the journey goes idle before it, and nothing is sent to it after.
    const endsAt = new Date(Date.now() + 8_000).toISOString();
    const c = { key: 'sched-end', version: await h.seedCampaign({ ...waitAndEnd('sched-end', { maxEntries: 3 }), schedule: { endsAt } }) };
    await h.send(c, { id: 's1', type: 'visit', userId: 'u' });
    await h.send(c, { id: 's2', type: 'finish', userId: 'u' }, 'signal');
    await h.waitForView('sched-end', 'u', (x) => x.status === 'idle');
    const ended = await h.handle('sched-end', 'u').result();
    expect({ status: ended.status, endReason: ended.endReason }).toEqual({ status: 'ended', endReason: 'completed: the campaign schedule ended' });
    expect(Date.now()).toBeGreaterThan(Date.parse(endsAt));
  });

  it('parallel: up to maxActive paths at once', async () => {
    const c = { key: 'parallel', version: await h.seedCampaign(waitAndEnd('parallel', { mode: 'parallel', maxActive: 2, maxEntries: 5 })) };
    for (const id of ['p1', 'p2', 'p3']) await h.send(c, { id, type: 'visit', userId: 'u' });
    const v = await h.waitForView('parallel', 'u', (x) => x.trace.some((t) => t.input.includes('p3')));
    expect(v.paths.map((p) => p.entryNo)).toEqual([1, 2]);
    expect(v.entries).toBe(2);
  });

  it('cooldown: no new entry until the cooldown since the last entry has passed', async () => {
    const c = { key: 'cooldown', version: await h.seedCampaign(waitAndEnd('cooldown', { maxEntries: 3, cooldown: 'PT3S' }, 'PT1S')) };
    await h.send(c, { id: 'c1', type: 'visit', userId: 'u' });
    await h.waitForView('cooldown', 'u', (x) => x.status === 'idle');
    await h.send(c, { id: 'c2', type: 'visit', userId: 'u' });
    const refused = await h.waitForView('cooldown', 'u', (x) => x.trace.some((t) => t.input.includes('c2')));
    expect(refused.entries).toBe(1);
    await new Promise((r) => setTimeout(r, 3200));
    await h.send(c, { id: 'c3', type: 'visit', userId: 'u' });
    const entered = await h.waitForView('cooldown', 'u', (x) => x.trace.some((t) => t.input.includes('c3')));
    expect(entered.entries).toBe(2);
  });

  it('frequency: at most `max` entries per window', async () => {
    const c = { key: 'frequency', version: await h.seedCampaign(waitAndEnd('frequency', { maxEntries: 10, frequency: { max: 2, per: 'PT60S' } }, 'PT1S')) };
    for (const id of ['f1', 'f2', 'f3', 'f4']) {
      await h.send(c, { id, type: 'visit', userId: 'u' });
      await h.waitForView('frequency', 'u', (x) => x.trace.some((t) => t.input.includes(id)) && x.status !== 'active');
    }
    const v = await h.view('frequency', 'u');
    expect(v.entries).toBe(2);
  });

  it('maxEntries holds even after the journey completed and a later event starts it again', async () => {
    const c = { key: 'once', version: await h.seedCampaign(waitAndEnd('once', { maxEntries: 1 }, 'PT1S')) };
    await h.send(c, { id: 'o1', type: 'visit', userId: 'u' });
    expect((await h.handle('once', 'u').result()).entries).toBe(1);
    await h.send(c, { id: 'o2', type: 'visit', userId: 'u' });
    const second = await h.handle('once', 'u').result();
    expect(second).toMatchObject({ status: 'ended', entries: 1 });
    expect(await entriesOf(h, 'once', 'u')).toBe(1);
  });

  it('maxEntries counts the entries of earlier executions of the journey (log keys are per execution)', async () => {
    const c = { key: 'twice', version: await h.seedCampaign(waitAndEnd('twice', { maxEntries: 2 }, 'PT1S')) };
    // An operator exit ends the first execution with an entry left; the next event starts a second one.
    await h.send(c, { id: 'tw1', type: 'visit', userId: 'u' });
    await h.handle('twice', 'u').signal(exitSignal, { version: 1, reason: 'support request' });
    expect((await h.handle('twice', 'u').result()).entries).toBe(1);
    await h.send(c, { id: 'tw2', type: 'visit', userId: 'u' });
    expect((await h.handle('twice', 'u').result()).entries).toBe(2);
    await h.send(c, { id: 'tw3', type: 'visit', userId: 'u' });
    expect(await h.handle('twice', 'u').result()).toMatchObject({ entries: 2, endReason: expect.stringMatching(/maxEntries/) });
    expect(await entriesOf(h, 'twice', 'u')).toBe(2);
  });
});
