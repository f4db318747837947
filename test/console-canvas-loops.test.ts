import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir, signIn } from './support/console-browser';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

// What the canvas drew badly and the campaign graph did not: a transition back to its own state
// (a line behind the node, its label hidden), a state's focus ring by keyboard, and the save error's text.
const SHOTS = screenshotsDir('console-canvas-loops');

/** A reminder that keeps a journey where it is: a transition from `waiting` to `waiting`. */
const looping = {
  key: 'looping',
  name: 'Looping',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: {
    waiting: {
      transitions: [
        { to: 'waiting', on: 'reminder.sent' },
        { to: 'done', on: 'order.completed', if: 'event.amount >= 20' },
      ],
    },
    done: { end: true },
  },
};

/** Two ways from `waiting` to `done`, and one back: three transitions joining the same two states. */
const twice = {
  key: 'twice',
  name: 'Twice',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: {
    waiting: {
      transitions: [
        { to: 'done', on: 'order.completed', if: 'event.amount >= 20' },
        { to: 'done', on: 'membership.upgraded' },
      ],
    },
    done: { transitions: [{ to: 'waiting', on: 'order.refunded' }] },
  },
};

describe('the canvas draws a transition back to its own state, shows a focused state, and says a refused save (real Chromium)', () => {
  let sut: SystemUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sut = await startSystemUnderTest();
    for (const campaign of [looping, twice]) {
      const created = await sut.request('POST', '/v1/campaigns', { role: 'operator', body: campaign });
      if (created.status !== 201) throw new Error(`create ${campaign.key}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    browser = await launchConsoleBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });

  const node = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);

  async function open(at: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, sut.baseUrl, sut.keys.operator, at);
    if (at === '/console/new') {
      await page.getByRole('button', { name: 'Start blank' }).click();
      await node(page, 'start').waitFor();
    }
    await page.locator('.react-flow__node').first().waitFor();
    // Fitted and measured: nothing moves under the checks below.
    await page.waitForTimeout(500);
    return page;
  }

  /**
   * The loop is seen: its label is the topmost thing at its own centre (no node over it) and clear of
   * the state's box, and its line runs out beside the state rather than behind it.
   */
  async function expectLoopBeside(page: Page, state: string, label: Locator) {
    await label.waitFor();
    const stateBox = (await node(page, state).boundingBox())!;
    const labelBox = (await label.boundingBox())!;
    const onTop = await label.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const top = el.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      // The label, or a line running through it; not a state drawn over it.
      return top !== null && top.closest('.react-flow__node') === null && top.closest('.react-flow') !== null;
    });
    expect(onTop).toBe(true);
    const overlaps = labelBox.x < stateBox.x + stateBox.width && stateBox.x < labelBox.x + labelBox.width && labelBox.y < stateBox.y + stateBox.height && stateBox.y < labelBox.y + labelBox.height;
    expect(overlaps).toBe(false);
    // The loop's line: the edge path whose ends are both on this state, drawn out to its right.
    const loopRight = await page.locator('.react-flow__edge-path').evaluateAll(
      (paths, s) => Math.max(...paths.map((p) => p.getBoundingClientRect()).filter((r) => r.left >= s.x - 2 && r.top >= s.y - 30 && r.bottom <= s.y + s.height + 30).map((r) => r.right)),
      stateBox,
    );
    expect(loopRight).toBeGreaterThan(stateBox.x + stateBox.width + 20);
  }

  it('draws a transition back to its own state as a loop beside it, its label readable and clickable, on the canvas as on the campaign graph', async () => {
    const graph = await open(`/console/campaigns/${looping.key}`);
    await graph.screenshot({ path: path.join(SHOTS, 'loop-campaign.png') });
    await expectLoopBeside(graph, 'waiting', graph.getByText(/^reminder\.sent · \d+ taken$/));
    await graph.context().close();

    const canvas = await open(`/console/campaigns/${looping.key}/edit`);
    await canvas.screenshot({ path: path.join(SHOTS, 'loop-canvas.png') });
    const label = canvas.getByTestId('canvas').getByText('reminder.sent', { exact: true });
    await expectLoopBeside(canvas, 'waiting', label);
    // A click on the label opens that transition, as on any other transition's label.
    await label.click();
    const panel = canvas.getByRole('region', { name: 'Transition' });
    await expectText(panel.getByRole('heading'), 'Transition waiting → waiting');
    expect(await panel.getByLabel('Event type').inputValue()).toBe('reminder.sent');
    // Still beside its state once the state is dragged elsewhere.
    const box = (await node(canvas, 'waiting').locator('.gnode-name').boundingBox())!;
    await canvas.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await canvas.mouse.down();
    await canvas.mouse.move(box.x + box.width / 2 - 150, box.y + box.height / 2 + 60, { steps: 10 });
    await canvas.mouse.up();
    await canvas.waitForTimeout(300);
    await canvas.screenshot({ path: path.join(SHOTS, 'loop-canvas-moved.png') });
    await expectLoopBeside(canvas, 'waiting', label);
    await canvas.context().close();
  });

  it('fans out transitions joining the same two states, each label readable and opening its own transition, on the canvas as on the campaign graph', async () => {
    const texts = ['order.completed if event.amount >= 20', 'membership.upgraded', 'order.refunded'];
    /** The three labels' boxes: none covers another, and each is the topmost thing at its centre. */
    async function expectApart(page: Page, labels: Locator[]) {
      const boxes = [];
      for (const label of labels) {
        await label.waitFor();
        boxes.push((await label.boundingBox())!);
        const onTop = await label.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return el.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('.react-flow__node') === null;
        });
        expect(onTop).toBe(true);
        // On its own line: the drawn path (sampled, in screen pixels) comes within a few pixels of the label's centre.
        const fromLine = await label.evaluate((el) => {
          const id = el.getAttribute('data-edge') ?? '';
          type Path = { getTotalLength(): number; getPointAtLength(at: number): { x: number; y: number }; getScreenCTM(): { a: number; b: number; c: number; d: number; e: number; f: number } };
          const path = el.ownerDocument.querySelector(`.react-flow__edge[data-id="${id}"] .react-flow__edge-path`) as unknown as Path | null;
          if (!path) return Infinity;
          const r = el.getBoundingClientRect();
          const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
          const m = path.getScreenCTM();
          let nearest = Infinity;
          for (let i = 0; i <= 400; i++) {
            const p = path.getPointAtLength((path.getTotalLength() * i) / 400);
            nearest = Math.min(nearest, Math.hypot(m.a * p.x + m.c * p.y + m.e - cx, m.b * p.x + m.d * p.y + m.f - cy));
          }
          return nearest;
        });
        expect(fromLine).toBeLessThan(8);
      }
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const overlaps = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
          expect({ pair: [texts[i], texts[j]], overlaps }).toEqual({ pair: [texts[i], texts[j]], overlaps: false });
        }
      }
    }

    const graph = await open(`/console/campaigns/${twice.key}`);
    await graph.screenshot({ path: path.join(SHOTS, 'siblings-campaign.png') });
    await expectApart(graph, texts.map((t) => graph.getByText(new RegExp(`^${t.replace(/[.]/g, '\\.')} · \\d+\\*? taken$`))));
    await graph.context().close();

    const canvas = await open(`/console/campaigns/${twice.key}/edit`);
    await canvas.screenshot({ path: path.join(SHOTS, 'siblings-canvas.png') });
    const labels = texts.map((t) => canvas.getByTestId('canvas').getByText(t, { exact: true }));
    await expectApart(canvas, labels);
    // Each label opens its own transition.
    await labels[1].click();
    const panel = canvas.getByRole('region', { name: 'Transition' });
    await expectText(panel.getByRole('heading'), 'Transition waiting → done');
    expect(await panel.getByLabel('Event type').inputValue()).toBe('membership.upgraded');
    await labels[0].click();
    await eventuallyValue(panel.getByLabel('Event type'), 'order.completed');
    // Still apart once a state is dragged elsewhere.
    const box = (await node(canvas, 'done').locator('.gnode-name').boundingBox())!;
    await canvas.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await canvas.mouse.down();
    await canvas.mouse.move(box.x + box.width / 2 + 200, box.y + box.height / 2 + 40, { steps: 10 });
    await canvas.mouse.up();
    await canvas.waitForTimeout(300);
    await canvas.screenshot({ path: path.join(SHOTS, 'siblings-canvas-moved.png') });
    await expectApart(canvas, labels);
    // Side by side, level: fanned across the line between them, not along it (where the three lines lay over each other).
    const [from, to] = [(await node(canvas, 'waiting').boundingBox())!, (await node(canvas, 'done').locator('.gnode-name').boundingBox())!];
    const doneBox = (await node(canvas, 'done').boundingBox())!;
    await canvas.mouse.move(to.x + to.width / 2, to.y + to.height / 2);
    await canvas.mouse.down();
    const [dx, dy] = [from.x + from.width + 260 - doneBox.x, from.y - doneBox.y];
    await canvas.mouse.move(to.x + to.width / 2 + dx, to.y + to.height / 2 + dy, { steps: 12 });
    await canvas.mouse.up();
    await canvas.waitForTimeout(300);
    await canvas.screenshot({ path: path.join(SHOTS, 'siblings-canvas-level.png') });
    const level = [(await node(canvas, 'waiting').boundingBox())!, (await node(canvas, 'done').boundingBox())!];
    expect(Math.abs(level[0].y - level[1].y)).toBeLessThan(20);
    await expectApart(canvas, labels);
    // Each label sits well away from the other two lines: more than a label's height (24 px) from any point of them.
    const clearance = await canvas.getByTestId('canvas').evaluate((root) => {
      type Path = { getTotalLength(): number; getPointAtLength(at: number): { x: number; y: number }; getScreenCTM(): { a: number; b: number; c: number; d: number; e: number; f: number } };
      const sample = (p: Path) => {
        const m = p.getScreenCTM();
        return Array.from({ length: 401 }, (_, i) => {
          const at = p.getPointAtLength((p.getTotalLength() * i) / 400);
          return { x: m.a * at.x + m.c * at.y + m.e, y: m.b * at.x + m.d * at.y + m.f };
        });
      };
      const labels = [...root.querySelectorAll('[data-edge]')];
      return labels.map((label) => {
        const r = label.getBoundingClientRect();
        const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
        const others = labels.filter((l) => l !== label).map((l) => root.querySelector(`.react-flow__edge[data-id="${l.getAttribute('data-edge')}"] .react-flow__edge-path`) as unknown as Path | null);
        // Both other lines found, or no clearance at all (-1): a selector that finds nothing must not pass.
        if (others.some((p) => p === null)) return -1;
        return Math.min(...others.flatMap((p) => sample(p as Path)).map((q) => Math.hypot(q.x - cx, q.y - cy)));
      });
    });
    expect(clearance).toHaveLength(3);
    for (const c of clearance) expect(c).toBeGreaterThan(24);
    await canvas.context().close();
  });

  it('a drag from a state\'s bottom handle to its own top handle adds the loop and opens its Transition panel, as any other drag does', async () => {
    const page = await open('/console/new');
    const source = (await node(page, 'start').locator('.react-flow__handle.source').boundingBox())!;
    const target = (await node(page, 'start').locator('.react-flow__handle.target').boundingBox())!;
    await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
    await page.mouse.down();
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await page.mouse.up();
    const panel = page.getByRole('region', { name: 'Transition' });
    await expectText(panel.getByRole('heading'), 'Transition start → start');
    expect(await page.getByRole('region', { name: 'State start' }).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'loop-drawn.png') });
    await expectLoopBeside(page, 'start', page.getByTestId('canvas').getByText('order.completed', { exact: true }));
    await page.context().close();
  });

  it('rings a state focused by keyboard, on the canvas and on the campaign graph', async () => {
    for (const at of [`/console/campaigns/${looping.key}/edit`, `/console/campaigns/${looping.key}`]) {
      const page = await open(at);
      // Tab until a state has the focus (links, toolbar and fields come first).
      let focused: { node: boolean; visible: boolean; outline: string; width: string } = { node: false, visible: false, outline: '', width: '' };
      for (let i = 0; i < 80 && !focused.node; i++) {
        await page.keyboard.press('Tab');
        focused = (await page.evaluate(`(() => {
          const el = document.activeElement;
          const style = el ? getComputedStyle(el) : null;
          return { node: !!el?.classList.contains('react-flow__node'), visible: !!el?.matches(':focus-visible'), outline: style?.outlineStyle ?? '', width: style?.outlineWidth ?? '' };
        })()`)) as typeof focused;
      }
      expect(focused.node).toBe(true);
      expect(focused.visible).toBe(true);
      expect(focused.outline).not.toBe('none');
      expect(parseFloat(focused.width)).toBeGreaterThanOrEqual(2);
      await page.screenshot({ path: path.join(SHOTS, `focus-ring-${at.endsWith('/edit') ? 'canvas' : 'campaign'}.png`) });
      await page.context().close();
    }
  });

  it('names each state Tab reaches on the canvas: its name, what it holds, and its issues, as a screen reader says it', async () => {
    const page = await open(`/console/campaigns/${looping.key}/edit`);
    // Tab until a state has the focus, and hear what it is called.
    const names: string[] = [];
    for (let i = 0; i < 80 && names.length < 2; i++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(`(() => {
        const el = document.activeElement;
        return el && el.classList.contains('react-flow__node') ? el.getAttribute('aria-label') : null;
      })()`);
      if (typeof name === 'string' && !names.includes(name)) names.push(name);
    }
    expect(names.sort()).toEqual(['End state done: 0 actions', 'State waiting (initial): 0 actions, 2 transitions out']);
    // The accessibility tree has them by those names, as groups a keyboard reaches.
    const waiting = page.getByRole('group', { name: 'State waiting (initial): 0 actions, 2 transitions out' });
    expect(await waiting.getAttribute('tabindex')).toBe('0');
    await waiting.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'State waiting' }).waitFor();
    // A state's issues are said too: a state nothing leads to, added here.
    await page.getByLabel('New state name').fill('stray');
    await page.getByRole('button', { name: 'Add state' }).click();
    await page.getByRole('group', { name: /^State stray: 0 actions, 0 transitions out; 2 issues: .*cannot be reached/ }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('draws a transition focused by keyboard in the accent colour, not the selected grey', async () => {
    const page = await open(`/console/campaigns/${looping.key}/edit`);
    let focused: { edge: boolean; stroke: string; width: string; accent: string } = { edge: false, stroke: '', width: '', accent: '' };
    for (let i = 0; i < 120 && !focused.edge; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate(`(() => {
        const el = document.activeElement;
        const path = el?.querySelector('.react-flow__edge-path');
        const style = path ? getComputedStyle(path) : null;
        // The accent as the browser resolves it (a variable that may hold light-dark()).
        const probe = document.createElement('span');
        probe.style.color = 'var(--accent)';
        document.body.appendChild(probe);
        const accent = getComputedStyle(probe).color;
        probe.remove();
        return { edge: !!el?.classList.contains('react-flow__edge'), stroke: style?.stroke ?? '', width: style?.strokeWidth ?? '', accent };
      })()`)) as typeof focused;
    }
    expect(focused.edge).toBe(true);
    expect(focused.stroke).toBe(focused.accent);
    expect(focused.width).toBe('3px');
    await page.screenshot({ path: path.join(SHOTS, 'focus-transition.png') });
    await page.context().close();
  });

  it('places states added one right after another clear of each other and of every state drawn', async () => {
    const page = await open(`/console/campaigns/${looping.key}/edit`);
    const names = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'];
    // As fast as a person types a name and presses Enter: no pause for the canvas to draw or measure the last one.
    for (const name of names) {
      await page.getByLabel('New state name').fill(name);
      await page.getByLabel('New state name').press('Enter');
    }
    for (const name of names) await node(page, name).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'quick-adds.png') });
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { id: e.getAttribute('data-id') ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    const touches = (a: (typeof boxes)[number], b: (typeof boxes)[number]) => a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
    const touching = boxes.flatMap((a) => (names.includes(a.id) ? boxes.filter((b) => b.id !== a.id && touches(a, b)).map((b) => `${a.id} touches ${b.id}`) : []));
    expect(touching).toEqual([]);
    await page.context().close();
  });

  it('says a save the API refuses with a separator between its sentence and each problem', async () => {
    const page = await open('/console/new');
    await page.getByRole('region', { name: 'Campaign fields' }).getByLabel('Key').fill('refused-save');
    await page.getByRole('region', { name: 'Campaign fields' }).getByLabel('Key').press('Enter');
    // A second state with no way in and no way out: the blank draft does not compile.
    await page.getByLabel('New state name').fill('bonus');
    await page.getByRole('button', { name: 'Add state' }).click();
    await node(page, 'bonus').waitFor();
    await page.getByRole('button', { name: 'Create campaign' }).click();
    const box = page.getByTestId('ship-error');
    await expectText(box, /does not compile/);
    const text = (await box.textContent()) ?? '';
    expect(text).toMatch(/The campaign does not compile\.[ :]+states\./);
    expect(text).not.toMatch(/compile\.states/);
    // Each problem apart from the next, too.
    expect(text).not.toMatch(/[a-z)]states\.[a-z]/);
    await box.screenshot({ path: path.join(SHOTS, 'save-refused.png') });
    await page.context().close();
  });
});

/** The field's value becomes `expected` (a panel swapped for another transition's fills in after the click). */
async function eventuallyValue(field: Locator, expected: string): Promise<void> {
  for (let i = 0; i < 50 && (await field.inputValue()) !== expected; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await field.inputValue()).toBe(expected);
}

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.waitFor();
  let last = '';
  for (let i = 0; i < 100; i++) {
    last = (await locator.textContent())?.trim() ?? '';
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await locator.page().waitForTimeout(200);
  }
  throw new Error(`expected ${String(expected)}, saw "${last}"`);
}
