/**
 * npm run histories:capture: writes the histories the replay gate replays
 * (test/histories/journey-*.json) from journeys run on a real server. A tool,
 * not a test: the committed histories are the record of what running
 * workflows did, so they change only when someone means to (see
 * test/histories/README.md). It starts its own Temporal dev server (or uses
 * KAIROS_TEST_TEMPORAL_ADDRESS) and a scratch database on the local
 * PostgreSQL (KAIROS_TEST_DATABASE_ADMIN_URL), and stops both when done,
 * failed or interrupted.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '../../src/provisioning/cli-binary';
import { startDevServer } from '../../src/provisioning/dev-server';
import type { JourneyEvent } from '../../src/domain/event';
import { PoolsRepository } from '../../src/store/repositories/pools.repository';
import { cancelEventSignal, exitSignal } from '../../src/workflows/journey/contract';
import { JourneyGateway } from '../../src/temporal/journey-gateway';
import { PROOF_WORKFLOW_BUNDLE } from '../../bench/support/journey-bundle';
import { onRunEnd, runBench } from '../../bench/support/run-lifetime';
import { freePort } from '../support/free-port';
import { startJourneyHarness } from '../support/journey-harness';

const run = promisify(execFile);
/** test/histories in the sources: this runs compiled, from dist/test/replay. */
const HISTORIES = path.resolve(__dirname, '..', '..', '..', 'test', 'histories');

const scenario = {
  key: 'replay-spend',
  name: 'replay: collect, nudge, reward, cancel',
  entry: { on: 'order.completed' },
  initial: 'collecting',
  states: {
    collecting: {
      transitions: [
        { to: 'rewarded', when: "sum('order.completed', 'amount') >= 20" },
        { to: 'nudged', after: 'PT1S' },
      ],
    },
    nudged: {
      actions: { steps: [{ type: 'message', channel: 'push', template: 'almost-there' }] },
      transitions: [{ to: 'rewarded', when: "sum('order.completed', 'amount') >= 20" }, { to: 'expired', after: 'PT20S' }],
    },
    rewarded: {
      actions: { strategy: 'priority', steps: [{ type: 'coupon', pool: 'replay-vip', if: 'event.vip == true' }, { type: 'points', amount: "sum('order.completed', 'amount') * 10" }] },
      transitions: [{ to: 'done', after: 'PT2S' }],
    },
    done: { end: true },
    expired: { end: true },
  },
};

/** Minutes of a Date as HH:MM in UTC, for quiet hours around now. */
const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/** A webhook that fails, then retries; a message waiting out quiet hours (patch cancel-stops-effects). */
function stoppableScenario(hookUrl: string) {
  const now = Date.now();
  return {
    key: 'replay-stop',
    name: 'replay: exit while a webhook retries, cancel while a message waits',
    schedule: { timezone: 'UTC', quietHours: { from: hhmm(new Date(now - 3_600_000)), to: hhmm(new Date(now + 3_600_000)) } },
    entry: { on: 'order.completed' },
    exitOn: [{ on: 'user.unsubscribed' }],
    initial: 'start',
    states: {
      start: { transitions: [{ to: 'hooked', when: 'event.hook == true' }, { to: 'thanked', when: 'event.hook == false' }] },
      hooked: { actions: { steps: [{ id: 'notify', type: 'webhook', url: hookUrl, body: { hello: 'crm' } }] }, transitions: [{ to: 'done', after: 'PT1H' }] },
      thanked: { actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'thanks' }] }, transitions: [{ to: 'done', after: 'PT1H' }] },
      done: { end: true },
    },
  };
}

/** A returning user's campaign: the path ends at once, and the journey waits idle for the next entry. */
const returningScenario = {
  key: 'replay-return',
  name: 'replay: idle between entries, then archived',
  entry: { on: 'visit' },
  participation: { maxEntries: 3 },
  initial: 'start',
  states: { start: { transitions: [{ to: 'done' }] }, done: { end: true } },
};

/** A reward held for an operator (an amount the ledger refuses), whose causing event is then cancelled (patch cancel-releases-held-rewards). */
const heldRewardScenario = {
  key: 'replay-held',
  name: 'replay: a held reward, its event cancelled',
  entry: { on: 'order.completed' },
  initial: 'rewarded',
  states: {
    rewarded: { actions: { steps: [{ id: 'points', type: 'points', amount: 'event.amount' }, { id: 'thanks', type: 'message', channel: 'push', template: 'thanks' }] }, end: true },
  },
};

/** A burst: events that arrive while the first state's reward runs, each moving the path one state on (patch held-events-and-split-arms). */
const burstScenario = {
  key: 'replay-burst',
  name: 'replay: a burst of events while a reward runs',
  entry: { on: 'order.completed' },
  initial: 'a',
  states: {
    a: { actions: { steps: [{ id: 'points', type: 'points', amount: 5 }] }, transitions: [{ to: 'b', on: 'step', if: 'event.seq == 1' }] },
    b: { transitions: [{ to: 'c', on: 'step', if: 'event.seq == 2' }] },
    c: { transitions: [{ to: 'done', on: 'step', if: 'event.seq == 3' }] },
    done: { end: true },
  },
};

