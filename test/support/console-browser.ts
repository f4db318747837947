import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

// scripts/build.js runs before anything is compiled, so it is plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildConsole } = require('../../scripts/build.js') as { buildConsole: (root: string, opts?: { log?: (l: string) => void }) => boolean };

export const ROOT = path.resolve(__dirname, '..', '..');
/** Debian's chromium (.ci/run installs it); Playwright's own download does not work on these machines. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where a browser suite saves its screenshots, to look at after a run (not committed). */
export const screenshotsDir = (suite: string) => process.env.KAIROS_SCREENSHOTS_DIR ?? path.join(ROOT, 'test-results', suite);

const BUILD_LOCK = path.join(ROOT, 'dist', '.console-build.lock');
/** A lock older than this was left by a run that was killed mid-build. */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Runs `fn` while no other jest worker does: two browser suites that find the
 * console changed would otherwise build it into the same folder at once, and
 * one would serve the other's half-written files.
 */
function alone<T>(fn: () => T): T {
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** Builds the console when its sources changed (as npm start does; one worker at a time) and starts a headless Chromium. */
export async function launchConsoleBrowser(): Promise<Browser> {
  alone(() => buildConsole(ROOT, { log: () => undefined }));
  // Playwright gives every launch a fresh profile directory of its own (it refuses --user-data-dir).
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Signs `page` in with `key` (kept in the tab's sessionStorage), starting at `at`. */
export async function signIn(page: Page, baseUrl: string, key: string, at = '/console'): Promise<void> {
  await page.goto(`${baseUrl}${at}`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('key role:').waitFor();
}

/** CONSOLE.md: no serious or critical axe-core violations on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/** The axe-core that AxeBuilder injects: the same copy, so the same rules. */
const AXE_SOURCE = (
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(require.resolve('axe-core', { paths: [path.dirname(require.resolve('@axe-core/playwright'))] })) as { source: string }
).source;

type Violation = { id: string; impact?: string | null; nodes: Array<{ target: unknown[] }> };

/**
 * axe.run in the page itself, with AxeBuilder's options (none). AxeBuilder's default runs axe in each frame and then
 * once more in a blank page it opens, injecting axe (1.3 MB) there again, only to merge the frames' results: on a
 * loaded CI machine that doubled each check's time, for the same result on a page of one frame (every console page).
 * A page with frames keeps AxeBuilder's way, which checks each frame. A second check of the same document reuses the
 * axe already injected.
 */
async function axeViolations(page: Page): Promise<Violation[]> {
  if (page.frames().length > 1) return (await new AxeBuilder({ page }).analyze()).violations;
  if (!(await page.evaluate('typeof window.axe?.run === "function"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const inPage = globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<{ violations: Violation[] }> }; document: unknown };
    const { violations } = await inPage.axe.run(inPage.document, {});
    // Only what the check reads: the whole result (every pass, every node's HTML) is large to carry out of the page.
    return violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

/** Waits (up to 10 s) until the first match reads `expected`, trimmed; then asserts it. */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  for (let i = 0; i < 100; i++) {
    const text = (await locator.first().textContent())?.trim() ?? '';
    if (typeof expected === 'string' ? text === expected : expected.test(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await locator.first().textContent())?.trim()).toMatch(expected);
}

/** Waits (up to 5 s) until the field holds `expected`; then asserts it. */
export async function expectValue(field: Locator, expected: string): Promise<void> {
  let last = '';
  for (let i = 0; i < 50; i++) {
    last = await field.inputValue();
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(last).toBe(expected);
}
