import { campaignVersionSearchAttribute } from '../src/workflows/journey/contract';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * A returning user's new entry runs the version activation points new
 * entries at (CAMPAIGNS.md, "Versions"), though the user's journey from an
 * earlier entry still runs, idle: it moves to that version with its
 * participation (patch entry-follows-activation). A journey with a path
 * keeps its version. Through the API, as QA reproduced it.
 */

/** Enter on `on`, give `points` (step `id`), end. */
const giving = (key: string, id: string, points: number, participation: Record<string, unknown>, on = 'visit') => ({
  key,
  name: `${key} ${id}`,
  entry: { on },
  participation,
  initial: 'give',
  states: { give: { actions: { steps: [{ id, type: 'points', amount: points }] }, transitions: [{ to: 'done' }] }, done: { end: true } },
});

/** Enter on `visit`, wait for `finish` (or a month), then give `points` as step `id`. */
const waitThenGive = (key: string, id: string, points: number) => ({
  key,
  name: `${key} ${id}`,
  entry: { on: 'visit' },
  participation: { maxEntries: 3, mode: 'serial' },
  initial: 'waiting',
  states: {
    waiting: { transitions: [{ to: 'give', on: 'finish' }, { to: 'done', after: 'P30D' }] },
    give: { actions: { steps: [{ id, type: 'points', amount: points }] }, transitions: [{ to: 'done' }] },
    done: { end: true },
  },
});

interface JourneyBody {
  campaignVersion: number;
  status: string;
  entries: number;
  paths: Array<{ pathId: string; state: string }>;
  trace: Array<{ input: string; notes: Array<{ kind: string; message: string }> }>;
}

