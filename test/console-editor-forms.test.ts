import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const SHOTS = screenshotsDir('console-editor-forms');
const KEY = 'forms-demo';

/** A saved campaign to edit: wait a month, then done. */
const v1 = {
  key: KEY,
  name: 'Waits',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'done', after: 'P30D' }] }, done: { end: true } },
};

describe('the campaign editor\'s forms (messages, touched fields, durations, YAML, key) in a real Chromium against the real system', () => {
  let sut: SystemUnderTest;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: v1 })).status).toBe(201);
    browser = await launchConsoleBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, sut.baseUrl, sut.keys.operator);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  const validity = () => page.getByTestId('validity');
  const fields = () => page.getByRole('region', { name: 'Campaign fields' });
  const node = (name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);

  async function openBlank() {
    await page.goto(`${sut.baseUrl}/console/new`);
    await page.getByRole('button', { name: 'Start blank' }).click();
    await node('start').waitFor();
  }

  it('says issues in plain words, and only at fields the operator touched until asked for all', async () => {
    await openBlank();
    // The blank draft has one issue (its state has no way out): counted, but not painted on what nobody has touched yet.
    await expectText(validity(), '1 issue');
    await expectText(page.getByTestId('issues-waiting'), '1 issue in parts not edited yet. Show it');
    expect(await page.locator('.inline-issue').count()).toBe(0);
    expect(await page.locator('.gnode-issue').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'forms-new-calm.png') });

    // Emptying the name: the sentence an operator needs, under that field, instead of the schema's words.
    const name = fields().getByLabel('Name');
    await name.fill('');
    await name.press('Enter');
    const nameIssue = fields().locator('.inline-issue[data-path="name"]');
    await expectText(nameIssue, 'Give the campaign a name');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText(/Too small|expected string/).count()).toBe(0);
    // (a field the schema refuses stops the compiler before it looks at the states: one issue now)
    await expectText(validity(), '1 issue');
    expect(await page.getByTestId('issues-waiting').count()).toBe(0);
    await name.fill('Welcome');
    await name.press('Enter');
    await nameIssue.waitFor({ state: 'detached' });
    // The key emptied and left by Tab: said once (not also "use lowercase letters"), in words.
    const key = fields().getByLabel('Key');
    await key.fill('');
    await key.press('Tab');
    await expectText(fields().locator('.inline-issue[data-path="key"]'), /^Give the campaign a key/);
    expect(await fields().locator('.inline-issue[data-path="key"]').count()).toBe(1);
    await key.fill('welcome');
    await key.press('Enter');
    await fields().locator('.inline-issue').first().waitFor({ state: 'detached' });

    // "Show it" brings the untouched issue to its state, in the list too.
    await page.getByTestId('issues-waiting').getByRole('button', { name: 'Show it' }).click();
    await expectText(node('start'), /has no way out/);
    await expectText(page.getByRole('region', { name: 'All issues' }), /states\.start: "start" has no way out/);
    expect(await page.getByTestId('issues-waiting').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'forms-words.png') });
    await expectAccessible(page);

    // Leaving a field without changing it touches it too: the state's name, and the state's issue shows.
    await openBlank();
    await node('start').click();
    await page.getByLabel('State name', { exact: true }).focus();
    await page.keyboard.press('Tab');
    await expectText(node('start'), /has no way out/);
    expect(await page.getByTestId('issues-waiting').count()).toBe(0);
  });
});

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  for (let i = 0; i < 100; i++) {
    const text = (await locator.first().textContent())?.trim() ?? '';
    if (typeof expected === 'string' ? text === expected : expected.test(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await locator.first().textContent())?.trim()).toMatch(expected);
}