/** A returning user meets a split on every entry (patch held-events-and-split-arms: the same arm each time). */
const splitScenario = {
  key: 'replay-split',
  name: 'replay: a split on every entry',
  entry: { on: 'visit' },
  participation: { maxEntries: 6 },
  initial: 'pick',
  states: { pick: { transitions: [{ split: [{ to: 'x', weight: 1 }, { to: 'y', weight: 1 }] }] }, x: { end: true }, y: { end: true } },
};

/** A returning user who still holds the coupon: the second entry's step answers alreadyHolding, then that entry's event is cancelled (patch already-holding-is-no-reward). */
const keepScenario = {
  key: 'replay-keep',
  name: 'replay: a coupon kept, its second entry cancelled',
  entry: { on: 'order.completed' },
  participation: { maxEntries: 3 },
  initial: 'gift',
  states: { gift: { actions: { steps: [{ id: 'keep', type: 'coupon', pool: 'replay-keep', unlessHolding: true }] }, end: true } },
};

/** Points computed by an expression that floating point gets almost right: 0.1 * 3 is 0.30000000000000004. */
const noiseScenario = {
  key: 'replay-noise',
  name: 'replay: points from an expression with floating-point noise',
  entry: { on: 'order.completed' },
  initial: 'gift',
  states: { gift: { actions: { steps: [{ id: 'thrice', type: 'points', amount: 'event.amount * 3' }] }, end: true } },
};

/** Entries end in a few seconds: an event received inside the window reaches the journey after it (patch entry-window-by-receipt). */
const windowScenario = (endsAt: Date) => ({
  key: 'replay-window',
  name: 'replay: an entry received in the window, delivered after it',
  schedule: { endsAt: endsAt.toISOString() },
  entry: { on: 'order.completed' },
  initial: 'gift',
  states: { gift: { actions: { steps: [{ id: 'late', type: 'points', amount: 5 }] }, end: true } },
});

/** Idle between entries until its schedule ends (patch schedule-end-held-apart); `user.unsubscribed` reaches it while idle. */
const idleEndScenario = (endsAt: Date | null) => ({
  key: endsAt ? 'replay-idle-end' : 'replay-told-end',
  name: endsAt ? 'replay: idle until the schedule ends' : 'replay: idle, told the end a newer version set',
  ...(endsAt ? { schedule: { endsAt: endsAt.toISOString() } } : {}),
  entry: { on: 'visit' },
  participation: { maxEntries: 3 },
  exitOn: [{ on: 'user.unsubscribed' }],
  initial: 'start',
  states: { start: { transitions: [{ to: 'done' }] }, done: { end: true } },
});

/** Whether the journey ends within `ms` (journeys from before archive-ends-journeys stay idle). */
/** Points on each entry, then an hour's wait (patch kept-entries-checked: entries that reach the journey once it ended). */
const keptScenario = {
  key: 'replay-kept',
  name: 'replay: entries that reach an ended journey still reclaiming',
  entry: { on: 'order.completed' },
  participation: { maxEntries: 3 },
  initial: 'rewarded',
  states: { rewarded: { actions: { steps: [{ id: 'pts', type: 'points', amount: 5 }] }, transitions: [{ to: 'done', after: 'PT1H' }] }, done: { end: true } },
};

/** A webhook step in an end state: refused (400), it holds the step for an operator (an update retries it). */
const retriedScenario = (hookUrl: string) => ({
  key: 'replay-retry',
  name: 'replay: a held webhook, retried',
  entry: { on: 'account.verified' },
  initial: 'calling',
  states: { calling: { actions: { steps: [{ id: 'notify-crm', type: 'webhook', url: hookUrl }] }, end: true } },
});

/** A cron campaign: its journeys are entered by the batch's scheduledEntry signal. */
const tickedScenario = {
  key: 'replay-cron',
  name: 'replay: a scheduled entry',
  entry: { cron: '0 9 * * *' },
  initial: 'greeted',
  states: { greeted: { actions: { steps: [{ id: 'pts', type: 'points', amount: 3 }] }, end: true } },
};

/** A weekly Paris tick with a week of cooldown (patch scheduled-cooldown-local-days: the week across the spring change is 167 hours). */
const weeklyScenario = {
  key: 'replay-weekly',
  name: 'replay: a weekly tick across the spring clock change',
  entry: { cron: '0 9 * * 0', timezone: 'Europe/Paris' },
  participation: { maxEntries: 3, cooldown: 'P7D' },
  initial: 'greeted',
  states: { greeted: { actions: { steps: [{ id: 'pts', type: 'points', amount: 2 }] }, end: true } },
};

/** Each entry its own path for an hour (patch bounded-journey-state: at most 100 at once). */
const crowdScenario = {
  key: 'replay-crowd',
  name: 'replay: more parallel paths than a journey runs',
  entry: { on: 'visit' },
  participation: { maxEntries: 1000, mode: 'parallel' },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'done', after: 'PT1H' }] }, done: { end: true } },
};

