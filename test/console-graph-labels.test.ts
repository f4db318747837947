import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
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

describe('campaign graph and canvas labels, long names, large graphs, nested groups (real Chromium)', () => {
  let sut: SystemUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    // Saved, not activated: the graph draws the latest version, and nothing here needs journeys.
    for (const c of [labelled]) {
      const created = await sut.request('POST', '/v1/campaigns', { role: 'operator', body: c });
      if (created.status !== 201) throw new Error(`create ${c.key}: ${created.status} ${JSON.stringify(created.body)}`);
    }
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
});
