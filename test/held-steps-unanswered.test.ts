import { defineSearchAttributeKey } from '@temporalio/common';
import { campaignKeySearchAttribute, HELD_STATE, HELD_STATE_APART, JOURNEY_WORKFLOW_TYPE, journeyStateSearchAttribute, userIdSearchAttribute } from '../src/workflows/journey/contract';
import { startReceiver } from './ledger/webhook-receiver';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { crmCallCampaign } from './support/campaign-fixtures';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * GET /v1/held-steps asks each held journey which steps it holds, and a
 * query needs a worker. With the worker down (when on-call looks), a held
 * journey is listed as unanswered, never dropped as if nothing were held.
 */
describe('held steps while no worker answers', () => {
  let sut: SystemUnderTest;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver(() => 400);
    // Its own namespace, though held steps are counted by task queue: the test below puts another deployment's journey beside this one's.
    sut = await startSystemUnderTest({ namespace: 'kairos-test-held-unanswered', env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  });
  afterAll(async () => {
    await sut?.stop();
    await receiver?.close();
  });

  it("counts and lists only this deployment's journeys: another's on its own task queue in the namespace is not held here", async () => {
    // A journey of another Kairos (its own TEMPORAL_TASK_QUEUE, no worker here polls it), held in a campaign this one has too.
    await launchCampaign(sut, { ...crmCallCampaign('crm-shared', receiver.url('/crm')), entry: { on: 'profile.completed' } });
    const foreign = await sut.client.workflow.start(JOURNEY_WORKFLOW_TYPE, {
      taskQueue: 'another-kairos',
      workflowId: 'journey:crm-shared:zed',
      args: [],
      typedSearchAttributes: [
        { key: defineSearchAttributeKey(campaignKeySearchAttribute.name, 'KEYWORD'), value: 'crm-shared' },
        { key: defineSearchAttributeKey(userIdSearchAttribute.name, 'KEYWORD'), value: 'zed' },
        { key: defineSearchAttributeKey(journeyStateSearchAttribute.name, 'KEYWORD'), value: HELD_STATE },
      ],
    });
    // And one of a user id visibility cannot match (a quote in it): that listing describes each campaign's journey by id.
    const quoted = 'zed "q"';
    const foreignQuoted = await sut.client.workflow.start(JOURNEY_WORKFLOW_TYPE, { taskQueue: 'another-kairos', workflowId: `journey:crm-shared:${quoted}`, args: [] });
    try {
      // Visibility lists it (so the checks below can fail) ...
      await eventually(async () => ((await sut.client.workflow.count(`WorkflowId = 'journey:crm-shared:zed' AND JourneyState = '${HELD_STATE}'`)).count === 1 ? true : undefined));
      // ... and this deployment, with a held journey of its own, shows that one alone.
      await sendEvent(sut, { id: 'yan-profile', type: 'profile.completed', userId: 'yan' });
      const held = await eventually(async () => {
        const r = await sut.request('GET', '/v1/held-steps', { role: 'support' });
        return r.body.held?.length + r.body.unanswered?.length >= 1 ? r.body : undefined;
      });
      expect([...held.held, ...held.unanswered].map((h: { userId: string }) => h.userId)).toEqual(['yan']);
      const metrics = (await sut.request('GET', '/metrics')).body as string;
      expect(metrics).toMatch(/^kairos_held_steps(\{[^}]*\})? 1$/m);
      const campaign = await sut.request('GET', '/v1/campaigns?counts=true', { role: 'operator' });
      expect(campaign.body.campaigns.find((c: { key: string }) => c.key === 'crm-shared').counts.running).toBe(1);
      expect((await sut.request('GET', '/v1/users/zed/journeys', { role: 'support' })).body.journeys).toEqual([]);
      expect((await sut.request('GET', `/v1/users/${encodeURIComponent(quoted)}/journeys`, { role: 'support' })).body.journeys).toEqual([]);
      expect((await sut.request('POST', '/v1/journeys/crm-shared/yan/skip', { role: 'operator', body: {} })).status).toBeLessThan(300);
    } finally {
      await foreign.terminate('test over');
      await foreignQuoted.terminate('test over');
    }
  });

  it('pages by start time: a journey released between pages pushes no held one off the next page', async () => {
    // Its own entry event: crm-down below enters on signup.completed.
    await launchCampaign(sut, { ...crmCallCampaign('crm-paged', receiver.url('/crm')), entry: { on: 'account.verified' } });
    const heldUsers = async (cursor?: string) => {
      const body = (await sut.request('GET', `/v1/held-steps?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { role: 'support' })).body;
      return { users: body.held.map((h: { userId: string }) => h.userId), next: body.next as string | null };
    };
    for (const user of ['ann', 'ben', 'cat']) {
      await sendEvent(sut, { id: `${user}-verified`, type: 'account.verified', userId: user });
      // Held before the next one starts, so visibility lists them newest first: cat, ben, ann.
      await eventually(async () => ((await heldUsers()).users[0] === user ? true : undefined));
    }
    const first = await heldUsers();
    expect(first.users).toEqual(['cat']);
    const skipped = await sut.request('POST', '/v1/journeys/crm-paged/cat/skip', { role: 'operator', body: {} });
    expect(skipped.status).toBeLessThan(300);
    // Visibility no longer lists cat as held: ben leads the first page now.
    await eventually(async () => ((await heldUsers()).users[0] === 'ben' ? true : undefined));
    // The page after cat's is ben's, not (as by position) ann's.
    const second = await heldUsers(first.next ?? undefined);
    expect(second.users).toEqual(['ben']);
    const third = await heldUsers(second.next ?? undefined);
    expect(third).toEqual({ users: ['ann'], next: null });
    for (const user of ['ben', 'ann']) expect((await sut.request('POST', `/v1/journeys/crm-paged/${user}/skip`, { role: 'operator', body: {} })).status).toBeLessThan(300);
  });

  it('a campaign with a state named held: journeys waiting there are not held steps, and a held step there shows as (held) (patch schedule-end-held-apart)', async () => {
    await launchCampaign(sut, {
      key: 'review-hold',
      name: 'Orders held for review',
      entry: { on: 'review.requested' },
      initial: 'held',
      states: {
        held: { transitions: [{ to: 'calling', on: 'order.flagged' }] },
        calling: { actions: { steps: [{ id: 'notify-crm', type: 'webhook', url: receiver.url('/crm') }] }, transitions: [{ to: 'done', on: 'journey.close' }] },
        done: { end: true },
      },
    });
    const waiting = ['wes', 'wyn'];
    for (const user of [...waiting, 'vic']) await sendEvent(sut, { id: `${user}-review`, type: 'review.requested', userId: user });
    await sendEvent(sut, { id: 'vic-flagged', type: 'order.flagged', userId: 'vic' });
    const shown = async (user: string) =>
      (await sut.client.workflow.getHandle(`journey:review-hold:${user}`).describe()).typedSearchAttributes.get(journeyStateSearchAttribute);
    // Visibility has caught up with all three (so the checks below can fail): two wait in the state `held`, vic holds a step.
    await eventually(async () => {
      const count = (q: string) => sut.client.workflow.count(`CampaignKey = 'review-hold' AND ${q}`).then((r) => r.count);
      return (await count(`JourneyState = '${HELD_STATE}'`)) === 2 && (await count(`JourneyState = '${HELD_STATE_APART}'`)) === 1 ? true : undefined;
    });
    expect(await shown('wes')).toBe(HELD_STATE);
    expect(await shown('vic')).toBe(HELD_STATE_APART);
    const page = (await sut.request('GET', '/v1/held-steps', { role: 'support' })).body;
    expect({ held: page.held.map((h: { userId: string; stepId: string }) => [h.userId, h.stepId]), unanswered: page.unanswered }).toEqual({ held: [['vic', 'notify-crm']], unanswered: [] });
    // The gauge counts vic alone (the paging test's skips may reach visibility a moment later; the waiting two never go).
    const heldGauge = async () => /^kairos_held_steps(?:\{[^}]*\})? (\d+)$/m.exec((await sut.request('GET', '/metrics')).body as string)?.[1];
    expect(await eventually(async () => ((await heldGauge()) === '1' ? '1' : undefined), 20_000)).toBe('1');
    const wes = (await sut.request('GET', '/v1/users/wes/journeys', { role: 'support' })).body.journeys;
    expect(wes.map((j: { state: string; held: number }) => [j.state, j.held])).toEqual([['held', 0]]);
    expect((await sut.request('POST', '/v1/journeys/review-hold/vic/skip', { role: 'operator', body: {} })).status).toBeLessThan(300);
  });

  it('lists the held journey as unanswered, with its link, and no held step', async () => {
    await launchCampaign(sut, crmCallCampaign('crm-down', receiver.url('/crm')));
    await sendEvent(sut, { id: 'fay-signup', type: 'signup.completed', userId: 'fay' });
    await eventually(async () => {
      const r = await sut.request('GET', '/v1/held-steps', { role: 'support' });
      return r.body.held?.length === 1 ? true : undefined;
    });
    await sut.stopWorker();
    const res = await sut.request('GET', '/v1/held-steps', { role: 'support' });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { held: [], unanswered: [{ campaign: 'crm-down', userId: 'fay', workflowId: 'journey:crm-down:fay', temporalUrl: null }], next: null },
    });
  });
});