/** Three parallel paths in 90-character states: JourneyState past 255 characters (patch journey-state-fits). */
const wideScenario = {
  key: 'replay-wide',
  name: 'replay: states too many to show',
  entry: { on: 'visit' },
  participation: { mode: 'parallel', maxActive: 3, maxEntries: 3 },
  initial: 'start',
  states: {
    start: {
      transitions: [
        { to: 'a'.repeat(90), when: 'journey.entries == 1' },
        { to: 'b'.repeat(90), when: 'journey.entries == 2' },
        { to: 'c'.repeat(90), when: 'journey.entries == 3' },
      ],
    },
    ['a'.repeat(90)]: { transitions: [{ to: 'done', after: 'PT1H' }] },
    ['b'.repeat(90)]: { transitions: [{ to: 'done', after: 'PT1H' }] },
    ['c'.repeat(90)]: { transitions: [{ to: 'done', after: 'PT1H' }] },
    done: { end: true },
  },
};

/** Orders that add up to 20.00 in decimals, whose doubles sum to 19.999999999999996 (patch decimal-readings). */
const decimalScenario = {
  key: 'replay-decimal',
  name: 'replay: spend exactly 20',
  entry: { on: 'visit' },
  initial: 'collecting',
  states: {
    collecting: { transitions: [{ to: 'done', when: "sum('order.completed', 'amount') >= 20" }] },
    done: { end: true },
  },
};

/** A checkout held while the entry's reward runs, the cart adds after it (patch held-events-in-order). */
const heldOrderScenario = {
  key: 'replay-held-order',
  name: 'replay: a checkout before its cart adds, while a reward runs',
  entry: { on: 'signup' },
  initial: 'start',
  states: {
    start: { actions: { steps: [{ id: 'welcome', type: 'points', amount: 5 }] }, transitions: [{ to: 'rewarded', on: 'checkout', if: "count('cart.add') >= 3" }] },
    rewarded: { actions: { steps: [{ id: 'bonus', type: 'points', amount: 100 }] }, end: true },
  },
};

/** A tally when a timer fires: a branch on the orders' sum gives the points, and an order is then refunded (patch aggregate-branch-causes). */
const tallyScenario = {
  key: 'replay-tally',
  name: 'replay: a month-end tally, an order of it refunded',
  entry: { on: 'signup' },
  initial: 'collecting',
  states: {
    collecting: { transitions: [{ to: 'tally', after: 'PT2S' }] },
    tally: { transitions: [{ to: 'gold', if: "sum('order.completed', 'amount') >= 100" }, { to: 'done' }] },
    gold: { actions: { steps: [{ id: 'gold-points', type: 'points', amount: 500 }] }, transitions: [{ to: 'done', after: 'PT1H' }] },
    done: { end: true },
  },
};

/** A checkout, then 20 page views that only count, all while the entry's reward runs (patch held-bound-keeps-awaited). */
const heldBoundScenario = {
  key: 'replay-held-bound',
  name: 'replay: a checkout, then 20 page views, while a reward runs',
  entry: { on: 'signup' },
  initial: 'start',
  states: {
    start: {
      actions: { steps: [{ id: 'welcome', type: 'points', amount: 5 }] },
      transitions: [{ to: 'bought', on: 'checkout' }, { to: 'browsing', when: "count('page.view') >= 50" }],
    },
    bought: { actions: { steps: [{ id: 'bonus', type: 'points', amount: 100 }] }, end: true },
    browsing: { end: true },
  },
};

/** Two orders counted by a filter on their own `user` override, then a plain event, all while the entry's reward runs (patch held-shares-kept). */
const heldSharesScenario = {
  key: 'replay-held-shares',
  name: 'replay: two vip orders, then a plain event, while a reward runs',
  entry: { on: 'signup' },
  initial: 'start',
  states: {
    start: { actions: { steps: [{ id: 'welcome', type: 'points', amount: 5 }] }, transitions: [{ to: 'vip', when: "count('order.completed', user.vip == true) >= 2" }] },
    vip: { actions: { steps: [{ id: 'bonus', type: 'points', amount: 100 }] }, end: true },
  },
};

