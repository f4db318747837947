import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
import { openSignedIn } from './support/console-stored-key';
import { sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const SHOTS = screenshotsDir('canvas');
const KEY = 'seed-canvas';
const POOL = 'canvas-points';

describe('the canvas (/console/new, /console/campaigns/:key/edit) in a real Chromium against the real system', () => {
  let sut: SystemUnderTest;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    const pool = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: POOL, kind: 'points', budget: 1000 } });
    expect(pool.status).toBe(201);
    // Names for completion (GET /v1/vocabulary reads recent events and profiles).
    await sendEvent(sut, { id: 'seed-o', type: 'order.completed', userId: 'seeder', properties: { amount: 1, cityId: 2 } });
    await sendEvent(sut, { id: 'seed-p', type: 'post.created', userId: 'seeder', properties: { words: 3 } });
    expect((await sut.request('PUT', '/v1/users/seeder', { role: 'ingest', body: { attributes: { level: 1 } } })).status).toBe(200);
    browser = await launchConsoleBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await signIn(page, sut.baseUrl, sut.keys.operator);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  const node = (name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);
  const validity = () => page.getByTestId('validity');

  /** Drags from one state's bottom handle onto another state's top handle, as a person does with the mouse. */
  async function connect(from: string, to: string) {
    // The mouse works in the viewport: a long side panel may have scrolled the page past the canvas.
    await page.getByTestId('canvas').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // The canvas may still be fitting its view after the last change: grab the handles once they have stopped moving
    // (under load, a drag that started while they moved landed beside the target and made no edge).
    const handles = async () => [await node(from).locator('.react-flow__handle.source').boundingBox(), await node(to).locator('.react-flow__handle.target').boundingBox()];
    let [source, target] = await handles();
    for (let i = 0; i < 50; i++) {
      await page.waitForTimeout(100);
      const [s, t] = await handles();
      const still = s && t && source && target && s.x === source.x && s.y === source.y && t.x === target.x && t.y === target.y;
      [source, target] = [s, t];
      if (still) break;
    }
    if (!source || !target) throw new Error('handles not on screen');
    await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
    await page.mouse.down();
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await page.mouse.up();
  }

  async function setField(field: Locator, value: string) {
    await field.fill(value);
    await field.press('Enter');
  }

  it('builds the seed campaign "(spend at least 20 or 5 orders) and 10 posts, then 50 points" with clicks and drags only (conditions picked as fields), shows a bad condition inline, saves, activates, and the events earn the reward', async () => {
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.waitForURL('**/console/new');
    await page.getByRole('button', { name: 'Start blank' }).click();
    await node('start').waitFor();

    const fields = page.getByRole('region', { name: 'Campaign fields' });
    await setField(fields.getByLabel('Key'), KEY);
    await setField(fields.getByLabel('Name'), 'Spend or orders, and posts (drawn)');
    await setField(page.getByRole('group', { name: 'Entry', exact: true }).getByLabel('Entry events'), 'order.completed, post.created');
    const exits = page.getByRole('group', { name: 'Exit on', exact: true });
    await exits.locator('summary').click();
    await exits.getByRole('button', { name: '+ exit event' }).click();
    expect(await exits.getByLabel('Exit event 1').inputValue()).toBe('user.unsubscribed');
    // A rule removed by keyboard leaves the focus in the list (here its + exit event), not on the page's body.
    await exits.getByRole('button', { name: '+ exit event' }).click();
    await exits.getByRole('button', { name: 'Remove exit rule 2' }).focus();
    await page.keyboard.press('Enter');
    await exits.getByLabel('Exit event 2').waitFor({ state: 'detached' });
    expect(await exits.getByRole('button', { name: '+ exit event' }).evaluate((el) => el.matches(':focus'))).toBe(true);

    // The participation panel: caps beyond the per-user one, a bad duration shown at its field, then fixed.
    const caps = page.getByRole('group', { name: 'Participation', exact: true });
    await caps.locator('summary').click();
    await setField(caps.getByLabel('Max entries per user'), '5');
    await setField(caps.getByLabel('At most entries'), '3');
    await setField(caps.getByLabel('within (ISO duration)'), 'a week');
    await caps.locator('.inline-issue').first().waitFor();
    expect(await caps.getByLabel('within (ISO duration)').getAttribute('aria-invalid')).toBe('true');
    await expectText(validity(), /issue/);
    await page.screenshot({ path: path.join(SHOTS, 'canvas-side-panel-error.png') });
    await setField(caps.getByLabel('within (ISO duration)'), 'P7D');
    // (the blank draft still has its own issue, a state with no way out, until the transition is drawn)
    await caps.locator('.inline-issue').first().waitFor({ state: 'detached' });
    expect(await caps.getByLabel('within (ISO duration)').getAttribute('aria-invalid')).toBe('false');

    // Rename the initial state.
    await node('start').click();
    await setField(page.getByLabel('State name', { exact: true }), 'collecting');
    await node('collecting').waitFor();

    // A second state: an end state that issues 50 points.
    await page.getByLabel('New state name').fill('rewarded');
    await page.getByRole('button', { name: 'Add state' }).click();
    await node('rewarded').waitFor();
    // Undo and redo by keyboard (focus on the canvas, not in a field).
    await page.getByTestId('canvas').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await node('rewarded').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+z');
    await node('rewarded').click();
    const state = page.getByRole('region', { name: 'State rewarded' });
    await state.getByText('End state').click();
    // A kind picked, then Add (arrow keys on the select add nothing: console-canvas-groups.test.ts).
    await state.getByLabel('Add a step').selectOption('points');
    await state.getByRole('button', { name: 'Add step', exact: true }).click();
    // The amount is an expression field (a number or an expression, CAMPAIGNS.md): a bad one is underlined where the compiler points.
    const amount = state.getByLabel('Step 1 amount');
    await amount.fill('50 * * 2');
    await expectText(state.locator('.cm-lintRange-error').first(), '*');
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    const amountIssue = state.locator('.inline-issue', { hasText: "expected a value, found '*'" });
    await amountIssue.waitFor();
    await state.screenshot({ path: path.join(SHOTS, 'canvas-amount-error.png') });
    // A decimal typed key by key, as a person types it: `1.0` stores 1 on the way, and the cell keeps `1.0` (written back as `1`, the next key made it 15).
    for (const [typed, chip] of [['1.05', /^1\.05 points/], ['0.05', /^0\.05 points/], ['-0.5', /^-0\.5 points/]] as const) {
      await amount.fill('');
      await amount.pressSequentially(typed, { delay: 30 });
      await expectText(amount, typed);
      await expectText(node('rewarded').locator('.chip').first(), chip);
    }
    await amount.fill('');
    await amount.pressSequentially('1.05', { delay: 30 });
    await amountIssue.waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SHOTS, 'canvas-amount-typed.png') });
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    expect(await page.getByLabel('Campaign JSON').inputValue()).toContain('"amount": 1.05');
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    await node('rewarded').click();
    await amount.fill('50');
    await state.locator('.cm-lintRange-error').first().waitFor({ state: 'detached' });
    await amountIssue.waitFor({ state: 'detached' });
    await state.getByLabel('Step 1 pool').fill(POOL);
    await expectText(node('rewarded').locator('.chip').first(), `50 points from ${POOL}`);
    // A nested group with its own strategy inside the state's group (removed again below, after the JSON check).
    await state.getByLabel('Add a step', { exact: true }).selectOption('group');
    await state.getByRole('button', { name: 'Add step', exact: true }).click();
    const nested = state.getByRole('group', { name: 'Group 2' });
    await nested.getByLabel('Strategy of group 2').selectOption('priority');
    await nested.getByLabel('Add a step to group 2').selectOption('coupon');
    await nested.getByRole('button', { name: 'Add step to group 2' }).click();
    await nested.getByLabel('Step 2.2 pool').fill('vip-coupons');
    // A message step's template data: named fields, each an expression or text; a name already taken is refused where it was typed.
    await nested.getByLabel('Add a step to group 2').selectOption('message');
    await nested.getByRole('button', { name: 'Add step to group 2' }).click();
    const message = nested.getByRole('group', { name: 'Step 2.3', exact: true });
    const addData = message.getByRole('button', { name: '+ data field' });
    await addData.click();
    await message.getByLabel('Step 2.3 data field1', { exact: true }).fill('user.firstName');
    const firstName = message.getByLabel('Step 2.3 data name field1', { exact: true });
    await firstName.fill('name');
    await firstName.press('Enter');
    await message.getByLabel('Step 2.3 data name', { exact: true }).waitFor();
    await addData.click();
    const secondName = message.getByLabel('Step 2.3 data name field1', { exact: true });
    await secondName.fill('name');
    await secondName.press('Enter');
    await message.locator('.inline-issue', { hasText: 'there is already a data field "name"' }).waitFor();
    expect(await secondName.getAttribute('aria-invalid')).toBe('true');
    await secondName.fill('greeting');
    await secondName.press('Enter');
    await message.getByLabel('Step 2.3 data greeting', { exact: true }).fill('Welcome back');
    expect(await message.locator('.inline-issue').count()).toBe(0);
    // Removed by keyboard, a data field leaves the focus on the field that took its place, else the one before it.
    await addData.click();
    await message.getByRole('button', { name: 'Remove data field field1', exact: true }).focus();
    await page.keyboard.press('Enter');
    await message.getByLabel('Step 2.3 data field1', { exact: true }).waitFor({ state: 'detached' });
    expect(await message.getByLabel('Step 2.3 data name greeting', { exact: true }).evaluate((el) => el.matches(':focus'))).toBe(true);
    await message.screenshot({ path: path.join(SHOTS, 'canvas-message-data.png') });
    // On the canvas the nested group is a list of its own under its strategy, not one line.
    const nestedChips = node('rewarded').getByRole('list', { name: 'priority: first that succeeds' });
    await nestedChips.waitFor();
    const nestedTexts = await nestedChips.locator('.chip').allTextContents();
    expect(nestedTexts).toContain('coupon from vip-coupons');
    expect(nestedTexts).toHaveLength(3);
    await node('rewarded').screenshot({ path: path.join(SHOTS, 'canvas-nested-group.png') });

    // Drag the transition and make it a standing condition over aggregates.
    await connect('collecting', 'rewarded');
    const transition = page.getByRole('region', { name: 'Transition' });
    await transition.waitFor({ timeout: 5000 }).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(SHOTS, 'canvas-connect-failed.png') });
      throw e;
    });
    await transition.getByLabel('Trigger').selectOption('when');
    const cond = transition.getByRole('group', { name: 'Condition (when)', exact: true });
    const cellName = (row: number, alt: number) => `Condition (when) row ${row} alternative ${alt}`;
    const cell = cond.getByLabel(cellName(1, 1), { exact: true });
    /** The fields of one condition cell: picked, never typed (the number is entered in a number field). */
    const picker = (row: number, alt: number) => {
      const name = cellName(row, alt);
      const group = cond.getByRole('group', { name: `${name} as fields`, exact: true });
      return {
        group,
        fn: group.getByLabel(`${name} function`),
        type: group.getByLabel(`${name} event type`),
        property: group.getByLabel(`${name} property`),
        comparator: group.getByLabel(`${name} comparator`),
        number: group.getByLabel(`${name} number`),
        start: cond.getByRole('button', { name: `${name}: pick a comparison`, exact: true }),
      };
    };
    // The seed's 2-D condition, (spend >= 20 or 5 orders) and 10 posts, by choosing: the new trigger's cell is already a comparison (count of an event type).
    const spend = picker(1, 1);
    await spend.fn.selectOption('sum');
    await spend.type.selectOption('order.completed');
    await spend.property.selectOption('amount');
    await spend.comparator.selectOption('>=');
    await spend.number.fill('20');
    await expectText(cell, "sum('order.completed', 'amount') >= 20");
    // Event types and properties to choose from come from GET /v1/vocabulary (the events sent before the test).
    expect(await spend.type.locator('option').allTextContents()).toEqual(expect.arrayContaining(['order.completed', 'post.created']));
    expect(await spend.property.locator('option').allTextContents()).toEqual(expect.arrayContaining(['amount', 'cityId']));
    await cond.getByRole('button', { name: '+ or' }).click();
    // A new alternative is `false` (with `true` the row would hold for everyone until it is filled in), not a comparison: it offers to become one.
    await expectText(cond.getByLabel(cellName(1, 2), { exact: true }), 'false');
    const orders = picker(1, 2);
    expect(await orders.group.count()).toBe(0);
    await orders.start.click();
    await orders.type.selectOption('order.completed');
    expect(await orders.fn.inputValue()).toBe('count');
    // count reads no property.
    expect(await orders.property.count()).toBe(0);
    await orders.number.fill('5');
    await expectText(cond.getByLabel(cellName(1, 2), { exact: true }), "count('order.completed') >= 5");
    await cond.getByRole('button', { name: '+ and row' }).click();
    const posts = picker(2, 1);
    await posts.start.click();
    await posts.type.selectOption('post.created');
    await posts.number.fill('10');
    await expectText(cond.getByLabel(cellName(2, 1), { exact: true }), "count('post.created') >= 10");
    // It compiles; but the coupon pool of the nested group does not exist, so activating would be refused: the badge counts it, the list says it.
    await expectText(validity(), 'compiles; 1 to fix before activating');
    await expectText(page.getByText('unknown reward pool "vip-coupons"').first(), /create it first/);
    await page.screenshot({ path: path.join(SHOTS, 'canvas-condition-picked.png') });

    // Typing still works, in a scratch row removed afterwards: completion while typing (event types seen in recent events inside an aggregate's first string, then that type's properties).
    await cond.getByRole('button', { name: '+ and row' }).click();
    const scratch = cond.getByLabel(cellName(3, 1), { exact: true });
    await scratch.fill('');
    await scratch.pressSequentially("sum('ord", { delay: 30 });
    const popup = page.locator('.cm-tooltip-autocomplete');
    await expectText(popup, /order\.completed/);
    await page.screenshot({ path: path.join(SHOTS, 'canvas-completion.png') });
    // CodeMirror ignores Enter for a moment after the list changes (so fast typing never accepts by accident): let it settle.
    const accept = async () => {
      await page.waitForTimeout(250);
      await page.keyboard.press('Enter');
    };
    await accept();
    await scratch.pressSequentially("', 'am", { delay: 30 });
    await expectText(popup.locator('li[aria-selected="true"]'), /^amount/);
    await accept();
    await expectText(scratch, "sum('order.completed', 'amount");
    // A typo typed key by key: the compiler's error is underlined where it is (the `>=` after a stray `>`), shown at the cell and on the edge.
    await scratch.pressSequentially("') >>= 20", { delay: 30 });
    const underline = cond.locator('.cm-lintRange-error');
    const firstUnderline = underline.first();
    await expectText(firstUnderline, '>=');
    await cond.locator('.inline-issue').first().waitFor();
    expect(await scratch.getAttribute('aria-invalid')).toBe('true');
    await page.locator('.react-flow__edge.edge-issue').first().waitFor();
    await expectText(validity(), /issue/);
    // Text that is not a single comparison stays text: no fields for it.
    expect(await picker(3, 1).group.count()).toBe(0);
    await picker(3, 1).start.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'canvas-error.png') });
    // Fixed by deleting the stray character: the underline goes, and the typed comparison opens as fields.
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await expectText(scratch, "sum('order.completed', 'amount') >= 20");
    await expectText(validity(), 'compiles; 1 to fix before activating');
    expect(await underline.count()).toBe(0);
    expect(await scratch.getAttribute('aria-invalid')).toBe('false');
    expect([await picker(3, 1).fn.inputValue(), await picker(3, 1).property.inputValue(), await picker(3, 1).comparator.inputValue(), await picker(3, 1).number.inputValue()]).toEqual(['sum', 'amount', '>=', '20']);
    await cond.getByRole('button', { name: 'Remove Condition (when) row 3' }).click();
    await expectText(validity(), 'compiles; 1 to fix before activating');
    expect(await page.locator('.react-flow__edge.edge-issue').count()).toBe(0);

    // The JSON view shows the same definition.
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = JSON.parse(await page.getByLabel('Campaign JSON').inputValue());
    expect(json.states.collecting.transitions).toEqual([
      { to: 'rewarded', when: [["sum('order.completed', 'amount') >= 20", "count('order.completed') >= 5"], ["count('post.created') >= 10"]] },
    ]);
    expect(json.states.rewarded).toEqual({
      transitions: [],
      end: true,
      actions: {
        steps: [
          { type: 'points', amount: 50, pool: POOL },
          {
            strategy: 'priority',
            steps: [
              { type: 'points', amount: 10 },
              { type: 'coupon', pool: 'vip-coupons' },
              { type: 'message', channel: 'push', template: 'hello', data: { name: 'user.firstName', greeting: 'Welcome back' } },
            ],
          },
        ],
      },
    });
    expect(json.participation).toEqual({ maxEntries: 5, frequency: { max: 3, per: 'P7D' } });
    expect(json.exitOn).toEqual([{ on: 'user.unsubscribed' }]);
    await page.getByRole('button', { name: 'Canvas', exact: true }).click();
    // The nested group goes again: this campaign rewards 50 points only.
    await node('rewarded').click();
    // By keyboard: the group goes, and the focus with it to the state's Add a step, not to the page's body.
    await page.getByRole('region', { name: 'State rewarded' }).getByRole('button', { name: 'Remove group 2' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'State rewarded' }).getByRole('group', { name: 'Group 2' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('region', { name: 'State rewarded' }).getByLabel('Add a step', { exact: true }).evaluate((el) => el.matches(':focus'))).toBe(true);
    await expectText(validity(), 'compiles');
    // Before a delete, the panel says which transitions go with the state; the initial state cannot go.
    await expectText(page.getByRole('region', { name: 'State rewarded' }).getByTestId('delete-takes-along'), /transitions into it from collecting\b/);
    await node('collecting').click();
    expect(await page.getByRole('region', { name: 'State collecting' }).getByRole('button', { name: 'Delete state' }).isDisabled()).toBe(true);
    // A state added and deleted again leaves the definition as it was.
    await page.getByLabel('New state name').fill('scratch');
    await page.getByRole('button', { name: 'Add state' }).click();
    // Deleted by keyboard: the focus goes to a state on the canvas (the one listed before it), where the next Tab or Enter carries on.
    await page.getByRole('region', { name: 'State scratch' }).getByRole('button', { name: 'Delete state' }).focus();
    await page.keyboard.press('Enter');
    await node('scratch').waitFor({ state: 'detached' });
    expect(await node('rewarded').evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'State rewarded' }).waitFor();
    // The transition, selected by clicking its edge, shows its condition in the builder.
    // (the canvas refits after a state goes: let it settle before aiming at the edge's middle, where its label is)
    await page.waitForTimeout(300);
    const top = await node('collecting').locator('.react-flow__handle.source').boundingBox();
    const bottom = await node('rewarded').locator('.react-flow__handle.target').boundingBox();
    if (!top || !bottom) throw new Error('handles not on screen');
    await page.mouse.click((top.x + bottom.x) / 2 + top.width / 2, (top.y + bottom.y) / 2 + top.height / 2);
    await page.getByRole('group', { name: 'Condition (when)', exact: true }).waitFor();
    await expectText(validity(), 'compiles');
    await page.screenshot({ path: path.join(SHOTS, 'canvas-editor.png') });
    // Accessible with the expression editors and the side panels open (CONSOLE.md: no serious axe violations).
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expectText(page.getByTestId('ship-done'), new RegExp(`Saved ${KEY} as version 1`));
    await page.getByRole('button', { name: 'Activate v1' }).click();
    await expectText(page.getByTestId('ship-done'), new RegExp(`Activated ${KEY} v1`));
    // Paused meanwhile (another operator): the canvas, which shows no status, does not resume it.
    expect((await sut.request('POST', `/v1/campaigns/${KEY}/pause`, { role: 'operator' })).status).toBe(200);
    await page.getByRole('button', { name: 'Activate v1' }).click();
    await expectText(page.getByTestId('ship-error'), new RegExp(`^Conflict \\(409\\): Campaign ${KEY} is paused, and this request may activate it only from draft or active \\(ifStatus\\); nothing changed\\.`));
    expect((await sut.request('GET', `/v1/campaigns/${KEY}`, { role: 'operator' })).body).toMatchObject({ status: 'paused', activeVersion: 1 });
    expect((await sut.request('POST', `/v1/campaigns/${KEY}/activate`, { role: 'operator', body: { version: 1 } })).status).toBe(200);

    // Preview from the canvas: nothing is issued.
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByLabel('Preview user').fill('pia');
    // Properties that are no JSON object are said in words, not in the browser's parser's.
    const properties = await preview.getByLabel('Preview properties').inputValue();
    await preview.getByLabel('Preview properties').fill('[1, 2]');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await expectText(preview.locator('[role="alert"]'), 'Properties must be a JSON object, e.g. {"amount": 25}.');
    // Nor is what JSON.parse would change sent: a key twice (the preview ran for its last value), a whole number past 2^53 (sent rounded).
    await preview.getByLabel('Preview properties').fill('{"amount": 5, "amount": 50}');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await expectText(preview.locator('[role="alert"]'), 'properties.amount: the key "amount" appears twice in one object; JSON keeps only the last, so say it once.');
    expect(await preview.getByTestId('preview-result').count()).toBe(0);
    await preview.getByLabel('Preview properties').fill('{"orderId": 12345678901234567890}');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await expectText(preview.locator('[role="alert"]'), /^properties\.orderId: 12345678901234567890 is a whole number past 2\^53/);
    await preview.screenshot({ path: path.join(SHOTS, 'canvas-preview-refused.png') });
    await preview.getByLabel('Preview properties').fill(properties);
    await preview.getByRole('button', { name: 'Preview' }).click();
    await expectText(preview.getByTestId('preview-result'), /enters/);
    // The state a new journey would reach is marked on the canvas.
    await page.locator('.react-flow__node[data-id="collecting"] .gnode-reached').waitFor();
    expect(await page.locator('.gnode-reached').count()).toBe(1);

    // The campaign's graph in a second tab, open while events come in: its counts move without a reload.
    // (the key lives in the tab's sessionStorage: the new tab signs in too)
    const graph = await page.context().newPage();
    await signIn(graph, sut.baseUrl, sut.keys.operator);
    await graph.goto(`${sut.baseUrl}/console/campaigns/${KEY}`);
    await expectText(graph.getByTestId('entered-collecting'), '0');

    // Events through the API: pia spends 50 and writes 3 posts, quinn orders once: both wait in collecting.
    await sendEvent(sut, { id: 'pia-o1', type: 'order.completed', userId: 'pia', properties: { amount: 25 } });
    await sendEvent(sut, { id: 'pia-o2', type: 'order.completed', userId: 'pia', properties: { amount: 25 } });
    for (let i = 1; i <= 3; i++) await sendEvent(sut, { id: `pia-p${i}`, type: 'post.created', userId: 'pia' });
    await sendEvent(sut, { id: 'quinn-o1', type: 'order.completed', userId: 'quinn', properties: { amount: 5 } });
    await expectText(graph.getByTestId('entered-collecting'), '2');
    await expectText(graph.getByTestId('now-collecting'), '2');
    await expectText(graph.getByTestId('entered-rewarded'), '0');

    // Preview against pia's running journey: its live aggregates, and the part that does not hold yet with its value.
    const running = preview.getByLabel('Running journey');
    // The list is read when the field takes focus; the journey log may lag the events by a moment.
    await eventually(async () => {
      await running.blur();
      await running.focus();
      await page.waitForTimeout(300);
      return (await running.locator('option', { hasText: 'pia: in collecting' }).count()) > 0 ? true : undefined;
    }, 30_000);
    await running.selectOption('pia');
    expect(await preview.getByLabel('Preview user').inputValue()).toBe('pia');
    await preview.getByLabel('Preview event type').fill('post.created');
    await preview.getByLabel('Preview properties').fill('{}');
    await preview.getByRole('button', { name: 'Preview' }).click();
    await expectText(preview.getByTestId('preview-result').locator('p'), /this user's journey \(its live state\)/);
    // 3 posts received plus the previewed one.
    await expectText(preview.getByTestId('preview-conditions'), /count\('post\.created'\) >= 10 with count\('post\.created'\) = 4/);
    await preview.screenshot({ path: path.join(SHOTS, 'canvas-preview-live.png') });

    // Seven more posts: pia reaches rewarded; the graph counts follow what was sent, and match the API's funnel.
    for (let i = 4; i <= 10; i++) await sendEvent(sut, { id: `pia-p${i}`, type: 'post.created', userId: 'pia' });
    await expectText(graph.getByTestId('entered-rewarded'), '1');
    await expectText(graph.getByTestId('now-collecting'), '1');
    expect(await graph.getByTestId('entered-collecting').textContent()).toBe('2');
    const funnel = (await sut.request('GET', `/v1/campaigns/${KEY}/funnel`, { role: 'operator' })).body;
    expect(funnel.states.find((s: { state: string }) => s.state === 'collecting')).toMatchObject({ entered: 2, current: 1 });
    await graph.screenshot({ path: path.join(SHOTS, 'canvas-funnel.png') });
    await graph.close();
    const rewards = await eventually(async () => {
      const r = await sut.request('GET', '/v1/users/pia/rewards', { role: 'support' });
      return r.body.rewards?.[0]?.status === 'issued' ? r.body.rewards : undefined;
    }, 60_000);
    expect(rewards).toHaveLength(1);
    expect(rewards[0]).toMatchObject({ campaign: KEY, kind: 'points', amount: 50 });
  }, 240_000);

  it('creates a campaign from a template in two steps, edits it from its page into version 2, and shows a 409 for a key that exists', async () => {
    await page.goto(`${sut.baseUrl}/console/new`);
    await page.getByRole('button', { name: 'Use Spend or orders, and posts' }).click();
    const form = page.getByRole('form', { name: 'Parameters of Spend or orders, and posts' });
    await form.getByLabel('Campaign key').fill('from-template');
    await form.getByLabel('Points', { exact: true }).fill('80');
    await form.getByLabel('Points pool').fill(POOL);
    await form.getByRole('button', { name: 'Open in the canvas' }).click();
    for (const s of ['collecting', 'nudged', 'rewarded', 'expired']) await node(s).waitFor();
    await expectText(validity(), 'compiles');
    await expectText(node('rewarded').locator('.chip').first(), `80 points from ${POOL}`);
    await page.screenshot({ path: path.join(SHOTS, 'canvas-template.png') });
    // Leaving a draft that is not saved asks first; refused, the draft stays.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('link', { name: '← Campaigns' }).click();
    expect(asked).toEqual([expect.stringMatching(/^Leave the editor\? What you changed since the last save will be lost/)]);
    expect(new URL(page.url()).pathname).toBe('/console/new');
    await node('collecting').waitFor();
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expectText(page.getByTestId('ship-done'), /Saved from-template as version 1/);
    // Created: the address is now its editor, so a reload opens it (and, saved, leaves without asking).
    expect(new URL(page.url()).pathname).toBe('/console/campaigns/from-template/edit');
    await page.reload();
    await node('collecting').waitFor();
    // By keyboard only: a focused state opens with Enter, and its panel draws a transition.
    await node('nudged').focus();
    await page.keyboard.press('Enter');
    const statePanel = page.getByRole('region', { name: 'State nudged' });
    await statePanel.waitFor();
    // Edges are drawn once React Flow has measured both ends: on a busy machine a moment after the nodes.
    await page.locator('.react-flow__edge').first().waitFor();
    const transitionsBefore = await page.locator('.react-flow__edge').count();
    await statePanel.getByLabel('New transition from nudged to').selectOption('rewarded');
    await statePanel.getByRole('button', { name: 'Add transition' }).focus();
    await page.keyboard.press('Enter');
    const transitionPanel = page.getByRole('region', { name: 'Transition' });
    await transitionPanel.waitFor();
    await page.locator('.react-flow__edge').nth(transitionsBefore).waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(transitionsBefore + 1);
    // The focus goes on to the new transition's trigger, not to the page body, so the keyboard draws on from there.
    // (this file is compiled without the DOM's types: the page's code as text)
    const focusedIn = (selector: string) => page.waitForFunction(`document.activeElement?.matches(${JSON.stringify(selector)}) === true`, null, { timeout: 5_000 });
    await focusedIn('[role="region"][aria-label="Transition"] select[aria-label="Trigger"]');
    // Put first by keyboard: each move opens that transition's own panel, and the focus stays on its move buttons.
    const rank = page.getByTestId('transition-rank');
    const count = Number(/of (\d+)/.exec((await rank.textContent()) ?? '')?.[1]);
    expect(count).toBeGreaterThanOrEqual(2);
    await transitionPanel.getByRole('button', { name: 'Move earlier' }).focus();
    for (let at = count - 1; at >= 1; at--) {
      await page.keyboard.press('Enter');
      await expectText(rank, `Checked ${['1st', '2nd', '3rd', '4th'][at - 1]} of ${count}`);
    }
    // First: Move earlier is disabled, so the focus is on Move later.
    await focusedIn('[role="region"][aria-label="Transition"] button:not(:disabled)');
    expect(await page.evaluate('document.activeElement?.textContent?.trim()')).toBe('Move later');
    expect(await rank.getAttribute('role')).toBe('status');
    // Undone (the moves, then the transition), the draft is what is saved again.
    await page.locator('body').focus();
    for (let moves = 1; moves < count; moves++) await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await page.getByRole('button', { name: 'Saved' }).waitFor();
    const saved = await sut.request('GET', '/v1/campaigns/from-template', { role: 'operator' });
    expect(saved.body.versions[0].definition.states.rewarded.actions.steps[0]).toMatchObject({ amount: 80, pool: POOL });

    // Opened again from its page: an edit saved as version 2, running journeys keep theirs.
    await page.goto(`${sut.baseUrl}/console/campaigns/from-template`);
    await page.getByRole('link', { name: 'Edit in the canvas' }).click();
    await node('expired').click();
    await setField(page.getByLabel('State name', { exact: true }), 'lapsed');
    await node('lapsed').waitFor();
    await expectText(validity(), 'compiles');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expectText(page.getByTestId('ship-done'), /Saved from-template as version 2/);
    const v2 = await sut.request('GET', '/v1/campaigns/from-template', { role: 'operator' });
    const latest = v2.body.versions.find((v: { version: number }) => v.version === 2);
    expect(Object.keys(latest.definition.states).sort()).toEqual(['collecting', 'lapsed', 'nudged', 'rewarded']);
    expect(latest.definition.states.nudged.transitions[1]).toEqual({ to: 'lapsed', after: 'P7D' });

    // The same key again: the API's 409, said as such.
    await page.goto(`${sut.baseUrl}/console/new`);
    await page.getByRole('button', { name: 'Start blank' }).click();
    await setField(page.getByRole('region', { name: 'Campaign fields' }).getByLabel('Key'), 'from-template');
    await node('start').click();
    await page.getByRole('region', { name: 'State start' }).getByText('End state').click();
    await expectText(validity(), 'compiles');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expectText(page.getByTestId('ship-error'), /Conflict \(409\).*already exists/);
  }, 120_000);

  it('keeps the page its width with a state name of 100 characters: in the transition list and in the issues', async () => {
    const wide = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(wide, sut.baseUrl, sut.keys.operator, '/console/new');
    await wide.getByRole('button', { name: 'Start blank' }).click();
    await wide.locator('.react-flow__node[data-id="start"]').waitFor();
    const long = `s${'x'.repeat(99)}`;
    await wide.getByLabel('New state name').fill(long);
    await wide.getByRole('button', { name: 'Add state' }).click();
    await wide.locator(`.react-flow__node[data-id="${long}"]`).waitFor();
    // The initial state's panel lists the long name as a transition target; the issues name its path.
    await wide.locator('.react-flow__node[data-id="start"]').click();
    await wide.getByRole('region', { name: 'State start' }).waitFor();
    const showAll = wide.getByTestId('issues-waiting').getByRole('button');
    if (await showAll.count()) await showAll.click();
    await wide.getByRole('region', { name: 'All issues' }).getByText(long, { exact: false }).first().waitFor();
    expect(await wide.evaluate('document.documentElement.scrollWidth')).toBe(1280);
    await wide.screenshot({ path: path.join(SHOTS, 'canvas-long-state-name.png') });
    await wide.context().close();
  }, 120_000);

  describe('a saved campaign whose condition and message data the form must not change by opening them', () => {
    const key = 'canvas-at-least-rows';
    // "(spend or 5 orders), 10 posts, 3 reviews: at least 2 of them" (review-52 finding 1), and a template datum that is an object (finding 6).
    const when = { atLeast: 2, of: [{ any: ["sum('order.completed', 'amount') >= 20", "count('order.completed') >= 5"] }, "count('post.created') >= 10", "count('review.posted') >= 3"] };
    const cta = { url: 'https://shop.example/p', label: 'Shope' };
    const definition = {
      key,
      name: 'At least 2 of 3',
      entry: { on: 'order.completed' },
      initial: 'collecting',
      states: {
        collecting: { transitions: [{ to: 'rewarded', when }] },
        rewarded: { end: true, actions: { steps: [{ type: 'message', channel: 'push', template: 'thanks', data: { first: 'user.firstName', cta } }] } },
      },
    };
    let tab: Page;

    beforeAll(async () => {
      expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: definition })).status).toBe(201);
      tab = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
      await signIn(tab, sut.baseUrl, sut.keys.operator, `/console/campaigns/${key}/edit`);
      await tab.locator('.react-flow__node[data-id="collecting"]').waitFor();
    });

    afterAll(async () => {
      await tab?.context().close();
    });

    const draftJson = async () => {
      await tab.getByRole('button', { name: 'JSON', exact: true }).click();
      const json = JSON.parse(await tab.getByLabel('Campaign JSON').inputValue()) as typeof definition;
      await tab.getByRole('button', { name: 'Canvas', exact: true }).click();
      return json;
    };

    it('shows "at least 2 of these rows", not "and", and a row added there asks nothing until filled in', async () => {
      // By keyboard: a forced click lands at the edge's box centre, which a node or the fitting view can cover.
      await tab.locator('.react-flow__edge[data-id="collecting#0"]').focus();
      await tab.keyboard.press('Enter');
      const cond = tab.getByRole('region', { name: 'Transition' }).getByRole('group', { name: 'Condition (when)', exact: true });
      expect(await cond.getByLabel('Condition (when) rows at least', { exact: true }).inputValue()).toBe('2');
      expect(await cond.locator('.cond-and').allTextContents()).toEqual(['·', '·']);
      expect(await cond.getByRole('button', { name: '+ and row' }).count()).toBe(0);
      await cond.screenshot({ path: path.join(SHOTS, 'canvas-at-least-rows.png') });
      // `true` would count as one of the 2 for everyone: the new row is `false` until filled in.
      await cond.getByRole('button', { name: '+ row', exact: true }).click();
      await expectText(cond.getByLabel('Condition (when) row 4 alternative 1', { exact: true }), 'false');
      expect((await draftJson()).states.collecting.transitions[0].when).toEqual({ atLeast: 2, of: [...when.of, 'false'] });
    });

    it('edits a template datum that is an object as JSON: it stays an object, and JSON that does not read is refused at the field', async () => {
      await tab.locator('.react-flow__node[data-id="rewarded"]').click();
      const message = tab.getByRole('region', { name: 'State rewarded' }).getByRole('group', { name: 'Step 1', exact: true });
      const field = message.getByLabel('Step 1 data cta', { exact: true });
      expect(await field.inputValue()).toBe(JSON.stringify(cta));
      await setField(field, JSON.stringify({ ...cta, label: 'Shop' }));
      expect((await draftJson()).states.rewarded.actions.steps[0].data).toEqual({ first: 'user.firstName', cta: { ...cta, label: 'Shop' } });
      await setField(field, '{"url": "https://shop.example/p",');
      await expectText(message.locator('.inline-issue'), /^this field holds an object, edited as JSON: /);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect((await draftJson()).states.rewarded.actions.steps[0].data.cta).toEqual({ ...cta, label: 'Shop' });
    });
  });

  // Review 63 (console), findings 4, 5 and 8: a name typed into a comparison's field (or a number cleared) was not
  // counted as unsaved; a condition pasted over two lines was dropped without a word; a failed list of running journeys
  // said only "could not list them".
  it('counts a typed comparison name or a cleared number as unsaved, takes a pasted condition over two lines, and says why the running journeys could not be listed', async () => {
    const key = 'canvas-typed-names';
    const definition = {
      key,
      name: 'Typed names',
      entry: { on: 'order.completed' },
      initial: 'collecting',
      states: { collecting: { transitions: [{ to: 'rewarded', when: ["sum('order.completed', 'amount') >= 20"] }] }, rewarded: { end: true } },
    };
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: definition })).status).toBe(201);
    const tab = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    // Temporal visibility away: the route answers 503 with the API's words.
    await tab.route(
      (url) => url.pathname === `/v1/campaigns/${key}/journeys`,
      (route) => route.fulfill({ status: 503, json: { error: { code: 'temporal_unavailable', message: 'Temporal did not answer within 10000 ms.', details: [] } } }),
    );
    // Into the canvas by its link: Back is then the console's own, which asks in its words.
    await openSignedIn(tab, sut.baseUrl, sut.keys.operator, `/console/campaigns/${key}`);
    await tab.getByRole('link', { name: 'Edit in the canvas' }).click();
    await tab.locator('.react-flow__node[data-id="collecting"]').waitFor();
    const preview = tab.getByRole('region', { name: 'Preview' });
    await expectText(preview.getByRole('alert'), 'Running journeys: Temporal did not answer within 10000 ms.');
    expect(await preview.getByLabel('Running journey').locator('option').first().textContent()).toBe('could not list them (type a user below)');
    await preview.screenshot({ path: path.join(SHOTS, 'canvas-preview-journeys-503.png') });

    const save = tab.getByRole('toolbar', { name: 'Editor' }).getByRole('button', { name: /^(Save|Create)/ });
    await expectText(save, 'Saved');
    await tab.locator('.react-flow__edge[data-id="collecting#0"]').focus();
    await tab.keyboard.press('Enter');
    const cond = tab.getByRole('region', { name: 'Transition' }).getByRole('group', { name: 'Condition (when)', exact: true });
    const name = 'Condition (when) row 1 alternative 1';
    const number = cond.getByLabel(`${name} number`);
    // A number cleared on the way to another: not saved yet, so not "Saved"; left so, it shows the number kept.
    await number.fill('');
    await expectText(save, 'Save');
    expect(await save.isEnabled()).toBe(true);
    await number.press('Tab');
    expect(await number.inputValue()).toBe('20');
    await expectText(save, 'Saved');
    // A property typed (other…) and not applied yet, the focus still in its field.
    await cond.getByLabel(`${name} property`).selectOption({ label: 'other…' });
    // The field that replaced the select has the focus (it had dropped to the page body): typing goes on there.
    await tab.waitForFunction(`document.activeElement?.tagName === 'INPUT' && document.activeElement.getAttribute('aria-label') === ${JSON.stringify(`${name} property`)}`, null, { timeout: 5_000 });
    const property = cond.getByLabel(`${name} property`);
    await property.fill('amount_cents');
    await expectText(save, 'Save');
    expect(await save.isEnabled()).toBe(true);
    const asked: string[] = [];
    tab.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await tab.evaluate('history.back()');
    await eventuallyTrue(() => asked.length === 1);
    expect(asked).toEqual(['Leave the editor? What you changed since the last save will be lost.']);
    expect(new URL(tab.url()).pathname).toBe(`/console/campaigns/${key}/edit`);
    expect(await property.inputValue()).toBe('amount_cents');
    await tab.screenshot({ path: path.join(SHOTS, 'canvas-typed-name-unsaved.png') });

    // A condition pasted over two lines (copied from a YAML file): its line break is a space, not a paste thrown away.
    const cell = cond.getByLabel(name, { exact: true });
    await cell.click();
    // Leaving the field applied the name typed.
    await expectText(cell, "sum('order.completed', 'amount_cents') >= 20");
    await tab.keyboard.press('Control+a');
    await cell.evaluate((el, text) => {
      // (this file is compiled without the DOM's types)
      const page = globalThis as unknown as { DataTransfer: new () => { setData(type: string, value: string): void }; ClipboardEvent: new (type: string, init: object) => unknown };
      const data = new page.DataTransfer();
      data.setData('text/plain', text);
      (el as unknown as { dispatchEvent(e: unknown): boolean }).dispatchEvent(new page.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, 'a >= 1\n  and b == 2');
    await expectText(cell, 'a >= 1 and b == 2');
    // The cursor after it, as a paste leaves it.
    expect(await tab.evaluate('getSelection().isCollapsed')).toBe(true);
    await tab.getByRole('region', { name: 'Transition' }).screenshot({ path: path.join(SHOTS, 'canvas-pasted-two-lines.png') });
    await tab.context().close();
  }, 120_000);

  it('activates from the canvas over the version it reads at the click: an older one than a version activated meanwhile asks first', async () => {
    const key = 'canvas-switch-back';
    const definition = { key, name: 'Switch back', entry: { on: 'order.completed' }, initial: 'done', states: { done: { end: true } } };
    expect((await sut.request('POST', '/v1/campaigns', { role: 'operator', body: definition })).status).toBe(201);
    const tab = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(tab, sut.baseUrl, sut.keys.operator, `/console/campaigns/${key}/edit`);
    const activate = tab.getByRole('button', { name: 'Activate v1' });
    await activate.waitFor();
    // While the canvas is open on v1, someone saves v2 and activates it.
    expect((await sut.request('PUT', `/v1/campaigns/${key}`, { role: 'operator', body: { ...definition, name: 'Switch back, v2' } })).status).toBe(200);
    expect((await sut.request('POST', `/v1/campaigns/${key}/activate`, { role: 'operator', body: { version: 2 } })).status).toBe(200);
    const activeVersion = async () => ((await sut.request('GET', `/v1/campaigns/${key}`, { role: 'operator' })).body as { activeVersion: number }).activeVersion;
    // A dialog blocks the page until answered: answered as it opens.
    const asked: string[] = [];
    tab.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await activate.click();
    await eventuallyTrue(() => asked.length === 1);
    expect(asked).toEqual([`Activate v1 of ${key}, older than the active v2? New entries will run v1.`]);
    await tab.waitForTimeout(300);
    expect(await activeVersion()).toBe(2);
    expect(await tab.getByTestId('ship-done').count()).toBe(0);
    // Asked and confirmed, it switches back.
    tab.once('dialog', (d) => void d.accept());
    await activate.click();
    await expectText(tab.getByTestId('ship-done'), /^Activated canvas-switch-back v1\./);
    expect(await activeVersion()).toBe(1);
    await tab.context().close();
  }, 120_000);
});

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.waitFor();
  let last = '';
  for (let i = 0; i < 150; i++) {
    last = (await locator.textContent())?.trim() ?? '';
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await locator.page().waitForTimeout(200);
  }
  throw new Error(`expected ${String(expected)}, saw "${last}"`);
}

async function eventuallyTrue(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(check()).toBe(true);
}
