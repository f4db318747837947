import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

// The campaign graph and the canvas with what operators write and the first console drew badly:
// labels not in words, long state names, a large graph, nested reward groups.
const SHOTS = screenshotsDir('console-graph-labels');

/** Every label kind of CAMPAIGNS.md that needs words: cron entry, atLeast (JSON tree), at, split, and a nested reward tree. */
const labelled = {
  key: 'labels-in-words',
  name: 'Labels in words',
  schedule: { timezone: 'Asia/Shanghai' },
  entry: { cron: '0 9 * * 1', timezone: 'Asia/Shanghai' },
  initial: 'waiting',
  states: {
    waiting: {
      transitions: [
        { to: 'rewarded', when: { atLeast: 2, of: ["count('order.completed') >= 3", { fact: "sum('order.completed', 'amount')", op: 'gte', value: 20 }, 'user.vip == true'] } },
        { to: 'lottery', at: '2026-12-01T09:00:00+08:00' },
      ],
    },
    lottery: { transitions: [{ split: [{ to: 'rewarded', weight: 30 }, { to: 'missed', weight: 70 }] }] },
    rewarded: {
      actions: {
        strategy: 'parallel',
        steps: [
          { type: 'points', amount: 5 },
          { strategy: 'priority', steps: [{ type: 'coupon', pool: 'gold-coupons', if: 'user.vip == true' }, { type: 'coupon', pool: 'silver-coupons' }] },
        ],
      },
      end: true,
    },
    missed: { end: true },
  },
};

const LONG_60 = 'waiting-for-the-customer-to-complete-their-very-first-order';
// The schema allows state names up to 100 characters; one with no place to break at all.
const LONG_100A = 'rewarded_with_a_loyalty_coupon_after_three_completed_orders_within_the_first_thirty_days_of_signing';
const LONG_100B = 'ExpiredWithoutAnyPurchaseAfterTheWholePromotionWindowClosedAndTheReminderMessagesWentUnansweredTooo';
const longNames = {
  key: 'long-state-names',
  name: 'Long state names',
  entry: { on: 'order.completed' },
  initial: LONG_60,
  states: {
    [LONG_60]: { transitions: [{ to: LONG_100A, on: 'order.completed', if: 'event.amount >= 20' }, { to: LONG_100B, after: 'P30D' }] },
    [LONG_100A]: { actions: { steps: [{ type: 'points', amount: 50 }] }, end: true },
    [LONG_100B]: { end: true },
  },
};

/** 64 states: a binary tree six levels deep, each leaf an end state. */
const BIG_STATES = 63;
function bigCampaign() {
  const name = (i: number) => `step-${String(i).padStart(2, '0')}`;
  const states: Record<string, unknown> = {};
  for (let i = 0; i < BIG_STATES; i++) {
    const kids = [2 * i + 1, 2 * i + 2].filter((k) => k < BIG_STATES);
    states[name(i)] = kids.length === 0 ? { end: true } : { transitions: [{ to: name(kids[0]), on: 'order.completed', if: `event.amount >= ${i + 1}` }, { to: name(kids[1]), after: 'P3D' }] };
  }
  return { key: 'big-graph', name: 'Big graph', entry: { on: 'order.completed' }, initial: name(0), states };
}

