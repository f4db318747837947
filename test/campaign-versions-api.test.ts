import { sendEvent } from './support/campaign-api';
import { statementsOf } from './support/statement-spy';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** Waits in `waiting` for a month, so its journeys stay running through the test. */
const waiting = (key: string, name = 'Waits') => ({
  key,
  name,
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'done', after: 'P30D' }] }, done: { end: true } },
});

describe('campaign versions: layout beside the definition, the baseVersion precondition, running journeys per version', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  const op = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
  const versionsOf = async (key: string) => (await op('GET', `/v1/campaigns/${key}`)).body.versions as Array<{ version: number; definition: Record<string, unknown>; layout: unknown }>;

  it('stores a layout with the version, keeps it out of the definition and the plan, and a positions-only save changes no version', async () => {
    const layout = { waiting: { x: 10, y: 20.5 }, done: { x: -40, y: 300 }, '(entry)': { x: 0, y: -120 } };
    const created = await op('POST', '/v1/campaigns', { ...waiting('laid-out'), layout });
    expect(created.status).toBe(201);
    let [v1] = await versionsOf('laid-out');
    expect(v1.layout).toEqual(layout);
    // The stored definition (what every plan is compiled from) is the definition alone.
    expect(v1.definition).toEqual(waiting('laid-out'));
    const graph = await op('GET', '/v1/campaigns/laid-out/graph?version=1');
    expect(graph.body.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['(entry)', 'done', 'waiting']);

    const moved = { waiting: { x: 500, y: 0 }, done: { x: 500, y: 200 } };
    const saved = await op('PUT', '/v1/campaigns/laid-out/versions/1/layout', { layout: moved });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ key: 'laid-out', version: 1, layout: moved });
    const after = await versionsOf('laid-out');
    expect(after.map((v) => v.version)).toEqual([1]);
    [v1] = after;
    expect(v1.layout).toEqual(moved);
    expect(v1.definition).toEqual(waiting('laid-out'));

    // A new version carries its own layout; the older one keeps its own.
    const v2 = await op('PUT', '/v1/campaigns/laid-out', { ...waiting('laid-out', 'Waits, renamed'), layout: { waiting: { x: 1, y: 2 } } });
    expect(v2.status).toBe(200);
    const both = await versionsOf('laid-out');
    expect(both.map((v) => [v.version, v.layout])).toEqual([
      [1, moved],
      [2, { waiting: { x: 1, y: 2 } }],
    ]);
    // Without a layout, a version has none.
    await op('PUT', '/v1/campaigns/laid-out', waiting('laid-out'));
    expect((await versionsOf('laid-out'))[2].layout).toBeNull();
  });

  it('refuses a bad layout with 400 and the exact path, storing nothing', async () => {
    const bad = async (layout: unknown, path: string, url = '/v1/campaigns', method = 'POST', extra: Record<string, unknown> = waiting('bad-layout')) => {
      const res = await op(method, url, url.endsWith('/layout') ? { layout } : { ...extra, layout });
      expect({ status: res.status, paths: res.body.error?.details?.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: [path] });
    };
    await bad({ waiting: { x: 'left', y: 0 } }, 'layout.waiting.x');
    await bad({ waiting: { x: 0, y: 2_000_000 } }, 'layout.waiting.y');
    await bad({ waiting: { x: 0 } }, 'layout.waiting.y');
    await bad({ waiting: { x: 0, y: 0, w: 3 } }, 'layout.waiting.w');
    await bad({ nowhere: { x: 0, y: 0 } }, 'layout.nowhere');
    await bad([], 'layout');
    const tooMany = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`s${i}`, { x: i, y: i }]));
    await bad(tooMany, 'layout');
    // 1e400 is Infinity once parsed: refused like any number out of range.
    const raw = await sut.request('POST', '/v1/campaigns', {
      role: 'operator',
      rawBody: JSON.stringify({ ...waiting('bad-layout'), layout: { waiting: { x: 0, y: 0 } } }).replace('"x":0', '"x":1e400'),
      headers: { 'content-type': 'application/json' },
    });
    expect(raw.status).toBe(400);
    expect(raw.body.error.details.map((d: { path: string }) => d.path)).toEqual(['layout.waiting.x']);
    expect((await op('GET', '/v1/campaigns/bad-layout')).status).toBe(404);

    // Every problem in one answer: the compiler's and the layout's, whichever kind.
    for (const layout of [{ waiting: { x: 'left', y: 0 } }, { ghost: { x: 0, y: 0 } }]) {
      const all = await op('POST', '/v1/campaigns', { ...waiting('bad-layout'), initial: 'nowhere', layout });
      const paths = all.body.error?.details?.map((d: { path: string }) => d.path);
      expect({ status: all.status, code: all.body.error?.code, paths }).toEqual({
        status: 400,
        code: 'invalid_campaign',
        paths: expect.arrayContaining(['initial', Object.keys(layout)[0] === 'ghost' ? 'layout.ghost' : 'layout.waiting.x']),
      });
    }

    expect((await op('POST', '/v1/campaigns', waiting('bad-layout'))).status).toBe(201);
    await bad({ nowhere: { x: 0, y: 0 } }, 'layout.nowhere', '/v1/campaigns/bad-layout/versions/1/layout', 'PUT');
    await bad({ waiting: { x: null, y: 0 } }, 'layout.waiting.x', '/v1/campaigns/bad-layout', 'PUT');
    const wrongVersion = await op('PUT', '/v1/campaigns/bad-layout/versions/first/layout', { layout: {} });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.error.details[0].path).toBe('version');
    expect((await op('PUT', '/v1/campaigns/bad-layout/versions/9/layout', { layout: {} })).status).toBe(404);
    expect((await op('PUT', '/v1/campaigns/bad-layout/versions/1/layout', { layout: {}, extra: 1 })).body.error.details).toEqual([
      { path: 'extra', message: 'Unknown field "extra".' },
    ]);
    expect((await versionsOf('bad-layout')).map((v) => [v.version, v.layout])).toEqual([[1, null]]);
    // baseVersion belongs to a new version only: on create the compiler reports it as a field a campaign does not have.
    const created = await op('POST', '/v1/campaigns', { ...waiting('with-base'), baseVersion: 1 });
    expect(created.status).toBe(400);
    expect(created.body.error.details.map((d: { path: string }) => d.path)).toEqual(['baseVersion']);
  });

  it('answers 409 version_conflict naming the latest version when the edit started from an older one; without baseVersion, as before', async () => {
    expect((await op('POST', '/v1/campaigns', waiting('contested'))).status).toBe(201);
    // Two editors load v1; the first saves v2 from it.
    const first = await op('PUT', '/v1/campaigns/contested', { ...waiting('contested', 'First editor'), baseVersion: 1 });
    expect(first.body).toEqual({ key: 'contested', version: 2 });
    const second = await op('PUT', '/v1/campaigns/contested', { ...waiting('contested', 'Second editor'), baseVersion: 1 });
    expect(second.status).toBe(409);
    expect(second.body.error).toEqual({
      code: 'version_conflict',
      message: expect.stringContaining('at version 2'),
      details: [{ path: 'baseVersion', message: 'version 2 is the latest; this edit started from version 1' }],
    });
    // Nothing stored, not even the name.
    const campaign = await op('GET', '/v1/campaigns/contested');
    expect(campaign.body.latestVersion).toBe(2);
    expect(campaign.body.name).toBe('First editor');
    // After reloading v2 the second editor saves v3.
    expect((await op('PUT', '/v1/campaigns/contested', { ...waiting('contested', 'Second editor'), baseVersion: 2 })).body.version).toBe(3);
    // Without a precondition, last writer wins as before.
    expect((await op('PUT', '/v1/campaigns/contested', waiting('contested'))).body.version).toBe(4);
    // Of two saves from the same base at once, exactly one wins.
    const race = await Promise.all([1, 2].map((n) => op('PUT', '/v1/campaigns/contested', { ...waiting('contested', `Racer ${n}`), baseVersion: 4 })));
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await op('GET', '/v1/campaigns/contested')).body.latestVersion).toBe(5);
    // A base that never existed is bad input, not a conflict; nothing is stored.
    const future = await op('PUT', '/v1/campaigns/contested', { ...waiting('contested'), baseVersion: 99 });
    expect({ status: future.status, details: future.body.error.details }).toEqual({ status: 400, details: [{ path: 'baseVersion', message: 'there is no version 99; the latest is 5' }] });
    expect((await op('GET', '/v1/campaigns/contested')).body.latestVersion).toBe(5);
    // A malformed precondition is bad input at its path.
    const bad = await op('PUT', '/v1/campaigns/contested', { ...waiting('contested'), baseVersion: 'latest' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['baseVersion']);
  });

  // Review 59 (API), finding 3: a save retried after its answer was lost is answered as saved, not as someone else's conflict.
  it('answers an identical PUT sent again from the same base as the save it is (200, its version), storing nothing twice', async () => {
    expect((await op('POST', '/v1/campaigns', waiting('resent'))).status).toBe(201);
    const edit = { ...waiting('resent', 'Edited'), layout: { waiting: { x: 1, y: 2 } }, baseVersion: 1 };
    const first = await op('PUT', '/v1/campaigns/resent', edit);
    const again = await op('PUT', '/v1/campaigns/resent', edit);
    expect([first.status, first.body, again.status, again.body]).toEqual([200, { key: 'resent', version: 2 }, 200, { key: 'resent', version: 2 }]);
    // Its keys in another order are the same edit.
    const { states, initial, ...rest } = edit;
    expect((await op('PUT', '/v1/campaigns/resent', { states, initial, ...rest })).body).toEqual({ key: 'resent', version: 2 });
    expect((await versionsOf('resent')).map((v) => v.version)).toEqual([1, 2]);
    // Another edit from the same base, or the same edit with another layout, is still a conflict; so is this edit from an older base.
    const other = await op('PUT', '/v1/campaigns/resent', { ...edit, name: 'Edited otherwise' });
    const moved = await op('PUT', '/v1/campaigns/resent', { ...edit, layout: { waiting: { x: 3, y: 4 } } });
    expect([other.status, other.body.error.code, moved.status]).toEqual([409, 'version_conflict', 409]);
    expect(other.body.error.message).toContain('This request saved nothing');
    expect((await op('PUT', '/v1/campaigns/resent', waiting('resent', 'Third'))).body.version).toBe(3);
    expect((await op('PUT', '/v1/campaigns/resent', edit)).status).toBe(409);
    expect((await versionsOf('resent')).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('gives a definition back with its keys in the order they were written (jsonb put them shortest first)', async () => {
    // States and fields in an order jsonb would not keep: it sorts keys by length, then bytes.
    const written = {
      name: 'Written order',
      key: 'written-order',
      initial: 'waiting-for-the-second-order',
      states: {
        'waiting-for-the-second-order': { transitions: [{ on: 'order.completed', to: 'rewarded' }, { after: 'P30D', to: 'gave-up' }] },
        rewarded: { end: true },
        'gave-up': { end: true },
      },
      entry: { on: 'order.completed' },
    };
    expect((await op('POST', '/v1/campaigns', written)).status).toBe(201);
    const order = (value: unknown): string => JSON.stringify(value);
    const [v1] = await versionsOf('written-order');
    expect(order(v1.definition)).toBe(order(written));
    expect(order((await op('GET', '/v1/campaigns/written-order/versions/1')).body.definition)).toBe(order(written));
    const renamed = { ...written, name: 'Written order, again' };
    expect((await op('PUT', '/v1/campaigns/written-order', renamed)).status).toBe(200);
    expect(order((await op('GET', '/v1/campaigns/written-order/versions/latest')).body.definition)).toBe(order(renamed));
    // What the database looks inside (funnel states, live journeys, cron) still sees the same definition.
    const [{ states }] = await sut.db.dataSource.query(`select array(select jsonb_object_keys(definition -> 'states') order by 1) as states from campaign_versions where campaign_key = 'written-order' and version = 2`);
    expect(states).toEqual(['gave-up', 'rewarded', 'waiting-for-the-second-order']);
    const funnel = await op('GET', '/v1/campaigns/written-order/funnel');
    expect(funnel.status).toBe(200);
  });

  it('lists the versions without their definitions, and reads one version at a time', async () => {
    expect((await op('POST', '/v1/campaigns', { ...waiting('many-versions'), layout: { waiting: { x: 1, y: 1 } } })).status).toBe(201);
    for (const name of ['Second', 'Third']) expect((await op('PUT', '/v1/campaigns/many-versions', waiting('many-versions', name))).status).toBe(200);
    expect((await op('POST', '/v1/campaigns/many-versions/activate', { version: 2 })).status).toBe(200);
    const { counts, versions, ...summary } = (await op('GET', '/v1/campaigns/many-versions')).body as {
      counts: unknown;
      versions: Array<{ version: number; definition: unknown }>;
    };
    expect(counts).toBeDefined();

    // The statements the list runs, with their parameters: none of them reads a definition.
    const { result: list, statements } = await statementsOf(() => op('GET', '/v1/campaigns/many-versions/versions'));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ ...summary, versions: versions.map(({ definition: _definition, ...info }) => info) });
    expect(list.body.versions.map((v: { version: number; activatedAt: string | null }) => [v.version, v.activatedAt !== null])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    const versionReads = statements.filter((s) => s.text.includes('campaign_versions') && s.values.includes('many-versions'));
    expect(versionReads.length).toBeGreaterThan(0);
    expect(versionReads.filter((s) => /definition/i.test(s.text))).toEqual([]);

    expect((await op('GET', '/v1/campaigns/many-versions/versions/2')).body).toEqual({ key: 'many-versions', ...versions[1] });
    expect((await op('GET', '/v1/campaigns/many-versions/versions/latest')).body).toEqual({ key: 'many-versions', ...versions[2] });
    expect(versions[2].definition).toEqual(waiting('many-versions', 'Third'));

    for (const bad of ['0', 'first', '1.5', '2147483648', '99999999999', 'LATEST']) {
      const res = await op('GET', `/v1/campaigns/many-versions/versions/${bad}`);
      expect({ bad, status: res.status, paths: res.body.error?.details?.map((d: { path: string }) => d.path) }).toEqual({ bad, status: 400, paths: ['version'] });
    }
    // Any version an int column holds is a version to look for, as activate's body takes it.
    for (const absent of ['4', '1000000000', '2147483647']) {
      const missing = await op('GET', `/v1/campaigns/many-versions/versions/${absent}`);
      expect({ status: missing.status, message: missing.body.error?.message }).toEqual({ status: 404, message: `Campaign many-versions has no version ${absent}.` });
    }
    expect((await op('GET', '/v1/campaigns/many-versions/graph?version=2147483648')).body.error.details).toEqual([{ path: 'version', message: 'expected a campaign version, a positive integer' }]);
    expect((await op('GET', '/v1/campaigns/many-versions/graph?version=2147483647')).status).toBe(404);
    for (const path of ['/v1/campaigns/nope/versions', '/v1/campaigns/nope/versions/1', '/v1/campaigns/nope/versions/latest']) {
      const res = await op('GET', path);
      expect({ path, status: res.status, message: res.body.error?.message }).toEqual({ path, status: 404, message: 'No campaign nope.' });
    }
  });

  it('counts running journeys per version after a new version is activated', async () => {
    expect((await op('POST', '/v1/campaigns', waiting('two-versions'))).status).toBe(201);
    expect((await op('POST', '/v1/campaigns/two-versions/activate', {})).status).toBe(200);
    for (const u of ['a1', 'a2']) await sendEvent(sut, { id: `tv-${u}`, type: 'order.completed', userId: u });
    expect((await op('PUT', '/v1/campaigns/two-versions', { ...waiting('two-versions', 'Waits v2'), baseVersion: 1 })).status).toBe(200);
    expect((await op('POST', '/v1/campaigns/two-versions/activate', { version: 2 })).status).toBe(200);
    for (const u of ['b1', 'b2', 'b3']) await sendEvent(sut, { id: `tv-${u}`, type: 'order.completed', userId: u });
    const expected = { key: 'two-versions', activeVersion: 2, versions: [{ version: 1, running: 2 }, { version: 2, running: 3 }], total: 5 };
    // Visibility trails the starts by a moment: the answer settles on the expected counts.
    const settled = await eventually(async () => {
      const res = await op('GET', '/v1/campaigns/two-versions/running');
      expect(res.status).toBe(200);
      return JSON.stringify(res.body) === JSON.stringify(expected) ? res.body : undefined;
    }, 60_000);
    expect(settled).toEqual(expected);
    expect((await op('GET', '/v1/campaigns/nope/running')).status).toBe(404);

    // Five viewers at once: visibility is asked once per count (all, v1, v2), not once per viewer.
    await new Promise((r) => setTimeout(r, 2100)); // past the 2 s for which a count is shared
    const count = jest.spyOn(sut.kairos.client.workflow, 'count');
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => op('GET', '/v1/campaigns/two-versions/running')));
      expect(answers.map((a) => a.body)).toEqual(Array.from({ length: 5 }, () => expected));
      expect(count).toHaveBeenCalledTimes(3);
    } finally {
      count.mockRestore();
    }
  });
});
