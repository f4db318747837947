import type { Page } from 'playwright-core';

/** Where the console keeps the key (console/src/api.ts): the tab's sessionStorage. */
const KEY_ITEM = 'kairos.apiKey';
/** Marks the tab as given its key once, so a reload or a later page in it finds what the console left there. */
const GIVEN_ITEM = 'kairos.test.keyGiven';

/**
 * Opens the console at `at` in `page` (a fresh tab) signed in with `key`, as signIn does, without the form: the key is
 * put where the form puts it once Kairos accepted it, and the console checks it (GET /v1/whoami) as on a reload. For
 * tests of the pages, not of signing in: the sign-in page, typing and pressing Sign in cost a quarter of a second and
 * more a page, some twenty times a suite.
 */
export async function openSignedIn(page: Page, baseUrl: string, key: string, at = '/console'): Promise<void> {
  // Before the console's own scripts, in the first document of the console's origin only: a key the console cleared
  // (refused) stays cleared on a reload, as with a key typed into the form.
  await page.addInitScript(
    ([origin, keyItem, givenItem, value]) => {
      const tab = globalThis as unknown as { location: { origin: string }; sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } };
      if (tab.location.origin !== origin || tab.sessionStorage.getItem(givenItem) !== null) return;
      tab.sessionStorage.setItem(givenItem, '1');
      tab.sessionStorage.setItem(keyItem, value);
    },
    [new URL(baseUrl).origin, KEY_ITEM, GIVEN_ITEM, key],
  );
  await page.goto(`${baseUrl}${at}`);
  await page.getByText('key role:').waitFor();
}