describe('campaign graph and canvas labels, long names, large graphs, nested groups (real Chromium)', () => {
  let sut: SystemUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    // Saved, not activated: the graph draws the latest version, and nothing here needs journeys.
    for (const c of [labelled, longNames, bigCampaign()]) {
      const created = await sut.request('POST', '/v1/campaigns', { role: 'operator', body: c });
      if (created.status !== 201) throw new Error(`create ${c.key}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    // A second version of the long names, for the diff page.
    const v2 = { ...longNames, states: { ...longNames.states, [LONG_60]: { transitions: [longNames.states[LONG_60].transitions[0], { to: LONG_100B, after: 'P20D' }] } } };
    expect((await sut.request('PUT', `/v1/campaigns/${longNames.key}`, { role: 'operator', body: v2 })).status).toBe(200);
    browser = await launchConsoleBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  async function open(at: string, viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const context = await browser.newContext({ viewport, colorScheme, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, sut.baseUrl, sut.keys.operator, at);
    await page.locator('.react-flow__node').first().waitFor();
    return page;
  }

  /** The graph's zoom, read from React Flow's viewport transform. */
  const zoomOf = async (page: Page) =>
    Number(/scale\(([\d.]+)\)/.exec((await page.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1] ?? 'NaN');

  it('says edge labels in words on the campaign graph and on the canvas', async () => {
    const page = await open(`/console/campaigns/${labelled.key}`);
    await page.locator('.edge-label').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'labels-campaign.png') });
    // The funnel's count follows each label: " · 0 taken".
    const labels = (await page.locator('.edge-label').allTextContents()).map((l) => l.replace(/ · \d+\*? taken$/, ''));
    expect(labels).toEqual(
      expect.arrayContaining([
        'every Monday at 09:00 (Asia/Shanghai)',
        "when at least 2 of (count('order.completed') >= 3; sum('order.completed', 'amount') >= 20; user.vip == true)",
        'at 1 Dec 2026, 09:00 (Asia/Shanghai)',
        '30% of users',
        '70% of users',
      ]),
    );

    const canvas = await open(`/console/campaigns/${labelled.key}/edit`);
    await canvas.locator('.react-flow__edge-text').first().waitFor();
    await canvas.screenshot({ path: path.join(SHOTS, 'labels-canvas.png') });
    const drawn = await canvas.locator('.react-flow__edge-text').allTextContents();
    expect(drawn.join('\n')).not.toMatch(/[{}]/);
    expect(drawn).toEqual(expect.arrayContaining(['at 1 Dec 2026, 09:00 (Asia/Shanghai)', '30% of users', '70% of users']));
    expect(drawn.some((l) => l.startsWith('when at least 2 of ('))).toBe(true);
    await page.context().close();
    await canvas.context().close();
  });

  it('shows a group inside a group as nested, with its strategy', async () => {
    const page = await open(`/console/campaigns/${labelled.key}`);
    const node = page.locator('.react-flow__node[data-id="rewarded"]');
    await node.screenshot({ path: path.join(SHOTS, 'nested-groups.png') });
    const inner = node.getByRole('list', { name: /first that succeeds/ });
    await inner.waitFor();
    expect(await inner.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('coupon from gold-coupons if user.vip == true'), expect.stringContaining('coupon from silver-coupons')]);
    // The outer list holds the points and the inner group; the inner group's coupons are not the outer list's items.
    const outer = node.getByRole('list', { name: 'Actions, parallel: all at once' });
    expect(await outer.locator(':scope > li').count()).toBe(2);
    await expectContained(page, '.react-flow__node[data-id="rewarded"] .gnode');
    await page.context().close();
  });

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
    it(`keeps long state names inside their boxes, the full name at hand, at ${width}px`, async () => {
      const page = await open(`/console/campaigns/${longNames.key}`, { width, height });
      await page.screenshot({ path: path.join(SHOTS, `long-names-campaign-${width}.png`), fullPage: true });
      for (const name of [LONG_60, LONG_100A, LONG_100B]) {
        const head = page.locator(`.react-flow__node[data-id="${name}"] .gnode-name`);
        expect(await head.getAttribute('title')).toContain(name);
        // The node holds all it shows; the name, clamped, stays inside it.
        await expectContained(page, `.react-flow__node[data-id="${name}"] .gnode`);
        await expectInside(page, `.react-flow__node[data-id="${name}"] .gnode-name`, '.gnode', true);
      }
      // The intervals panel's pickers stay inside the panel, the chosen name in their title.
      const from = page.getByLabel('Interval from state');
      await from.selectOption(LONG_100B);
      expect(await from.getAttribute('title')).toBe(LONG_100B);
      await expectInside(page, 'select[aria-label="Interval from state"]', '.side');
      await expectInside(page, 'select[aria-label="Interval to state"]', '.side');
      await expectInside(page, 'select[aria-label="Interval period"]', '.side');
      await expectNoSidewaysScroll(page);

      // The canvas: nodes and the state panel's heading.
      const canvas = await open(`/console/campaigns/${longNames.key}/edit`, { width, height });
      await canvas.locator(`.react-flow__node[data-id="${LONG_100B}"]`).click();
      const heading = canvas.getByRole('heading', { name: new RegExp(`State ${LONG_100B.slice(0, 20)}`) });
      await heading.waitFor();
      await canvas.screenshot({ path: path.join(SHOTS, `long-names-canvas-${width}.png`), fullPage: true });
      await expectInside(canvas, '.side h2', '.side .panel');
      await expectContained(canvas, '.side h2');
      for (const name of [LONG_60, LONG_100A, LONG_100B]) {
        expect(await canvas.locator(`.react-flow__node[data-id="${name}"] .gnode-name`).getAttribute('title')).toBe(name);
        await expectInside(canvas, `.react-flow__node[data-id="${name}"] .gnode-name`, '.gnode', true);
      }
      // Tags ("initial", "end") keep their one line beside a long name.
      for (const h of await canvas.locator('.gnode-tag').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) expect(h).toBeLessThan(24);
      await expectNoSidewaysScroll(canvas);

      // The diff page's nodes: one line each, the whole name in the title.
      const diff = await open(`/console/campaigns/${longNames.key}/diff?from=1&to=2`, { width, height });
      for (const name of [LONG_60, LONG_100A, LONG_100B]) {
        expect(await diff.locator(`.react-flow__node[data-id="${name}"] .diff-node-name`).getAttribute('title')).toBe(name);
        await expectInside(diff, `.react-flow__node[data-id="${name}"] .diff-node-name`, '.diff-node', true);
      }
      await diff.context().close();
      await expectAccessible(page);
      await page.context().close();
      await canvas.context().close();
    });
  }

  it('fits a large graph no smaller than readable, starting at the entry', async () => {
    const page = await open(`/console/campaigns/big-graph`);
    await page.locator('.edge-label').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'big-graph-campaign.png') });
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.7);
    // The entry is on screen: the operator starts where journeys start and pans from there.
    await expectOnScreen(page, '.react-flow__node[data-id="(entry)"]');
    // The fit button keeps the same floor. Zoomed out with the zoom-out button: the mouse wheel's smooth
    // steps could still arrive after the fit on a busy machine and zoom out again.
    const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
    for (let i = 0; i < 10 && (await zoomOf(page)) >= 0.7; i++) {
      await zoomOut.click();
      await page.waitForTimeout(200);
    }
    expect(await zoomOf(page)).toBeLessThan(0.7);
    await page.getByRole('button', { name: 'Fit View' }).click();
    for (let i = 0; i < 100 && (await zoomOf(page)) < 0.7; i++) await page.waitForTimeout(100);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.7);
    await page.context().close();
  });

  it('places a state added on the canvas beside the selected state, in view, overlapping none', async () => {
    const page = await open(`/console/campaigns/big-graph/edit`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'big-graph-canvas.png') });
    const add = async (name: string) => {
      await page.getByLabel('New state name').fill(name);
      await page.getByRole('button', { name: 'Add state' }).click();
      await page.locator(`.react-flow__node[data-id="${name}"]`).waitFor();
      await page.waitForTimeout(200);
    };
    await page.locator('.react-flow__node[data-id="step-00"]').click();
    await add('new-one');
    await add('new-two');
    await add('new-three');
    await page.screenshot({ path: path.join(SHOTS, 'big-graph-canvas-added.png') });
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { id: e.getAttribute('data-id') ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    const byId = new Map(boxes.map((b) => [b.id, b]));
    const overlaps = (a: (typeof boxes)[number], b: (typeof boxes)[number]) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (const name of ['new-one', 'new-two', 'new-three']) {
      const mine = byId.get(name)!;
      expect(boxes.filter((b) => b.id !== name && overlaps(mine, b)).map((b) => b.id)).toEqual([]);
      await expectOnScreen(page, `.react-flow__node[data-id="${name}"]`);
    }
    // Not one row far off to the side: each within two node widths of the state selected when it was added.
    const selected = byId.get('step-00')!;
    for (const name of ['new-one', 'new-two', 'new-three']) {
      const mine = byId.get(name)!;
      expect(Math.hypot(mine.x - selected.x, mine.y - selected.y)).toBeLessThan(3 * selected.w);
    }
    await page.context().close();
  });
});

/** The element's content does not overflow it (no clipped text that scrolls). */
async function expectContained(page: Page, selector: string): Promise<void> {
  const sizes = await page.locator(selector).evaluateAll((els) => els.map((e) => ({ sw: e.scrollWidth, cw: e.clientWidth, sh: e.scrollHeight, ch: e.clientHeight })));
  expect(sizes.length).toBeGreaterThan(0);
  for (const s of sizes) {
    expect(s.sw).toBeLessThanOrEqual(s.cw + 1);
    expect(s.sh).toBeLessThanOrEqual(s.ch + 1);
  }
}

/** The element's box lies inside its nearest ancestor matching `outer` (sideways only, or on all sides). */
async function expectInside(page: Page, selector: string, outer: string, allSides = false): Promise<void> {
  const b = await page.locator(selector).first().evaluate((e, o) => {
    const r = e.getBoundingClientRect();
    const p = e.closest(o)!.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, pleft: p.left, pright: p.right, ptop: p.top, pbottom: p.bottom };
  }, outer);
  expect(b.left).toBeGreaterThanOrEqual(b.pleft - 1);
  expect(b.right).toBeLessThanOrEqual(b.pright + 1);
  if (allSides) {
    expect(b.top).toBeGreaterThanOrEqual(b.ptop - 1);
    expect(b.bottom).toBeLessThanOrEqual(b.pbottom + 1);
  }
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scroll, client } = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
  expect(scroll).toBeLessThanOrEqual(client);
}

async function expectOnScreen(page: Page, selector: string): Promise<void> {
  const graph = await page.locator('.react-flow').first().boundingBox();
  const box = await page.locator(selector).boundingBox();
  expect(graph && box).toBeTruthy();
  expect(box!.x).toBeGreaterThanOrEqual(graph!.x - 1);
  expect(box!.y).toBeGreaterThanOrEqual(graph!.y - 1);
  expect(box!.x + box!.width).toBeLessThanOrEqual(graph!.x + graph!.width + 1);
  expect(box!.y + box!.height).toBeLessThanOrEqual(graph!.y + graph!.height + 1);
}
