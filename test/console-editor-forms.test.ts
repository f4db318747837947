import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, expectText, expectValue, launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
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
    // Each test opens the editor afresh, leaving unsaved edits behind: the leave guard asks, and the answer is to leave.
    page.on('dialog', (dialog) => void dialog.accept());
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

  async function openSaved() {
    await page.goto(`${sut.baseUrl}/console/campaigns/${KEY}/edit`);
    // Drawn without a reload: the canvas keeps the sizes React Flow measured on the nodes it builds each
    // render (cc1c230); before that, a node could stay unmeasured and hidden under load.
    await node('waiting').waitFor();
    await expectText(validity(), 'compiles');
  }

  /** Opens the only transition's panel by keyboard: a forced click lands at the edge's box centre, which a node or the fitting view can cover. */
  async function openTransition() {
    await page.locator('.react-flow__edge').first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Transition' }).waitFor();
  }

  const latest = async () => {
    const r = await sut.request('GET', `/v1/campaigns/${KEY}/versions/latest`, { role: 'operator' });
    return r.body as { version: number; definition: typeof v1 };
  };

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

  it('applies a duration as it is typed, keeps text that does not read yet beside the field without hiding other issues, and refuses to save it', async () => {
    await openSaved();
    // Other issues in the campaign: a state nothing leads to, and with no way out.
    await page.getByLabel('New state name').fill('lost');
    await page.getByRole('button', { name: 'Add state' }).click();
    await expectText(node('lost'), /cannot be reached/);
    await expectText(validity(), '2 issues');

    await openTransition();
    const after = page.getByLabel('After (ISO duration)');
    await after.fill('P3');
    const transition = page.getByRole('region', { name: 'Transition' });
    await expectText(transition.locator('.inline-issue'), '"P3" is not a duration yet: write it as P3D (3 days), PT3H (3 hours), P2W (2 weeks) or P1M (1 month)');
    expect(await after.getAttribute('aria-invalid')).toBe('true');
    // The campaign keeps its last good wait, so the compiler still reports the rest: all are counted, the state's issues stay.
    await expectText(validity(), '3 issues');
    await expectText(node('lost'), /cannot be reached/);
    await page.screenshot({ path: path.join(SHOTS, 'forms-duration-draft.png') });

    // Another panel and back: the text typed is still there, and Save says why it will not store it.
    await node('waiting').click();
    await openTransition();
    expect(await after.inputValue()).toBe('P3');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expectText(page.getByRole('alert').filter({ hasText: 'Not saved' }), /^Not saved: After \(ISO duration\) does not read as a duration yet \("P3"\)/);
    expect((await latest()).version).toBe(1);

    // The stray state goes; finishing the duration and pressing Save at once (no Enter, no leaving the field first) stores it.
    await node('lost').click();
    await page.getByRole('region', { name: 'State lost' }).getByRole('button', { name: 'Delete state' }).click();
    await node('lost').waitFor({ state: 'detached' });
    await openTransition();
    await after.press('End');
    await after.press('D');
    await expectText(page.getByTestId('duration-words'), '3 days');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expectText(page.getByTestId('ship-done'), /version 2/);
    expect((await latest()).definition.states.waiting.transitions[0]).toEqual({ to: 'done', after: 'P3D' });

    // Typed, then straight to another panel: the value is in the campaign (the edge says it).
    await openTransition();
    await after.fill('pt12h');
    await node('waiting').click();
    await expectText(page.locator('.react-flow__edge-text').first(), 'after 12 hours');
    await expectText(page.getByRole('button', { name: 'Save as new version' }), 'Save as new version');
  });

  it('a half-typed duration belongs to its own transition: another one with the same wait shows its own, and a deleted one leaves nothing behind', async () => {
    await openSaved();
    const after = page.getByLabel('After (ISO duration)');
    const transition = page.getByRole('region', { name: 'Transition' });
    // Two more waits of a day from the same state: the panel follows the selection, one field for each in turn.
    for (let i = 0; i < 2; i++) {
      await node('waiting').click();
      await page.getByLabel('New transition from waiting to').selectOption('done');
      await page.getByRole('button', { name: 'Add transition' }).click();
      await transition.getByLabel('Trigger').selectOption('after');
      await expectValue(after, 'P1D');
    }
    /** Opens transition `index` of waiting by keyboard (the three lines lie on top of each other). */
    const choose = async (index: number) => {
      await page.locator(`.react-flow__edge[data-id="waiting#${index}"]`).focus();
      await page.keyboard.press('Enter');
    };
    await choose(1);
    await after.fill('PT1');
    await expectText(transition.locator('.inline-issue'), /^"PT1" is not a duration yet/);

    // The other wait of a day shows its own text, and typing there changes only it.
    await choose(2);
    await expectValue(after, 'P1D');
    expect(await after.getAttribute('aria-invalid')).toBe('false');
    expect(await transition.locator('.inline-issue').count()).toBe(0);
    // Back at the first: its text is still there, with why.
    await choose(1);
    await expectValue(after, 'PT1');
    await expectText(transition.locator('.inline-issue'), /^"PT1" is not a duration yet/);

    // Deleted, the draft goes with it: the transition that takes its place shows its own wait, and Save does not name it.
    await transition.getByRole('button', { name: 'Delete transition' }).click();
    await transition.waitFor({ state: 'detached' });
    await choose(1);
    await expectValue(after, 'P1D');
    expect(await page.getByText('"PT1" is not a duration yet', { exact: false }).count()).toBe(0);
    await expectText(validity(), 'compiles');
    await page.screenshot({ path: path.join(SHOTS, 'forms-duration-own-field.png') });
  });

  it('a cleared split weight stays cleared through the panel\'s other edits of its transition (another weight, + branch, a branch removed): Save refuses it until filled', async () => {
    const key = 'forms-split';
    const split = [
      { to: 'done', weight: 50 },
      { to: 'other', weight: 50 },
    ];
    const body = { ...v1, key, states: { waiting: { transitions: [{ split }] }, other: { end: true }, done: { end: true } } };
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body })).status).toBe(201);
    const saved = async () => (await sut.request('GET', `/v1/campaigns/${key}/versions/latest`, { role: 'operator' })).body as { version: number; definition: typeof body };
    await page.goto(`${sut.baseUrl}/console/campaigns/${key}/edit`);
    await node('waiting').waitFor();
    await expectText(validity(), 'compiles');
    await page.locator('.react-flow__edge[data-id="waiting#0#0"]').focus();
    await page.keyboard.press('Enter');
    const transition = page.getByRole('region', { name: 'Transition' });
    const weight = (n: number) => transition.getByLabel(`Branch ${n} weight`);

    await weight(1).fill('');
    expect(await weight(1).getAttribute('aria-invalid')).toBe('true');
    // Each of these replaces the transition in the campaign: the cleared weight goes with it (it used to fall back to 50).
    await weight(2).fill('30');
    await transition.getByRole('button', { name: '+ branch' }).click();
    await weight(3).waitFor();
    await transition.getByRole('button', { name: 'Remove branch 3' }).click();
    await weight(3).waitFor({ state: 'detached' });
    await expectValue(weight(1), '');
    expect(await weight(1).getAttribute('aria-invalid')).toBe('true');
    expect(await weight(2).inputValue()).toBe('30');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expectText(page.getByRole('alert').filter({ hasText: 'Not saved' }), 'Not saved: the weight of branch 1 of transition 1 of waiting is empty. Fix it, or undo it.');
    expect((await saved()).version).toBe(1);

    // Filled: Save stores the new weights, both of them.
    await weight(1).fill('70');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expectText(page.getByTestId('ship-done'), /version 2/);
    expect((await saved()).definition.states.waiting.transitions).toEqual([
      {
        split: [
          { to: 'done', weight: 70 },
          { to: 'other', weight: 30 },
        ],
      },
    ]);
  });

  it('asks before "Starts on" a schedule drops the entry events and condition, beside the select: Keep keeps the entry, Switch switches (and Undo brings them back)', async () => {
    // A page of its own: this suite's page says yes to every dialog, and here none may come up.
    const own = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const dialogs: string[] = [];
    own.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(own, sut.baseUrl, sut.keys.operator, `/console/campaigns/${KEY}/edit`);
    await own.locator('.react-flow__node[data-id="waiting"]').waitFor();
    const entryPanel = own.locator('details[aria-label="Entry"]');
    const events = entryPanel.getByLabel('Entry events');
    await events.fill('order.completed, cart.checkout');
    await events.press('Enter');
    await entryPanel.getByRole('button', { name: '+ entry condition' }).click();
    const entryNow = async () => {
      await own.getByRole('button', { name: 'JSON', exact: true }).click();
      const json = JSON.parse(await own.getByLabel('Campaign JSON').inputValue()) as { entry: unknown };
      await own.getByRole('button', { name: 'Canvas', exact: true }).click();
      await own.locator('.react-flow__node[data-id="waiting"]').waitFor();
      return json.entry;
    };
    const typed = { on: ['order.completed', 'cart.checkout'], if: 'event.amount > 0' };
    expect(await entryNow()).toEqual(typed);
    const question =
      'An entry on a schedule has no events or entry condition: switching drops the entry events "order.completed, cart.checkout" and the entry condition "event.amount > 0" (Undo brings them back). Switch?';
    const startsOn = entryPanel.getByLabel('Starts on');
    const asked = entryPanel.getByTestId('switch-Starts on');

    // Picked (here by an arrow key on the closed select, as a keyboard user browses): only asked, beside the select.
    await startsOn.focus();
    await own.keyboard.press('ArrowDown');
    await expectText(asked.getByRole('status'), question);
    await expectValue(startsOn, 'cron');
    expect(await events.inputValue()).toBe('order.completed, cart.checkout');
    // Keep: the entry stays as typed, and the select shows the kind it still has.
    await asked.getByRole('button', { name: 'Keep' }).click();
    await asked.waitFor({ state: 'detached' });
    await expectValue(startsOn, 'event');
    expect(await startsOn.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect(await entryNow()).toEqual(typed);

    // Switch: a schedule, its seed cron; Undo brings the events and the condition back.
    await entryPanel.getByLabel('Starts on').selectOption('cron');
    await expectText(asked.getByRole('status'), question);
    await asked.getByRole('button', { name: 'Switch' }).click();
    await expectValue(entryPanel.getByLabel('Cron', { exact: true }), '0 9 * * *');
    expect(await entryNow()).toEqual({ cron: '0 9 * * *' });
    await own.getByRole('button', { name: 'Undo' }).click();
    await expectValue(entryPanel.getByLabel('Entry events'), 'order.completed, cart.checkout');
    expect(await entryNow()).toEqual(typed);
    // Back to an event from the seed cron drops nothing: it applies at once.
    await entryPanel.getByLabel('Starts on').selectOption('cron');
    await asked.getByRole('button', { name: 'Switch' }).click();
    await expectValue(entryPanel.getByLabel('Cron', { exact: true }), '0 9 * * *');
    await entryPanel.getByLabel('Starts on').selectOption('event');
    await expectValue(entryPanel.getByLabel('Entry events'), 'order.completed');
    expect(await asked.count()).toBe(0);
    expect(dialogs).toEqual([]);
    await own.context().close();
  });

  it('a click on a state that a field left by that click redraws still opens that state, and the field\'s edit is kept (also by Save)', async () => {
    // A campaign of its own: no layout saved by the tests before, so the states are placed by the layout and move.
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: { ...v1, key: 'forms-click' } })).status).toBe(201);
    await page.goto(`${sut.baseUrl}/console/campaigns/forms-click/edit`);
    await node('waiting').waitFor();
    const renamed = 'waiting-for-the-payment-that-may-take-a-good-long-while';
    const placeOf = async (name: string) => (await node(name).boundingBox())!;

    // The name is applied when the field is left: here by pressing near the top of the state below. The longer
    // name makes its node taller, which moves that state down from under the pointer between the press and the release.
    await node('waiting').click();
    const before = await placeOf('done');
    await page.getByLabel('State name', { exact: true }).fill(renamed);
    await node('done').click({ position: { x: before.width / 2, y: 4 } });
    await node(renamed).waitFor();
    expect((await placeOf('done')).y).toBeGreaterThan(before.y + 4);
    await page.getByRole('region', { name: 'State done' }).waitFor();

    // Pressing on the state being renamed keeps it open under its new name.
    await node(renamed).click();
    await page.getByLabel('State name', { exact: true }).fill('waiting');
    await node(renamed).click();
    await node('waiting').waitFor();
    await page.getByRole('region', { name: 'State waiting' }).waitFor();
    expect(await node(renamed).count()).toBe(0);

    // A name that is taken: refused under the field, in words, not in the page's banner with a raw path; typing clears it.
    const nameField = page.getByLabel('State name', { exact: true });
    await nameField.fill('done');
    await nameField.press('Enter');
    await page.getByRole('region', { name: 'State waiting' }).getByText('Not renamed: a state done already exists').waitFor();
    expect(await nameField.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('states.waiting: a state done already exists').count()).toBe(0);
    await nameField.fill('waiting');
    expect(await page.getByText('Not renamed:').count()).toBe(0);
    // A name every object carries (`constructor`): refused in words as saving refuses it; it used to take the whole page down.
    await nameField.fill('constructor');
    await nameField.press('Enter');
    await page.getByRole('region', { name: 'State waiting' }).getByText(/^Not renamed: "constructor" is reserved as a state name/).waitFor();
    // Why the initial state's Delete is disabled is said in the panel (a disabled button takes no focus: its tooltip never shows by keyboard).
    expect(await page.getByRole('region', { name: 'State waiting' }).getByText('The initial state cannot be deleted: make another state initial first.').isVisible()).toBe(true);
    await nameField.fill('waiting');
    await nameField.press('Enter');
    await page.getByLabel('New state name').fill('toString');
    await page.getByRole('button', { name: 'Add state' }).click();
    await page.getByText(/states\.toString: "toString" is reserved as a state name/).waitFor();
    expect(await node('toString').count()).toBe(0);
    await page.getByLabel('New state name').fill('');
    // Typed in the YAML: kept there as text that does not become the campaign, with the state's line.
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    const yamlBox = page.getByLabel('Campaign YAML');
    const asText = await yamlBox.inputValue();
    await yamlBox.fill(asText.replace(/\bdone\b/g, 'valueOf'));
    await expectText(page.getByTestId('yaml-parse-error'), /^YAML, line \d+: states\.valueOf: "valueOf" is reserved as a state name/);
    await yamlBox.fill(asText);
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await node('done').waitFor();
    expect(await nameField.getAttribute('aria-invalid')).not.toBe('true');

    // A name typed and not applied yet: Save does not say "Saved", and pressing it (which leaves the field) saves what the field shows.
    await fields().getByLabel('Name').fill('Waits, renamed just before saving');
    const save = page.getByRole('button', { name: 'Save', exact: true });
    expect(await save.isEnabled()).toBe(true);
    await page.locator('.editor').screenshot({ path: path.join(SHOTS, 'forms-name-typed.png') });
    await save.click();
    await expectText(page.getByTestId('ship-done'), /version 2/);
    const saved = (await sut.request('GET', '/v1/campaigns/forms-click/versions/latest', { role: 'operator' })).body as { version: number; definition: typeof v1 };
    expect({ version: saved.version, name: saved.definition.name, states: Object.keys(saved.definition.states).sort() }).toEqual({ version: 2, name: 'Waits, renamed just before saving', states: ['done', 'waiting'] });
  });

  it('YAML that does not parse says so with its line in the badge and the tab, hides stale issues, and is not dropped by switching tabs without asking', async () => {
    await openSaved();
    // An entry condition: a condition cell (CodeMirror, no form control) in the side panel, locked with the rest below.
    await page.getByRole('group', { name: 'Entry', exact: true }).getByRole('button', { name: '+ entry condition' }).click();
    const cell = page.getByRole('textbox', { name: 'Entry condition row 1 alternative 1' });
    await expectText(cell, 'event.amount > 0');
    const yaml = page.getByLabel('Campaign YAML');
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    const good = await yaml.inputValue();
    // A compiler issue first, listed with its line.
    await yaml.fill(good.replace('name: Waits', 'name: Waits (YAML)').replace(/after: P\w+/, 'after: P3X'));
    await expectText(validity(), '1 issue');
    await page.getByRole('list', { name: 'Issues in the YAML' }).waitFor();
    // Then text that does not parse: the badge says so with the line, and the last good text's issue is not listed as if current.
    const broken = good.replace('name: Waits', 'name: Waits (YAML)').replace(/after: P\w+/, 'after: P3X').replace('initial: waiting', 'initial: [waiting');
    await yaml.fill(broken);
    const parseError = page.getByTestId('yaml-parse-error');
    const line = /line (\d+)/.exec((await parseError.textContent()) ?? '')?.[1];
    expect(line).toBeDefined();
    await expectText(validity(), `YAML does not parse (line ${line})`);
    expect(await page.getByRole('list', { name: 'Issues in the YAML' }).count()).toBe(0);
    // Nor in the side panel; and every other way to edit is locked: each would rewrite the YAML from the campaign, dropping the text unasked.
    expect(await page.getByRole('region', { name: 'All issues' }).count()).toBe(0);
    await expectText(page.getByTestId('side-waits'), /^The YAML does not parse, so these fields are locked/);
    expect(await fields().getByLabel('Name').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Add state' }).isDisabled()).toBe(true);
    // The condition cell too: typed into, it would rewrite the YAML from the campaign and drop the text without asking.
    expect(await cell.getAttribute('contenteditable')).toBe('false');
    expect(await cell.getAttribute('aria-readonly')).toBe('true');
    await cell.click();
    await page.keyboard.type('x');
    expect(await yaml.inputValue()).toBe(broken);
    await expectText(cell, 'event.amount > 0');
    await expectText(validity(), `YAML does not parse (line ${line})`);
    await page.locator('aside.side').screenshot({ path: path.join(SHOTS, 'forms-yaml-side-locked.png') });
    // Ctrl-Z outside the box is not the editor's undo either (the campaign would go back before the name): the browser's, of the box's last edit.
    await yaml.blur();
    await page.keyboard.press('Control+z');
    expect(await yaml.inputValue()).toContain('name: Waits (YAML)');
    await yaml.fill(broken);
    await parseError.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'forms-yaml-unparsed.png') });

    // Another tab: asked first; keeping it leaves the text as typed.
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    const ask = page.getByTestId('text-unparsed');
    await expectText(ask, new RegExp(`^The YAML does not parse \\(line ${line}\\), so the campaign does not have this edit; opening Canvas would drop it`));
    await page.screenshot({ path: path.join(SHOTS, 'forms-yaml-ask.png') });
    await expectAccessible(page);
    await ask.getByRole('button', { name: 'Keep editing the YAML' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await yaml.inputValue()).toBe(broken);
    // Save does not store the last good text in its place.
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expectText(page.getByRole('alert').filter({ hasText: 'Not saved' }), /^Not saved: the YAML does not parse \(line \d+\)/);
    // Dropping it, on the operator's word: the JSON tab shows the campaign as the last YAML that parsed left it.
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    await ask.getByRole('button', { name: 'Drop the edit and open JSON' }).click();
    expect(await page.getByLabel('Campaign JSON').inputValue()).toContain('"after": "P3X"');
    await expectText(validity(), '1 issue');
    expect(await fields().getByLabel('Name').isDisabled()).toBe(false);
    expect(await page.getByTestId('side-waits').count()).toBe(0);

    // A YAML edit that parses is in the campaign when the tab changes.
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    await yaml.fill((await yaml.inputValue()).replace('after: P3X', 'after: P4D').replace('name: Waits (YAML)', 'name: Waits (typed in YAML)'));
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await expectText(page.locator('.editor h1'), 'Waits (typed in YAML)');
    await expectText(page.locator('.react-flow__edge-text').first(), 'after 4 days');
    await expectText(validity(), 'compiles');
    // Unlocked again with the rest.
    expect(await cell.getAttribute('contenteditable')).toBe('true');
  });

  it('text typed key by key that parses but is no campaign yet (a state of no fields, `{}`) stays text with why, and the draft is kept', async () => {
    await openSaved();
    // An edit not saved: what the page used to lose.
    await fields().getByLabel('Name').fill('Waits, a draft');
    await fields().getByLabel('Name').press('Enter');
    await expectText(page.locator('.editor h1'), 'Waits, a draft');

    // A new state typed at the end of the YAML: at its colon the text parses, the state being null until its fields come.
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    await page.getByLabel('Campaign YAML').focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('  reminder:');
    const yamlError = page.getByTestId('yaml-parse-error');
    await expectText(yamlError, /^YAML, line \d+: states\.reminder: a state is a mapping of its fields/);
    await expectText(validity(), /^YAML does not parse \(line \d+\)$/);
    expect(await page.getByTestId('page-failed').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'forms-yaml-half-typed.png') });
    await page.keyboard.type(' {}');
    await yamlError.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await node('reminder').waitFor();
    await expectText(page.locator('.editor h1'), 'Waits, a draft');

    // A campaign with a key named `ok` is a campaign (the compiler's to judge), not taken for an editing move's answer.
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = page.getByLabel('Campaign JSON');
    const draft = JSON.parse(await json.inputValue()) as Record<string, unknown>;
    await json.fill(JSON.stringify({ ...draft, ok: true }, null, 2));
    await expectText(validity(), /^\d+ issues?$/);
    expect(await page.getByTestId('page-failed').count()).toBe(0);
    await json.fill(JSON.stringify(draft, null, 2));
    await expectText(validity(), /^(compiles|\d+ issues?)$/);

    // Everything selected in the JSON tab and `{}` typed: it parses, has no states, and says so.
    await json.focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('{}');
    await expectText(page.getByTestId('json-parse-error'), /^JSON: states: missing/);
    expect(await page.getByTestId('page-failed').count()).toBe(0);
    // Dropping that edit (on the operator's word) leaves the draft as it was, undo included.
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await page.getByTestId('text-unparsed').getByRole('button', { name: 'Drop the edit and open Canvas' }).click();
    await node('reminder').waitFor();
    await expectText(page.locator('.editor h1'), 'Waits, a draft');
    expect(await page.getByRole('button', { name: 'Undo' }).isEnabled()).toBe(true);
  });

  it('keeps an unsaved draft when signing out is refused, and when Kairos stops accepting the key: signing in again carries on', async () => {
    // A page of its own: this suite's page says yes to every question, and here the answer matters.
    const own = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(own, sut.baseUrl, sut.keys.operator, `/console/campaigns/${KEY}/edit`);
    await own.locator('.react-flow__node[data-id="waiting"]').waitFor();
    const name = own.getByRole('region', { name: 'Campaign fields' }).getByLabel('Name');
    await name.fill('Waits, not saved');
    await name.press('Enter');
    const title = own.locator('.editor h1');
    await expectText(title, 'Waits, not saved');
    // The edit's own check answered: under a loaded machine it could go out only after the key below is swapped, so the
    // dialog came up before the next edit, whose typing then went into the dialog's key field.
    await expectText(own.getByTestId('validity'), 'compiles');

    // Sign out asks first, as leaving by a link does; "no" keeps the editor and its draft.
    const asked: string[] = [];
    own.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await own.getByRole('button', { name: 'Sign out' }).click();
    for (let i = 0; i < 50 && asked.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(asked).toEqual(['Leave the editor? What you changed since the last save will be lost.']);
    await expectText(title, 'Waits, not saved');
    expect(await own.getByLabel('API key').count()).toBe(0);

    // The key is revoked while the draft is open (here: the tab holds a key Kairos does not know); the next check is refused.
    await own.evaluate("sessionStorage.setItem('kairos.apiKey', 'revoked-key-0123456789abcdef')");
    await name.fill('Waits, still not saved');
    await name.press('Enter');
    const dialog = own.getByRole('dialog', { name: 'Sign in again' });
    await expectText(dialog.getByRole('alert'), /^Kairos no longer accepts this key/);
    // Under it, the page as it was, out of reach until a key is given.
    await expectText(title, 'Waits, still not saved');
    expect(await own.locator('.shell').getAttribute('inert')).not.toBeNull();
    expect(await own.evaluate("sessionStorage.getItem('kairos.apiKey')")).toBeNull();
    // Ctrl-Z in the box, or with the focus on the page under it, is not the editor's: the draft under the box stays (checked once signed in again).
    await dialog.getByRole('button', { name: 'Sign out instead' }).focus();
    await own.keyboard.press('Control+z');
    await own.evaluate('document.activeElement?.blur()');
    await own.keyboard.press('Control+z');
    await expectText(title, 'Waits, still not saved');
    await own.screenshot({ path: path.join(SHOTS, 'forms-key-refused.png') });
    await expectAccessible(own);

    // A key that may do less (support) would swap the editor for the support desk: refused in the dialog, the draft stays.
    await dialog.getByLabel('API key').fill(sut.keys.support);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expectText(dialog.getByRole('alert'), /^This is a support key; this page was opened with a key that may also act as operator/);
    await expectText(title, 'Waits, still not saved');

    // A current key: the editor carries on with the draft, checked again with the new key.
    await dialog.getByLabel('API key').fill(sut.keys.operator);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectText(title, 'Waits, still not saved');
    expect(await own.getByRole('region', { name: 'Campaign fields' }).getByLabel('Name').inputValue()).toBe('Waits, still not saved');
    await expectText(own.getByTestId('validity'), 'compiles');
    expect(await own.getByRole('button', { name: 'Undo' }).isEnabled()).toBe(true);
    expect(await own.locator('.shell').getAttribute('inert')).toBeNull();

    // Signing out, said yes to: the sign-in page.
    own.once('dialog', (d) => void d.accept());
    await own.getByRole('button', { name: 'Sign out' }).click();
    await own.getByLabel('API key').waitFor();
    await own.context().close();
  });

  it('shows a saved campaign\'s key read-only with the reason, and a new campaign\'s key editable until it is created', async () => {
    await openSaved();
    const key = fields().getByLabel('Key');
    expect(await key.inputValue()).toBe(KEY);
    expect(await key.isEditable()).toBe(false);
    const why = await key.getAttribute('aria-describedby');
    await expectText(page.locator(`#${why}`), 'A saved campaign keeps its key: another key would be another campaign.');
    // Typing does nothing, and it is still reachable by keyboard (to read and copy).
    await key.focus();
    await page.keyboard.type('x');
    expect(await key.inputValue()).toBe(KEY);
    await fields().screenshot({ path: path.join(SHOTS, 'forms-key-fixed.png') });
    // The YAML tab could still change it: said at once, with the key it keeps.
    await page.getByRole('button', { name: 'YAML', exact: true }).click();
    const yaml = page.getByLabel('Campaign YAML');
    await yaml.fill((await yaml.inputValue()).replace(`key: ${KEY}`, 'key: another-key'));
    await expectText(page.getByRole('list', { name: 'Issues in the YAML' }).locator('li[data-path="key"]'), `line 1 key: A saved campaign keeps its key: this one is ${KEY} (another key would be another campaign)`);
    await expectText(validity(), '1 issue');

    // A new campaign's key is typed; once created, the same field is read-only.
    await openBlank();
    expect(await fields().getByLabel('Key').isEditable()).toBe(true);
    await fields().getByLabel('Key').fill('forms-new');
    await fields().getByLabel('Key').press('Enter');
    await node('start').click();
    await page.getByRole('region', { name: 'State start' }).getByText('End state').click();
    await expectText(validity(), 'compiles');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expectText(page.getByTestId('ship-done'), /forms-new/);
    expect(await fields().getByLabel('Key').isEditable()).toBe(false);
  });

  it('refuses to save while a state name it refused is still typed in its field, naming it, and saves once the name applies', async () => {
    const key = 'forms-refused';
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: { ...v1, key } })).status).toBe(201);
    const versions = async () => ((await sut.request('GET', `/v1/campaigns/${key}/versions/latest`, { role: 'operator' })).body as { version: number; definition: typeof v1 });
    await page.goto(`${sut.baseUrl}/console/campaigns/${key}/edit`);
    await node('waiting').waitFor();
    await expectText(validity(), 'compiles');
    // Another change, so there is something to save: the campaign's name.
    await fields().getByLabel('Name').fill('Waits, renamed');
    await fields().getByLabel('Name').press('Enter');
    await expectText(page.locator('.editor h1'), 'Waits, renamed');

    // A state name the rename refuses (a space), then Save at once: pressing it leaves the field, which tries the name again.
    await node('waiting').click();
    const nameField = page.getByLabel('State name', { exact: true });
    await nameField.fill('vip users');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await refused.or(page.getByTestId('ship-done')).first().waitFor();
    expect((await versions()).version).toBe(1);
    await expectText(refused, /^Not saved: State name "vip users" was not applied \(.+\)\. Fix it, or undo it\.$/);
    await page.getByRole('region', { name: 'State waiting' }).getByText(/^Not renamed: /).waitFor();
    expect(await nameField.inputValue()).toBe('vip users');
    await page.screenshot({ path: path.join(SHOTS, 'forms-rename-refused-save.png') });

    // A name that applies: Save stores it, with the other change.
    await nameField.fill('vip-users');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expectText(page.getByTestId('ship-done'), /version 2/);
    const saved = await versions();
    expect({ version: saved.version, name: saved.definition.name, states: Object.keys(saved.definition.states).sort() }).toEqual({ version: 2, name: 'Waits, renamed', states: ['done', 'vip-users'] });
  });

  it('the template form leaves a cleared number out, so the template\'s default renders, and sends a word for the API to refuse at its parameter', async () => {
    const openForm = async () => {
      await page.goto(`${sut.baseUrl}/console/new`);
      await page.getByRole('button', { name: 'Use First-order coupon with a reminder' }).click();
      const form = page.getByRole('form', { name: 'Parameters of First-order coupon with a reminder' });
      await form.getByLabel('Campaign key').fill('forms-template');
      return { form, minimum: form.getByLabel('Minimum order amount') };
    };
    // Cleared: left out of the request, so the template's default (0.01) is used, not 0 (every order a first order).
    const cleared = await openForm();
    await cleared.minimum.fill('');
    await cleared.form.getByRole('button', { name: 'Open in the canvas' }).click();
    await node('converted').waitFor();
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const rendered = JSON.parse(await page.getByLabel('Campaign JSON').inputValue()) as { states: { welcome: { transitions: Array<{ if?: string }> } } };
    expect(rendered.states.welcome.transitions[0].if).toBe('event.amount >= 0.01');

    // Not a number: sent as typed, and refused at the parameter, where Number() made 0x1F a threshold of 31.
    const word = await openForm();
    // A blank field says what it stands for.
    await word.minimum.fill('');
    expect(await word.minimum.getAttribute('placeholder')).toBe('default: 0.01');
    await word.minimum.fill('0x1F');
    await word.form.getByRole('button', { name: 'Open in the canvas' }).click();
    await expectText(word.form.getByRole('alert'), /parameters\.minOrderAmount: /);
  });

  it('reads in dark mode on a narrow screen: the read-only key, words under a field, and the YAML question', async () => {
    const narrow = await (await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' })).newPage();
    await signIn(narrow, sut.baseUrl, sut.keys.operator, `/console/campaigns/${KEY}/edit`);
    await narrow.locator('.react-flow__node[data-id="waiting"]').waitFor();
    const name = narrow.getByRole('region', { name: 'Campaign fields' }).getByLabel('Name');
    await name.fill('');
    await name.press('Enter');
    await narrow.getByRole('region', { name: 'Campaign fields' }).locator('.inline-issue[data-path="name"]').waitFor();
    await narrow.getByRole('region', { name: 'Campaign fields' }).screenshot({ path: path.join(SHOTS, 'forms-fields-dark-390.png') });
    await narrow.getByRole('button', { name: 'YAML', exact: true }).click();
    const yaml = narrow.getByLabel('Campaign YAML');
    await yaml.fill(`${await yaml.inputValue()}\n  bad: [`);
    await narrow.getByRole('button', { name: 'Canvas', exact: true }).click();
    await narrow.getByTestId('text-unparsed').waitFor();
    await narrow.screenshot({ path: path.join(SHOTS, 'forms-yaml-ask-dark-390.png') });
    await expectAccessible(narrow);
    await narrow.context().close();
  });
});
