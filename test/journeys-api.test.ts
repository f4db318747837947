import { JOURNEY_WORKFLOW_TYPE } from '../src/workflows/journey/contract';
import { startReceiver } from './ledger/webhook-receiver';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const UI = 'http://temporal-ui.test:8233';
/** A Temporal run id. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Waits in `collecting` until a third order; the journey stays running meanwhile. */
const loyal = {
  key: 'loyal',
  name: 'Three orders',
  entry: { on: 'order.completed' },
  initial: 'collecting',
  states: {
    collecting: { transitions: [{ to: 'rewarded', when: "count('order.completed') >= 3" }] },
    rewarded: { actions: { steps: [{ type: 'points', amount: 5 }] }, end: true },
  },
};

/** A webhook step then points; stays in `calling` (running) until `journey.close`. */
const hooked = (key: string, on: string, actions: Record<string, unknown>) => ({
  key,
  name: key,
  entry: { on },
  initial: 'calling',
  states: { calling: { actions, transitions: [{ to: 'done', on: 'journey.close' }] }, done: { end: true } },
});

describe('journeys API: listing with deep links, state and trace, exit, retry and skip', () => {
  let sut: SystemUnderTest;
  let hookStatus = 400;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    // /bad always refuses; /hook answers what the test sets.
    receiver = await startReceiver((r) => (r.path === '/bad' ? 400 : hookStatus));
    // Its own namespace: it lists users' journeys across campaigns, and other suites start journeys for `ann` too.
    sut = await startSystemUnderTest({ namespace: 'kairos-test-journeys-api', env: { TEMPORAL_UI_URL: `${UI}/`, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    await launchCampaign(sut, loyal);
    await launchCampaign(sut, hooked('hook', 'signup.completed', { steps: [{ id: 'call', type: 'webhook', url: receiver.url('/hook') }, { id: 'after', type: 'points', amount: 3 }] }));
    await launchCampaign(sut, {
      key: 'again',
      name: 'again',
      entry: { on: 'visit.made' },
      participation: { maxEntries: 3 },
      initial: 'give',
      // The count makes running journeys listen to the entry type: paused, it still reaches them, as a plain signal.
      states: { give: { actions: { steps: [{ type: 'points', amount: 1 }] }, transitions: [{ to: 'done', when: "count('visit.made') >= 1" }] }, done: { end: true } },
    });
    await launchCampaign(sut, hooked('badhook', 'signup.bounced', { steps: [{ id: 'call', type: 'webhook', url: receiver.url('/bad') }] }));
    await launchCampaign(sut, hooked('twohooks', 'signup.verified', { strategy: 'parallel', steps: [{ id: 'a', type: 'webhook', url: receiver.url('/bad') }, { id: 'b', type: 'webhook', url: receiver.url('/bad') }] }));
  });
  afterAll(async () => {
    await sut?.stop();
    await receiver?.close();
  });

  const as = (role: 'support' | 'operator') => (method: string, path: string, body?: unknown) => sut.request(method, path, { role, body });
  const support = as('support');
  const operator = as('operator');
  const journeysOf = (userId: string) => support('GET', `/v1/users/${encodeURIComponent(userId)}/journeys`);
  const listed = (userId: string, n: number) =>
    eventually(async () => {
      const r = await journeysOf(userId);
      return r.status === 200 && r.body.journeys.length === n ? r.body.journeys : undefined;
      // A bound on waiting for visibility and a busy worker (a loaded CI machine), not a timing assertion.
    }, 60_000);
  const journey = (campaign: string, user: string) => support('GET', `/v1/journeys/${campaign}/${encodeURIComponent(user)}`);
  const pointsOf = async (user: string) => (await support('GET', `/v1/users/${encodeURIComponent(user)}/rewards`)).body.balances.points;

  it("lists a user's journeys from Temporal with their state and a link into the Temporal UI", async () => {
    await sendEvent(sut, { id: 'ann-1', type: 'order.completed', userId: 'ann' });
    await sendEvent(sut, { id: 'ann-s', type: 'signup.completed', userId: 'ann-other' });
    const [j] = await listed('ann', 1);
    expect(j).toEqual({
      campaign: 'loyal',
      version: 1,
      state: 'collecting',
      status: 'running',
      journeyStatus: 'active',
      held: 0,
      entries: 1,
      enteredAt: expect.stringMatching(/^\d{4}-/),
      closedAt: null,
      workflowId: 'journey:loyal:ann',
      runId: expect.stringMatching(RUN_ID),
      temporalUrl: `${UI}/namespaces/kairos-test-journeys-api/workflows/journey%3Aloyal%3Aann`,
    });
    expect((await journeysOf('ann')).body.truncated).toBe(false);
    expect((await journeysOf('nobody')).body).toEqual({ journeys: [], truncated: false });
  });

  it('says a journey every entry of which the audience refused was never entered (entries 0)', async () => {
    await launchCampaign(sut, { ...loyal, key: 'gold-only', name: 'Gold members', audience: 'user.level >= 5', entry: { on: 'gold.checked' } });
    await sut.request('PUT', '/v1/users/bea', { role: 'ingest', body: { attributes: { level: 1 } } });
    await sendEvent(sut, { id: 'bea-1', type: 'gold.checked', userId: 'bea' });
    const [j] = await eventually(async () => {
      const js = await listed('bea', 1);
      return js[0].entries !== null ? js : undefined;
    }, 60_000);
    expect(j).toMatchObject({ campaign: 'gold-only', entries: 0, enteredAt: expect.stringMatching(/^\d{4}-/) });
  });

  it('finds journeys of user ids with quotes and backslashes, and a user id never widens the search', async () => {
    // Visibility cannot match these exactly: the journeys are described by id instead.
    for (const [i, odd] of ['o"brien\\x', 'back\\slash', '"quoted"'].entries()) {
      await sendEvent(sut, { id: `odd-${i}`, type: 'order.completed', userId: odd });
      const [j] = await listed(odd, 1);
      expect(j).toMatchObject({ workflowId: `journey:loyal:${odd}`, campaign: 'loyal', state: 'collecting', status: 'running' });
    }
    // These go through visibility, as one literal each.
    await sendEvent(sut, { id: 'odd-q', type: 'order.completed', userId: "it's" });
    expect((await listed("it's", 1))[0].workflowId).toBe("journey:loyal:it's");
    expect((await journeysOf("ann' OR UserId != '")).body.journeys).toEqual([]);
    // Unescaped, this would read: UserId = "ann" OR UserId != "" and list everyone's journeys.
    const injection = await journeysOf('ann" OR UserId != "');
    expect(injection.status).toBe(200);
    expect(injection.body.journeys).toEqual([]);
  });

  it('shows the journey state and its decision trace; 404 for a journey that never ran', async () => {
    await sendEvent(sut, { id: 'ann-2', type: 'order.completed', userId: 'ann' });
    const view = await eventually(async () => {
      const r = await journey('loyal', 'ann');
      return r.body.trace?.some((t: { input: string }) => t.input.includes('ann-2')) ? r : undefined;
    });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      workflowId: 'journey:loyal:ann',
      campaignKey: 'loyal',
      campaignVersion: 1,
      userId: 'ann',
      status: 'active',
      states: ['collecting'],
      temporalStatus: 'running',
      temporalUrl: `${UI}/namespaces/kairos-test-journeys-api/workflows/journey%3Aloyal%3Aann`,
    });
    const notes = view.body.trace.flatMap((t: { notes: unknown[] }) => t.notes);
    expect(notes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'entered' })]));
    // Why the transition did not fire on the second order: the count, with its value.
    const failed = notes.flatMap((n: { candidates?: Array<{ failed: Array<{ text: string; values: Record<string, string> }> }> }) => n.candidates ?? []).flatMap((c: { failed: unknown[] }) => c.failed);
    expect(failed).toEqual(expect.arrayContaining([expect.objectContaining({ text: expect.stringContaining("count('order.completed')"), values: expect.objectContaining({}) })]));
    expect(JSON.stringify(failed)).toContain('2');

    const none = await journey('loyal', 'nobody');
    expect({ status: none.status, code: none.body.error.code }).toEqual({ status: 404, code: 'not_found' });
  });

  it('answers 503 with Retry-After for a started journey no worker has run yet: a worker is all it needs', async () => {
    // Started on a task queue no worker polls (the workers down): running, its first workflow task never taken. Temporal
    // holds the state query until a worker takes it, so it is the 10 s deadline that answers (not a FAILED_PRECONDITION refusal).
    const unrun = await sut.client.workflow.start(JOURNEY_WORKFLOW_TYPE, { taskQueue: 'no-worker-polls-this', workflowId: 'journey:loyal:unrun', args: [] });
    try {
      const r = await journey('loyal', 'unrun');
      expect({ status: r.status, code: r.body.error.code, retryAfter: r.headers.get('retry-after') }).toEqual({ status: 503, code: 'temporal_unavailable', retryAfter: '5' });
      expect(r.body.error.message).not.toContain('refused');
    } finally {
      await unrun.terminate('test over');
    }
  });

  it('exits a running journey (202), then 404 since it no longer runs; a bad reason is a 400 with its path', async () => {
    await sendEvent(sut, { id: 'cy-1', type: 'order.completed', userId: 'cy' });
    await listed('cy', 1);
    const bad = await operator('POST', '/v1/journeys/loyal/cy/exit', { reason: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['reason']);
    expect((await support('POST', '/v1/journeys/loyal/cy/exit', {})).status).toBe(403);

    const exit = await operator('POST', '/v1/journeys/loyal/cy/exit', { reason: 'asked by the user' });
    expect(exit.status).toBe(202);
    expect(exit.body).toEqual({ workflowId: 'journey:loyal:cy', exit: 'requested', reason: 'asked by the user' });
    const closed = await eventually(async () => {
      const [j] = await listed('cy', 1);
      return j.status === 'completed' ? j : undefined;
    });
    expect(closed).toMatchObject({ state: null, journeyStatus: 'ended', closedAt: expect.any(String) });
    const view = await journey('loyal', 'cy');
    expect(view.body).toMatchObject({ status: 'ended', temporalStatus: 'completed', endReason: expect.stringContaining('asked by the user') });
    const again = await operator('POST', '/v1/journeys/loyal/cy/exit', {});
    expect(again.status).toBe(404);
    expect((await operator('POST', '/v1/journeys/loyal/nobody/exit', {})).status).toBe(404);
  });

  it('retries a held webhook step: 409 for a step not held, then the retry succeeds and the journey goes on', async () => {
    hookStatus = 400;
    await sendEvent(sut, { id: 'dee-1', type: 'signup.completed', userId: 'dee' });
    const held = await eventually(async () => {
      const r = await journey('hook', 'dee');
      return r.body.held?.length === 1 ? r.body : undefined;
    });
    expect(held.held[0]).toMatchObject({ stepId: 'call', error: expect.stringMatching(/400/) });
    const [listedHeld] = await listed('dee', 1);
    expect(listedHeld).toMatchObject({ held: 1, state: 'calling', status: 'running' });

    const wrong = await operator('POST', '/v1/journeys/hook/dee/retry', { stepId: 'nope' });
    expect({ status: wrong.status, code: wrong.body.error.code }).toEqual({ status: 409, code: 'not_held' });
    // It says what is held, so the operator sees what to name instead.
    expect(wrong.body.error.message).toContain(`no action is held at step nope; held: call on path ${held.held[0].pathId}`);
    const badBody = await operator('POST', '/v1/journeys/hook/dee/retry', { stepId: 7, step: 'call' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['step', 'stepId']);
    expect(await pointsOf('dee')).toBe(0);

    hookStatus = 200;
    const retry = await operator('POST', '/v1/journeys/hook/dee/retry', {});
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ workflowId: 'journey:hook:dee', pathId: held.held[0].pathId, stepId: 'call', decision: 'retry' });
    expect(await eventually(async () => ((await pointsOf('dee')) === 3 ? 3 : undefined))).toBe(3);
    expect((await journey('hook', 'dee')).body.held).toEqual([]);
    const nothingHeld = await operator('POST', '/v1/journeys/hook/dee/skip', {});
    expect({ status: nothingHeld.status, code: nothingHeld.body.error.code }).toEqual({ status: 409, code: 'not_held' });
    expect((await operator('POST', '/v1/journeys/hook/nobody/retry', {})).status).toBe(404);
  });

  it('carries out a retry sent again with its Idempotency-Key once, and refuses the key for another decision', async () => {
    const decide = (what: 'retry' | 'skip', key?: string) =>
      sut.request('POST', `/v1/journeys/badhook/gus/${what}`, { role: 'operator', body: {}, headers: key === undefined ? {} : { 'Idempotency-Key': key } });
    const inputs = async () => ((await journey('badhook', 'gus')).body.trace ?? []).map((t: { input: string }) => t.input);
    const count = (list: string[], input: string) => list.filter((i) => i === input).length;
    const heldTimes = (n: number) => eventually(async () => ((await inputs()).filter((i: string) => i === 'held call').length === n ? true : undefined), 60_000);
    await sendEvent(sut, { id: 'gus-1', type: 'signup.bounced', userId: 'gus' });
    await heldTimes(1);

    const first = await decide('retry', 'gus-retry-1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ workflowId: 'journey:badhook:gus', stepId: 'call', decision: 'retry' });
    // /bad refuses again: the step is held a second time, and could be retried again.
    await heldTimes(2);
    const resent = await decide('retry', 'gus-retry-1');
    expect({ status: resent.status, body: resent.body }).toEqual({ status: 200, body: first.body });
    expect(count(await inputs(), 'operator retry call')).toBe(1);

    // Without the key a resend is another decision; the key stands for the first one only.
    const another = await decide('retry');
    expect(another.status).toBe(200);
    expect(count(await inputs(), 'operator retry call')).toBe(2);
    const reused = await decide('skip', 'gus-retry-1');
    expect({ status: reused.status, code: reused.body.error.code }).toEqual({ status: 409, code: 'idempotency_key_reused' });
    expect(reused.body.error.message).toContain('Idempotency-Key gus-retry-1 was used for the retry of call');

    const badKey = await decide('skip', 'two words');
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.details.map((d: { path: string }) => d.path)).toEqual(['headers.idempotency-key']);
    await heldTimes(3);
    const skipped = await decide('skip', 'gus-skip-1');
    expect(skipped.body).toMatchObject({ stepId: 'call', decision: 'skip' });
    expect((await journey('badhook', 'gus')).body.held).toEqual([]);
  });

  it('decides the hold the operator saw: a step held again since is a 409 not_held, and nothing is decided', async () => {
    await sendEvent(sut, { id: 'hal-1', type: 'signup.bounced', userId: 'hal' });
    type HeldItem = { workflowId: string; runId: string; stepId: string; since: string };
    const heldItem = (unlike?: string) =>
      eventually(async () => {
        const r = await support('GET', '/v1/held-steps?limit=100');
        const item = (r.body.held as HeldItem[] | undefined)?.find((h) => h.workflowId === 'journey:badhook:hal');
        return item && item.since !== unlike ? item : undefined;
      }, 60_000);
    const first = await heldItem();
    expect(first).toMatchObject({ runId: expect.stringMatching(RUN_ID), stepId: 'call' });
    expect((await journey('badhook', 'hal')).body.runId).toBe(first.runId);

    // Retried, /bad refuses again: the step is held a second time, since later.
    const retried = await operator('POST', '/v1/journeys/badhook/hal/retry', { stepId: 'call', runId: first.runId, since: first.since });
    expect(retried.status).toBe(200);
    const second = await heldItem(first.since);
    // A skip sent for the first hold (a second operator's page, not refreshed yet) skips nothing.
    const stale = await operator('POST', '/v1/journeys/badhook/hal/skip', { stepId: 'call', runId: first.runId, since: first.since });
    expect({ status: stale.status, code: stale.body.error.code }).toEqual({ status: 409, code: 'not_held' });
    expect(stale.body.error.message).toContain(`is held since ${second.since}, not since ${first.since}`);
    expect((await journey('badhook', 'hal')).body.held).toEqual([expect.objectContaining({ stepId: 'call', since: second.since })]);
    // The hold on the page now is decided.
    const skipped = await operator('POST', '/v1/journeys/badhook/hal/skip', { stepId: 'call', runId: second.runId, since: second.since });
    expect(skipped.body).toMatchObject({ stepId: 'call', decision: 'skip' });
    const badSince = await operator('POST', '/v1/journeys/badhook/hal/skip', { since: 'yesterday', runId: 'run-1' });
    expect({ status: badSince.status, paths: badSince.body.error.details.map((d: { path: string }) => d.path).sort() }).toEqual({ status: 400, paths: ['runId', 'since'] });
  });

  it('an exit sent for a run that has ended reaches no later run: 409 run_changed while another runs, 404 when none does', async () => {
    await launchCampaign(sut, { ...loyal, key: 'reenter', name: 'Re-entered', entry: { on: 'reenter.visit' }, participation: { maxEntries: 5 } });
    const runOf = async (status: string, unlike?: string) =>
      eventually(async () => {
        const r = await journey('reenter', 'ida');
        return r.status === 200 && r.body.temporalStatus === status && r.body.runId !== unlike ? (r.body.runId as string) : undefined;
      }, 60_000);
    await sendEvent(sut, { id: 'ida-1', type: 'reenter.visit', userId: 'ida' });
    const first = await runOf('running');
    expect(first).toMatch(RUN_ID);
    expect((await operator('POST', '/v1/journeys/reenter/ida/exit', { runId: first })).status).toBe(202);
    await runOf('completed');
    // The user's next event starts the journey again, in a new run nobody has looked at.
    await sendEvent(sut, { id: 'ida-2', type: 'reenter.visit', userId: 'ida' });
    const second = await runOf('running', first);

    const stale = await operator('POST', '/v1/journeys/reenter/ida/exit', { reason: 'seen on the old page', runId: first });
    expect({ status: stale.status, code: stale.body.error.code }).toEqual({ status: 409, code: 'run_changed' });
    expect(stale.body.error.message).toContain(`the journey runs on in run ${second}`);
    expect((await journey('reenter', 'ida')).body).toMatchObject({ runId: second, temporalStatus: 'running' });
    const stepped = await operator('POST', '/v1/journeys/reenter/ida/retry', { runId: first });
    expect({ status: stepped.status, code: stepped.body.error.code }).toEqual({ status: 409, code: 'run_changed' });

    expect((await operator('POST', '/v1/journeys/reenter/ida/exit', { runId: second })).status).toBe(202);
    await runOf('completed', first);
    expect((await operator('POST', '/v1/journeys/reenter/ida/exit', { runId: first })).status).toBe(404);
  });

  it('a paused campaign enters nobody, not even a user whose journey waits idle for the next entry (and preview says so)', async () => {
    const entriesOf = async () => (await journey('again', 'ivy')).body.entries as number;
    await sendEvent(sut, { id: 'ivy-1', type: 'visit.made', userId: 'ivy' });
    await eventually(async () => ((await journey('again', 'ivy')).body.status === 'idle' ? true : undefined), 60_000);
    expect(await entriesOf()).toBe(1);

    expect((await operator('POST', '/v1/campaigns/again/pause')).status).toBe(200);
    const previewed = await operator('POST', '/v1/campaigns/again/preview', { userId: 'ivy', event: { type: 'visit.made' } });
    expect(previewed.body).toMatchObject({ basedOn: 'journey', entered: false, refusedBecause: expect.stringContaining('no entry: Kairos delivered this event to running journeys only') });
    await sendEvent(sut, { id: 'ivy-2', type: 'visit.made', userId: 'ivy' });
    // The journey took the event (it is in its trace) and did not enter.
    await eventually(async () => ((await journey('again', 'ivy')).body.trace.some((t: { input: string }) => t.input.includes('ivy-2')) ? true : undefined), 60_000);
    expect(await entriesOf()).toBe(1);
    expect(await pointsOf('ivy')).toBe(1);

    // Active again, the next event enters.
    expect((await operator('POST', '/v1/campaigns/again/activate')).status).toBe(200);
    await sendEvent(sut, { id: 'ivy-3', type: 'visit.made', userId: 'ivy' });
    expect(await eventually(async () => ((await entriesOf()) === 2 ? 2 : undefined), 60_000)).toBe(2);
  });

  it('skips a held step, and asks which one when several are held', async () => {
    hookStatus = 400;
    await sendEvent(sut, { id: 'eve-1', type: 'signup.completed', userId: 'eve' });
    await eventually(async () => ((await journey('hook', 'eve')).body.held?.length === 1 ? true : undefined));
    const skip = await operator('POST', '/v1/journeys/hook/eve/skip', { stepId: 'call' });
    expect(skip.status).toBe(200);
    expect(skip.body).toMatchObject({ stepId: 'call', decision: 'skip' });
    expect(await eventually(async () => ((await pointsOf('eve')) === 3 ? 3 : undefined))).toBe(3);

    await sendEvent(sut, { id: 'fay-1', type: 'signup.verified', userId: 'fay' });
    await eventually(async () => ((await journey('twohooks', 'fay')).body.held?.length === 2 ? true : undefined));
    const ambiguous = await operator('POST', '/v1/journeys/twohooks/fay/skip', {});
    expect({ status: ambiguous.status, code: ambiguous.body.error.code }).toEqual({ status: 409, code: 'ambiguous_held' });
    expect(ambiguous.body.error.message).toMatch(/^2 actions are held \(.+ on path .+, .+ on path .+\): name the stepId$/);
    const named = await operator('POST', '/v1/journeys/twohooks/fay/skip', { stepId: 'b' });
    expect(named.body).toMatchObject({ stepId: 'b', decision: 'skip' });
    expect((await journey('twohooks', 'fay')).body.held.map((h: { stepId: string }) => h.stepId)).toEqual(['a']);
  });
});
