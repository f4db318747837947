import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page, Request, Route } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

// A pool top-up whose answer is lost on the way back: Kairos applied it, the browser saw the connection drop. The
// browser's interception loses the answer; the server, the pool and the form are real.
const SHOTS = screenshotsDir('console-top-up');

// A pool key no other suite uses.
const POOL = 'lost-answer-points';

describe('the console’s top-up form when an answer is lost', () => {
  let sut: SystemUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    const created = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: POOL, kind: 'points', budget: 1000 } });
    expect(created.status).toBe(201);
    browser = await launchConsoleBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  const pool = async () => {
    const read = await sut.request('GET', `/v1/pools/${POOL}`, { role: 'operator' });
    expect(read.status).toBe(200);
    return read.body as { budget: number; topUps: { total: number; latest: Array<{ id: string; budgetAdded: number | null }> } };
  };

  it('applied, its answer lost, then edited and sent again: says the earlier one was applied (409 top_up_id_reused), adds nothing more, and the next Add is a top-up of its own', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept()); // what the top-up adds, asked first
    const sent: Array<{ id: string; budget: number }> = [];
    page.on('request', (r: Request) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === `/v1/pools/${POOL}/top-up`) sent.push(r.postDataJSON() as { id: string; budget: number });
    });
    // The first top-up reaches Kairos, which applies it; its answer never reaches the page (the connection is reset).
    const isTopUp = (url: URL) => url.pathname === `/v1/pools/${POOL}/top-up`;
    const lost: number[] = [];
    await page.route(isTopUp, async (route: Route) => {
      if (lost.length > 0) return route.continue();
      lost.push((await route.fetch()).status());
      await route.abort('connectionreset');
    });

    await signIn(page, sut.baseUrl, sut.keys.operator, '/console/pools');
    await page.getByRole('button', { name: `Top up ${POOL}` }).click();
    const form = page.getByRole('form', { name: `Top up ${POOL}` });
    await form.getByLabel('Add to budget').fill('100');
    await form.getByRole('button', { name: 'Add' }).click();
    // The page heard nothing back: it says so, and the form stays open with its id.
    await expectText(page, form.getByRole('alert'), /^Kairos did not answer/);
    expect({ lost, budget: (await pool()).budget }).toEqual({ lost: [200], budget: 1100 });

    // The operator changes the amount and adds again: the same id with other fields is refused (409), which means the
    // first one was applied. The form says so, with what it added and the budget now, and adds nothing.
    await form.getByLabel('Add to budget').fill('250');
    await form.getByRole('button', { name: 'Add' }).click();
    await expectText(
      page,
      form.getByTestId('top-up-earlier'),
      'Your earlier top-up with this form was applied: it added 100 points of budget (budget now 1,100); its answer had not come back. What the fields say now was not added: check them, and Add adds them as a new top-up.',
    );
    expect(await form.getByRole('alert').count()).toBe(0);
    expect(sent.map((s) => s.budget)).toEqual([100, 250]);
    expect(sent[1].id).toBe(sent[0].id);
    const afterRetry = await pool();
    expect({ budget: afterRetry.budget, topUps: afterRetry.topUps.total, added: afterRetry.topUps.latest.map((t) => [t.id, t.budgetAdded]) }).toEqual({
      budget: 1100,
      topUps: 1,
      added: [[sent[0].id, 100]],
    });
    // The pools table was read again: it shows the budget the lost top-up made.
    await expectText(page, page.getByTestId(`pool-${POOL}`), /left of 1,100 points/);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'top-up-earlier-applied.png'), fullPage: true });

    // Add again, the fields as they are: a top-up under a new id, applied once.
    await form.getByRole('button', { name: 'Add' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByText(`Topped up ${POOL}.`).waitFor();
    expect(sent.map((s) => s.budget)).toEqual([100, 250, 250]);
    expect(sent[2].id).not.toBe(sent[0].id);
    const afterNew = await pool();
    expect({ budget: afterNew.budget, topUps: afterNew.topUps.total }).toEqual({ budget: 1350, topUps: 2 });
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  });
});

/** Waits for the first element `locator` finds to say `expected` (answers arrive when they do). */
async function expectText(page: Page, locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  let last = '';
  for (let i = 0; i < 100; i++) {
    last = (await locator.first().textContent())?.trim().replace(/\s+/g, ' ') ?? '';
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await page.waitForTimeout(200);
  }
  if (typeof expected === 'string') expect(last).toBe(expected);
  else expect(last).toMatch(expected);
}
