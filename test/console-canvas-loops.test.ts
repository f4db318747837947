import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page, Request, Route } from 'playwright-core';
import { expectAccessible, launchConsoleBrowser, screenshotsDir } from './support/console-browser';
import { openSignedIn } from './support/console-stored-key';
import { startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

// Three console suites sharing one system under test and one Chromium, which each would otherwise boot for itself:
// the canvas's loops, focus and refused save; the graph's and canvas's labels, long names and large graphs; and the
// top-up form when an answer is lost. None of them starts a journey. Each describe block adds its campaigns or pool in
// its own beforeAll, which runs once the blocks above it are done: a block's tests see its own data and what the blocks
// above it added, never what the blocks below add (all keys are unique to their block and to this suite).

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

// The campaign graph and the canvas with what operators write and the first console drew badly:
// labels not in words, long state names, a large graph, nested reward groups.
const LABEL_SHOTS = screenshotsDir('console-graph-labels');

/** Every label kind of CAMPAIGNS.md that needs words: cron entry, atLeast (JSON tree), at, split, and a nested reward tree. */
const labelled = {
  key: 'labels-in-words',
  name: 'Labels in words',
  schedule: { timezone: 'Asia/Shanghai' },
  entry: { cron: '0 9 * * 1', timezone: 'Asia/Shanghai' },
  initial: 'waiting',
  states: {
    waiting: {
      transitions: [
        { to: 'rewarded', when: { atLeast: 2, of: ["count('order.completed') >= 3", { fact: "sum('order.completed', 'amount')", op: 'gte', value: 20 }, 'user.vip == true'] } },
        { to: 'lottery', at: '2026-12-01T09:00:00+08:00' },
      ],
    },
    lottery: { transitions: [{ split: [{ to: 'rewarded', weight: 30 }, { to: 'missed', weight: 70 }] }] },
    rewarded: {
      actions: {
        strategy: 'parallel',
        steps: [
          { type: 'points', amount: 5 },
          { strategy: 'priority', steps: [{ type: 'coupon', pool: 'gold-coupons', if: 'user.vip == true' }, { type: 'coupon', pool: 'silver-coupons' }] },
        ],
      },
      end: true,
    },
    missed: { end: true },
  },
};

const LONG_60 = 'waiting-for-the-customer-to-complete-their-very-first-order';
// The schema allows state names up to 100 characters; one with no place to break at all.
const LONG_100A = 'rewarded_with_a_loyalty_coupon_after_three_completed_orders_within_the_first_thirty_days_of_signing';
const LONG_100B = 'ExpiredWithoutAnyPurchaseAfterTheWholePromotionWindowClosedAndTheReminderMessagesWentUnansweredTooo';
const longNames = {
  key: 'long-state-names',
  name: 'Long state names',
  entry: { on: 'order.completed' },
  initial: LONG_60,
  states: {
    [LONG_60]: { transitions: [{ to: LONG_100A, on: 'order.completed', if: 'event.amount >= 20' }, { to: LONG_100B, after: 'P30D' }] },
    [LONG_100A]: { actions: { steps: [{ type: 'points', amount: 50 }] }, end: true },
    [LONG_100B]: { end: true },
  },
};

/** An end state with one action under the state's own `if`: the node says the `if` on a line of its own under the chip. */
const guardedOne = {
  key: 'one-guarded-action',
  name: 'One guarded action',
  entry: { on: 'order.completed' },
  initial: 'waiting',
  states: {
    waiting: { transitions: [{ to: 'rewarded', on: 'order.completed' }] },
    rewarded: { actions: { if: 'user.vip == true', steps: [{ type: 'points', amount: 50 }] }, end: true },
  },
};

/** 64 states: a binary tree six levels deep, each leaf an end state. */
const BIG_STATES = 63;
function bigCampaign() {
  const name = (i: number) => `step-${String(i).padStart(2, '0')}`;
  const states: Record<string, unknown> = {};
  for (let i = 0; i < BIG_STATES; i++) {
    const kids = [2 * i + 1, 2 * i + 2].filter((k) => k < BIG_STATES);
    states[name(i)] = kids.length === 0 ? { end: true } : { transitions: [{ to: name(kids[0]), on: 'order.completed', if: `event.amount >= ${i + 1}` }, { to: name(kids[1]), after: 'P3D' }] };
  }
  return { key: 'big-graph', name: 'Big graph', entry: { on: 'order.completed' }, initial: name(0), states };
}

// A pool top-up whose answer is lost on the way back: Kairos applied it, the browser saw the connection drop. The
// browser's interception loses the answer; the server, the pool and the form are real.
const TOP_UP_SHOTS = screenshotsDir('console-top-up');

// A pool key no other suite uses.
const TOP_UP_POOL = 'lost-answer-points';

let sut: SystemUnderTest;
let browser: Browser;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  browser = await launchConsoleBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sut?.stop();
});

