import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchConsoleBrowser, signIn } from './console-browser';
import { startSystemUnderTest, type SystemUnderTest } from './system-under-test';

export interface EditorSession {
  sut: SystemUnderTest;
  browser: Browser;
  page: Page;
  /** The messages of every dialog but the leave guard's, which a test of the editor must not see. */
  dialogs: string[];
  stop(): Promise<void>;
}

/**
 * The real system with `campaign` created, and an operator signed in to the
 * console in a 1440x900 Chromium page. Each test opens the editor afresh,
 * leaving unsaved edits behind: the leave guard (beforeunload) asks and is
 * answered "leave"; any other dialog is recorded and accepted.
 */
export async function startEditorSession(shots: string, campaign: Record<string, unknown>): Promise<EditorSession> {
  mkdirSync(shots, { recursive: true });
  const sut = await startSystemUnderTest();
  const created = await sut.request('POST', '/v1/campaigns', { role: 'operator', body: campaign });
  if (created.status !== 201) throw new Error(`campaign ${String(campaign.key)} was not created: ${created.status} ${JSON.stringify(created.body)}`);
  const browser = await launchConsoleBrowser();
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    if (dialog.type() !== 'beforeunload') dialogs.push(dialog.message());
    void dialog.accept();
  });
  await signIn(page, sut.baseUrl, sut.keys.operator);
  return {
    sut,
    browser,
    page,
    dialogs,
    stop: async () => {
      await browser.close();
      await sut.stop();
    },
  };
}