describe('a returning user enters on the active version', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  const op = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
  const journey = async (key: string, user: string) => {
    const res = await sut.request('GET', `/v1/journeys/${key}/${user}`, { role: 'support' });
    // While a run hands over (continue-as-new) or a loaded worker is slow to answer the query, the API says so with an error: ask again.
    if (res.status !== 200) throw new Error(`GET /v1/journeys/${key}/${user}: ${res.status}`);
    return res.body as JourneyBody;
  };
  const journeyWhen = (key: string, user: string, ok: (j: JourneyBody) => boolean) =>
    eventually(async () => {
      const j = await journey(key, user).catch(() => undefined);
      return j && ok(j) ? j : undefined;
    }, 30_000);
  const rewards = (key: string, user: string) =>
    sut.db.dataSource.query(`select step_id, campaign_version, amount::float as amount from rewards where campaign_key = $1 and user_id = $2 order by created_at`, [key, user]) as Promise<
      Array<{ step_id: string; campaign_version: number; amount: number }>
    >;
  const rewardsWhen = (key: string, user: string, n: number) =>
    eventually(async () => {
      const r = await rewards(key, user);
      return r.length >= n ? r : undefined;
    }, 30_000);
  /** Saves `definition` as the next version and activates it, as an operator would. */
  const activateNext = async (definition: Record<string, unknown>, version: number) => {
    expect((await op('PUT', `/v1/campaigns/${String(definition.key)}`, definition)).status).toBe(200);
    expect((await op('POST', `/v1/campaigns/${String(definition.key)}/activate`, { version })).status).toBe(200);
  };

  it('repro 1: the second entry runs v2, and maxEntries counts the entries of both versions', async () => {
    await launchCampaign(sut, giving('re-one', 'v1give', 1, { maxEntries: 3 }));
    await sendEvent(sut, { id: 're-1', type: 'visit', userId: 'u1' });
    await journeyWhen('re-one', 'u1', (j) => j.status === 'idle' && j.entries === 1);
    await activateNext(giving('re-one', 'v2give', 2, { maxEntries: 3 }), 2);

    await sendEvent(sut, { id: 're-2', type: 'visit', userId: 'u1' });
    expect(await rewardsWhen('re-one', 'u1', 2)).toEqual([
      { step_id: 'v1give', campaign_version: 1, amount: 1 },
      { step_id: 'v2give', campaign_version: 2, amount: 2 },
    ]);
    const moved = await journeyWhen('re-one', 'u1', (j) => j.entries === 2 && j.status === 'idle');
    expect(moved.campaignVersion).toBe(2);
    expect(moved.trace.flatMap((t) => t.notes)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'version', message: expect.stringMatching(/idle on v1: continues on v2/) })]));
    // Visibility and the memo follow: the running counts per version, the preview and the user's journeys read them.
    const description = await sut.client.workflow.getHandle('journey:re-one:u1').describe();
    expect(description.typedSearchAttributes.get(campaignVersionSearchAttribute)).toBe(2);
    await eventually(async () => {
      const d = await sut.client.workflow.getHandle('journey:re-one:u1').describe();
      return d.memo?.campaignVersion === 2 && d.memo?.campaignName === 're-one v2give' ? d : undefined;
    }, 10_000);

    // The third entry on v2 reaches maxEntries (3, counted across versions); a fourth is refused and the journey ends.
    await sendEvent(sut, { id: 're-3', type: 'visit', userId: 'u1' });
    await rewardsWhen('re-one', 'u1', 3);
    const result = await sut.client.workflow.getHandle('journey:re-one:u1').result();
    expect(result).toMatchObject({ status: 'ended', entries: 3 });
    await sendEvent(sut, { id: 're-4', type: 'visit', userId: 'u1' });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await rewards('re-one', 'u1')).map((r) => r.step_id)).toEqual(['v1give', 'v2give', 'v2give']);
    // A new user enters v2 as before.
    await sendEvent(sut, { id: 're-new', type: 'visit', userId: 'u-new' });
    expect(await rewardsWhen('re-one', 'u-new', 1)).toEqual([{ step_id: 'v2give', campaign_version: 2, amount: 2 }]);
  });

  it('repro 2: an entry type that only v2 has enters a user who entered v1 on its old type', async () => {
    await launchCampaign(sut, giving('re-two', 'v1give', 1, { maxEntries: 3 }, 'a1'));
    await sendEvent(sut, { id: 'a1-1', type: 'a1', userId: 'u2' });
    await journeyWhen('re-two', 'u2', (j) => j.status === 'idle' && j.entries === 1);
    await activateNext(giving('re-two', 'v2give', 2, { maxEntries: 3 }, 'a2'), 2);

    // The preview says what the entry will do: the idle v1 journey moves, and v2 enters the user.
    const preview = await sut.request('POST', '/v1/campaigns/re-two/preview', { role: 'support', body: { userId: 'u2', event: { type: 'a2', properties: {} } } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ version: 2, basedOn: 'campaign', entered: true });

    const accepted = await sendEvent(sut, { id: 'a2-1', type: 'a2', userId: 'u2' });
    expect(accepted.journeys).toEqual(['journey:re-two:u2']);
    expect(await rewardsWhen('re-two', 'u2', 2)).toEqual([
      { step_id: 'v1give', campaign_version: 1, amount: 1 },
      { step_id: 'v2give', campaign_version: 2, amount: 2 },
    ]);
    expect(await journeyWhen('re-two', 'u2', (j) => j.entries === 2)).toMatchObject({ campaignVersion: 2, entries: 2 });
  });

  it('keeps the cooldown across versions: the user moves to v2, and v2 refuses the entry until the cooldown since the v1 entry has passed', async () => {
    await launchCampaign(sut, giving('re-cool', 'v1give', 1, { maxEntries: 5, cooldown: 'PT1H' }));
    await sendEvent(sut, { id: 'rc-1', type: 'visit', userId: 'u3' });
    await journeyWhen('re-cool', 'u3', (j) => j.status === 'idle' && j.entries === 1);
    await activateNext(giving('re-cool', 'v2give', 2, { maxEntries: 5, cooldown: 'PT1H' }), 2);

    await sendEvent(sut, { id: 'rc-2', type: 'visit', userId: 'u3' });
    const refused = await journeyWhen('re-cool', 'u3', (j) => j.trace.some((t) => t.input.includes('rc-2') && t.notes.some((n) => n.kind === 'refused')));
    expect(refused).toMatchObject({ campaignVersion: 2, entries: 1, status: 'idle' });
    // Two trace entries for rc-2: the move (v1's run), then v2's refusal.
    expect(refused.trace.filter((t) => t.input.includes('rc-2')).flatMap((t) => t.notes.map((n) => n.kind))).toEqual(['version', 'refused']);
    expect(refused.trace.flatMap((t) => t.notes).find((n) => n.kind === 'refused')!.message).toMatch(/^cooldown PT1H since the last entry/);
    expect((await rewards('re-cool', 'u3')).map((r) => r.step_id)).toEqual(['v1give']);
  });

  it('keeps a journey mid-path on v1 pinned to v1: only a new entry after the path ends moves to v2', async () => {
    await launchCampaign(sut, waitThenGive('re-pin', 'v1give', 1));
    await sendEvent(sut, { id: 'rp-1', type: 'visit', userId: 'u4' });
    await journeyWhen('re-pin', 'u4', (j) => j.paths.length === 1);
    await activateNext(waitThenGive('re-pin', 'v2give', 2), 2);

    // Routed to v2 as a start, but the v1 path is still waiting: v1 decides (serial: refused), and the path finishes on v1.
    await sendEvent(sut, { id: 'rp-2', type: 'visit', userId: 'u4' });
    const pinned = await journeyWhen('re-pin', 'u4', (j) => j.trace.some((t) => t.input.includes('rp-2')));
    expect(pinned).toMatchObject({ campaignVersion: 1, entries: 1, paths: [{ pathId: 'p1', state: 'waiting' }] });
    await sendEvent(sut, { id: 'rp-f1', type: 'finish', userId: 'u4' });
    expect(await rewardsWhen('re-pin', 'u4', 1)).toEqual([{ step_id: 'v1give', campaign_version: 1, amount: 1 }]);
    await journeyWhen('re-pin', 'u4', (j) => j.status === 'idle');

    await sendEvent(sut, { id: 'rp-3', type: 'visit', userId: 'u4' });
    const moved = await journeyWhen('re-pin', 'u4', (j) => j.entries === 2);
    expect(moved).toMatchObject({ campaignVersion: 2, paths: [{ pathId: 'p2', state: 'waiting' }] });
    await sendEvent(sut, { id: 'rp-f2', type: 'finish', userId: 'u4' });
    expect((await rewardsWhen('re-pin', 'u4', 2)).map((r) => [r.step_id, r.campaign_version])).toEqual([
      ['v1give', 1],
      ['v2give', 2],
    ]);
  });
});