/**
 * The console at `at` in `page`, signed in as an operator. A tab a test opened before (`signedIn`) has the key
 * already and loads the page afresh, as a new tab would: a new tab and signing it in cost two seconds and more on a
 * loaded machine, several times a test.
 */
async function openInTab(page: Page, at: string, signedIn: boolean): Promise<void> {
  if (!signedIn) return openSignedIn(page, sut.baseUrl, sut.keys.operator, at);
  await page.goto(`${sut.baseUrl}${at}`);
  await page.getByText('key role:').waitFor();
}

describe('the canvas draws a transition back to its own state, shows a focused state, and says a refused save (real Chromium)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const campaign of [looping, twice]) {
      const created = await sut.request('POST', '/v1/campaigns', { role: 'operator', body: campaign });
      if (created.status !== 201) throw new Error(`create ${campaign.key}: ${created.status} ${JSON.stringify(created.body)}`);
    }
  });

  const node = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);

  /** `tab`: a tab this test is done with (nothing unsaved in it, so leaving asks nothing), opened at `at` in place of a new one. */
  async function open(at: string, tab?: Page): Promise<Page> {
    const page = tab ?? (await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage());
    await openInTab(page, at, tab !== undefined);
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

    const canvas = await open(`/console/campaigns/${looping.key}/edit`, graph);
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

    const canvas = await open(`/console/campaigns/${twice.key}/edit`, graph);
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
    // One tab, the canvas first: nothing is edited there, so it leaves for the graph without asking.
    let tab: Page | undefined;
    for (const at of [`/console/campaigns/${looping.key}/edit`, `/console/campaigns/${looping.key}`]) {
      const page = await open(at, tab);
      tab = page;
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
    }
    await tab?.context().close();
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
    // Each state added is an undo step of its own, however fast the next came: one Undo takes the last away, not both.
    await page.getByTestId('canvas').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await node(page, 'q6').waitFor({ state: 'detached' });
    expect(await node(page, 'q5').count()).toBe(1);
    expect(await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).filter((id) => id?.startsWith('q')))).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
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

