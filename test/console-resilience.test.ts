import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page, Route } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir } from './support/console-browser';
import { openSignedIn } from './support/console-stored-key';
import { launchCampaign } from './support/campaign-api';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

// The console when answers come late, out of order, or not at all: a Kairos that restarts, sheds load (429), or stops
// accepting a key. The browser's own interception stands in for the server misbehaving; everything else is real.
const SHOTS = screenshotsDir('console-resilience');

// Keys no other suite uses: campaign and user listings read the shared Temporal namespace.
const CAMPAIGN = {
  key: 'steady-intervals',
  name: 'Steady intervals',
  entry: { on: 'order.completed' },
  initial: 'shopping',
  states: { shopping: { transitions: [{ to: 'rewarded', on: 'order.completed', if: 'event.amount >= 20' }] }, rewarded: { end: true } },
};
const USER = 'steady-uma';

const errorBody = (code: string, message: string) => ({ error: { code, message, details: [] } });

/** A door the test opens: a request held until then. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('the console when Kairos answers late, out of order, or not at all', () => {
  let sut: SystemUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    await launchCampaign(sut, CAMPAIGN);
    browser = await launchConsoleBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  async function newPage(): Promise<Page> {
    // en-US: counts are grouped as the reader's locale does, whatever the machine's.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    return context.newPage();
  }

  /**
   * The campaign page with its intervals requests held until the test answers them: each with its own number
   * (1,111 for the first, 2,222 for the second...), or, for those in `fail`, no answer at all.
   */
  async function intervalsPage() {
    const page = await newPage();
    await openSignedIn(page, sut.baseUrl, sut.keys.operator, `/console/campaigns/${CAMPAIGN.key}`);
    const gates: Array<ReturnType<typeof gate>> = [];
    const fail = new Set<number>();
    let asked = 0;
    let settled = 0;
    const isIntervals = (url: URL) => url.pathname === `/v1/campaigns/${CAMPAIGN.key}/intervals`;
    const onSettled = (url: string) => {
      if (isIntervals(new URL(url))) settled++;
    };
    page.on('requestfinished', (r) => onSettled(r.url()));
    page.on('requestfailed', (r) => onSettled(r.url()));
    await page.route(isIntervals, async (route: Route) => {
      const n = ++asked;
      await (gates[n - 1] ??= gate()).opened;
      if (fail.has(n)) await route.abort();
      else await route.fulfill({ json: { count: n * 1111, p50Ms: 1000, p90Ms: 2000, p99Ms: 3000 } });
    });
    const panel = page.locator('.panel.intervals');
    await panel.getByLabel('Interval from state').selectOption('shopping');
    await panel.getByLabel('Interval to state').selectOption('rewarded');
    return {
      page,
      panel,
      count: panel.getByTestId('interval-count'),
      fail,
      measure: async () => {
        const before = asked;
        await panel.getByRole('button', { name: 'Measure' }).click();
        await until(() => asked > before);
      },
      /** Lets answer `n` through and waits until the page has it (and a moment for it to draw what it would). */
      answer: async (n: number) => {
        const before = settled;
        (gates[n - 1] ??= gate()).open();
        await until(() => settled > before);
        await page.waitForTimeout(300);
      },
    };
  }

  it('intervals: Measure pressed twice, the first answer arriving last does not replace the second’s figures', async () => {
    const { page, panel, count, measure, answer } = await intervalsPage();
    await measure();
    await measure();
    await answer(2);
    await expectText(count, '2,222');
    await answer(1);
    expect(await count.allTextContents()).toEqual(['2,222']);
    await panel.screenshot({ path: path.join(SHOTS, 'intervals-last-wins.png') });
    await page.context().close();
  });

  it('intervals: an answer for the pair picked before arriving last does not blank the figures of the pair shown', async () => {
    const { page, panel, count, measure, answer } = await intervalsPage();
    await measure();
    await panel.getByLabel('Interval to state').selectOption('(exited)');
    await measure();
    await answer(2);
    await expectText(count, '2,222');
    await answer(1);
    expect(await count.allTextContents()).toEqual(['2,222']);
    expect(await panel.locator('dl').getAttribute('aria-label')).toBe('From shopping to (exited), v1, all time');
    await page.context().close();
  });

  it('intervals: an earlier Measure that fails after a later one answered does not say its failure over the figures', async () => {
    const { page, panel, count, fail, measure, answer } = await intervalsPage();
    fail.add(1);
    await measure();
    await measure();
    await answer(2);
    await expectText(count, '2,222');
    await answer(1);
    expect({ count: await count.allTextContents(), alerts: await panel.getByRole('alert').count() }).toEqual({ count: ['2,222'], alerts: 0 });
    await page.context().close();
  });

  it('sign-in: a check Kairos could not answer (503, 429, no answer) says so and keeps the key for another try; a refused key is not kept', async () => {
    const page = await newPage();
    const answers: Array<(route: Route) => Promise<void>> = [
      (route) => route.fulfill({ status: 503, json: errorBody('postgres_unavailable', 'PostgreSQL is not reachable; retry after Retry-After seconds.'), headers: { 'Retry-After': '5' } }),
      (route) => route.fulfill({ status: 429, json: errorBody('too_many_requests', 'Too many requests.'), headers: { 'Retry-After': '20' } }),
      (route) => route.abort(),
    ];
    await page.route(
      (url) => url.pathname === '/v1/whoami',
      async (route) => {
        const next = answers.shift();
        if (next) await next(route);
        else await route.continue();
      },
    );
    await page.goto(`${sut.baseUrl}/console`);
    const field = page.getByLabel('API key');
    const alert = page.getByRole('alert');
    await field.fill(sut.keys.operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await alert.waitFor();
    expect(await field.inputValue()).toBe(sut.keys.operator);
    // The wait the 503's Retry-After asked for, not "in a moment": pressing Sign in again at once is turned away again.
    await expectText(alert, /^Kairos is not answering \(503\); try again in 5 s\. The key is kept: press Sign in to try again\. Kairos said: PostgreSQL is not reachable/);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'sign-in-not-answering.png') });

    // Each retry is one press, the key still typed.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(alert, /^Kairos is busy \(429: too many requests\); try again in 20 s\. The key is kept/);
    expect(await field.inputValue()).toBe(sut.keys.operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(alert, /^Kairos is not answering \(no answer came: it may be restarting, or the network is down\); try again in a moment\. The key is kept/);
    expect(await field.inputValue()).toBe(sut.keys.operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('key role:').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('kairos.apiKey')")).toBe(sut.keys.operator);

    // A key Kairos refuses (401) is bad: the field is cleared, with the API's words.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill('not-a-key-0123456789abcdef');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).not.toMatch(/key is kept/);
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    await page.context().close();
  });

  it('sign-in: a stored key whose check Kairos could not answer stays, ready to try again', async () => {
    const page = await newPage();
    await openSignedIn(page, sut.baseUrl, sut.keys.support, '/console/held');
    let failing = true;
    await page.route(
      (url) => url.pathname === '/v1/whoami',
      (route) => (failing ? route.fulfill({ status: 502, json: errorBody('bad_gateway', 'Bad gateway.') }) : route.continue()),
    );
    await page.reload();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('API key').inputValue()).toBe(sut.keys.support);
    await expectText(page.getByRole('alert'), /^Kairos is not answering \(502\)/);
    failing = false;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('key role:').waitFor();
    await page.getByRole('heading', { name: 'Held steps' }).waitFor();
    await page.context().close();
  });

  it('a 401 from something in front of Kairos (a sign-in proxy’s, not Kairos’s own) keeps the key and says to reload to sign in there', async () => {
    const page = await newPage();
    // The page's clock, moved by the test: the next refresh comes when it says, not after real seconds.
    await page.clock.install();
    await openSignedIn(page, sut.baseUrl, sut.keys.support, '/console/held');
    await page.getByRole('heading', { name: 'Held steps' }).waitFor();
    // Read once (the next refresh is due 5 s after this answer).
    await page.getByText(/as of /).waitFor();
    // The proxy's session ends: it answers the page's next refresh with its own bare 401, an HTML page.
    const proxy = (route: Route) => route.fulfill({ status: 401, contentType: 'text/html', body: '<html>Sign in</html>' });
    await page.route((url) => url.pathname === '/v1/held-steps', proxy);
    await page.clock.fastForward(5_000);
    await expectText(page.getByRole('alert').filter({ hasText: 'Something in front' }), /^Something in front of Kairos refused the request \(401, not Kairos's own answer\), such as a sign-in proxy whose session ended\. Reload the page/);
    expect(await page.getByRole('dialog', { name: 'Sign in again' }).count()).toBe(0);
    expect(await page.getByText('Kairos no longer accepts this key').count()).toBe(0);
    expect(await page.evaluate("sessionStorage.getItem('kairos.apiKey')")).toBe(sut.keys.support);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'proxy-401-page.png'), fullPage: true });

    // Reloaded while the proxy still refuses: the key check gets its 401 too, and the key is kept, in the tab and the field.
    await page.route((url) => url.pathname === '/v1/whoami', proxy);
    await page.reload();
    await expectText(page.getByRole('alert'), /^Something in front of Kairos refused the request \(401, not Kairos's own answer\).*The key is kept: press Sign in to try again\.$/);
    expect(await page.getByLabel('API key').inputValue()).toBe(sut.keys.support);
    expect(await page.evaluate("sessionStorage.getItem('kairos.apiKey')")).toBe(sut.keys.support);
    await page.screenshot({ path: path.join(SHOTS, 'proxy-401-sign-in.png') });
    // Signed in at the proxy again: one press.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Held steps' }).waitFor();
    await page.context().close();
  });

  it('after a 401, signing in again loads what the refused key could not (a one-off load, not only the refreshing ones)', async () => {
    const page = await newPage();
    // The profile is loaded once per user: here the key is refused for it, as for a key revoked meanwhile.
    let refuse = true;
    const profile = (url: URL) => url.pathname === `/v1/users/${USER}`;
    await page.route(profile, (route) => (refuse ? route.fulfill({ status: 401, json: errorBody('unauthorized', 'Unknown API key.') }) : route.continue()));
    await openSignedIn(page, sut.baseUrl, sut.keys.support, `/console/users/${USER}`);
    const dialog = page.getByRole('dialog', { name: 'Sign in again' });
    await dialog.waitFor();
    const profilePanel = page.locator('.panel', { has: page.getByRole('heading', { name: 'Profile' }) });
    await expectText(profilePanel.getByRole('alert'), /Unknown API key/);

    refuse = false;
    await dialog.getByLabel('API key').fill(sut.keys.support);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectText(profilePanel.locator('p.muted'), `No profile stored for ${USER} (PUT /v1/users/{id} sets one).`);
    expect(await profilePanel.getByRole('alert').count()).toBe(0);
    await page.context().close();
  });

  it('support desk: journey cards do not poll each on their own; a card asks for its trace again when its journey moves', async () => {
    // A user with `cards` running journeys, as the listing says (the browser answers it), each with an empty trace.
    const MANY = 'steady-many';
    const listed = (cards: number, moved: number | null) =>
      Array.from({ length: cards }, (_, i) => ({
        campaign: `steady-c${i}`,
        version: 1,
        state: moved === i ? 'rewarded' : 'shopping',
        status: 'RUNNING',
        journeyStatus: 'running',
        held: 0,
        entries: 1,
        enteredAt: '2026-01-01T00:00:00.000Z',
        closedAt: null,
        workflowId: `journey/steady-c${i}/${MANY}`,
        temporalUrl: null,
      }));
    /** How often each journey's trace is asked for while the listing refreshes twice, and once more after journey 0 moves. */
    async function traceRequests(cards: number) {
      const page = await newPage();
      // The page's clock, moved by the test: refreshes come when it says, not after real seconds.
      await page.clock.install();
      let listings = 0;
      let moved: number | null = null;
      const traces = new Map<string, number>();
      await page.route(
        (url) => url.pathname === `/v1/users/${MANY}/journeys`,
        async (route) => {
          listings++;
          await route.fulfill({ json: { journeys: listed(cards, moved), truncated: false } });
        },
      );
      await page.route(
        (url) => url.pathname.startsWith('/v1/journeys/'),
        async (route) => {
          const campaign = new URL(route.request().url()).pathname.split('/')[3];
          traces.set(campaign, (traces.get(campaign) ?? 0) + 1);
          await route.fulfill({ json: { trace: [], rewards: [], finished: [], paths: [], timers: [], aggregates: {}, held: [] } });
        },
      );
      await openSignedIn(page, sut.baseUrl, sut.keys.support, `/console/users/${MANY}`);
      await expectText(page.getByRole('article').last().getByText('No decisions recorded yet.'), 'No decisions recorded yet.');
      await until(() => traces.size === cards);
      // The first answers drawn (signing in on this address may draw the page twice, each card asking once each time).
      await page.waitForTimeout(300);
      const total = () => [...traces.values()].reduce((a, b) => a + b, 0);
      const loaded = Object.fromEntries(traces);
      const refreshes = async (n: number) => {
        const from = listings;
        for (let i = 0; i < n; i++) {
          await page.clock.fastForward(5_000);
          await until(() => listings > from + i);
        }
        // The answers drawn (and any request they would lead to sent).
        await page.waitForTimeout(300);
      };
      const before = total();
      await refreshes(2);
      const still = total() - before;
      moved = 0;
      await refreshes(1);
      await expectText(page.getByRole('article', { name: 'Journey in steady-c0' }).getByTestId('journey-where'), 'now in rewarded');
      await until(() => (traces.get('steady-c0') ?? 0) > loaded['steady-c0']);
      await page.waitForTimeout(300);
      // Asked again since loading, per journey.
      const afterMove = Object.fromEntries([...traces].map(([c, n]) => [c, n - loaded[c]]));
      await page.context().close();
      return { still, afterMove };
    }
    const one = await traceRequests(1);
    const three = await traceRequests(3);
    // Nothing happened: no card asked again, however many there are. The journey that moved asked once; the others did not.
    expect({ one, three }).toEqual({
      one: { still: 0, afterMove: { 'steady-c0': 1 } },
      three: { still: 0, afterMove: { 'steady-c0': 1, 'steady-c1': 0, 'steady-c2': 0 } },
    });
  });

  it('support desk: a journey the listing could not read and the API cannot (409 journey_unreadable) reads failed in the error colour, claims no entry, and is not asked again', async () => {
    // A run that failed before loading its campaign (PlanDoesNotCompile): the listing could not ask it.
    const BROKEN = 'steady-broken';
    const page = await newPage();
    await page.clock.install();
    let listings = 0;
    let traces = 0;
    await page.route(
      (url) => url.pathname === `/v1/users/${BROKEN}/journeys`,
      async (route) => {
        listings++;
        await route.fulfill({
          json: {
            journeys: [
              { campaign: 'steady-spring', version: 1, state: null, status: 'failed', journeyStatus: null, held: 0, entries: null, enteredAt: '2026-01-01T00:00:00.000Z', closedAt: '2026-01-01T00:00:01.000Z', workflowId: `journey/steady-spring/${BROKEN}`, temporalUrl: null },
            ],
            truncated: false,
          },
        });
      },
    );
    await page.route(
      (url) => url.pathname.startsWith('/v1/journeys/'),
      async (route) => {
        traces++;
        await route.fulfill({ status: 409, json: errorBody('journey_unreadable', `Journey journey/steady-spring/${BROKEN} failed before it could load its campaign, so it cannot be read; asking again will not change that.`) });
      },
    );
    await openSignedIn(page, sut.baseUrl, sut.keys.support, `/console/users/${BROKEN}`);
    const card = page.getByRole('article', { name: 'Journey in steady-spring' });
    await expectText(card.getByRole('alert'), /cannot be read/);
    await page.waitForTimeout(300);
    const loaded = traces;
    expect(await card.locator('.badge').first().getAttribute('class')).toBe('badge badge-error');
    await expectText(card.locator('.badge').first(), 'failed');
    await expectText(card.getByTestId('journey-entered'), 'its state could not be read');
    await expectAccessible(page);
    await card.screenshot({ path: path.join(SHOTS, 'support-journey-unreadable.png') });
    // A minute and more of the page's refreshes (the listing every 5 s): the card's trace is not asked for again.
    const from = listings;
    for (let i = 0; i < 13; i++) {
      await page.clock.fastForward(5_000);
      await until(() => listings > from + i);
    }
    await page.waitForTimeout(300);
    expect({ asked: traces - loaded }).toEqual({ asked: 0 });
    await page.context().close();
  });

  it('held steps: once a Retry takes its row away, focus is on the next row’s Retry; a retry no worker took in time (503, no Retry-After) says it may still apply', async () => {
    const page = await newPage();
    // The page's clock, moved by the test past the list's next refresh below; otherwise it runs as it would.
    await page.clock.install();
    const step = (n: number) => ({
      campaign: 'steady-held',
      userId: `steady-h${n}`,
      stepId: 'rewarded/1',
      pathId: 'p0',
      state: 'rewarded',
      since: '2026-01-01T00:00:00.000Z',
      summary: 'coupon from steady-pool',
      error: 'steady-pool is exhausted',
      temporalUrl: null,
      workflowId: `journey/steady-held/steady-h${n}`,
    });
    let listed = [step(1), step(2), step(3)];
    let heldReads = 0;
    await page.route(
      (url) => url.pathname === '/v1/held-steps',
      async (route) => {
        heldReads++;
        await route.fulfill({ json: { held: listed, next: null, unanswered: [] } });
      },
    );
    let handOnly = false;
    const keysSent: Array<{ user: string; key: string | undefined }> = [];
    await page.route(
      (url) => url.pathname.startsWith('/v1/journeys/steady-held/') && url.pathname.endsWith('/retry'),
      async (route) => {
        const user = new URL(route.request().url()).pathname.split('/')[4];
        keysSent.push({ user, key: route.request().headers()['idempotency-key'] });
        if (handOnly) {
          await route.fulfill({
            status: 503,
            json: errorBody('decision_pending', `The retry was handed to journey/steady-held/${user}, which did not answer within 10 s (no worker has taken it yet): it may still apply when a worker runs. Check GET /v1/journeys/steady-held/${user} (its held steps and trace) before sending it again.`),
          });
          return;
        }
        listed = listed.filter((h) => h.userId !== user);
        await route.fulfill({ json: { decision: 'retry', pathId: 'p0', stepId: 'rewarded/1', workflowId: `journey/steady-held/${user}` } });
      },
    );
    await openSignedIn(page, sut.baseUrl, sut.keys.operator, '/console/held');
    const retry = (n: number) => page.getByRole('button', { name: `Retry rewarded/1 for steady-h${n}` });
    const focused = async (expected: string) => {
      let last: unknown = null;
      for (let i = 0; i < 30; i++) {
        last = await page.evaluate('(() => { const a = document.activeElement; return !a || a === document.body ? "BODY" : a.getAttribute("aria-label") || a.tagName; })()');
        if (last === expected) return;
        await page.waitForTimeout(100);
      }
      expect({ focused: last }).toEqual({ focused: expected });
    };
    await retry(1).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('held-done').waitFor();
    await retry(1).waitFor({ state: 'detached' });
    // Not dropped to the top of the page: the next row's Retry, so Enter decides the next one.
    await focused('Retry rewarded/1 for steady-h2 in steady-held');

    handOnly = true;
    const reads = heldReads;
    await page.keyboard.press('Enter');
    await expectText(page.getByTestId('held-may-apply'), /^Retry of rewarded\/1 sent, but no worker has taken it yet: it may still apply when one runs/);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByTestId('held-may-apply').getByRole('link', { name: 'steady-h2' }).getAttribute('href')).toBe('/console/users/steady-h2');
    // The list is read again at once (not at the next refresh), and focus stays on the row's button.
    await until(() => heldReads > reads);
    await focused('Retry rewarded/1 for steady-h2 in steady-held');
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'held-may-apply.png'), fullPage: true });

    // Deciding the same again after it: sent under the same Idempotency-Key, so the journey carries it out once.
    handOnly = false;
    await page.keyboard.press('Enter');
    await expectText(page.getByTestId('held-done'), /^Retrying rewarded\/1 for steady-h2/);
    const [first, second, third] = keysSent;
    expect(keysSent.map((k) => k.user)).toEqual(['steady-h1', 'steady-h2', 'steady-h2']);
    expect(second.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(third.key).toBe(second.key);
    expect(first.key).not.toBe(second.key);

    // Held again meanwhile (the retry ran and failed: another `since`), the step's next decision is another one: a new key.
    handOnly = true;
    await retry(3).click();
    await expectText(page.getByTestId('held-may-apply'), /^Retry of rewarded\/1 sent/);
    listed = listed.map((h) => (h.userId === 'steady-h3' ? { ...h, since: new Date(Date.now() + 60_000).toISOString() } : h));
    // The next refresh (every 5 s) reads it: the page's clock moved past it; a bound for a loaded machine (and for a
    // refresh not yet due when the clock moved), not a timing assertion.
    const readsBefore = heldReads;
    await page.clock.fastForward(5_000);
    for (let i = 0; i < 300 && heldReads <= readsBefore; i++) await new Promise((r) => setTimeout(r, 50));
    expect(heldReads).toBeGreaterThan(readsBefore);
    await retry(3).click();
    await until(() => keysSent.length === 5);
    expect(keysSent.slice(3).map((k) => k.user)).toEqual(['steady-h3', 'steady-h3']);
    expect(keysSent[4].key).not.toBe(keysSent[3].key);
    await page.context().close();
  });

  it('a one-off load turned away with 429 and Retry-After says it waits, and loads once the wait is over', async () => {
    const page = await newPage();
    await page.clock.install();
    // The profile is loaded once per user (no refresh): Kairos sheds it once, asking for 30 s.
    let asked = 0;
    await page.route(
      (url) => url.pathname === `/v1/users/${USER}`,
      async (route) => {
        asked++;
        if (asked === 1) await route.fulfill({ status: 429, json: errorBody('too_many_requests', 'Too many requests.'), headers: { 'Retry-After': '30' } });
        else await route.continue();
      },
    );
    await openSignedIn(page, sut.baseUrl, sut.keys.support, `/console/users/${USER}`);
    const profilePanel = page.locator('.panel', { has: page.getByRole('heading', { name: 'Profile' }) });
    await expectText(profilePanel.getByTestId('busy'), /^Kairos is busy \(429: too many requests\) and asked the console to wait: this panel asks again at /);
    expect(await profilePanel.getByRole('alert').count()).toBe(0);
    await page.clock.fastForward(20_000);
    await page.waitForTimeout(300);
    expect(asked).toBe(1);
    await page.clock.fastForward(11_000);
    await expectText(profilePanel.locator('p.muted'), `No profile stored for ${USER} (PUT /v1/users/{id} sets one).`);
    expect(asked).toBe(2);
    expect(await profilePanel.getByTestId('busy').count()).toBe(0);
    await page.context().close();
  });

  it('a refreshing page turned away with 429 and Retry-After waits that long, saying so, then refreshes as before', async () => {
    const page = await newPage();
    // The page's clock, moved by the test: the wait is checked without waiting it.
    await page.clock.install();
    let asked = 0;
    let busy = false;
    const isHeld = (url: URL) => url.pathname === '/v1/held-steps' && !url.searchParams.has('cursor');
    await page.route(isHeld, async (route) => {
      asked++;
      if (busy) await route.fulfill({ status: 429, json: errorBody('too_many_requests', 'Too many requests.'), headers: { 'Retry-After': '60' } });
      else await route.continue();
    });
    await openSignedIn(page, sut.baseUrl, sut.keys.support, '/console/held');
    await page.getByText(/as of /).waitFor();
    // The time a page was read says its zone (the browser's): a campaign's own times are in the campaign's.
    expect(await page.getByText(/as of /).textContent()).toMatch(/as of \d{1,2}:\d\d:\d\d\s[AP]M \S+$/);

    busy = true;
    const first = asked;
    await page.clock.fastForward(5_000);
    const notice = page.getByTestId('busy');
    await expectText(notice, /^Kairos is busy \(429: too many requests\) and asked the console to wait: this panel asks again at \d{1,2}:\d\d:\d\d [AP]M \S+\.$/);
    expect(asked).toBe(first + 1);
    // What was shown stays, and nothing is said as a failure.
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByText(/as of /).count()).toBe(1);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SHOTS, 'held-busy.png') });

    // Several refresh periods later, still within the minute asked for: not asked again.
    busy = false;
    await page.clock.fastForward(30_000);
    await page.waitForTimeout(500);
    expect(asked).toBe(first + 1);
    // The minute is up: asked again, and the notice goes.
    await page.clock.fastForward(31_000);
    await notice.waitFor({ state: 'detached' });
    expect(asked).toBe(first + 2);
    await page.context().close();
  });

  it('intervals and the entry node say what their counts count: arrivals timed, and entries with re-entries included, not journeys or users', async () => {
    const { page, panel, measure, answer } = await intervalsPage();
    await measure();
    await answer(1);
    await expectText(panel.getByTestId('interval-count'), '1,111');
    await expectText(panel.locator('dt').first(), 'arrivals timed');
    expect(await panel.locator('dt').first().getAttribute('title')).toBe(
      'Arrivals in rewarded that followed an arrival in shopping by the same path of the journey, each timed from its latest visit to shopping; a path that returns to rewarded without passing shopping again is not counted again',
    );
    const entry = page.locator('.react-flow__node[data-id="(entry)"]');
    await expectText(entry.locator('.gnode-counts'), /^\d+ entr(y|ies)$/);
    expect(await entry.locator('[role="group"]').getAttribute('aria-label')).toMatch(/^Entry, \d+ entr(y|ies) \(re-entries included\)$/);
    await page.context().close();
  });

  it('canvas: a compile check answered by a proxy page (502) or a 503 is said as such and asked again until Kairos checks it', async () => {
    const page = await newPage();
    // The page's clock, moved by the test past each wait before the check is asked again.
    await page.clock.install();
    let asked = 0;
    await page.route(
      (url) => url.pathname === '/v1/campaigns/validate',
      async (route) => {
        asked++;
        if (asked === 1) await route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
        else if (asked === 2) await route.fulfill({ status: 503, json: errorBody('unavailable', 'Kairos cannot reach PostgreSQL right now.'), headers: { 'Retry-After': '1' } });
        else await route.continue();
      },
    );
    await openSignedIn(page, sut.baseUrl, sut.keys.operator, `/console/campaigns/${CAMPAIGN.key}/edit`);
    const failure = page.locator('section.editor > .error[role="alert"] strong');
    // The proxy's page is no Kairos error body: said by its status, not as a TypeError from reading one.
    await expectText(failure, '502 from the API');
    // Asked again no sooner than the usual 5 s (it is due once the failure is said): moved past, not waited out.
    await page.clock.fastForward(5_000);
    await expectText(failure, 'Kairos cannot reach PostgreSQL right now.');
    await page.clock.fastForward(5_000);
    // Asked again after the 503 (no sooner than the usual 5 s): the badge clears once Kairos answers.
    for (let i = 0; i < 150 && (await page.getByTestId('validity').textContent()) !== 'compiles'; i++) await page.waitForTimeout(100);
    expect({ badge: await page.getByTestId('validity').textContent(), asked, failures: await failure.count() }).toEqual({ badge: 'compiles', asked: 3, failures: 0 });
    await page.context().close();
  });

  it('canvas preview: a slow answer for fields asked before does not replace the later one, and an edited field puts the answer away', async () => {
    const page = await newPage();
    const slow = gate();
    let slowAsked = false;
    let slowSettled = false;
    const isSlowPreview = (url: string, body: string | null) => url.endsWith(`/v1/campaigns/${CAMPAIGN.key}/preview`) && body !== null && (JSON.parse(body) as { userId?: string }).userId === 'slow';
    await page.route(
      (url) => url.pathname === `/v1/campaigns/${CAMPAIGN.key}/preview`,
      async (route) => {
        if (isSlowPreview(route.request().url(), route.request().postData())) {
          slowAsked = true;
          await slow.opened;
        }
        await route.continue();
      },
    );
    page.on('requestfinished', (r) => {
      if (isSlowPreview(r.url(), r.postData())) slowSettled = true;
    });
    await openSignedIn(page, sut.baseUrl, sut.keys.operator, `/console/campaigns/${CAMPAIGN.key}/edit`);
    const preview = page.getByRole('region', { name: 'Preview' });
    const heading = preview.getByTestId('preview-result').locator('p');
    // slow: an order, which enters; held until after fast's answer.
    await preview.getByLabel('Preview user').fill('slow');
    await preview.getByLabel('Preview event type').fill('order.completed');
    await preview.getByLabel('Preview properties').fill('{"amount": 25}');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await until(() => slowAsked);
    // fast: an event that does not enter, so nothing is marked on the canvas.
    await preview.getByLabel('Preview user').fill('fast');
    await preview.getByLabel('Preview event type').fill('app.opened');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await expectText(heading, /does not enter/);
    slow.open();
    await until(() => slowSettled);
    await page.waitForTimeout(300);
    expect({ heading: await heading.textContent(), reached: await page.locator('.gnode-reached').count() }).toEqual({ heading: expect.stringMatching(/does not enter/), reached: 0 });
    // The answer says which user and event it is for.
    await expectText(heading, /^For fast, app\.opened \{"amount": 25\}: v\d+, new journey: does not enter/);

    // An answer that marks a state, then the user field edited: the answer and its mark go away, as they answer another user.
    await preview.getByLabel('Preview event type').fill('order.completed');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await expectText(heading, /^For fast, order\.completed .*: enters/);
    await page.locator('.gnode-reached').first().waitFor();
    await preview.getByLabel('Preview user').fill('someone-else');
    await page.locator('.gnode-reached').first().waitFor({ state: 'detached' });
    expect(await preview.getByTestId('preview-result').count()).toBe(0);
    await page.context().close();
  });
});

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(done()).toBe(true);
}

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  let last = '';
  for (let i = 0; i < 100; i++) {
    last = (await locator.first().textContent())?.trim().replace(/\s+/g, ' ') ?? '';
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(last).toMatch(expected);
}
