import { WorkflowNotFoundError } from '@temporalio/client';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { spendTwenty } from './support/campaign-fixtures';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** Users of level 2 and up enter on an order; 20 spent moves them to `rewarded`: 10 points per unit spent, and a message. */
const spend = spendTwenty('spend', {
  strategy: 'parallel',
  steps: [
    { id: 'pts', type: 'points', amount: "sum('order.completed', 'amount') * 10" },
    { id: 'tell', type: 'message', channel: 'inapp', template: 'well-done' },
  ],
});

/** 10 points for each finished lesson, twice at most: a journey stays idle after the first, for the next entry. */
const lessons = {
  key: 'lessons',
  name: 'Lessons',
  entry: { on: 'lesson.finished' },
  participation: { maxEntries: 2 },
  initial: 'gift',
  states: { gift: { actions: { steps: [{ id: 'pts', type: 'points', amount: 10 }] }, end: true } },
};

/** A visit enters at once and ends the path: the journey waits idle for the next visit, 3 s after the last at the earliest. */
const visits = {
  key: 'visits',
  name: 'Visits',
  entry: { on: 'visit' },
  participation: { maxEntries: 3, cooldown: 'PT3S' },
  initial: 'a',
  states: { a: { transitions: [{ to: 'done' }] }, done: { end: true } },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('preview: what an event would do for a user now, with nothing issued', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
    await launchCampaign(sut, spend);
    await launchCampaign(sut, lessons);
    await launchCampaign(sut, visits);
    await sut.request('POST', '/v1/campaigns', { role: 'operator', body: { ...spend, key: 'drafty' } });
  });
  afterAll(async () => sut?.stop());

  const previewFor = (userId: string, event: Record<string, unknown>, key = 'spend') =>
    sut.request('POST', `/v1/campaigns/${key}/preview`, { role: 'support', body: { userId, event } });
  const setLevel = (userId: string, level: number) => sut.request('PUT', `/v1/users/${userId}`, { role: 'ingest', body: { attributes: { level } } });
  const issuedTo = async (userId: string) => (await sut.db.dataSource.query(`select count(*)::int as n from rewards where user_id = $1`, [userId]))[0].n as number;
  const journeyExists = (userId: string) =>
    sut.client.workflow
      .getHandle(`journey:spend:${userId}`)
      .describe()
      .then(() => true)
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      });

  it('without a journey: the active plan from the stored profile, refusals included, and no journey started', async () => {
    const outsider = await previewFor('low', { type: 'order.completed', properties: { amount: 25 } });
    expect(outsider.status).toBe(200);
    expect(outsider.body).toMatchObject({ campaign: 'spend', version: 1, basedOn: 'campaign', workflowId: 'journey:spend:low', entered: false, transitions: [], rewards: [] });
    expect(outsider.body.refusedBecause).toMatch(/audience/);

    await setLevel('pat', 3);
    const res = await previewFor('pat', { type: 'order.completed', properties: { amount: 25 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ basedOn: 'campaign', entered: true });
    expect(res.body.transitions.map((t: { from: string | null; to: string }) => [t.from, t.to])).toEqual([
      [null, 'collecting'],
      ['collecting', 'rewarded'],
    ]);
    expect(res.body.rewards).toEqual([{ stepId: 'pts', action: { type: 'points', amount: 250, pool: null }, idempotencyKey: 'spend:pat:1:1:pts' }]);
    expect(res.body.messages).toEqual([expect.objectContaining({ stepId: 'tell', action: expect.objectContaining({ type: 'message', template: 'well-done' }) })]);

    const small = await previewFor('pat', { type: 'order.completed', properties: { amount: 0 } });
    expect(small.body).toMatchObject({ entered: false, rewards: [] });

    expect(await issuedTo('pat')).toBe(0);
    expect(await journeyExists('pat')).toBe(false);
  });

  it("with a running journey: the journey's own answer from its state, which the preview leaves as it was", async () => {
    await setLevel('quin', 2);
    await sendEvent(sut, { id: 'quin-1', type: 'order.completed', userId: 'quin', properties: { amount: 5 } });
    const before = await eventually(async () => {
      const r = await sut.request('GET', '/v1/journeys/spend/quin', { role: 'support' });
      return r.status === 200 && r.body.states[0] === 'collecting' ? r.body : undefined;
    });

    const enough = await previewFor('quin', { id: 'quin-2', type: 'order.completed', properties: { amount: 15 } });
    expect(enough.status).toBe(200);
    expect(enough.body).toMatchObject({ basedOn: 'journey', version: 1, entered: false });
    expect(enough.body.transitions).toEqual([expect.objectContaining({ from: 'collecting', to: 'rewarded' })]);
    // 5 already spent in the journey + 15: only the journey's state knows the first 5.
    expect(enough.body.rewards).toEqual([expect.objectContaining({ stepId: 'pts', action: { type: 'points', amount: 200, pool: null } })]);

    const notYet = await previewFor('quin', { type: 'order.completed', properties: { amount: 1 } });
    expect(notYet.body).toMatchObject({ basedOn: 'journey', transitions: [], rewards: [] });

    // Nothing issued, nothing changed: the journey is where it was and still takes quin-2 for real.
    expect(await issuedTo('quin')).toBe(0);
    const after = await sut.request('GET', '/v1/journeys/spend/quin', { role: 'support' });
    expect(after.body.states).toEqual(['collecting']);
    expect(after.body.paths[0].aggregates).toEqual(before.paths[0].aggregates);
    expect(after.body.trace).toEqual(before.trace);
    await sendEvent(sut, { id: 'quin-2', type: 'order.completed', userId: 'quin', properties: { amount: 15 } });
    const rewards = await eventually(async () => {
      const r = await sut.request('GET', '/v1/users/quin/rewards', { role: 'support' });
      return r.body.rewards.length === 1 ? r.body : undefined;
    });
    expect(rewards.balances.points).toBe(200);
  });

  /**
   * A query runs at the time of the journey's last workflow task (the SDK does not move a query's clock): an idle
   * journey previewed a visit after its cooldown as still in it, though the visit sent for real enters.
   */
  it("with a running journey: judged at the time of the request, not at the journey's last workflow task", async () => {
    await sendEvent(sut, { id: 'vic-1', type: 'visit', userId: 'vic' });
    await eventually(async () => {
      const r = await sut.request('GET', '/v1/journeys/visits/vic', { role: 'support' });
      return r.status === 200 && r.body.status === 'idle' && r.body.entries === 1 ? r.body : undefined;
    });
    await sleep(4000);
    const res = await previewFor('vic', { type: 'visit' }, 'visits');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ basedOn: 'journey', entered: true, transitions: [expect.objectContaining({ from: null, to: 'a' }), expect.objectContaining({ from: 'a', to: 'done' })] });
    expect(res.body.refusedBecause).toBeUndefined();

    await sendEvent(sut, { id: 'vic-2', type: 'visit', userId: 'vic' });
    await eventually(async () => {
      const r = await sut.request('GET', '/v1/journeys/visits/vic', { role: 'support' });
      return r.status === 200 && r.body.entries === 2 ? r.body : undefined;
    });
  });

  /**
   * A journey's start ignores an event an earlier execution entered on (patch seen-events-outlive-run); the preview
   * for a user with no running journey did not ask, and said that event enters.
   */
  it('without a running journey: an event an ended journey of the user entered on is refused, a new one still enters', async () => {
    await sendEvent(sut, { id: 'L-1', type: 'lesson.finished', userId: 'rae' });
    await eventually(async () => {
      const r = await sut.request('GET', '/v1/journeys/lessons/rae', { role: 'support' });
      return r.status === 200 && r.body.status === 'idle' ? r.body : undefined;
    });
    expect((await sut.request('POST', '/v1/journeys/lessons/rae/exit', { role: 'operator', body: { reason: 'support request' } })).status).toBe(202);
    await eventually(async () => {
      const r = await sut.request('GET', '/v1/journeys/lessons/rae', { role: 'support' });
      return r.status === 200 && r.body.temporalStatus === 'completed' ? r.body : undefined;
    });

    // An entry is left (maxEntries 2), but L-1 was taken: a resend of it would not enter the user's next journey.
    const taken = await previewFor('rae', { id: 'L-1', type: 'lesson.finished' }, 'lessons');
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ basedOn: 'campaign', version: 1, entered: false, transitions: [], rewards: [], messages: [], conditions: [] });
    expect(taken.body.refusedBecause).toBe('event L-1 was already taken: user rae entered campaign lessons on it before, and a journey ignores an event it has taken');

    const fresh = await previewFor('rae', { id: 'L-2', type: 'lesson.finished' }, 'lessons');
    expect(fresh.body).toMatchObject({ basedOn: 'campaign', entered: true });
    expect(fresh.body.refusedBecause).toBeUndefined();
    expect(fresh.body.rewards).toEqual([expect.objectContaining({ stepId: 'pts', action: { type: 'points', amount: 10, pool: null } })]);
    expect((await previewFor('rae', { type: 'lesson.finished' }, 'lessons')).body).toMatchObject({ entered: true });
  });

  it('404 for an unknown campaign, 409 without an active version, 400 with the paths of a bad body', async () => {
    const unknown = await previewFor('pat', { type: 'order.completed' }, 'nope');
    expect({ status: unknown.status, code: unknown.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    const draft = await previewFor('pat', { type: 'order.completed' }, 'drafty');
    expect({ status: draft.status, code: draft.body.error.code }).toEqual({ status: 409, code: 'not_active' });

    const bad = await sut.request('POST', '/v1/campaigns/spend/preview', {
      role: 'support',
      body: { event: { type: 'bad type!', occurredAt: 'yesterday', properties: [], extra: 1 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['event.extra', 'event.occurredAt', 'event.properties', 'event.type', 'userId']);
    const otherUser = await previewFor('pat', { type: 'order.completed', userId: 'someone-else' });
    expect(otherUser.status).toBe(400);
    expect(otherUser.body.error.details).toEqual([{ path: 'event.userId', message: expect.any(String) }]);
    expect((await sut.request('POST', '/v1/campaigns/spend/preview', { role: 'ingest', body: { userId: 'pat', event: { type: 'x' } } })).status).toBe(403);
  });
});