async function endsWithin(handle: { result(): Promise<unknown> }, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([handle.result().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  clearTimeout(timer);
  return ended;
}

async function main(): Promise<void> {
  const cli = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: (l) => console.log(l) });
  let address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS;
  if (!address) {
    const server = await startDevServer({ binary: cli, port: await freePort(), uiPort: 0, ui: false, namespace: 'default' });
    onRunEnd('Temporal dev server', server.stop);
    address = server.address;
    process.env.KAIROS_TEST_TEMPORAL_ADDRESS = address;
  }
  // The bundle `npm run histories:capture` has just built from the sources, never a stale dist/workflow-bundle.js.
  // A webhook receiver that answers 503 until told otherwise.
  let hookCalls = 0;
  let hookStatus = 503;
  const receiver = createServer((req, res) => {
    hookCalls++;
    req.resume();
    req.on('end', () => res.writeHead(hookStatus).end());
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  onRunEnd('webhook receiver', () => new Promise<void>((r) => receiver.close(() => r())));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const h = await startJourneyHarness({ workflowBundlePath: PROOF_WORKFLOW_BUNDLE, activityDeps: { webhookAllowedHosts: [{ host: '127.0.0.1' }] } });
  onRunEnd('worker and scratch database', h.stop);
  /** Support exits the journey; returns once it has ended. */
  const exitJourney = async (key: string, user: string) => {
    await h.handle(key, user).signal(exitSignal, { version: 1, reason: 'support request' });
    await h.handle(key, user).result();
  };
  /** Support cancels `eventId` as a refund; returns once the journey has taken the cancel. */
  const cancelSeen = async (key: string, user: string, eventId: string) => {
    await h.handle(key, user).signal(cancelEventSignal, { version: 1, eventId, reason: 'refund' });
    await h.waitForView(key, user, (v) => v.trace.some((t) => t.input.includes(eventId) && t.input.startsWith('cancel')));
  };
  /** One batched `events` signal that starts `user`'s journey with `events` (the outbox's batching). */
  const startWithBatch = (campaign: { key: string; version: number }, user: string, events: Array<Omit<JourneyEvent, 'version' | 'userId' | 'occurredAt'>>) => {
    const occurredAt = new Date().toISOString();
    return new JourneyGateway(h.client, h.taskQueue).deliverEvents({
      kind: 'start',
      workflowId: `journey:${campaign.key}:${user}`,
      campaignKey: campaign.key,
      campaignVersion: campaign.version,
      userId: user,
      events: events.map((e) => ({ version: 1 as const, userId: user, occurredAt, ...e })),
    });
  };
  await new PoolsRepository(h.db.dataSource).create({ key: 'replay-vip', kind: 'coupon', codes: ['VIP-A', 'VIP-B'] });

  const c = { key: scenario.key, version: await h.seedCampaign(scenario) };
  // Entry, a timer to `nudged` with a message, more events to `rewarded`, a cancel during the reward wait.
  console.log('ann: entry, nudge, reward, cancel');
  await h.send(c, { id: 'h1', type: 'order.completed', userId: 'ann', properties: { amount: 5 } });
  await h.waitForView(scenario.key, 'ann', (v) => v.states[0] === 'nudged');
  await h.send(c, { id: 'h2', type: 'order.completed', userId: 'ann', properties: { amount: 25 } }, 'signal');
  await h.waitForView(scenario.key, 'ann', (v) => v.rewards.some((r) => r.status === 'issued'));
  await h.handle(scenario.key, 'ann').signal(cancelEventSignal, { version: 1, eventId: 'h2', reason: 'refund' });
  await h.handle(scenario.key, 'ann').result();
  // Straight to the reward on the first event.
  console.log('bob: reward on the first event');
  await h.send(c, { id: 'h3', type: 'order.completed', userId: 'bob', properties: { amount: 30, vip: true } });
  await h.handle(scenario.key, 'bob').result();
  // Two events in one batched `events` signal that starts the journey (the outbox's batching).
  console.log('cy: a batch of two events starts the journey and rewards it');
  await startWithBatch(c, 'cy', [
    { id: 'h4', type: 'order.completed', properties: { amount: 12 } },
    { id: 'h5', type: 'order.completed', properties: { amount: 9 } },
  ]);
  await h.handle(scenario.key, 'cy').result();

  const stop = { key: 'replay-stop', version: await h.seedCampaign(stoppableScenario(hookUrl)) };
  // The user leaves while the webhook retries; the receiver recovers afterwards (journeys from before the patch retry until it does).
  console.log('dee: exit while a webhook retries');
  await h.send(stop, { id: 'h6', type: 'order.completed', userId: 'dee', properties: { hook: true } });
  while (hookCalls < 2) await new Promise((r) => setTimeout(r, 200));
  await h.send(stop, { id: 'h7', type: 'user.unsubscribed', userId: 'dee' }, 'signal');
  hookStatus = 204;
  await h.handle(stop.key, 'dee').result();
  // The order is refunded while its thank-you waits out quiet hours; then an operator exits the journey.
  console.log('eve: cancel while a message waits out quiet hours, then exit');
  await h.send(stop, { id: 'h8', type: 'order.completed', userId: 'eve', properties: { hook: false } });
  await h.waitForView(stop.key, 'eve', (v) => v.paths[0]?.state === 'thanked');
  await cancelSeen(stop.key, 'eve', 'h8');
  await exitJourney(stop.key, 'eve');

  const back = { key: returningScenario.key, version: await h.seedCampaign(returningScenario) };
  // The campaign is archived while the journey waits idle: the signal by name, which code from
  // before it drops as unknown; there the journey stays idle, and an exit ends it.
  console.log('fay: told the campaign was archived while idle');
  await h.send(back, { id: 'h9', type: 'visit', userId: 'fay' });
  await h.waitForView(back.key, 'fay', (v) => v.status === 'idle');
  await h.handle(back.key, 'fay').signal('campaignArchived', { version: 1 });
  if (!(await endsWithin(h.handle(back.key, 'fay'), 3_000))) {
    // Entered again (the signal did not end it), so that code which ended it on replay parts from this history.
    await h.send(back, { id: 'h11', type: 'visit', userId: 'fay' }, 'start');
    await h.waitForView(back.key, 'fay', (v) => v.entries === 2 && v.status === 'idle');
    await exitJourney(back.key, 'fay');
  }
  // A journey that starts once its campaign is archived (a delivery sent late): its start lookup says so.
  console.log('gus: starts after the archive');
  await h.db.dataSource.query(`update campaigns set status = 'archived' where key = $1`, [back.key]);
  await h.send(back, { id: 'h10', type: 'visit', userId: 'gus' });
  if (!(await endsWithin(h.handle(back.key, 'gus'), 3_000))) {
    await exitJourney(back.key, 'gus');
  }

  const held = { key: heldRewardScenario.key, version: await h.seedCampaign(heldRewardScenario) };
  // The ledger refuses the amount, so the points step is held; the order is then refunded. Journeys from
  // before the patch keep the step held, and an exit ends them.
  console.log('hal: a held reward, its event cancelled');
  await h.send(held, { id: 'h12', type: 'order.completed', userId: 'hal', properties: { amount: 1e300 } });
  await h.waitForView(held.key, 'hal', (v) => v.held.length === 1);
  await h.handle(held.key, 'hal').signal(cancelEventSignal, { version: 1, eventId: 'h12', reason: 'refund' });
  if (!(await endsWithin(h.handle(held.key, 'hal'), 3_000))) {
    await exitJourney(held.key, 'hal');
  }

  const burst = { key: burstScenario.key, version: await h.seedCampaign(burstScenario) };
  // One batched signal starts the journey with the entry and three steps: the steps arrive while the reward runs.
  // Journeys from before the patch take the first step only, and an exit ends them.
  console.log('ivy: a burst of events while a reward runs');
  await startWithBatch(burst, 'ivy', [{ id: 'h13', type: 'order.completed', properties: {} }, ...[1, 2, 3].map((seq) => ({ id: `h13-${seq}`, type: 'step', properties: { seq } }))]);
  if (!(await endsWithin(h.handle(burst.key, 'ivy'), 5_000))) {
    await exitJourney(burst.key, 'ivy');
  }

  const split = { key: splitScenario.key, version: await h.seedCampaign(splitScenario) };
  // Five entries, each through the split; then an exit ends the idle journey.
  console.log('jay: a split on every entry');
  await h.send(split, { id: 'h14-1', type: 'visit', userId: 'jay' });
  await h.waitForView(split.key, 'jay', (v) => v.status === 'idle');
  for (let n = 2; n <= 5; n++) {
    await h.send(split, { id: `h14-${n}`, type: 'visit', userId: 'jay' }, 'start');
    await h.waitForView(split.key, 'jay', (v) => v.entries === n && v.status === 'idle');
  }
  await exitJourney(split.key, 'jay');

  await new PoolsRepository(h.db.dataSource).create({ key: 'replay-keep', kind: 'coupon', codes: ['KEEP-A', 'KEEP-B'] });
  const keep = { key: keepScenario.key, version: await h.seedCampaign(keepScenario) };
  // The first entry issues KEEP-A; the second keeps it (alreadyHolding), and its event is cancelled: there is no
  // reward of that entry's own to reclaim. Then an exit ends the idle journey.
  console.log('kit: a coupon kept on the second entry, whose event is cancelled');
  await h.send(keep, { id: 'h15-1', type: 'order.completed', userId: 'kit' });
  await h.waitForView(keep.key, 'kit', (v) => v.status === 'idle');
  await h.send(keep, { id: 'h15-2', type: 'order.completed', userId: 'kit' }, 'start');
  await h.waitForView(keep.key, 'kit', (v) => v.entries === 2 && v.status === 'idle');
  await cancelSeen(keep.key, 'kit', 'h15-2');
  await exitJourney(keep.key, 'kit');

  const noise = { key: noiseScenario.key, version: await h.seedCampaign(noiseScenario) };
  // One entry (the only one the campaign allows) whose points come from 0.1 * 3; the journey ends with it.
  console.log('lou: points from an expression with floating-point noise');
  await h.send(noise, { id: 'h16-1', type: 'order.completed', userId: 'lou', properties: { amount: 0.1 } });
  await h.handle(noise.key, 'lou').result();

  const windowEnds = new Date(Date.now() + 3_000);
  const late = { key: 'replay-window', version: await h.seedCampaign(windowScenario(windowEnds)) };
  // Accepted while the campaign took entries (Temporal away, say), delivered once its window had closed.
  console.log('mia: an entry received in the window, delivered after it');
  const receivedAt = new Date().toISOString();
  await new Promise((r) => setTimeout(r, windowEnds.getTime() - Date.now() + 500));
  await h.send(late, { id: 'h17-1', type: 'order.completed', userId: 'mia', ...({ receivedAt } as object) });
  // Before entry-window-by-receipt it is refused, and the idle journey is exited; after it, it enters and ends.
  if (!(await endsWithin(h.handle(late.key, 'mia'), 5_000))) await exitJourney(late.key, 'mia');

  const kept = { key: keptScenario.key, version: await h.seedCampaign(keptScenario) };
  /**
   * `user` enters with `firstId`; its order is refunded while the ledger's lock on its reward is held elsewhere
   * (the reclaim waits) and support ends the journey, so the run stays open until the reclaim settles. `meanwhile`
   * runs then, before the lock is let go. Returns the first run's id.
   */
  const endWhileReclaiming = async (user: string, firstId: string, meanwhile: () => Promise<void>): Promise<string> => {
    await h.send(kept, { id: firstId, type: 'order.completed', userId: user });
    const runId = (await h.handle(kept.key, user).describe()).runId;
    await h.waitForView(kept.key, user, (v) => v.rewards.some((r) => r.status === 'issued'));
    const [{ key }] = (await h.db.dataSource.query(`select idempotency_key as key from rewards where user_id = $1`, [user])) as Array<{ key: string }>;
    const locker = h.db.dataSource.createQueryRunner();
    await locker.connect();
    await locker.query(`select pg_advisory_lock(hashtextextended('kairos.reward:' || $1, 0))`, [key]);
    try {
      await cancelSeen(kept.key, user, firstId);
      await h.handle(kept.key, user).signal(exitSignal, { version: 1, reason: 'support request' });
      await h.waitForView(kept.key, user, (v) => v.status === 'ended');
      await meanwhile();
      // A query is answered once the run has taken in every signal before it.
      await h.view(kept.key, user);
    } finally {
      await locker.query('select pg_advisory_unlock_all()');
      await locker.release();
    }
    return runId;
  };

  // ned: the refunded order sent again, a new order and the new order's refund reach the open run. Before
  // kept-entries-checked the run keeps both orders and begins the next journey with them (which enters on both);
  // after it, it keeps neither and completes. The history written is the first run's.
  console.log('ned: entries that reach an ended journey still reclaiming, both cancelled');
  const nedRun = await endWhileReclaiming('ned', 'h18-1', async () => {
    await h.send(kept, { id: 'h18-1', type: 'order.completed', userId: 'ned' });
    await h.send(kept, { id: 'h18-2', type: 'order.completed', userId: 'ned' });
    await h.handle(kept.key, 'ned').signal(cancelEventSignal, { version: 1, eventId: 'h18-2', reason: 'refund' });
  });
  if (!(await endsWithin(h.handle(kept.key, 'ned'), 5_000))) await exitJourney(kept.key, 'ned');

  // oli: as ned, but the order that reaches the ended run is a new one, not cancelled: the run continues as new
  // and the next journey enters on it. Both runs are written (the second starts from what the first carried).
  console.log('oli: an entry kept by an ended journey begins the next one (both runs)');
  const oliFirstRun = await endWhileReclaiming('oli', 'h19-1', async () => {
    await h.send(kept, { id: 'h19-2', type: 'order.completed', userId: 'oli' });
  });
  // The next journey is a run of its own (its view counts runs from 1 again): it entered on h19-2 and issued its points.
  await h.waitForView(kept.key, 'oli', (v) => v.entries === 2 && v.rewards.some((r) => r.causedBy.includes('h19-2') && r.status === 'issued'));
  const oliNextRun = (await h.handle(kept.key, 'oli').describe()).runId;
  await exitJourney(kept.key, 'oli');

  // pam: a webhook refused (400) holds the step; the receiver recovers and an operator retries it (an update).
  console.log('pam: a held webhook retried by an operator');
  const retried = { key: 'replay-retry', version: await h.seedCampaign(retriedScenario(hookUrl)) };
  hookStatus = 400;
  await h.send(retried, { id: 'h20-1', type: 'account.verified', userId: 'pam' });
  await h.waitForView(retried.key, 'pam', (v) => v.held.length === 1);
  hookStatus = 204;
  await new JourneyGateway(h.client, h.taskQueue).decide(`journey:${retried.key}:pam`, 'retry', { version: 1 });
  if (!(await endsWithin(h.handle(retried.key, 'pam'), 5_000))) await exitJourney(retried.key, 'pam');

  // quinn: entered by a cron campaign's tick (the batch's scheduledEntry signal), not by an event.
  console.log('quinn: a scheduled entry');
  const ticked = { key: tickedScenario.key, version: await h.seedCampaign(tickedScenario) };
  await new JourneyGateway(h.client, h.taskQueue).enterScheduled({ campaignKey: ticked.key, campaignVersion: ticked.version, userId: 'quinn', tickId: 'tick-1' });
  if (!(await endsWithin(h.handle(ticked.key, 'quinn'), 5_000))) await exitJourney(ticked.key, 'quinn');

  // rex: one batch of 101 visits starts the journey. Before bounded-journey-state each is a path (101 timers);
  // after it the 101st is refused. An exit ends the journey.
  console.log('rex: more parallel paths than a journey runs');
  const crowd = { key: crowdScenario.key, version: await h.seedCampaign(crowdScenario) };
  await startWithBatch(crowd, 'rex', Array.from({ length: 101 }, (_, i) => ({ id: `h21-${i}`, type: 'visit', properties: {} })));
  await h.waitForView(crowd.key, 'rex', (v) => v.trace.some((t) => t.input.includes('h21-100')));
  await exitJourney(crowd.key, 'rex');

  // sid: two Sunday 09:00 ticks in Paris, 22 and 29 March 2026, 167 hours apart. Before scheduled-cooldown-local-days
  // the second is refused (P7D was 168 hours); after it the journey enters again and issues its points. An exit ends it.
  console.log('sid: a weekly tick across the spring clock change');
  const weekly = { key: weeklyScenario.key, version: await h.seedCampaign(weeklyScenario) };
  const weeklyTick = (tickId: string, at: string, key: string) =>
    new JourneyGateway(h.client, h.taskQueue).enterScheduled({ campaignKey: weekly.key, campaignVersion: weekly.version, userId: 'sid', tickId, tickAt: Date.parse(at), tickKey: key });
  await weeklyTick('tick-w12', '2026-03-22T08:00:00Z', '2026-03-22T09:00');
  await h.waitForView(weekly.key, 'sid', (v) => v.rewards.some((r) => r.status === 'issued'));
  await weeklyTick('tick-w13', '2026-03-29T07:00:00Z', '2026-03-29T09:00');
  await h.waitForView(weekly.key, 'sid', (v) => v.trace.some((t) => t.input.includes('tick-w13')) && v.rewards.every((r) => r.status !== 'pending'));
  await exitJourney(weekly.key, 'sid');

  // tia: idle until the schedule ends, an exitOn event reaching it meanwhile (its wait starts again); the wait ends it.
  // Before schedule-end-held-apart it stays idle, and an exit ends it.
  console.log('tia: idle until the schedule ends');
  const idleEnd = { key: 'replay-idle-end', version: await h.seedCampaign(idleEndScenario(new Date(Date.now() + 6_000))) };
  await h.send(idleEnd, { id: 'h22-1', type: 'visit', userId: 'tia' });
  await h.waitForView(idleEnd.key, 'tia', (v) => v.status === 'idle');
  await h.send(idleEnd, { id: 'h22-2', type: 'user.unsubscribed', userId: 'tia' }, 'signal');
  await h.waitForView(idleEnd.key, 'tia', (v) => v.trace.some((t) => t.input.includes('h22-2')));
  if (!(await endsWithin(h.handle(idleEnd.key, 'tia'), 10_000))) await exitJourney(idleEnd.key, 'tia');

  // uma: idle on a version with no end, told (by name, as campaignScheduleWorkflow does) the end a newer version set;
  // it ends there. Code from before schedule-end-follows-activation drops the signal: it stays idle, and an exit ends it.
  console.log('uma: told the end a newer version set, while idle');
  const toldEnd = { key: 'replay-told-end', version: await h.seedCampaign(idleEndScenario(null)) };
  await h.send(toldEnd, { id: 'h23-1', type: 'visit', userId: 'uma' });
  await h.waitForView(toldEnd.key, 'uma', (v) => v.status === 'idle');
  const told = { version: 1, campaignVersion: toldEnd.version + 1, endsAt: new Date(Date.now() + 3_000).toISOString(), activatedAt: new Date().toISOString() };
  await h.handle(toldEnd.key, 'uma').signal('campaignSchedule', told);
  if (!(await endsWithin(h.handle(toldEnd.key, 'uma'), 8_000))) await exitJourney(toldEnd.key, 'uma');

  // vic: three parallel paths whose states joined pass 255 characters; an exit ends the journey.
  console.log('vic: states too many to show');
  const wideStates = { key: wideScenario.key, version: await h.seedCampaign(wideScenario) };
  for (const id of ['h24-1', 'h24-2', 'h24-3']) await h.send(wideStates, { id, type: 'visit', userId: 'vic' });
  await h.waitForView(wideStates.key, 'vic', (v) => v.paths.length === 3);
  await exitJourney(wideStates.key, 'vic');

  // wes: orders of 2.40, 14.20 and 3.40 against `sum(...) >= 20`. Code from before decimal-readings reads the doubles'
  // sum, 19.999999999999996, and keeps waiting (an exit ends it); with it the sum reads 20 and the journey completes.
  console.log('wes: spends exactly 20 in decimals');
  const decimal = { key: decimalScenario.key, version: await h.seedCampaign(decimalScenario) };
  await h.send(decimal, { id: 'h25-0', type: 'visit', userId: 'wes' });
  await h.waitForView(decimal.key, 'wes', (v) => v.paths.length === 1);
  for (const [n, amount] of [2.4, 14.2, 3.4].entries()) await h.send(decimal, { id: `h25-${n + 1}`, type: 'order.completed', userId: 'wes', properties: { amount } }, 'signal');
  if (!(await endsWithin(h.handle(decimal.key, 'wes'), 8_000))) await exitJourney(decimal.key, 'wes');

  // yul: as oli, but the order that reaches the ended run was delivered to running journeys only (a signal, as for a
  // paused campaign). Code from before signal-only-begins-nothing keeps it and continues as new into a journey that
  // refuses it and waits idle (an exit ends that one); with it the run completes. The history written is the first run's.
  console.log('yul: an order delivered to running journeys only reaches an ended journey');
  const yulRun = await endWhileReclaiming('yul', 'h27-1', async () => {
    await h.send(kept, { id: 'h27-2', type: 'order.completed', userId: 'yul' }, 'signal');
  });
  if (!(await endsWithin(h.handle(kept.key, 'yul'), 5_000))) await exitJourney(kept.key, 'yul');

  // xan: one batched signal starts the journey with a checkout and then three cart adds, all while the welcome points
  // run. Code from before held-events-in-order judges the held checkout with the three counted and gives the bonus;
  // with it the checkout is judged on the cart adds before it (none), the journey keeps waiting and an exit ends it.
  console.log('xan: a checkout held before its cart adds');
  const heldOrder = { key: heldOrderScenario.key, version: await h.seedCampaign(heldOrderScenario) };
  await startWithBatch(heldOrder, 'xan', [{ id: 'h26-0', type: 'signup', properties: {} }, { id: 'h26-1', type: 'checkout', properties: {} }, ...[1, 2, 3].map((n) => ({ id: `h26-c${n}`, type: 'cart.add', properties: {} }))]);
  if (!(await endsWithin(h.handle(heldOrder.key, 'xan'), 5_000))) await exitJourney(heldOrder.key, 'xan');

  // zoe: two orders counted while the journey waits, then the timer's tally branches on their sum and gives the points;
  // one order is refunded. Code from before aggregate-branch-causes names only the signup as the points' cause, and the
  // cancel reclaims nothing; with it the points name the orders too (the marker is recorded where the timer's move
  // carries them) and the cancel runs the reclaim. Support ends the journey either way.
  console.log('zoe: a tally after a timer, an order of it refunded');
  const tally = { key: tallyScenario.key, version: await h.seedCampaign(tallyScenario) };
  await h.send(tally, { id: 'h28-0', type: 'signup', userId: 'zoe' });
  await h.waitForView(tally.key, 'zoe', (v) => v.paths.length === 1);
  await h.send(tally, { id: 'h28-1', type: 'order.completed', userId: 'zoe', properties: { amount: 60 } }, 'signal');
  await h.send(tally, { id: 'h28-2', type: 'order.completed', userId: 'zoe', properties: { amount: 50 } }, 'signal');
  await h.waitForView(tally.key, 'zoe', (v) => v.rewards.some((r) => r.status === 'issued'));
  await cancelSeen(tally.key, 'zoe', 'h28-1');
  // The reclaim (if any) is done before the exit, so the history shows it whole.
  const reclaimed = async () => ((await h.db.dataSource.query(`select 1 from rewards where user_id = 'zoe' and status = 'reclaimed'`)) as unknown[]).length > 0;
  for (const until = Date.now() + 5_000; Date.now() < until && !(await reclaimed()); ) await new Promise((r) => setTimeout(r, 200));
  await exitJourney(tally.key, 'zoe');

  // amy: one batched signal starts the journey with a checkout and then 20 page views, all held while the welcome
  // points run. Code from before held-bound-keeps-awaited holds the newest 20 (the views): the checkout is dropped, the
  // path keeps waiting in start and an exit ends it. With it the oldest view goes instead (the marker is recorded
  // there), the checkout moves the path to bought, and the journey completes with its bonus.
  console.log('amy: a checkout, then 20 page views, while a reward runs');
  const heldBound = { key: heldBoundScenario.key, version: await h.seedCampaign(heldBoundScenario) };
  await startWithBatch(heldBound, 'amy', [
    { id: 'h29-0', type: 'signup', properties: {} },
    { id: 'h29-1', type: 'checkout', properties: {} },
    ...Array.from({ length: 20 }, (_, i) => ({ id: `h29-v${i}`, type: 'page.view', properties: {} })),
  ]);
  if (!(await endsWithin(h.handle(heldBound.key, 'amy'), 5_000))) await exitJourney(heldBound.key, 'amy');

  // bea: one batched signal starts the journey with two orders whose own `user` override says vip, then a ping
  // without one, all while the welcome points run. Code from before held-shares-kept computes the orders' shares again
  // as the points finish, with the ping's profile: none counts, the path keeps waiting in start and an exit ends it.
  // With it each order's share goes back as it was (the marker is recorded there): the second moves the path to vip,
  // and the journey completes with its bonus.
  console.log('bea: two vip orders, then a plain event, while a reward runs');
  const heldShares = { key: heldSharesScenario.key, version: await h.seedCampaign(heldSharesScenario) };
  await startWithBatch(heldShares, 'bea', [
    { id: 'h30-0', type: 'signup', properties: {} },
    { id: 'h30-1', type: 'order.completed', properties: { user: { vip: true } } },
    { id: 'h30-2', type: 'order.completed', properties: { user: { vip: true } } },
    { id: 'h30-3', type: 'ping', properties: {} },
  ]);
  if (!(await endsWithin(h.handle(heldShares.key, 'bea'), 5_000))) await exitJourney(heldShares.key, 'bea');

  // The CLI's JSON is the format `historyFromJSON` and the Temporal UI's export use.
  for (const [name, key, runId, userId] of [['ann', scenario.key], ['bob', scenario.key], ['cy', scenario.key], ['dee', stop.key], ['eve', stop.key], ['fay', back.key], ['gus', back.key], ['hal', held.key], ['ivy', burst.key], ['jay', split.key], ['kit', keep.key], ['lou', noise.key], ['mia', late.key], ['ned', kept.key, nedRun], ['oli', kept.key, oliFirstRun], ['oli-next', kept.key, oliNextRun, 'oli'], ['pam', retried.key], ['quinn', ticked.key], ['rex', crowd.key], ['sid', weekly.key], ['tia', idleEnd.key], ['uma', toldEnd.key], ['vic', wideStates.key], ['wes', decimal.key], ['xan', heldOrder.key], ['yul', kept.key, yulRun], ['zoe', tally.key], ['amy', heldBound.key], ['bea', heldShares.key]]) {
    const { stdout } = await run(cli, ['workflow', 'show', '--address', address, '-w', `journey:${key}:${userId ?? name}`, ...(runId ? ['-r', runId] : []), '-o', 'json']);
    const file = path.join(HISTORIES, `journey-${name}.json`);
    writeFileSync(file, stdout);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

runBench('histories:capture', main);
