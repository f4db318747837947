import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expectAccessible, expectText, screenshotsDir } from './support/console-browser';
import { startEditorSession, type EditorSession } from './support/console-editor-session';
import type { SystemUnderTest } from './support/system-under-test';

const SHOTS = screenshotsDir('console-canvas-groups');
const KEY = 'groups-demo';

/** VIP-only rewards (the whole group behind an `if`), a first-order coupon given unless one is held, and a message with data. */
const v1 = {
  key: KEY,
  name: 'Groups',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: {
    waiting: { transitions: [{ to: 'rewarded', on: 'order.completed' }] },
    rewarded: {
      actions: { if: 'user.vip == true', steps: [{ type: 'coupon', pool: 'vip', unlessHolding: true }] },
      transitions: [{ to: 'told', on: 'order.completed' }],
    },
    told: { actions: { steps: [{ type: 'message', channel: 'push', template: 'thanks', data: { greeting: 'user.firstName', total: 'now()' } }] }, end: true },
  },
};

describe("the canvas's action groups (a group's `if`, unlessHolding, Add a step), issue names and the diff's node names in a real Chromium against the real system", () => {
  let session: EditorSession;
  let sut: SystemUnderTest;
  let page: Page;
  let dialogs: string[];

  beforeAll(async () => {
    session = await startEditorSession(SHOTS, v1);
    ({ sut, page, dialogs } = session);
  }, 300_000);

  afterAll(async () => session?.stop());

  const validity = () => page.getByTestId('validity');
  const node = (name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);

  async function openSaved() {
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}/edit`);
    await node('rewarded').waitFor();
    await expectText(validity(), 'compiles');
  }

  /** The draft as the JSON tab shows it; back on the canvas after. */
  async function draft(): Promise<typeof v1> {
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = JSON.parse(await page.getByLabel('Campaign JSON').inputValue()) as typeof v1;
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await node('rewarded').waitFor();
    return json;
  }

  /** Replaces the draft through the JSON tab, as an operator pasting a definition does; back on the canvas after. */
  async function setDraft(def: unknown) {
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    await page.getByLabel('Campaign JSON').fill(JSON.stringify(def, null, 2));
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await node('rewarded').waitFor();
  }

  it("shows and edits the top group's `if`, says it and unlessHolding on the node, and adds a step only on Add, never on an arrow key", async () => {
    await openSaved();
    // The node says the whole group is VIP-only, and that the coupon is skipped for a user holding one.
    await expectText(node('rewarded').locator('.chip-group-head'), 'serial: in order if user.vip == true');
    await expectText(node('rewarded').locator('.chip').first(), 'coupon from vip (unless the user holds one)');

    await node('rewarded').click();
    const state = page.getByRole('region', { name: 'State rewarded' });
    // Arrow keys and type-ahead on a focused "Add a step" choose a kind; they add nothing.
    const add = state.getByLabel('Add a step', { exact: true });
    await add.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('c');
    expect((await draft()).states.rewarded.actions.steps).toHaveLength(1);
    await node('rewarded').click();
    const actionsIf = state.getByRole('group', { name: 'Actions if' });
    await expectText(actionsIf.getByLabel('Actions if row 1 alternative 1', { exact: true }), 'user.vip == true');
    expect(await state.getByLabel('Step 1 unless the user holds one').isChecked()).toBe(true);
    await state.screenshot({ path: path.join(SHOTS, 'groups-actions-if.png') });

    await state.getByLabel('Add a step', { exact: true }).selectOption('points');
    await state.getByRole('button', { name: 'Add step', exact: true }).click();
    await state.getByLabel('Step 2 amount').waitFor();

    // The new step went into the VIP-only group, as the panel and node say; unticking unlessHolding drops the field.
    await state.getByLabel('Step 1 unless the user holds one').uncheck();
    const json = await draft();
    expect(json.states.rewarded.actions).toEqual({ if: 'user.vip == true', steps: [{ type: 'coupon', pool: 'vip' }, { type: 'points', amount: 50 }] });
    await expectText(node('rewarded').locator('.chip').first(), 'coupon from vip');
    await page.screenshot({ path: path.join(SHOTS, 'groups-canvas.png') });
    await expectAccessible(page);
  });

  it("shows an issue in a group's `if` at that condition, names a message data issue's field and marks it, and says a transition's issues in its name", async () => {
    await openSaved();
    // A duration the schema refuses (which stops the compiler before the states: on its own).
    const late = structuredClone(v1);
    (late.states.waiting.transitions as unknown[])[0] = { to: 'rewarded', after: '3 days' };
    await setDraft(late);
    const edge = page.locator('.react-flow__edge[data-id="waiting#0"]');
    await expectAttribute(edge, 'aria-label', /^Transition waiting to rewarded: .*; \d+ issues?: /);

    const bad = structuredClone(v1);
    bad.states.rewarded.actions.if = 'user.vip ==';
    bad.states.told.actions.steps[0].data.total = 'nowz()';
    await setDraft(bad);
    await expectText(validity(), /^\d+ issues?$/);
    const waiting = page.getByTestId('issues-waiting');
    if ((await waiting.count()) > 0) await waiting.getByRole('button').click();

    await node('told').click();
    const told = page.getByRole('region', { name: 'State told' });
    const total = told.getByLabel('Step 1 data total', { exact: true });
    await expectAttribute(total, 'aria-invalid', 'true');
    expect(await told.getByLabel('Step 1 data greeting', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    await expectText(told.locator('.data-field', { has: page.locator('input[aria-label="Step 1 data total"]') }).locator('.inline-issue'), /nowz/);
    await told.screenshot({ path: path.join(SHOTS, 'groups-data-issue.png') });

    await node('rewarded').click();
    const state = page.getByRole('region', { name: 'State rewarded' });
    await state.getByRole('group', { name: 'Actions if' }).locator('.inline-issue').first().waitFor();
  });

  it('lists a transition to a state that is not there in the side panel, where it opens', async () => {
    await openSaved();
    const gone = structuredClone(v1) as typeof v1;
    gone.states.rewarded.transitions = [{ to: 'nowhere', on: 'order.completed' }];
    await setDraft(gone);
    const missing = page.getByRole('region', { name: 'Transitions to missing states' });
    await missing.getByRole('button', { name: 'Transition rewarded to nowhere' }).focus();
    await page.keyboard.press('Enter');
    const transition = page.getByRole('region', { name: 'Transition', exact: true });
    await transition.waitFor();
    // The select names the target the campaign has, not the first state the browser would fall back to.
    const goesTo = transition.getByLabel('Goes to');
    expect(await goesTo.locator('option:checked').textContent()).toBe('nowhere (no such state)');
    await expectAttribute(goesTo, 'aria-invalid', 'true');
    await page.screenshot({ path: path.join(SHOTS, 'groups-missing-target.png') });
    await goesTo.selectOption('told');
    await expectAttribute(goesTo, 'aria-invalid', 'false');
    await missing.waitFor({ state: 'detached' });
  });

  it('names every state of the versions diff on the element Tab reaches', async () => {
    const next = structuredClone(v1) as typeof v1;
    next.states.rewarded.actions.steps.push({ type: 'points', amount: 50 } as never);
    expect((await sut.request('PUT', `/v1/campaigns/${KEY}`, { role: 'operator', body: { ...next, baseVersion: 1 } })).status).toBe(200);
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}/diff?from=1&to=2`);
    const nodes = page.getByTestId('diff-graph').locator('.react-flow__node');
    await nodes.first().waitFor();
    const names = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(names.length).toBeGreaterThan(1);
    for (const n of names) expect(n).not.toBe('');
    expect(names).toContain('State waiting, unchanged');
    await page.screenshot({ path: path.join(SHOTS, 'groups-diff.png') });
  });

  it('asked nothing on the way', () => {
    expect(dialogs).toEqual([]);
  });
});


async function expectAttribute(locator: Locator, name: string, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  for (let i = 0; i < 100; i++) {
    const value = (await locator.first().getAttribute(name)) ?? '';
    if (typeof expected === 'string' ? value === expected : expected.test(value)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await locator.first().getAttribute(name)).toMatch(expected);
}