describe('campaign graph and canvas labels, long names, large graphs, nested groups (real Chromium)', () => {
  beforeAll(async () => {
    mkdirSync(LABEL_SHOTS, { recursive: true });
    // Saved, not activated: the graph draws the latest version, and nothing here needs journeys.
    for (const c of [labelled, longNames, guardedOne, bigCampaign()]) {
      const created = await sut.request('POST', '/v1/campaigns', { role: 'operator', body: c });
      if (created.status !== 201) throw new Error(`create ${c.key}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    // A second version of the long names, for the diff page.
    const v2 = { ...longNames, states: { ...longNames.states, [LONG_60]: { transitions: [longNames.states[LONG_60].transitions[0], { to: LONG_100B, after: 'P20D' }] } } };
    expect((await sut.request('PUT', `/v1/campaigns/${longNames.key}`, { role: 'operator', body: v2 })).status).toBe(200);
  });

  /** `tab`: a tab this test is done with (nothing unsaved in it), opened at `at` in place of a new one of the same viewport. */
  async function open(at: string, viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light', tab?: Page): Promise<Page> {
    const page = tab ?? (await (await browser.newContext({ viewport, colorScheme, locale: 'en-US' })).newPage());
    await openInTab(page, at, tab !== undefined);
    await page.locator('.react-flow__node').first().waitFor();
    return page;
  }

  /** The graph's zoom, read from React Flow's viewport transform. */
  const zoomOf = async (page: Page) =>
    Number(/scale\(([\d.]+)\)/.exec((await page.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1] ?? 'NaN');

  it('says edge labels in words on the campaign graph and on the canvas', async () => {
    const page = await open(`/console/campaigns/${labelled.key}`);
    await page.locator('.edge-label').first().waitFor();
    await page.screenshot({ path: path.join(LABEL_SHOTS, 'labels-campaign.png') });
    // The funnel's count follows each label: " · 0 taken".
    const labels = (await page.locator('.edge-label').allTextContents()).map((l) => l.replace(/ · \d+\*? taken$/, ''));
    expect(labels).toEqual(
      expect.arrayContaining([
        'every Monday at 09:00 (Asia/Shanghai)',
        "when at least 2 of (count('order.completed') >= 3; sum('order.completed', 'amount') >= 20; user.vip == true)",
        'at 1 Dec 2026, 09:00 (Asia/Shanghai)',
        '30% of users',
        '70% of users',
      ]),
    );

    const canvas = await open(`/console/campaigns/${labelled.key}/edit`, undefined, undefined, page);
    await canvas.locator('.react-flow__edge-text').first().waitFor();
    await canvas.screenshot({ path: path.join(LABEL_SHOTS, 'labels-canvas.png') });
    const drawn = await canvas.locator('.react-flow__edge-text').allTextContents();
    expect(drawn.join('\n')).not.toMatch(/[{}]/);
    expect(drawn).toEqual(expect.arrayContaining(['at 1 Dec 2026, 09:00 (Asia/Shanghai)', '30% of users', '70% of users']));
    expect(drawn.some((l) => l.startsWith('when at least 2 of ('))).toBe(true);
    await canvas.context().close();
  });

  it('shows a group inside a group as nested, with its strategy', async () => {
    const page = await open(`/console/campaigns/${labelled.key}`);
    const node = page.locator('.react-flow__node[data-id="rewarded"]');
    await node.screenshot({ path: path.join(LABEL_SHOTS, 'nested-groups.png') });
    const inner = node.getByRole('list', { name: /first that succeeds/ });
    await inner.waitFor();
    expect(await inner.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('coupon from gold-coupons if user.vip == true'), expect.stringContaining('coupon from silver-coupons')]);
    // The outer list holds the points and the inner group; the inner group's coupons are not the outer list's items.
    const outer = node.getByRole('list', { name: 'Actions, parallel: all at once' });
    expect(await outer.locator(':scope > li').count()).toBe(2);
    await expectContained(page, '.react-flow__node[data-id="rewarded"] .gnode');
    await page.context().close();
  });

  it("draws the strategy line under a single action with the state's `if` inside the node, clear of the chip", async () => {
    const page = await open(`/console/campaigns/${guardedOne.key}`);
    const node = page.locator('.react-flow__node[data-id="rewarded"]');
    const line = page.getByTestId('strategy-rewarded');
    await line.waitFor();
    await node.screenshot({ path: path.join(LABEL_SHOTS, 'one-guarded-action.png') });
    expect(await line.textContent()).toBe('serial: in order if user.vip == true');
    await expectContained(page, '.react-flow__node[data-id="rewarded"] .gnode');
    // All of it drawn: not cut at the side (ellipsed) nor at the bottom.
    await expectContained(page, '[data-testid="strategy-rewarded"]');
    // Inside the node's padding, below the chip, not over it.
    const at = (await page.evaluate(`(() => {
      const n = document.querySelector('.react-flow__node[data-id="rewarded"]');
      const box = n.querySelector('.gnode');
      const r = box.getBoundingClientRect();
      const style = getComputedStyle(box);
      const chip = n.querySelector('.chip').getBoundingClientRect();
      const strategy = n.querySelector('[data-testid="strategy-rewarded"]').getBoundingClientRect();
      const inner = r.bottom - parseFloat(style.borderBottomWidth) - parseFloat(style.paddingBottom);
      return { inner, chipBottom: chip.bottom, top: strategy.top, bottom: strategy.bottom, left: strategy.left, right: strategy.right, boxLeft: r.left, boxRight: r.right };
    })()`)) as Record<'inner' | 'chipBottom' | 'top' | 'bottom' | 'left' | 'right' | 'boxLeft' | 'boxRight', number>;
    expect(at.top).toBeGreaterThanOrEqual(at.chipBottom);
    expect(at.bottom).toBeLessThanOrEqual(at.inner);
    expect(at.left).toBeGreaterThanOrEqual(at.boxLeft);
    expect(at.right).toBeLessThanOrEqual(at.boxRight);
    await page.context().close();
  });

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
    it(`keeps long state names inside their boxes, the full name at hand, at ${width}px`, async () => {
      const page = await open(`/console/campaigns/${longNames.key}`, { width, height });
      await page.screenshot({ path: path.join(LABEL_SHOTS, `long-names-campaign-${width}.png`), fullPage: true });
      for (const name of [LONG_60, LONG_100A, LONG_100B]) {
        const head = page.locator(`.react-flow__node[data-id="${name}"] .gnode-name`);
        expect(await head.getAttribute('title')).toContain(name);
        // The node holds all it shows; the name, clamped, stays inside it.
        await expectContained(page, `.react-flow__node[data-id="${name}"] .gnode`);
        await expectInside(page, `.react-flow__node[data-id="${name}"] .gnode-name`, '.gnode', true);
      }
      // The intervals panel's pickers stay inside the panel, the chosen name in their title (From offers only states a path leaves).
      const from = page.getByLabel('Interval from state');
      await from.selectOption(LONG_60);
      expect(await from.getAttribute('title')).toBe(LONG_60);
      const to = page.getByLabel('Interval to state');
      await to.selectOption(LONG_100B);
      expect(await to.getAttribute('title')).toBe(LONG_100B);
      await expectInside(page, 'select[aria-label="Interval from state"]', '.side');
      await expectInside(page, 'select[aria-label="Interval to state"]', '.side');
      await expectInside(page, 'select[aria-label="Interval period"]', '.side');
      await expectNoSidewaysScroll(page);

      // The canvas: nodes and the state panel's heading.
      const canvas = await open(`/console/campaigns/${longNames.key}/edit`, { width, height });
      await canvas.locator(`.react-flow__node[data-id="${LONG_100B}"]`).click();
      const heading = canvas.getByRole('heading', { name: new RegExp(`State ${LONG_100B.slice(0, 20)}`) });
      await heading.waitFor();
      await canvas.screenshot({ path: path.join(LABEL_SHOTS, `long-names-canvas-${width}.png`), fullPage: true });
      await expectInside(canvas, '.side h2', '.side .panel');
      await expectContained(canvas, '.side h2');
      for (const name of [LONG_60, LONG_100A, LONG_100B]) {
        expect(await canvas.locator(`.react-flow__node[data-id="${name}"] .gnode-name`).getAttribute('title')).toBe(name);
        await expectInside(canvas, `.react-flow__node[data-id="${name}"] .gnode-name`, '.gnode', true);
      }
      // Tags ("initial", "end") keep their one line beside a long name.
      for (const h of await canvas.locator('.gnode-tag').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) expect(h).toBeLessThan(24);
      await expectNoSidewaysScroll(canvas);

      // The diff page's nodes: one line each, the whole name in the title.
      // In the canvas's tab (a state selected there, nothing edited).
      const diff = await open(`/console/campaigns/${longNames.key}/diff?from=1&to=2`, { width, height }, 'light', canvas);
      for (const name of [LONG_60, LONG_100A, LONG_100B]) {
        expect(await diff.locator(`.react-flow__node[data-id="${name}"] .diff-node-name`).getAttribute('title')).toBe(name);
        await expectInside(diff, `.react-flow__node[data-id="${name}"] .diff-node-name`, '.diff-node', true);
      }
      await diff.context().close();
      await expectAccessible(page);
      await page.context().close();
    });
  }

  it('fits a large graph no smaller than readable, starting at the entry', async () => {
    const page = await open(`/console/campaigns/big-graph`);
    await page.locator('.edge-label').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(LABEL_SHOTS, 'big-graph-campaign.png') });
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.7);
    // The entry is on screen: the operator starts where journeys start and pans from there.
    await expectOnScreen(page, '.react-flow__node[data-id="(entry)"]');
    // The fit button keeps the same floor. Zoomed out with the zoom-out button: the mouse wheel's smooth
    // steps could still arrive after the fit on a busy machine and zoom out again.
    const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
    for (let i = 0; i < 10 && (await zoomOf(page)) >= 0.7; i++) {
      await zoomOut.click();
      await page.waitForTimeout(200);
    }
    expect(await zoomOf(page)).toBeLessThan(0.7);
    await page.getByRole('button', { name: 'Fit View' }).click();
    for (let i = 0; i < 100 && (await zoomOf(page)) < 0.7; i++) await page.waitForTimeout(100);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.7);
    await page.context().close();
  });

  it('places a state added on the canvas beside the selected state, in view, overlapping none', async () => {
    const page = await open(`/console/campaigns/big-graph/edit`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(LABEL_SHOTS, 'big-graph-canvas.png') });
    const add = async (name: string) => {
      await page.getByLabel('New state name').fill(name);
      await page.getByRole('button', { name: 'Add state' }).click();
      await page.locator(`.react-flow__node[data-id="${name}"]`).waitFor();
      await page.waitForTimeout(200);
    };
    await page.locator('.react-flow__node[data-id="step-00"]').click();
    await add('new-one');
    await add('new-two');
    await add('new-three');
    await page.screenshot({ path: path.join(LABEL_SHOTS, 'big-graph-canvas-added.png') });
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { id: e.getAttribute('data-id') ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    const byId = new Map(boxes.map((b) => [b.id, b]));
    const overlaps = (a: (typeof boxes)[number], b: (typeof boxes)[number]) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (const name of ['new-one', 'new-two', 'new-three']) {
      const mine = byId.get(name)!;
      expect(boxes.filter((b) => b.id !== name && overlaps(mine, b)).map((b) => b.id)).toEqual([]);
      await expectOnScreen(page, `.react-flow__node[data-id="${name}"]`);
    }
    // Not one row far off to the side: each within two node widths of the state selected when it was added.
    const selected = byId.get('step-00')!;
    for (const name of ['new-one', 'new-two', 'new-three']) {
      const mine = byId.get(name)!;
      expect(Math.hypot(mine.x - selected.x, mine.y - selected.y)).toBeLessThan(3 * selected.w);
    }
    await page.context().close();
  });
});

describe('the console’s top-up form when an answer is lost', () => {
  beforeAll(async () => {
    mkdirSync(TOP_UP_SHOTS, { recursive: true });
    const created = await sut.request('POST', '/v1/pools', { role: 'operator', body: { key: TOP_UP_POOL, kind: 'points', budget: 1000 } });
    expect(created.status).toBe(201);
  });

  const pool = async () => {
    const read = await sut.request('GET', `/v1/pools/${TOP_UP_POOL}`, { role: 'operator' });
    expect(read.status).toBe(200);
    return read.body as { budget: number; topUps: { total: number; latest: Array<{ id: string; budgetAdded: number | null }> } };
  };

  it('applied, its answer lost, then edited and sent again: says the earlier one was applied (409 top_up_id_reused), adds nothing more, and the next Add is a top-up of its own', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept()); // what the top-up adds, asked first
    const sent: Array<{ id: string; budget: number }> = [];
    page.on('request', (r: Request) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === `/v1/pools/${TOP_UP_POOL}/top-up`) sent.push(r.postDataJSON() as { id: string; budget: number });
    });
    // The first top-up reaches Kairos, which applies it; its answer never reaches the page (the connection is reset).
    const isTopUp = (url: URL) => url.pathname === `/v1/pools/${TOP_UP_POOL}/top-up`;
    const lost: number[] = [];
    await page.route(isTopUp, async (route: Route) => {
      if (lost.length > 0) return route.continue();
      lost.push((await route.fetch()).status());
      await route.abort('connectionreset');
    });

    await openSignedIn(page, sut.baseUrl, sut.keys.operator, '/console/pools');
    await page.getByRole('button', { name: `Top up ${TOP_UP_POOL}` }).click();
    const form = page.getByRole('form', { name: `Top up ${TOP_UP_POOL}` });
    await form.getByLabel('Add to budget').fill('100');
    await form.getByRole('button', { name: 'Add' }).click();
    // The page heard nothing back: it says so, and the form stays open with its id.
    await expectFirstText(page, form.getByRole('alert'), /^Kairos did not answer/);
    expect({ lost, budget: (await pool()).budget }).toEqual({ lost: [200], budget: 1100 });

    // The operator changes the amount and adds again: the same id with other fields is refused (409), which means the
    // first one was applied. The form says so, with what it added and the budget now, and adds nothing.
    await form.getByLabel('Add to budget').fill('250');
    await form.getByRole('button', { name: 'Add' }).click();
    await expectFirstText(
      page,
      form.getByTestId('top-up-earlier'),
      'Your earlier top-up with this form was applied: it added 100 points of budget (budget now 1,100); its answer had not come back. What the fields say now was not added: check them, and Add adds them as a new top-up.',
    );
    expect(await form.getByRole('alert').count()).toBe(0);
    expect(sent.map((s) => s.budget)).toEqual([100, 250]);
    expect(sent[1].id).toBe(sent[0].id);
    const afterRetry = await pool();
    expect({ budget: afterRetry.budget, topUps: afterRetry.topUps.total, added: afterRetry.topUps.latest.map((t) => [t.id, t.budgetAdded]) }).toEqual({
      budget: 1100,
      topUps: 1,
      added: [[sent[0].id, 100]],
    });
    // The pools table was read again: it shows the budget the lost top-up made.
    await expectFirstText(page, page.getByTestId(`pool-${TOP_UP_POOL}`), /left of 1,100 points/);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(TOP_UP_SHOTS, 'top-up-earlier-applied.png'), fullPage: true });

    // Add again, the fields as they are: a top-up under a new id, applied once.
    await form.getByRole('button', { name: 'Add' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByText(`Topped up ${TOP_UP_POOL}.`).waitFor();
    expect(sent.map((s) => s.budget)).toEqual([100, 250, 250]);
    expect(sent[2].id).not.toBe(sent[0].id);
    const afterNew = await pool();
    expect({ budget: afterNew.budget, topUps: afterNew.topUps.total }).toEqual({ budget: 1350, topUps: 2 });
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
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

/** The element's content does not overflow it (no clipped text that scrolls). */
async function expectContained(page: Page, selector: string): Promise<void> {
  const sizes = await page.locator(selector).evaluateAll((els) => els.map((e) => ({ sw: e.scrollWidth, cw: e.clientWidth, sh: e.scrollHeight, ch: e.clientHeight })));
  expect(sizes.length).toBeGreaterThan(0);
  for (const s of sizes) {
    expect(s.sw).toBeLessThanOrEqual(s.cw + 1);
    expect(s.sh).toBeLessThanOrEqual(s.ch + 1);
  }
}

/** The element's box lies inside its nearest ancestor matching `outer` (sideways only, or on all sides). */
async function expectInside(page: Page, selector: string, outer: string, allSides = false): Promise<void> {
  const b = await page.locator(selector).first().evaluate((e, o) => {
    const r = e.getBoundingClientRect();
    const p = e.closest(o)!.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, pleft: p.left, pright: p.right, ptop: p.top, pbottom: p.bottom };
  }, outer);
  expect(b.left).toBeGreaterThanOrEqual(b.pleft - 1);
  expect(b.right).toBeLessThanOrEqual(b.pright + 1);
  if (allSides) {
    expect(b.top).toBeGreaterThanOrEqual(b.ptop - 1);
    expect(b.bottom).toBeLessThanOrEqual(b.pbottom + 1);
  }
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scroll, client } = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
  expect(scroll).toBeLessThanOrEqual(client);
}

async function expectOnScreen(page: Page, selector: string): Promise<void> {
  const graph = await page.locator('.react-flow').first().boundingBox();
  const box = await page.locator(selector).boundingBox();
  expect(graph && box).toBeTruthy();
  expect(box!.x).toBeGreaterThanOrEqual(graph!.x - 1);
  expect(box!.y).toBeGreaterThanOrEqual(graph!.y - 1);
  expect(box!.x + box!.width).toBeLessThanOrEqual(graph!.x + graph!.width + 1);
  expect(box!.y + box!.height).toBeLessThanOrEqual(graph!.y + graph!.height + 1);
}

/** Waits for the first element `locator` finds to say `expected` (answers arrive when they do). */
async function expectFirstText(page: Page, locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  let last = '';
  for (let i = 0; i < 100; i++) {
    last = (await locator.first().textContent())?.trim().replace(/\s+/g, ' ') ?? '';
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await page.waitForTimeout(200);
  }
  if (typeof expected === 'string') expect(last).toBe(expected);
  else expect(last).toMatch(expected);
}
