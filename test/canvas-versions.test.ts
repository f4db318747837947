import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
import { sendEvent } from './support/campaign-api';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const SHOTS = screenshotsDir('canvas-versions');
const KEY = 'versions-demo';

/** v1: wait a month, then done. Journeys stay running through the test. */
const v1 = {
  key: KEY,
  name: 'Waits',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'done', after: 'P30D' }] }, done: { end: true } },
};

/** What "another operator" saves meanwhile: a nudge state, and a shorter wait. */
const other = {
  ...v1,
  name: 'Waits, with a nudge',
  states: {
    waiting: { transitions: [{ to: 'nudged', on: 'app.opened' }, { to: 'done', after: 'P20D' }] },
    nudged: { actions: { steps: [{ type: 'message', channel: 'push', template: 'come-back' }] }, transitions: [{ to: 'done', after: 'P1D' }] },
    done: { end: true },
  },
};

describe('campaign versions in the console (layout, YAML, 409, diff, running per version) in a real Chromium against the real system', () => {
  let sut: SystemUnderTest;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    expect((await op('POST', '/v1/campaigns', v1)).status).toBe(201);
    browser = await launchConsoleBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await signIn(page, sut.baseUrl, sut.keys.operator);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  const op = (method: string, url: string, body?: unknown) => sut.request(method, url, { role: 'operator', body });
  const versions = async () => (await op('GET', `/v1/campaigns/${KEY}`)).body.versions as Array<{ version: number; definition: Record<string, unknown>; layout: Record<string, { x: number; y: number }> | null }>;
  const node = (name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);
  /** A node's place on the canvas in flow coordinates, from React Flow's transform. */
  const placeOf = async (name: string) => {
    const t = (await node(name).getAttribute('style')) ?? '';
    const m = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(t);
    if (!m) throw new Error(`no position in "${t}"`);
    return { x: Number(m[1]), y: Number(m[2]) };
  };
  const saveButton = () => page.getByRole('toolbar', { name: 'Editor' }).getByRole('button', { name: /^(Save|Create)/ });
  /** Drags a state by (dx, dy) pixels as a person does, once the canvas has stopped moving it (it fits its view after the first draw). */
  const drag = async (name: string, dx: number, dy: number) => {
    let box = await node(name).boundingBox();
    for (let i = 0; i < 50; i++) {
      await page.waitForTimeout(100);
      const now = await node(name).boundingBox();
      if (box && now && box.x === now.x && box.y === now.y && box.width === now.width) break;
      box = now;
    }
    if (!box) throw new Error(`${name} is not on screen`);
    await page.mouse.move(box.x + 40, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 40 + dx, box.y + box.height / 2 + dy, { steps: 10 });
    await page.mouse.up();
  };
  const yaml = () => page.getByLabel('Campaign YAML');

  it('keeps dragged positions with the version without making one, and edits the definition as YAML (parse errors and compiler issues with their lines)', async () => {
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}/edit`);
    await node('done').waitFor();
    await expectText(saveButton(), 'Saved');
    // A state added (which pins every state where it is drawn) and undone: the canvas is as it was, so Saved, not Save layout.
    await page.getByLabel('New state name').fill('extra');
    await page.getByRole('button', { name: 'Add state' }).click();
    await node('extra').waitFor();
    await expectText(saveButton(), 'Save as new version');
    await page.getByRole('button', { name: 'Undo' }).click();
    await node('extra').waitFor({ state: 'detached' });
    await expectText(saveButton(), 'Saved');
    const before = await placeOf('done');
    // Drag "done" to the right, as a person does.
    // The canvas fits its view after the first draw: grab the node once it has stopped moving.
    let box = await node('done').boundingBox();
    for (let i = 0; i < 50; i++) {
      await page.waitForTimeout(100);
      const now = await node('done').boundingBox();
      if (box && now && box.x === now.x && box.y === now.y && box.width === now.width) break;
      box = now;
    }
    if (!box) throw new Error('done is not on screen');
    await page.mouse.move(box.x + 40, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 260, box.y + box.height / 2 + 60, { steps: 10 });
    await page.mouse.up();
    await expectText(saveButton(), 'Save layout');
    await saveButton().click();
    await expectText(page.getByTestId('ship-done'), /Saved the layout of version 1 .*no new version/);
    const [stored] = await versions();
    expect((await versions()).length).toBe(1);
    expect(stored.layout?.done.x).toBeGreaterThan(before.x + 100);
    expect(Object.keys(stored.layout ?? {}).sort()).toEqual(['done', 'waiting']);
    await expectText(saveButton(), 'Saved');

    // Reloaded, the canvas draws the saved places, not dagre's.
    await page.reload();
    await node('done').waitFor();
    expect(await placeOf('done')).toEqual(stored.layout?.done);
    expect(await placeOf('waiting')).toEqual(stored.layout?.waiting);
    await page.screenshot({ path: path.join(SHOTS, 'canvas-layout-restored.png') });
    // Renamed, then undone: the state is back at its saved place (dagre's would be elsewhere), and nothing reads as changed.
    await node('done').click();
    const stateName = page.getByLabel('State name', { exact: true });
    await stateName.fill('finished');
    await stateName.press('Enter');
    await node('finished').waitFor();
    expect(await placeOf('finished')).toEqual(stored.layout?.done);
    await page.getByRole('button', { name: 'Undo' }).click();
    await node('done').waitFor();
    expect(await placeOf('done')).toEqual(stored.layout?.done);
    await expectText(saveButton(), 'Saved');

    // The YAML view shows the same definition; an edit there reaches the canvas and the JSON view.
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    const text = await yaml().inputValue();
    expect(text).toContain('after: P30D');
    await yaml().fill(text.replace('name: Waits', 'name: Waits (YAML)').replace('after: P30D', 'after: P20D'));
    await expectText(page.locator('.editor h1'), 'Waits (YAML)');
    await expectText(page.getByTestId('validity'), 'compiles');
    // Text that does not parse: the parser's message with its line; the definition keeps the last good text.
    const good = await yaml().inputValue();
    await yaml().fill(good.replace('initial: waiting', 'initial: [waiting'));
    await expectText(page.getByTestId('yaml-parse-error'), /^YAML, line \d+: /);
    // A compiler issue: its path and the line it points at.
    const badLine = good.split('\n').findIndex((l) => l.includes('after: P20D')) + 1;
    await yaml().fill(good.replace('after: P20D', 'after: P20X'));
    const issue = page.getByRole('list', { name: 'Issues in the YAML' }).locator('li').first();
    await expectText(issue, new RegExp(`^line ${badLine} states\\.waiting\\.transitions\\[0\\]\\.after: `));
    await page.screenshot({ path: path.join(SHOTS, 'canvas-yaml-issue.png') });
    await yaml().fill(good);
    await expectText(page.getByTestId('validity'), 'compiles');
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    expect(await page.getByLabel('Campaign JSON').inputValue()).toContain('"after": "P20D"');

    await expectText(saveButton(), 'Save as new version');
    await saveButton().click();
    await expectText(page.getByTestId('ship-done'), /Saved versions-demo as version 2/);
    const v2 = (await versions())[1];
    expect(v2.definition).toMatchObject({ name: 'Waits (YAML)', states: { waiting: { transitions: [{ to: 'done', after: 'P20D' }] } } });
    // The layout travels with the new version; v1 keeps its own.
    expect(v2.layout?.done).toEqual(stored.layout?.done);
  }, 120_000);

  it('refuses a save on top of a version someone else replaced with a clear 409, and offers the diff, a reload or saving anyway', async () => {
    // The editor holds v2 (saved above). Meanwhile another operator saves v3 from v2.
    expect((await op('PUT', `/v1/campaigns/${KEY}`, { ...other, baseVersion: 2 })).body.version).toBe(3);
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    await yaml().fill((await yaml().inputValue()).replace('name: Waits (YAML)', 'name: Waits (mine)'));
    await expectText(page.getByTestId('validity'), 'compiles');
    await saveButton().click();
    const box = page.getByTestId('version-conflict');
    await expectText(box.locator('strong'), 'Not saved: version 3 is newer than the version 2 you started from.');
    await expectText(box.locator('p'), /^Version 3 was saved .*Saving again from this draft is refused the same way/);
    const seeChanges = box.getByRole('link', { name: /See what changed \(v2 → v3\)/ });
    expect(await seeChanges.getAttribute('href')).toBe(`/console/campaigns/${KEY}/diff?from=2&to=3`);
    // The diff opens in a new tab that is signed in as this one (not the sign-in page).
    const [diffTab] = await Promise.all([page.context().waitForEvent('page'), seeChanges.click()]);
    await expectText(diffTab.getByTestId('diff-summary'), /^v2 → v3:/);
    await diffTab.close();
    await page.screenshot({ path: path.join(SHOTS, 'canvas-version-conflict.png') });
    expect((await versions()).length).toBe(3);
    // Saving anyway makes v4 from this draft.
    await box.getByRole('button', { name: 'Save mine anyway as v4' }).click();
    await expectText(page.getByTestId('ship-done'), /Saved versions-demo as version 4/);
    expect((await versions())[3].definition.name).toBe('Waits (mine)');
  }, 120_000);

  it('shows how many running journeys keep each version after a new one is activated, and diffs two versions on the graph and as text', async () => {
    expect((await op('POST', `/v1/campaigns/${KEY}/activate`, { version: 1 })).status).toBe(200);
    for (const u of ['old-1', 'old-2']) await sendEvent(sut, { id: `cv-${u}`, type: 'order.completed', userId: u });
    expect((await op('POST', `/v1/campaigns/${KEY}/activate`, { version: 3 })).status).toBe(200);
    for (const u of ['new-1', 'new-2', 'new-3']) await sendEvent(sut, { id: `cv-${u}`, type: 'order.completed', userId: u });

    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}`);
    const panel = page.getByRole('region', { name: 'Running journeys per version' });
    // Temporal visibility trails the starts: the panel refreshes until it shows them.
    await expectText(panel.getByTestId('running-v1').locator('td.num'), '2');
    await expectText(panel.getByTestId('running-v3').locator('td.num'), '3');
    await expectText(panel.getByTestId('running-v3').locator('th'), 'v3 (active)');
    await expectText(panel.locator('p').last(), /^5 running in all/);
    await page.screenshot({ path: path.join(SHOTS, 'campaign-running-per-version.png') });

    // v1's states were placed in the canvas: the read-only graph draws them there (relative places as saved), or dagre's layers on request.
    const placed = (await versions())[0].layout ?? {};
    await page.getByLabel('Version shown').selectOption('1');
    // The version shown is in the URL: a reload (or a link) shows the same one.
    await page.waitForURL(/\/campaigns\/versions-demo\?version=1$/);
    await page.reload();
    await eventuallyEqual(() => page.getByLabel('Version shown').inputValue(), '1');
    // The canvas edits the latest version whatever is shown, and says so.
    await page.getByRole('link', { name: 'Edit the latest (v4) in the canvas' }).waitFor();
    const asPlaced = page.getByLabel('as placed in the canvas');
    expect(await asPlaced.isChecked()).toBe(true);
    const gap = async () => {
      const [w, d] = [await placeOf('waiting'), await placeOf('done')];
      return { x: d.x - w.x, y: d.y - w.y };
    };
    const savedGap = { x: placed.done.x - placed.waiting.x, y: placed.done.y - placed.waiting.y };
    await eventuallyEqual(gap, savedGap);
    await page.screenshot({ path: path.join(SHOTS, 'campaign-as-placed.png') });
    await asPlaced.uncheck();
    // Dagre's layers put done straight under waiting.
    await eventuallyEqual(async () => (await gap()).x, 0);

    await panel.getByRole('link', { name: /Compare versions/ }).click();
    await page.waitForURL(/\/diff\?from=3&to=4$/);
    await page.getByLabel('Older version').selectOption('1');
    await page.getByLabel('Newer version').selectOption('3');
    await page.waitForURL(/\/diff\?from=1&to=3$/);
    await expectText(page.getByTestId('diff-summary'), /v1 → v3: 3 added, 0 removed, 1 changed/);
    const graph = page.getByTestId('diff-graph');
    expect(await graph.locator('[data-state="nudged"]').getAttribute('data-change')).toBe('added');
    expect(await graph.locator('[data-state="waiting"]').getAttribute('data-change')).toBe('same');
    await graph.locator('.react-flow__edge.diff-edge-changed').first().waitFor();
    expect(await graph.locator('.react-flow__edge.diff-edge-added').count()).toBe(2);
    const changes = page.getByRole('region', { name: 'Changes' });
    await expectText(changes.locator('li', { hasText: 'waiting → done' }), /after 30 days → after 20 days/);
    const text = page.getByTestId('text-diff');
    await expectText(text.locator('tr.del', { hasText: 'after: P30D' }), /−\s*after: P30D$/);
    await expectText(text.locator('tr.add', { hasText: 'after: P20D' }), /\+\s*after: P20D$/);
    expect(await text.locator('tr.add', { hasText: 'template: come-back' }).count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'campaign-diff.png'), fullPage: true });
    // No serious accessibility problems on the new page (CONSOLE.md, "Accessible").
    await expectAccessible(page);

    // A version that does not exist: its 404, and nothing left loading for ever.
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}/diff?from=99&to=2`);
    await expectText(page.locator('.error').first(), /Campaign versions-demo has no version 99\./);
    await eventuallyEqual(() => page.locator('.skeleton').count(), 0);
    // The picker shows the version asked for, not the first one it lists.
    expect(await page.getByLabel('Older version').locator('option:checked').textContent()).toBe('v99 (no such version)');
    expect(await page.getByLabel('Newer version').inputValue()).toBe('2');
    // A from that is no number is named, and the default compared instead.
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}/diff?from=abc&to=3`);
    await expectText(page.getByRole('status'), 'from=abc is not a version number: comparing v2 with v3.');
    // An unknown campaign: the error and the way back, no counts line and no placeholders.
    for (const at of ['/console/campaigns/nope', '/console/campaigns/nope/edit']) {
      await page.goto(`${sut.baseUrl}${at}`);
      await expectText(page.locator('.error').first(), /No campaign nope\./);
      await eventuallyEqual(async () => ({ skeletons: await page.locator('.skeleton').count(), counts: await page.getByText('counts for journeys').count() }), { skeletons: 0, counts: 0 });
      expect(await page.getByRole('link', { name: '← Campaigns' }).count()).toBe(1);
    }
  }, 120_000);

  it('keeps a state where it was dragged while a save was on its way, when the save is answered', async () => {
    const key = 'dragged-mid-save';
    expect((await op('POST', '/v1/campaigns', { ...v1, key })).status).toBe(201);
    await page.goto(`${sut.baseUrl}/console/campaigns/${key}/edit`);
    await node('done').waitFor();
    await expectText(saveButton(), 'Saved');
    await drag('done', 220, 40);
    await expectText(saveButton(), 'Save layout');

    // The layout's save is held until the state has been dragged again.
    let asked = false;
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const isLayout = (url: URL) => url.pathname === `/v1/campaigns/${key}/versions/1/layout`;
    await page.route(isLayout, async (route) => {
      asked = true;
      await answered;
      await route.continue();
    });
    await saveButton().click();
    await eventuallyEqual(async () => asked, true);
    await drag('done', 0, 160);
    const dropped = await placeOf('done');
    answer();
    await expectText(page.getByTestId('ship-done'), /Saved the layout of version 1/);
    await page.unroute(isLayout);
    // Where it was dropped, not where the save began; and that place is the next save's change.
    expect(await placeOf('done')).toEqual(dropped);
    await expectText(saveButton(), 'Save layout');
    await saveButton().click();
    await expectText(saveButton(), 'Saved');
    const [stored] = (await op('GET', `/v1/campaigns/${key}`)).body.versions as Array<{ layout: Record<string, { x: number; y: number }> }>;
    expect(stored.layout.done).toEqual({ x: Math.round(dropped.x), y: Math.round(dropped.y) });
  });

  it('draws a saved layout with a state where the entry would go, and transitions both ways, with nothing covering anything', async () => {
    // b was placed right above the initial state a: where the entry goes when no place was saved for it.
    const crowded = {
      key: 'placed-crowded',
      name: 'Crowded',
      entry: { on: 'order.completed' },
      initial: 'a',
      states: {
        a: { transitions: [{ to: 'b', on: 'app.opened' }, { to: 'c', after: 'P1D' }] },
        b: { transitions: [{ to: 'a', on: 'app.closed' }] },
        c: { end: true },
      },
      layout: { a: { x: 0, y: 300 }, b: { x: 0, y: 150 }, c: { x: 0, y: 500 } },
    };
    expect((await op('POST', '/v1/campaigns', crowded)).status).toBe(201);
    await page.goto(`${sut.baseUrl}/console/campaigns/placed-crowded`);
    await page.locator('.edge-label').nth(3).waitFor();
    expect(await page.getByLabel('as placed in the canvas').isChecked()).toBe(true);
    const boxes = async (selector: string) =>
      page.locator(selector).evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { id: e.getAttribute('data-id') ?? e.getAttribute('data-edge') ?? '', x: r.x, y: r.y, right: r.right, bottom: r.bottom };
        }),
      );
    const apart = (list: Array<{ id: string; x: number; y: number; right: number; bottom: number }>) =>
      list.flatMap((p, i) => list.slice(i + 1).filter((q) => p.x < q.right && q.x < p.right && p.y < q.bottom && q.y < p.bottom).map((q) => `${p.id} covers ${q.id}`));
    const nodes = await boxes('.react-flow__node');
    expect(nodes.map((n) => n.id).sort()).toEqual(['(entry)', 'a', 'b', 'c']);
    const labels = await boxes('.edge-label');
    expect(labels).toHaveLength(4);
    // No state covers another, and no label covers a state or another label.
    expect(apart([...nodes, ...labels])).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'campaign-as-placed-crowded.png') });
  });

  it('saves anyway only on top of the version the conflict named: a version saved after the box was shown is another conflict, not overwritten', async () => {
    const key = 'forced-over-newer';
    const names = async () => ((await op('GET', `/v1/campaigns/${key}`)).body.versions as Array<{ definition: { name: string } }>).map((v) => v.definition.name);
    expect((await op('POST', '/v1/campaigns', { ...v1, key })).status).toBe(201);
    await page.goto(`${sut.baseUrl}/console/campaigns/${key}/edit`);
    await node('done').waitFor();
    // Another operator saves v2 from v1 while this canvas edits v1.
    expect((await op('PUT', `/v1/campaigns/${key}`, { ...other, key, name: 'Theirs', baseVersion: 1 })).body.version).toBe(2);
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    await yaml().fill((await yaml().inputValue()).replace('name: Waits', 'name: Mine'));
    await expectText(page.getByTestId('validity'), 'compiles');
    await saveButton().click();
    const box = page.getByTestId('version-conflict');
    const force = box.getByRole('button', { name: /^Save mine anyway/ });
    await expectText(force, 'Save mine anyway as v3');
    // Before the button is clicked, a third operator saves v3: nobody here has seen it.
    expect((await op('PUT', `/v1/campaigns/${key}`, { ...other, key, name: 'Urgent fix', baseVersion: 2 })).body.version).toBe(3);
    await force.click();
    await expectText(box.locator('strong'), 'Not saved: version 3 is newer than the version 2 you started from.');
    expect(await names()).toEqual(['Waits', 'Theirs', 'Urgent fix']);
    // Now that the box names v3, saving anyway goes on top of it.
    await expectText(force, 'Save mine anyway as v4');
    await force.click();
    await expectText(page.getByTestId('ship-done'), /Saved forced-over-newer as version 4\./);
    expect(await names()).toEqual(['Waits', 'Theirs', 'Urgent fix', 'Mine']);
  }, 120_000);

  /** Opens the canvas of a new campaign `key` (v1 as above) and renames the draft to `name` in the YAML tab. */
  const editRenamed = async (key: string, name: string) => {
    await page.goto(`${sut.baseUrl}/console/campaigns/${key}/edit`);
    await node('done').waitFor();
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    await yaml().fill((await yaml().inputValue()).replace('name: Waits', `name: ${name}`));
    await expectText(page.getByTestId('validity'), 'compiles');
  };
  const namesOf = async (key: string) => ((await op('GET', `/v1/campaigns/${key}`)).body.versions as Array<{ definition: { name: string } }>).map((v) => v.definition.name);

  it('saves a draft whose answer was lost as the version Kairos stored when pressed again: no conflict with itself, no second copy', async () => {
    const key = 'answer-lost';
    expect((await op('POST', '/v1/campaigns', { ...v1, key })).status).toBe(201);
    await editRenamed(key, 'Mine');
    // Kairos stores the save, and its answer never reaches the page (a dropped connection, a proxy's timeout).
    await page.route(
      (url) => url.pathname === `/v1/campaigns/${key}`,
      async (route) => {
        await route.fetch();
        await route.abort('connectionreset');
      },
      { times: 1 },
    );
    await saveButton().click();
    await expectText(page.getByTestId('ship-error'), /^Kairos did not answer/);
    expect(await namesOf(key)).toEqual(['Waits', 'Mine']);
    // Kairos answers the same save sent again as saved (a replay: 0f6a167), with the version the first send stored.
    await saveButton().click();
    await expectText(page.getByTestId('ship-done'), /^Saved answer-lost as version 2\b/);
    expect(await page.getByTestId('version-conflict').count()).toBe(0);
    await expectText(saveButton(), 'Saved');
    expect(await namesOf(key)).toEqual(['Waits', 'Mine']);
  }, 120_000);

  it('says in the conflict box that the latest version could not be read, asks again by itself and on request, and names it once read', async () => {
    const key = 'latest-unread';
    expect((await op('POST', '/v1/campaigns', { ...v1, key })).status).toBe(201);
    await editRenamed(key, 'Mine');
    expect((await op('PUT', `/v1/campaigns/${key}`, { ...other, key, name: 'Theirs', baseVersion: 1 })).body.version).toBe(2);
    // Every read of the latest version gets no answer until the test lets it through.
    let failing = true;
    let reads = 0;
    const isLatest = (url: URL) => url.pathname === `/v1/campaigns/${key}/versions/latest`;
    await page.route(isLatest, async (route) => {
      reads++;
      await (failing ? route.abort('connectionrefused') : route.continue());
    });
    await saveButton().click();
    const box = page.getByTestId('version-conflict');
    await expectText(box.getByTestId('latest-unread'), /^Which version is the latest could not be read, .*Kairos did not answer/);
    const force = box.getByRole('button', { name: /^Save mine anyway/ });
    expect(await force.isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'canvas-version-conflict-unread.png') });
    // Asked again by itself, 2 s after the first failure: the save's own read, the box's, then its retry.
    await eventuallyEqual(async () => reads >= 3, true);
    // The next one by itself is 4 s later: the button asks now.
    failing = false;
    await box.getByRole('button', { name: 'Read the latest again' }).click();
    await expectText(box.locator('strong').first(), 'Not saved: version 2 is newer than the version 1 you started from.');
    expect(await box.getByTestId('latest-unread').count()).toBe(0);
    await expectText(force, 'Save mine anyway as v3');
    await page.unroute(isLatest);
  }, 120_000);

  it('says when the graph or the templates could not be read, with no placeholder beside the error, and draws them once read', async () => {
    // The graph route answers 502 (a proxy while the API restarts) until the test lets it through.
    let failing = true;
    const isGraph = (url: URL) => url.pathname === `/v1/campaigns/${KEY}/graph`;
    await page.route(isGraph, (route) => (failing ? route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }) : route.continue()));
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}`);
    await expectText(page.getByTestId('graph-unread'), /^The graph of v\d+ could not be read, so it is not drawn/);
    expect(await page.locator('.skeleton').count()).toBe(0);
    // Asked again by itself (the campaign's other parts wait for it): drawn once it answers.
    failing = false;
    await node('waiting').waitFor();
    expect(await page.getByTestId('graph-unread').count()).toBe(0);
    await page.getByRole('heading', { name: 'Exits' }).waitFor();
    await page.unroute(isGraph);

    // The templates refused (a 4xx is not asked again by itself): said as not listed, and listed on request.
    let refusing = true;
    const isTemplates = (url: URL) => url.pathname === '/v1/templates';
    await page.route(isTemplates, (route) => (refusing ? route.fulfill({ status: 403, json: { error: { code: 'forbidden', message: 'Not now.', details: [] } } }) : route.continue()));
    await page.goto(`${sut.baseUrl}/console/new`);
    const unlisted = page.getByTestId('templates-unread');
    await expectText(unlisted, /Not listed \(the error is above\); a blank campaign still works\./);
    expect(await page.locator('.skeleton').count()).toBe(0);
    refusing = false;
    await unlisted.getByRole('button', { name: 'List the templates again' }).click();
    await page.getByRole('button', { name: /^Use / }).first().waitFor();
    expect(await unlisted.count()).toBe(0);
    await page.unroute(isTemplates);
  }, 120_000);

  it("marks a preview's path on the canvas only when it answers the version drawn, unchanged; otherwise says whose answer it is", async () => {
    const key = 'preview-other-version';
    expect((await op('POST', '/v1/campaigns', { ...v1, key })).status).toBe(201);
    expect((await op('POST', `/v1/campaigns/${key}/activate`, { version: 1 })).status).toBe(200);
    expect((await op('PUT', `/v1/campaigns/${key}`, { ...v1, key, name: 'Waits longer', baseVersion: 1 })).body.version).toBe(2);
    // The canvas draws v2; new journeys run the active v1.
    await page.goto(`${sut.baseUrl}/console/campaigns/${key}/edit`);
    await node('done').waitFor();
    const preview = page.getByRole('region', { name: 'Preview' });
    const unmarked = preview.getByTestId('preview-unmarked');
    await preview.getByLabel('Preview user').fill('preview-who');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await expectText(preview.getByTestId('preview-result').locator('p').first(), /: v1, new journey: enters/);
    await expectText(unmarked, 'This is the answer of v1 (the active version), not of v2 on the canvas: that is not previewed, so nothing is marked on it.');
    expect(await page.locator('.gnode-reached').count()).toBe(0);

    // v2 active: the answer is the canvas's, and its path is marked.
    expect((await op('POST', `/v1/campaigns/${key}/activate`, { version: 2 })).status).toBe(200);
    await preview.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.react-flow__node[data-id="waiting"] .gnode-reached').waitFor();
    expect(await unmarked.count()).toBe(0);

    // Edited since: the marks go, and the answer says it is the saved version's.
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    await yaml().fill((await yaml().inputValue()).replace('name: Waits longer', 'name: Waits, edited'));
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await node('done').waitFor();
    await expectText(unmarked, 'This is the answer of v2 as saved: your changes since are not previewed, so nothing is marked on the canvas.');
    expect(await page.locator('.gnode-reached').count()).toBe(0);
  }, 120_000);
});

async function eventuallyEqual<T>(read: () => Promise<T>, expected: T): Promise<void> {
  let last: T | undefined;
  for (let i = 0; i < 100; i++) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(last).toEqual(expected);
}

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.waitFor();
  let last = '';
  for (let i = 0; i < 150; i++) {
    last = (await locator.textContent())?.trim().replace(/\s+/g, ' ') ?? '';
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await locator.page().waitForTimeout(200);
  }
  throw new Error(`expected ${String(expected)}, saw "${last}"`);
}
