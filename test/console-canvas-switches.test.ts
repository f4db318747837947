import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expectAccessible, expectText, expectValue, screenshotsDir } from './support/console-browser';
import { startEditorSession, type EditorSession } from './support/console-editor-session';
import type { SystemUnderTest } from './support/system-under-test';

const SHOTS = screenshotsDir('console-canvas-switches');
const KEY = 'switches-demo';

const WHEN = [["count('order.completed') >= 5"], ["count('post.created') >= 1"]];

/** An A/B split 90/10, a wait of three days, a standing condition of two rows, and parallel paths (at most 5). */
const v1 = {
  key: KEY,
  name: 'Switches',
  entry: { on: 'order.completed' },
  participation: { mode: 'parallel', maxActive: 5 },
  initial: 'start',
  states: {
    start: {
      transitions: [
        {
          split: [
            { to: 'a', weight: 90 },
            { to: 'b', weight: 10 },
          ],
        },
      ],
    },
    a: { transitions: [{ to: 'done', after: 'P3D' }] },
    b: { transitions: [{ to: 'done', when: WHEN }] },
    done: { end: true },
  },
};

describe("the canvas's kind switches (Trigger, Starts on, Mode) and the condition builder on a condition that does not compile, in a real Chromium against the real system", () => {
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
  const transition = () => page.getByRole('region', { name: 'Transition' });
  const triggerAsked = () => transition().getByTestId('switch-Trigger');

  async function openSaved() {
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}/edit`);
    await node('start').waitFor();
    await expectText(validity(), 'compiles');
  }

  /** Opens a transition's panel by keyboard, as a keyboard user does (a forced click can land on a node). */
  async function openEdge(id: string) {
    const edge = page.locator(`.react-flow__edge[data-id="${id}"]`);
    await edge.waitFor();
    await edge.focus();
    await page.keyboard.press('Enter');
    await transition().waitFor();
  }

  /** The draft as the JSON tab shows it; back on the canvas after. */
  async function draft(): Promise<typeof v1> {
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = JSON.parse(await page.getByLabel('Campaign JSON').inputValue()) as typeof v1;
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await node('start').waitFor();
    return json;
  }

  /** Replaces the draft through the JSON tab, as an operator pasting a definition does; back on the canvas after. */
  async function setDraft(def: unknown) {
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    await page.getByLabel('Campaign JSON').fill(JSON.stringify(def, null, 2));
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await node('start').waitFor();
  }

  it("asks beside the select before a split's other branch and weights go; arrow keys only browse; switching back brings the branches back", async () => {
    await openSaved();
    await openEdge('start#0#0');
    const trigger = transition().getByLabel('Trigger');
    await expectValue(trigger, 'split');
    // Arrow keys on the closed select change its value at each press: each kind that would drop the branch is only asked about.
    await trigger.focus();
    await page.keyboard.press('ArrowUp');
    await expectText(triggerAsked().getByRole('status'), 'A "immediate" trigger cannot hold it: switching drops the branch to b and the weights 90/10 (Undo brings it back). Switch?');
    await page.keyboard.press('ArrowUp');
    await expectText(triggerAsked().getByRole('status'), 'A "at" trigger cannot hold it: switching drops the branch to b and the weights 90/10 (Undo brings it back). Switch?');
    await expectValue(trigger, 'at');
    expect(await trigger.evaluate((el) => el.matches(':focus'))).toBe(true);
    // Nothing changed meanwhile: both branches are still there, drawn and in the panel.
    await expectValue(transition().getByLabel('Branch 2 weight'), '10');
    await page.locator('.react-flow__edge[data-id="start#0#1"]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'switches-trigger-asked.png') });
    await expectAccessible(page);
    // Keep: the split as it was, the focus back on the select.
    await triggerAsked().getByRole('button', { name: 'Keep' }).click();
    await triggerAsked().waitFor({ state: 'detached' });
    await expectValue(trigger, 'split');
    expect(await trigger.evaluate((el) => el.matches(':focus'))).toBe(true);

    // Switch: an event trigger to the first branch's state.
    await trigger.selectOption('event');
    await expectText(triggerAsked().getByRole('status'), /^A "event" trigger cannot hold it: switching drops the branch to b and the weights 90\/10/);
    await triggerAsked().getByRole('button', { name: 'Switch' }).click();
    await expectValue(transition().getByLabel('Event type'), 'order.completed');
    await expectValue(transition().getByLabel('Goes to'), 'a');
    // Back to split drops nothing (an event with no condition): at once, with the branches and weights the panel remembers.
    await trigger.selectOption('split');
    await expectValue(transition().getByLabel('Branch 2 weight'), '10');
    await expectValue(transition().getByLabel('Branch 2 to'), 'b');
    expect(await triggerAsked().count()).toBe(0);
    expect((await draft()).states.start).toEqual(v1.states.start);

    // A weight of 0 (the compiler's issue at split[1].weight) is that branch's alone: its edge and its field, said under it.
    await openEdge('start#0#1');
    const weight2 = transition().getByLabel('Branch 2 weight');
    await weight2.fill('0');
    const issue = transition().locator('.split-branch .inline-issue');
    await expectText(issue, /^Branch 2: /);
    expect(await weight2.getAttribute('aria-invalid')).toBe('true');
    expect(await transition().getByLabel('Branch 1 weight').getAttribute('aria-invalid')).toBe('false');
    expect(await page.locator('.react-flow__edge[data-id="start#0#1"]').getAttribute('aria-label')).toMatch(/1 issue/);
    expect(await page.locator('.react-flow__edge[data-id="start#0#0"]').getAttribute('aria-label')).not.toMatch(/issue/);
    await transition().screenshot({ path: path.join(SHOTS, 'switches-branch-weight-issue.png') });
    await weight2.fill('10');
    await expectText(validity(), 'compiles');
  });

  it('asks before a wait or a time goes, and gives the wait back when switched back', async () => {
    await openSaved();
    await openEdge('a#0');
    const trigger = transition().getByLabel('Trigger');
    await trigger.selectOption('at');
    await expectText(triggerAsked().getByRole('status'), 'A "at" trigger cannot hold it: switching drops the wait "P3D" (Undo brings it back). Switch?');
    await expectValue(transition().getByLabel('After (ISO duration)'), 'P3D');
    await triggerAsked().getByRole('button', { name: 'Switch' }).click();
    const at = transition().getByLabel('At (timestamp)');
    await at.waitFor();
    await trigger.selectOption('after');
    await expectText(triggerAsked().getByRole('status'), /^A "after" trigger cannot hold it: switching drops the time "\d{4}-\d\d-\d\dT/);
    await triggerAsked().getByRole('button', { name: 'Switch' }).click();
    await expectValue(transition().getByLabel('After (ISO duration)'), 'P3D');
    expect((await draft()).states.a).toEqual(v1.states.a);
  });

  it("asks before a `when`'s condition goes, and a kind that keeps it applies at once", async () => {
    await openSaved();
    await openEdge('b#0');
    const trigger = transition().getByLabel('Trigger');
    await trigger.focus();
    // when → after: staged, naming the condition; back up to when: nothing staged, nothing changed.
    await page.keyboard.press('ArrowDown');
    await expectText(triggerAsked().getByRole('status'), `A "after" trigger cannot hold it: switching drops the condition "${JSON.stringify(WHEN)}" (Undo brings it back). Switch?`);
    await page.keyboard.press('ArrowUp');
    await triggerAsked().waitFor({ state: 'detached' });
    await expectValue(trigger, 'when');
    const cond = transition().getByRole('group', { name: 'Condition (when)', exact: true });
    await expectText(cond.getByLabel('Condition (when) row 2 alternative 1', { exact: true }), WHEN[1][0]);
    // when → event keeps the condition as the event's `if`: no question.
    await page.keyboard.press('ArrowUp');
    await expectValue(trigger, 'event');
    const ifCond = transition().getByRole('group', { name: 'Condition (if)', exact: true });
    await expectText(ifCond.getByLabel('Condition (if) row 2 alternative 1', { exact: true }), WHEN[1][0]);
    expect(await triggerAsked().count()).toBe(0);
  });

  it('opens a `when` that does not compile row by row, the typo in its own cell, and an edit there keeps the rows', async () => {
    await openSaved();
    const typo = [["count('order.completed') >= 5"], ["count('post.created') >"]];
    await setDraft({ ...v1, states: { ...v1.states, b: { transitions: [{ to: 'done', when: typo }] } } });
    await openEdge('b#0');
    const cond = transition().getByRole('group', { name: 'Condition (when)', exact: true });
    const cell = (row: number) => cond.getByLabel(`Condition (when) row ${row} alternative 1`, { exact: true });
    await expectText(cell(1), typo[0][0]);
    await expectText(cell(2), typo[1][0]);
    expect(await cond.locator('.cm-editor').count()).toBe(2);
    await transition().screenshot({ path: path.join(SHOTS, 'switches-when-typo.png') });
    // The typo fixed in its cell: the condition stays two rows, never one string.
    await cell(2).click();
    await page.keyboard.press('End');
    await cell(2).pressSequentially(' 1', { delay: 30 });
    await expectText(cell(2), "count('post.created') > 1");
    await expectText(validity(), 'compiles');
    expect((await draft()).states.b).toEqual({ transitions: [{ to: 'done', when: [typo[0], ["count('post.created') > 1"]] }] });

    // A shape the builder cannot hold as rows: shown as JSON, read-only, with where to edit it.
    const tree = { all: [{ fact: 'event.amount', op: '≈', value: 1 }] };
    await setDraft({ ...v1, states: { ...v1.states, b: { transitions: [{ to: 'done', when: tree }] } } });
    await openEdge('b#0');
    const json = transition().getByLabel('Condition (when) as JSON');
    await expectValue(json, JSON.stringify(tree));
    expect(await json.getAttribute('readonly')).not.toBeNull();
    await expectText(transition().getByTestId('condition-read-only'), /edit it in the JSON tab/);
    await transition().screenshot({ path: path.join(SHOTS, 'switches-when-read-only.png') });
  });

  it('Mode → serial asks before maxActive goes and removes it; a maxActive left in serial mode has its field', async () => {
    await openSaved();
    const participation = page.locator('details[aria-label="Participation"]');
    await participation.locator('summary').click();
    const mode = participation.getByLabel('Mode', { exact: true });
    const maxActive = participation.getByLabel('Max active paths');
    await expectValue(mode, 'parallel');
    await expectValue(maxActive, '5');
    await mode.focus();
    await page.keyboard.press('ArrowUp');
    const asked = participation.getByTestId('switch-Mode');
    await expectText(asked.getByRole('status'), 'Serial mode has one active path per user: switching drops the max active paths 5 (Undo brings it back). Switch?');
    await expectValue(maxActive, '5');
    await participation.screenshot({ path: path.join(SHOTS, 'switches-mode-asked.png') });
    await asked.getByRole('button', { name: 'Switch' }).click();
    await maxActive.waitFor({ state: 'detached' });
    await expectValue(mode, 'serial');
    await expectText(validity(), 'compiles');
    expect((await draft()).participation).toBeUndefined();

    // Typed in the JSON tab: the field is there, marked, with its issue, so it can be fixed in the form.
    await setDraft({ ...v1, participation: { maxActive: 5 } });
    // Marked once the issues of parts not edited yet are shown (a pasted draft is not painted until asked).
    await page.getByTestId('issues-waiting').getByRole('button', { name: /^Show/ }).click();
    // (the section stays as it was across the tabs: opened only if it is closed)
    if ((await participation.getAttribute('open')) === null) await participation.locator('summary').click();
    await expectValue(mode, 'serial');
    await expectValue(maxActive, '5');
    await expectAttribute(maxActive, 'aria-invalid', 'true');
    await expectText(participation.locator('.inline-issue[data-path="participation.maxActive"]'), /serial/);
    await participation.screenshot({ path: path.join(SHOTS, 'switches-max-active-serial.png') });
    await maxActive.fill('');
    await maxActive.press('Enter');
    await expectText(validity(), 'compiles');
  });

  it('asked nothing on the way', () => {
    // Only the leave guard may have asked (an unsaved draft left behind).
    for (const d of dialogs) expect(d).toMatch(/^Leave the editor\?/);
  });
});



async function expectAttribute(locator: Locator, name: string, expected: string): Promise<void> {
  await locator.first().waitFor();
  for (let i = 0; i < 100; i++) {
    if ((await locator.first().getAttribute(name)) === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await locator.first().getAttribute(name)).toBe(expected);
}
