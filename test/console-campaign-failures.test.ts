import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
import { launchCampaign } from './support/campaign-api';
import { openSignedIn } from './support/console-stored-key';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

// The campaign page when a status change or one of its parts fails (review-59-console, findings 1 and 4). The browser's
// own interception stands in for Temporal or the API failing; everything else is real.
const SHOTS = screenshotsDir('console-campaign-failures');

/** Enters on `visit`; `endsAt`, when given, is the campaign's schedule end (what an activation tells running journeys). */
const campaign = (key: string, endsAt?: string) => ({
  key,
  name: key,
  entry: { on: 'visit' },
  ...(endsAt ? { schedule: { endsAt } } : {}),
  initial: 'start',
  states: { start: { transitions: [{ to: 'done', on: 'order.completed' }] }, done: { end: true } },
});

const errorBody = (code: string, message: string) => ({ error: { code, message, details: [] } });

describe('the campaign page when a status change or one of its parts fails', () => {
  let sut: SystemUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    browser = await launchConsoleBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    return context.newPage();
  }

  it('an activation Kairos stored but could not tell the running journeys of (503): the status is read again at once, and Send again repeats it from there', async () => {
    const KEY = 'failing-activate';
    await launchCampaign(sut, campaign(KEY));
    const endsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await sut.request('PUT', `/v1/campaigns/${KEY}`, { role: 'operator', body: campaign(KEY, endsAt) })).status).toBe(200);

    const page = await newPage();
    let versionReads = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === `/v1/campaigns/${KEY}/versions`) versionReads++;
    });
    const sent: unknown[] = [];
    let lose = true;
    await page.route(
      (url) => url.pathname === `/v1/campaigns/${KEY}/activate`,
      async (route) => {
        sent.push(JSON.parse(route.request().postData() ?? '{}'));
        if (!lose) return route.continue();
        lose = false;
        // Kairos stores the activation (here for real), but answers with Temporal's failure to tell the running journeys.
        const stored = await route.fetch();
        expect(stored.status()).toBe(200);
        await route.fulfill({
          status: 503,
          json: errorBody(
            'temporal_unavailable',
            `Campaign ${KEY} v2 is active, but its running journeys could not be told that the campaign's schedule now ends ${endsAt} (Temporal did not answer within 10000 ms); send this activation again (it tells them again).`,
          ),
        });
      },
    );
    await signIn(page, sut.baseUrl, sut.keys.operator, `/console/campaigns/${KEY}?version=2`);
    const controls = page.getByRole('region', { name: 'Campaign controls' });
    const activate = controls.getByRole('button', { name: 'Activate v2' });
    const v2 = page.locator('select[aria-label="Version shown"] option[value="2"]');
    await expectText(v2, 'v2');

    const before = versionReads;
    await activate.click();
    await expectText(controls.getByRole('alert'), /send this activation again \(it tells them again\)\.$/);
    // Read again at once, not at the next refresh 12 s on: the page shows v2 active, as the message says.
    await until(() => versionReads > before, 3_000);
    await expectText(v2, 'v2 (active)');
    expect(await activate.isDisabled()).toBe(true);
    const again = controls.getByRole('button', { name: 'Send again' });
    await again.waitFor();
    expect(await again.isEnabled()).toBe(true);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'activate-stored-send-again.png'), fullPage: true });

    // Sent again from what the campaign is now: v2 active, and only while it is.
    await again.click();
    await expectText(controls.getByRole('status'), 'Sent the activation of v2 again: Kairos took it.');
    expect(sent).toEqual([
      { version: 2, ifStatus: ['active'], ifActiveVersion: 1 },
      { version: 2, ifStatus: ['active'], ifActiveVersion: 2 },
    ]);
    expect({ alerts: await controls.getByRole('alert').count(), again: await again.count() }).toEqual({ alerts: 0, again: 0 });
    const now = await sut.request('GET', `/v1/campaigns/${KEY}/versions`, { role: 'operator' });
    expect({ status: now.body.status, activeVersion: now.body.activeVersion }).toEqual({ status: 'active', activeVersion: 2 });
    await page.context().close();
  });

  it('Send again for a pause reads the campaign first: resumed behind the page, it is not paused again; still paused, it is sent', async () => {
    const KEY = 'failing-pause';
    await launchCampaign(sut, campaign(KEY));
    const page = await newPage();
    let pauses = 0;
    let fail = true;
    await page.route(
      (url) => url.pathname === `/v1/campaigns/${KEY}/pause`,
      async (route) => {
        pauses++;
        if (!fail) return route.continue();
        fail = false;
        // Stored for real; answered with Temporal's failure to take the news.
        expect((await route.fetch()).status()).toBe(200);
        await route.fulfill({ status: 503, json: errorBody('temporal_unavailable', `Campaign ${KEY} is paused, but Temporal did not answer; send this pause again.`) });
      },
    );
    await signIn(page, sut.baseUrl, sut.keys.operator, `/console/campaigns/${KEY}`);
    const controls = page.getByRole('region', { name: 'Campaign controls' });
    const pause = controls.getByRole('button', { name: 'Pause' });
    const again = controls.getByRole('button', { name: 'Send again' });
    await expectEnabled(pause);
    await pause.click();
    await again.waitFor();

    // A colleague resumes it; this page has not read it since. Send again reads it, and sends nothing.
    expect((await sut.request('POST', `/v1/campaigns/${KEY}/activate`, { role: 'operator', body: { version: 1 } })).status).toBe(200);
    await again.click();
    await expectText(controls.getByTestId('changed-since'), 'The campaign changed since: it is now active, v1 active. The pause was not sent again: it would undo that change.');
    expect({ pauses, again: await again.count() }).toEqual({ pauses: 1, again: 0 });
    expect((await sut.request('GET', `/v1/campaigns/${KEY}/versions`, { role: 'operator' })).body.status).toBe('active');

    // Paused once more, stored untold again; still paused when Send again reads it: sent.
    fail = true;
    await expectEnabled(pause);
    await pause.click();
    await again.click();
    await expectText(controls.getByRole('status'), 'Sent the pause again: Kairos took it.');
    expect(pauses).toBe(3);
    await page.context().close();
  });

  it('each part says its own failure beside it: a 429 on the versions read hides neither the graph’s failure nor the counts’', async () => {
    const KEY = 'failing-parts';
    await launchCampaign(sut, campaign(KEY));
    const page = await newPage();
    // The page's clock, moved by the test: the versions' next refresh (12 s) comes when it says.
    await page.clock.install();
    let busy = false;
    let countsFail = false;
    await page.route(
      (url) => url.pathname === `/v1/campaigns/${KEY}/versions`,
      (route) => (busy ? route.fulfill({ status: 429, json: errorBody('too_many_requests', 'Too many requests.'), headers: { 'Retry-After': '60' } }) : route.continue()),
    );
    await page.route(
      (url) => url.pathname === `/v1/campaigns/${KEY}/graph`,
      (route) => route.fulfill({ status: 500, json: errorBody('internal_error', 'graph boom') }),
    );
    await page.route(
      (url) => url.pathname === `/v1/campaigns/${KEY}/funnel`,
      (route) => (countsFail ? route.fulfill({ status: 500, json: errorBody('internal_error', 'counts boom') }) : route.continue()),
    );
    await signIn(page, sut.baseUrl, sut.keys.operator, `/console/campaigns/${KEY}`);
    const unread = page.getByTestId('graph-unread');
    await expectText(unread.getByRole('alert'), 'graph boom');
    await page.getByText(/counts for journeys that entered with v1/).waitFor();

    busy = true;
    countsFail = true;
    await page.clock.fastForward(12_000);
    await expectText(page.getByTestId('busy'), /^Status and versions, shown as of .*: Kairos is busy \(429: too many requests\) and asked the console to wait/);
    await expectText(page.getByRole('alert').filter({ hasText: 'counts boom' }), /^Counts of v1, shown as of .*: counts boom$/);
    // The graph's own failure, where the page says it is not drawn.
    await expectText(unread.locator('p'), 'The graph of v1 could not be read, so it is not drawn:');
    await expectText(unread.getByRole('alert'), 'graph boom');
    expect(await unread.getByRole('button', { name: 'Read the graph again' }).isEnabled()).toBe(true);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'campaign-parts-failing.png'), fullPage: true });
    await page.context().close();
  });

  // Review 63 (console), finding 2: opened without ?version, the page followed the versions' refresh to a version saved
  // since, and Activate with it. Finding 6: each arrow key on a version select loaded a version and pushed a history entry.
  it('opened without a version, keeps the one it opened on when another is saved, and says so; arrow keys on a version select load nothing until Enter', async () => {
    const KEY = 'pinned-draft';
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: campaign(KEY) })).status).toBe(201);
    const page = await newPage();
    await page.clock.install();
    const graphsAsked: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === `/v1/campaigns/${KEY}/graph`) graphsAsked.push(url.searchParams.get('version') ?? '');
    });
    await openSignedIn(page, sut.baseUrl, sut.keys.operator, `/console/campaigns/${KEY}`);
    const controls = page.getByRole('region', { name: 'Campaign controls' });
    await controls.getByRole('button', { name: 'Activate v1' }).waitFor();
    const select = page.getByLabel('Version shown');

    // Another operator saves v2 (a draft: the page would open on it now); the versions' 12 s refresh reads it.
    expect((await sut.request('PUT', `/v1/campaigns/${KEY}`, { role: 'operator', body: { ...campaign(KEY), name: 'pinned, v2' } })).status).toBe(200);
    const versionsRead = page.waitForResponse((r) => new URL(r.url()).pathname === `/v1/campaigns/${KEY}/versions`);
    await page.clock.fastForward(12_000);
    await versionsRead;
    await expectText(select.locator('option[value="2"]'), 'v2');
    const notice = page.getByTestId('newer-version');
    await expectText(notice, 'v2 was saved since this page opened; it still shows v1. Show v2');
    expect(await select.inputValue()).toBe('1');
    expect(await controls.getByRole('button', { name: 'Activate v1' }).count()).toBe(1);
    expect(graphsAsked).toEqual(['1']);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'campaign-newer-version.png'), fullPage: true });
    await notice.getByRole('link', { name: 'Show v2' }).click();
    await controls.getByRole('button', { name: 'Activate v2' }).waitFor();
    expect(new URL(page.url()).search).toBe('?version=2');
    expect(await notice.count()).toBe(0);

    // Browsing by keyboard: the select shows the version reached, with Show beside it, and nothing is loaded or pushed.
    const entries = await page.evaluate<number>('history.length');
    const asked = graphsAsked.length;
    await select.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect(await select.inputValue()).toBe('1');
    const show = page.getByRole('button', { name: 'Show v1' });
    await show.waitFor();
    await page.waitForTimeout(300);
    expect({ graphs: graphsAsked.length - asked, entries: await page.evaluate<number>('history.length'), activate: await controls.getByRole('button', { name: 'Activate v2' }).count() }).toEqual({
      graphs: 0,
      entries,
      activate: 1,
    });
    await page.screenshot({ path: path.join(SHOTS, 'campaign-version-browsed.png') });
    // Enter picks it.
    await page.keyboard.press('Enter');
    await controls.getByRole('button', { name: 'Activate v1' }).waitFor();
    expect(new URL(page.url()).search).toBe('?version=1');
    expect(graphsAsked.slice(asked)).toEqual(['1']);
    expect(await show.count()).toBe(0);

    // The same on the diff page: a browse loads no graphs; Escape puts the version compared back.
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}/diff`);
    await page.getByTestId('diff-summary').waitFor();
    const compared = graphsAsked.length;
    const newer = page.getByLabel('Newer version');
    await newer.focus();
    await page.keyboard.press('ArrowUp');
    await page.getByRole('button', { name: 'Compare v1' }).waitFor();
    await page.waitForTimeout(300);
    expect(graphsAsked.length).toBe(compared);
    await page.keyboard.press('Escape');
    expect(await newer.inputValue()).toBe('2');
    expect(await page.getByRole('button', { name: 'Compare v1' }).count()).toBe(0);
    await page.context().close();
  });
});

async function until(done: () => boolean, withinMs = 5_000): Promise<void> {
  for (let waited = 0; waited < withinMs && !done(); waited += 50) await new Promise((r) => setTimeout(r, 50));
  expect(done()).toBe(true);
}

async function expectEnabled(button: Locator): Promise<void> {
  await button.waitFor();
  for (let i = 0; i < 100 && !(await button.isEnabled()); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await button.isEnabled()).toBe(true);
}

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  // Attached, not visible: a select's options are hidden until it opens.
  await locator.first().waitFor({ state: 'attached' });
  let last = '';
  for (let i = 0; i < 100; i++) {
    last = (await locator.first().textContent())?.trim().replace(/\s+/g, ' ') ?? '';
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(last).toMatch(expected);
}
