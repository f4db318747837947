import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { sharedWorkflowCode } from '../support/shared-workflow-bundle';
import type { Activities } from '../../src/activities';
import type { JourneyEvent } from '../../src/domain/event';
import { resolveTemporalCli } from '../../src/provisioning/cli-binary';
import { LIGHTENED_INPUT } from '../../src/domain/machine';
import { JourneyGateway } from '../../src/temporal/journey-gateway';
import { journeySearchAttributes, type JourneyView } from '../../src/workflows/journey/contract';
import { eventually } from '../support/system-under-test';

/** History length at which this suite's dev server suggests continue-as-new (Temporal's default is 4 MiB or 10,240 events). */
const SUGGEST_CONTINUE_AS_NEW_AT = 60;

/**
 * The fast workflow tier: the real journey workflow and shell on a local
 * dev server of its own (TestWorkflowEnvironment.createLocal, suggesting
 * continue-as-new early), with the activities mocked in memory: no
 * PostgreSQL, no outside party. What the shell does with held actions,
 * quiet hours, continue-as-new and deferred events is asserted here; the
 * suites under test/journeys keep the real activities.
 */

type JourneyActivities = Pick<
  Activities,
  'loadJourneyStart' | 'loadProfile' | 'recordTransition' | 'recordTransitions' | 'sendMessage' | 'callWebhook' | 'issueReward' | 'issueRewardWithLog' | 'reclaimRewards'
>;
type RewardInput = Parameters<Activities['issueReward']>[0];
type WebhookInput = Parameters<Activities['callWebhook']>[0];
type MessageInput = Parameters<Activities['sendMessage']>[0];
type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** Campaign definitions by key, and what the journeys asked the outside world to do. */
class FakeWorld {
  readonly definitions = new Map<string, Record<string, unknown>>();
  readonly webhookCalls: WebhookInput[] = [];
  readonly messages: MessageInput[] = [];
  readonly rewardIssues: RewardInput[] = [];
  readonly reclaims: Array<Parameters<Activities['reclaimRewards']>[0]> = [];
  readonly transitions: Array<{ from: string | null; to: string | null }> = [];
  /** Webhook urls that fail for good (non-retryable), until removed. */
  readonly failing = new Set<string>();
  /** Message templates whose sends fail for good (non-retryable), until removed. */
  readonly failingTemplates = new Set<string>();
  /** Reward step ids whose issue fails for good, until removed. */
  readonly failingRewardSteps = new Set<string>();
  /** Webhook urls (`reclaim:<event id>` for reclaims, `reward:<step id>` for issues, `message:<template>` for sends, `load:<campaign>` for a run's start) whose calls wait until released. */
  private readonly blocked = new Map<string, { release: () => void; done: Promise<void> }>();

  block(url: string): () => void {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    this.blocked.set(url, { release, done });
    return () => {
      this.blocked.delete(url);
      release();
    };
  }

  /** A reward: the ledger's answer without a ledger. */
  private async issue(input: RewardInput): Promise<Awaited<ReturnType<Activities['issueReward']>>> {
    await this.blocked.get(`reward:${input.stepId}`)?.done;
    // As when the ledger's answer never came: the journey cannot tell whether it committed.
    if (this.failingRewardSteps.has(input.stepId)) throw ApplicationFailure.nonRetryable(`no answer for ${input.stepId}`, 'LedgerUnanswered');
    this.rewardIssues.push(input);
    return { outcome: 'issued', reward: { id: `r-${this.rewardIssues.length}`, code: null } };
  }

  activities(): JourneyActivities {
    return {
      loadJourneyStart: async (req) => {
        await this.blocked.get(`load:${req.campaignKey}`)?.done;
        const definition = this.definitions.get(req.campaignKey);
        if (!definition) throw ApplicationFailure.nonRetryable(`no campaign ${req.campaignKey}`, 'UnknownCampaignVersion');
        return { definition, prior: { count: 0, times: [] }, ...(req.withProfile ? { profile: {} } : {}) };
      },
      loadProfile: async () => ({}),
      recordTransition: async (r) => {
        this.transitions.push(r as unknown as { from: string | null; to: string | null });
        return { written: true };
      },
      recordTransitions: async ({ records }) => {
        this.transitions.push(...(records as unknown as Array<{ from: string | null; to: string | null }>));
        return { written: records.length };
      },
      sendMessage: async (input) => {
        await this.blocked.get(`message:${input.template}`)?.done;
        if (this.failingTemplates.has(input.template)) throw ApplicationFailure.nonRetryable(`template ${input.template} refused`, 'MessageRefused');
        this.messages.push(input);
        return { status: 'stored' } as Awaited<ReturnType<Activities['sendMessage']>>;
      },
      issueReward: async (input) => this.issue(input),
      issueRewardWithLog: async ({ reward }) => this.issue(reward),
      // An activity an exit does not stop (a webhook it does, patch cancel-stops-effects).
      reclaimRewards: async (input) => {
        await this.blocked.get(`reclaim:${input.eventId}`)?.done;
        this.reclaims.push(input);
        return { eventId: input.eventId, results: [] };
      },
      callWebhook: async (input) => {
        await this.blocked.get(input.url)?.done;
        if (this.failing.has(input.url)) throw ApplicationFailure.nonRetryable(`${input.url} refused`, 'WebhookRefused');
        this.webhookCalls.push(input);
        return { status: 'sent' } as Awaited<ReturnType<Activities['callWebhook']>>;
      },
    };
  }
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
/** Quiet hours (UTC) from an hour ago to an hour from now: a message sent now waits. */
const quietNow = () => ({ from: hhmm(new Date(Date.now() - 60 * 60_000)), to: hhmm(new Date(Date.now() + 60 * 60_000)) });

describe('the journey shell on the dev server, activities mocked', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let journeys: JourneyGateway;
  let bundle: string;
  const world = new FakeWorld();
  const taskQueue = `kairos-shell-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Installed already by another suite in this process.
    }
    const cli = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: () => undefined });
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        searchAttributes: [...journeySearchAttributes],
        extraArgs: ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AS_NEW_AT}`],
      },
    });
    bundle = await sharedWorkflowCode();
    worker = await Worker.create({ connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle: { code: bundle }, activities: world.activities() });
    running = worker.run();
    journeys = new JourneyGateway(env.client, taskQueue);
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  /** Starts (or reaches) the user's journey in `campaign` with one event. */
  async function send(campaign: string, userId: string, type: string, id = `${type}-${randomBytes(3).toString('hex')}`, properties: Record<string, unknown> = {}): Promise<string> {
    const workflowId = journeys.idOf(campaign, userId);
    const event: JourneyEvent = { version: 1, id, type, userId, occurredAt: new Date().toISOString(), properties };
    await journeys.deliver({ kind: 'start', workflowId, campaignKey: campaign, campaignVersion: 1, userId, event });
    return workflowId;
  }
  const waitForView = (workflowId: string, predicate: (v: JourneyView) => boolean, timeoutMs = 30_000) =>
    eventually(async () => {
      const v = await journeys.state(workflowId).catch(() => undefined);
      return v && predicate(v) ? v : undefined;
    }, timeoutMs);
  const result = (workflowId: string) => env.client.workflow.getHandle(workflowId).result();

  function campaign(key: string, states: Record<string, unknown>, extra: Record<string, unknown> = {}): void {
    world.definitions.set(key, { key, name: key, entry: { on: 'order.completed' }, initial: 'start', ...extra, states });
  }

  it('holds a step that failed for good until an operator retries it, and refuses a decision when nothing is held', async () => {
    const url = 'https://hooks.example.com/held';
    world.failing.add(url);
    campaign('held', { start: { actions: { steps: [{ id: 'call', type: 'webhook', url }] }, transitions: [{ to: 'done' }] }, done: { end: true } });
    const id = await send('held', 'ann', 'order.completed');

    const held = await waitForView(id, (v) => v.held.length === 1);
    expect(held.held[0]).toMatchObject({ stepId: 'call', error: expect.stringContaining('refused') });
    expect(held.status).not.toBe('ended');

    world.failing.delete(url);
    await expect(journeys.decide(id, 'retry', { version: 1, stepId: 'call' })).resolves.toMatchObject({ stepId: 'call', decision: 'retry' });
    expect(await result(id)).toMatchObject({ status: 'ended' });
    expect(world.webhookCalls.filter((c) => c.url === url)).toHaveLength(1);
    // Nothing is held any more: the update's validator refuses (the API answers 409).
    const other = await send('held', 'bob', 'order.completed');
    await result(other);
    await expect(journeys.decide(other, 'skip', { version: 1 })).rejects.toThrow();
  });

  it('skips a held step on the operator’s word and goes on without calling it again', async () => {
    const url = 'https://hooks.example.com/skipped';
    world.failing.add(url);
    campaign('skip', {
      start: { actions: { strategy: 'serial', steps: [{ id: 'call', type: 'webhook', url }, { id: 'after', type: 'webhook', url: 'https://hooks.example.com/after-skip' }] }, transitions: [{ to: 'done' }] },
      done: { end: true },
    });
    const id = await send('skip', 'cy', 'order.completed');
    await waitForView(id, (v) => v.held.length === 1);
    await journeys.decide(id, 'skip', { version: 1 });
    expect(await result(id)).toMatchObject({ status: 'ended' });
    expect(world.webhookCalls.filter((c) => c.url === url)).toHaveLength(0);
    expect(world.webhookCalls.filter((c) => c.url === 'https://hooks.example.com/after-skip' && c.userId === 'cy')).toHaveLength(1);
  });

  it('reclaims the key of a reward step skipped while held, so nothing a late commit issued stays (patch skip-voids-held-reward)', async () => {
    world.failingRewardSteps.add('late-pts');
    campaign('void', {
      start: { actions: { strategy: 'priority', steps: [{ id: 'late-pts', type: 'points', amount: 5 }, { id: 'fallback', type: 'points', amount: 1 }] }, end: true },
    });
    const id = await send('void', 'vi', 'order.completed');
    const held = await waitForView(id, (v) => v.held.length === 1);
    expect(held.held[0]).toMatchObject({ stepId: 'late-pts' });
    await journeys.decide(id, 'skip', { version: 1 });
    expect(await result(id)).toMatchObject({ status: 'ended' });
    // The skipped step's key is reclaimed (a tombstone when nothing was issued), before the group goes on.
    const key = world.reclaims.find((r) => r.eventId.startsWith('skipped:') && r.idempotencyKeys[0].includes('late-pts'));
    expect(key).toMatchObject({ idempotencyKeys: [expect.stringContaining('late-pts')], reason: 'step late-pts skipped while held' });
    expect(key?.eventId).toBe(`skipped:${key?.idempotencyKeys[0]}`);
    expect(world.rewardIssues.filter((r) => r.userId === 'vi').map((r) => r.stepId)).toEqual(['fallback']);
  });

  it('carries a skipped reward step whose void is still running across continue-as-new as that void, never as a reward to issue (patch ended-paths-hold-nothing)', async () => {
    world.failingRewardSteps.add('cut-pts');
    campaign('void-cut', {
      start: { actions: { strategy: 'priority', steps: [{ id: 'cut-pts', type: 'points', amount: 5 }, { id: 'fallback', type: 'points', amount: 1 }] }, end: true },
    });
    const id = await send('void-cut', 'vic', 'order.completed');
    const held = await waitForView(id, (v) => v.held.length === 1);
    const key = held.rewards[0].idempotencyKey;
    const release = world.block(`reclaim:skipped:${key}`);
    // The ledger answers again: a run that took the skipped step for work to do would now issue it.
    world.failingRewardSteps.delete('cut-pts');
    await journeys.decide(id, 'skip', { version: 1 });
    try {
      for (let n = 0; n < SUGGEST_CONTINUE_AS_NEW_AT; n += 5) {
        await Promise.all([0, 1, 2, 3, 4].map((k) => send('void-cut', 'vic', 'page.viewed', `vic-noise-${n + k}`)));
      }
      await waitForView(id, (v) => v.run >= 2);
    } finally {
      release();
    }
    expect(await result(id)).toMatchObject({ status: 'ended' });
    expect(world.rewardIssues.filter((r) => r.userId === 'vic').map((r) => r.stepId)).toEqual(['fallback']);
    expect(world.reclaims.filter((r) => r.eventId === `skipped:${key}`)).not.toHaveLength(0);
  });

  it('skips, never holds, a reward step that fails for good after an exit ended its path (patch ended-paths-hold-nothing)', async () => {
    const release = world.block('reward:exit-pts');
    campaign(
      'exit-late',
      { start: { actions: { steps: [{ id: 'exit-pts', type: 'points', amount: 5 }] }, transitions: [{ to: 'done', after: 'PT1H' }] }, done: { end: true } },
      { exitOn: [{ on: 'user.unsubscribed' }], participation: { maxEntries: 2 } },
    );
    const id = await send('exit-late', 'xen', 'order.completed');
    await waitForView(id, (v) => v.paths[0]?.steps['exit-pts'] === 'running');
    await send('exit-late', 'xen', 'user.unsubscribed');
    await waitForView(id, (v) => v.paths.length === 0);
    world.failingRewardSteps.add('exit-pts');
    release();
    const settled = await waitForView(id, (v) => v.held.length > 0 || v.rewards[0]?.status === 'notIssued');
    expect(settled.held).toEqual([]);
    expect(settled.rewards[0]).toMatchObject({ stepId: 'exit-pts', status: 'notIssued', result: { stopped: 'its path ended' } });
    // Voided like any skipped ledger step: an attempt whose answer was lost may have committed.
    expect(world.reclaims.filter((r) => r.eventId === `skipped:${settled.rewards[0].idempotencyKey}`)).toHaveLength(1);
    await journeys.exit(id, 'test over');
  });

  it('keeps a message back during quiet hours (a webhook goes at once), and drops it when the user exits meanwhile', async () => {
    const quietHours = quietNow();
    campaign(
      'quiet',
      {
        start: {
          actions: { strategy: 'parallel', steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'thanks' }, { id: 'call', type: 'webhook', url: 'https://hooks.example.com/quiet' }] },
          end: true,
        },
      },
      { schedule: { timezone: 'UTC', quietHours }, exitOn: [{ on: 'user.unsubscribed' }] },
    );
    const id = await send('quiet', 'night-owl', 'order.completed');
    const waiting = await waitForView(id, (v) => v.paths[0]?.steps.call === 'succeeded');
    expect(waiting.paths[0].steps.mail).toBe('running');
    expect(world.messages.filter((m) => m.userId === 'night-owl')).toHaveLength(0);

    await send('quiet', 'night-owl', 'user.unsubscribed');
    expect(await result(id)).toMatchObject({ status: 'ended' });
    expect(world.messages.filter((m) => m.userId === 'night-owl')).toHaveLength(0);
  });

  it("hands a message's activity the campaign's quiet hours, so its retries keep them too (patch quiet-hours-every-attempt)", async () => {
    // Quiet hours half a day away: the message goes at once.
    const quietHours = { from: hhmm(new Date(Date.now() + 11 * 3_600_000)), to: hhmm(new Date(Date.now() + 13 * 3_600_000)) };
    campaign('daytime', { start: { actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'thanks' }] }, end: true } }, { schedule: { timezone: 'Europe/Paris', quietHours } });
    const id = await send('daytime', 'day-owl', 'order.completed');
    expect(await result(id)).toMatchObject({ status: 'ended' });
    const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
    expect(world.messages.filter((m) => m.userId === 'day-owl').map((m) => m.quietHours)).toEqual([
      { fromMinute: minutes(quietHours.from), toMinute: minutes(quietHours.to), timezone: 'Europe/Paris' },
    ]);
  });

  it('stays readable and keeps running while large events arrive during quiet hours (the events it holds are bounded by their bytes)', async () => {
    const quietHours = quietNow();
    campaign(
      'quiet-blobs',
      {
        start: {
          actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'thanks' }] },
          transitions: [{ to: 'matched', on: 'blob', if: "event.v == 'nope'" }, { to: 'lapsed', after: 'PT2H' }],
        },
        matched: { end: true },
        lapsed: { end: true },
      },
      { schedule: { timezone: 'UTC', quietHours }, exitOn: [{ on: 'user.unsubscribed' }] },
    );
    const id = await send('quiet-blobs', 'hoarder', 'order.completed');
    await waitForView(id, (v) => v.paths[0]?.steps.mail === 'running');
    // 25 events of 250 KB (each within the API's cap), all at once: held for after the message they made 6 MB of state, and
    // waiting in the inbox when the run continued as new they made its input as large; either wedged the journey.
    await Promise.all(Array.from({ length: 25 }, (_, i) => send('quiet-blobs', 'hoarder', 'blob', `blob-${i}`, { v: `${i}:${'x'.repeat(250_000)}` })));
    const view = await waitForView(id, (v) => v.trace.some((entry) => entry.input.includes('blob-24')), 60_000);
    expect(view.status).toBe('active');
    expect(view.states).toEqual(['start']);
    await send('quiet-blobs', 'hoarder', 'user.unsubscribed');
    expect(await result(id)).toMatchObject({ status: 'ended' });
  }, 120_000);

  it('takes an `on` event that came while the state’s actions ran once they finish (deferred, not dropped)', async () => {
    const url = 'https://hooks.example.com/slow';
    const release = world.block(url);
    campaign('defer', {
      start: { actions: { steps: [{ id: 'call', type: 'webhook', url }] }, transitions: [{ to: 'converted', on: 'signup.completed' }, { to: 'lapsed', after: 'PT1H' }] },
      converted: { end: true },
      lapsed: { end: true },
    });
    const id = await send('defer', 'dee', 'order.completed');
    await waitForView(id, (v) => v.paths[0]?.steps.call === 'running');
    await send('defer', 'dee', 'signup.completed');
    // Still in its actions: the event waits for them.
    const during = await journeys.state(id);
    expect(during.states).toEqual(['start']);
    release();
    const after = await waitForView(id, (v) => v.status === 'ended');
    expect(after.finished.at(-1)?.state).toBe('converted');
  });

  it('answers a query and an update that reach a run before it has handlers for them (its first task, while it loads its campaign)', async () => {
    // A task queue no worker polls yet: the query and the update wait in Temporal and come with the run's very first task.
    const laterQueue = `${taskQueue}-later`;
    const later = new JourneyGateway(env.client, laterQueue);
    campaign('slow-start', { start: { transitions: [{ to: 'done', after: 'PT1H' }] }, done: { end: true } });
    const id = later.idOf('slow-start', 'sid');
    const event: JourneyEvent = { version: 1, id: 'sid-1', type: 'order.completed', userId: 'sid', occurredAt: new Date().toISOString(), properties: {} };
    await later.deliver({ kind: 'start', workflowId: id, campaignKey: 'slow-start', campaignVersion: 1, userId: 'sid', event });
    const view = later.state(id);
    const decision = later.decide(id, 'skip', { version: 1 });
    const worker = await Worker.create({ connection: env.nativeConnection, namespace: 'default', taskQueue: laterQueue, workflowBundle: { code: bundle }, activities: world.activities() });
    const running = worker.run();
    try {
      expect(await view).toMatchObject({ status: 'active', states: ['start'] });
      // The update reached the started run: its validator refuses (nothing is held) instead of finding no handler.
      await expect(decision).rejects.toMatchObject({ cause: { type: 'NotHeld' } });
      await later.exit(id, 'test over');
      expect(await result(id)).toMatchObject({ status: 'ended' });
    } finally {
      worker.shutdown();
      await running;
    }
  });

  it('carries state, a held step and a running timer across continue-as-new', async () => {
    const url = 'https://hooks.example.com/carried';
    world.failing.add(url);
    campaign('long', {
      start: { actions: { steps: [{ id: 'call', type: 'webhook', url }] }, transitions: [{ to: 'done', after: 'PT1H' }] },
      done: { end: true },
    });
    const id = await send('long', 'eve', 'order.completed');
    const before = await waitForView(id, (v) => v.held.length === 1);
    expect(before.run).toBe(1);
    const timer = before.paths[0].timers[0];
    expect(timer).toBeDefined();

    // Events no state listens to still fill the history, until the server suggests continue-as-new.
    for (let n = 0; n < SUGGEST_CONTINUE_AS_NEW_AT; n += 5) {
      await Promise.all([0, 1, 2, 3, 4].map((k) => send('long', 'eve', 'page.viewed', `noise-${n + k}`)));
    }
    const after = await waitForView(id, (v) => v.run >= 2);
    expect(after.states).toEqual(['start']);
    expect(after.entries).toBe(before.entries);
    expect(after.held).toEqual(before.held);
    // The same timer still runs in the new run (an hour ahead: it has not fired).
    expect(after.paths[0].timers.map((t) => t.timerId)).toEqual([timer.timerId]);
    expect(Date.parse(after.paths[0].timers[0].fireAt)).toBeGreaterThan(Date.now());

    world.failing.delete(url);
    await journeys.decide(id, 'retry', { version: 1 });
    await waitForView(id, (v) => v.held.length === 0 && v.paths[0]?.steps.call === 'succeeded');
    expect(world.webhookCalls.filter((c) => c.url === url)).toHaveLength(1);
    await journeys.exit(id, 'test over');
    expect(await result(id)).toMatchObject({ status: 'ended' });
  });

  /** A parallel journey whose every entry sends a message carrying the entry event's `blob`: its data travels while the message is under way. */
  function heavyMailCampaign(key: string, template: string): void {
    campaign(
      key,
      {
        start: { actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template, data: { blob: 'event.blob' } }] }, transitions: [{ to: 'done', on: 'order.shipped' }] },
        done: { end: true },
      },
      { participation: { mode: 'parallel', maxActive: 10, maxEntries: 10 } },
    );
  }

  it("continues as new only once messages under way fit beside the state, when with their data they would pass Temporal's 2 MB (patch carried-work-bounded)", async () => {
    const release = world.block('message:heavy');
    heavyMailCampaign('heavy-mail', 'heavy');
    let id = '';
    try {
      // Entries are admitted while the state weighs under 1 MiB (each path keeps its 200 KB event), and each path's
      // message carries another copy: about 2.4 MB with the state, an input the server refuses (it failed the journey).
      for (let i = 0; i < 8; i++) id = await send('heavy-mail', 'hefty', 'order.completed', `heavy-${i}`, { blob: `${i}:${'x'.repeat(200_000)}` });
      const loaded = await waitForView(id, (v) => v.trace.some((entry) => entry.input.includes('heavy-7')), 60_000);
      const waiting = loaded.paths.length;
      expect(waiting).toBeGreaterThanOrEqual(6);
      for (let n = 0; n < SUGGEST_CONTINUE_AS_NEW_AT; n += 5) {
        await Promise.all([0, 1, 2, 3, 4].map((k) => send('heavy-mail', 'hefty', 'page.viewed', `hefty-noise-${n + k}`)));
      }
      // Past the suggestion, the run still takes events: it waits for the messages rather than hand over what cannot travel.
      await send('heavy-mail', 'hefty', 'page.viewed', 'hefty-after');
      const held = await waitForView(id, (v) => v.trace.some((entry) => entry.input.includes('hefty-after')), 60_000);
      expect(held.run).toBe(1);
      expect((await env.client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');
      // Work under way settles by itself: the journey gives up nothing it keeps for it (patch journey-weighed-whole).
      expect(held.trace.filter((entry) => entry.input === LIGHTENED_INPUT)).toEqual([]);
    } finally {
      release();
    }
    const moved = await waitForView(id, (v) => v.run >= 2, 60_000);
    expect(moved.paths.every((p) => p.steps.mail === 'succeeded')).toBe(true);
    const sent = world.messages.filter((m) => m.userId === 'hefty');
    expect(sent.map((m) => m.idempotencyKey).sort()).toEqual([...new Set(sent.map((m) => m.idempotencyKey))].sort());
    expect(sent).toHaveLength(moved.paths.length);
    await journeys.exit(id, 'test over');
    expect(await result(id)).toMatchObject({ status: 'ended' });
  }, 180_000);

  it('holds failed messages for an operator only while the held steps weigh 256 KiB or less; past that the step fails, saying why (patch carried-work-bounded)', async () => {
    world.failingTemplates.add('refused-heavy');
    heavyMailCampaign('heavy-held', 'refused-heavy');
    const id = await send('heavy-held', 'heldo', 'order.completed', 'heldo-1', { blob: `1:${'y'.repeat(150_000)}` });
    await waitForView(id, (v) => v.held.length === 1);
    await send('heavy-held', 'heldo', 'order.completed', 'heldo-2', { blob: `2:${'y'.repeat(150_000)}` });
    const view = await waitForView(id, (v) => v.paths.some((p) => p.steps.mail === 'failed'));
    // The first stays held, its step running until an operator decides; the second would have made the held steps 300 KB.
    expect(view.held).toHaveLength(1);
    expect(view.paths.map((p) => p.steps.mail).sort()).toEqual(['failed', 'running']);
    const notes = view.trace.flatMap((entry) => entry.notes.map((note) => note.message));
    expect(notes).toContainEqual(expect.stringMatching(/^mail failed \{"notHeld":"the held steps would weigh over 256 KiB"/));
    await journeys.exit(id, 'test over');
  });

  it("stays in its run, taking events, while its parallel paths' triggers weigh past what a new run can take, and continues as new once lighter (patch journey-weighed-whole)", async () => {
    campaign(
      'heavy-triggers',
      {
        start: { transitions: [{ to: 'reviewed', on: 'review.posted' }] },
        reviewed: { transitions: [{ to: 'thanked', on: 'thanks.sent' }] },
        thanked: { transitions: [{ to: 'done', after: 'P30D' }] },
        done: { end: true },
      },
      { participation: { mode: 'parallel', maxEntries: 9 } },
    );
    let id = '';
    for (let i = 0; i < 9; i++) id = await send('heavy-triggers', 'weighty', 'order.completed', `weighty-${i}`);
    await waitForView(id, (v) => v.paths.length === 9, 60_000);
    // Every path keeps the review as its trigger: nine copies, about 2.2 MB, more than one continue-as-new may carry.
    await send('heavy-triggers', 'weighty', 'review.posted', 'weighty-review', { text: 'w'.repeat(240_000) });
    await waitForView(id, (v) => v.paths.every((p) => p.state === 'reviewed'), 60_000);
    for (let n = 0; n < SUGGEST_CONTINUE_AS_NEW_AT; n += 5) {
      await Promise.all([0, 1, 2, 3, 4].map((k) => send('heavy-triggers', 'weighty', 'page.viewed', `weighty-noise-${n + k}`)));
    }
    await send('heavy-triggers', 'weighty', 'page.viewed', 'weighty-after');
    // Past the suggestion the run still takes events; before the patch its continue-as-new was refused on every attempt.
    const heavy = await waitForView(id, (v) => v.trace.some((entry) => entry.input.includes('weighty-after')), 60_000);
    expect(heavy.run).toBe(1);
    expect(await runStatus(id)).toBe('RUNNING');
    // A small event moves every path on: lighter, the journey continues as new with all nine.
    await send('heavy-triggers', 'weighty', 'thanks.sent', 'weighty-thanks');
    const moved = await eventually(async () => {
      await send('heavy-triggers', 'weighty', 'page.viewed', `weighty-later-${randomBytes(3).toString('hex')}`);
      const v = await journeys.state(id);
      return v.run >= 2 ? v : undefined;
    }, 120_000);
    expect(moved.paths.map((p) => p.state)).toEqual(Array(9).fill('thanked'));
    await journeys.exit(id, 'test over');
    expect(await result(id)).toMatchObject({ status: 'ended' });
  }, 300_000);

  it('weighs what it hands over: inputs taken in the task that lets it continue as new made it too heavy (patch journey-weighed-whole)', async () => {
    campaign(
      'heavy-burst',
      { start: { transitions: [{ to: 'reviewed', on: 'review.posted' }] }, reviewed: { transitions: [{ to: 'done', after: 'P30D' }] }, done: { end: true } },
      { participation: { mode: 'parallel', maxEntries: 9 } },
    );
    let id = '';
    for (let i = 0; i < 9; i++) id = await send('heavy-burst', 'bursty', 'order.completed', `bursty-${i}`);
    await waitForView(id, (v) => v.paths.length === 9, 60_000);
    // No worker while the burst comes: its first task finds the run past the suggestion, weighs a small state and an
    // inbox too large to travel (540 KB), and takes inputs first; the review makes nine 240 KB copies on the way.
    worker.shutdown();
    await running;
    try {
      for (let n = 0; n < SUGGEST_CONTINUE_AS_NEW_AT; n++) await send('heavy-burst', 'bursty', 'page.viewed', `bursty-noise-${n}`);
      await send('heavy-burst', 'bursty', 'review.posted', 'bursty-review', { text: 'b'.repeat(240_000) });
      for (let n = 0; n < 3; n++) await send('heavy-burst', 'bursty', 'page.viewed', `bursty-big-${n}`, { text: 'p'.repeat(100_000) });
    } finally {
      worker = await Worker.create({ connection: env.nativeConnection, namespace: 'default', taskQueue, workflowBundle: { code: bundle }, activities: world.activities() });
      running = worker.run();
    }
    // Before the patch it continued as new with what the weighing at the task's start allowed: refused on every attempt.
    const heavy = await waitForView(id, (v) => v.trace.some((entry) => entry.input.includes('bursty-big-2')), 60_000);
    expect(heavy.paths.map((p) => p.state)).toEqual(Array(9).fill('reviewed'));
    expect(heavy.run).toBe(1);
    await send('heavy-burst', 'bursty', 'page.viewed', 'bursty-after');
    await waitForView(id, (v) => v.trace.some((entry) => entry.input.includes('bursty-after')), 60_000);
    expect(await runStatus(id)).toBe('RUNNING');
    await journeys.exit(id, 'test over');
    expect(await result(id)).toMatchObject({ status: 'ended' });
  }, 300_000);

  /** The journey's run as Temporal tells it: TERMINATED when the server refused one of its workflow tasks for good. */
  const runStatus = async (id: string) => (await env.client.workflow.getHandle(id).describe()).status.name;
  const sentTo = (userId: string) => world.messages.filter((m) => m.userId === userId);
  /**
   * The histories of the journey's runs, first to last (the suite's server suggests continue-as-new early), read
   * a few events a page: a run that scheduled 20 messages of 220 KB is larger than a client's 4 MB answer.
   */
  async function runHistories(id: string): Promise<History[]> {
    const histories: History[] = [];
    for (let runId: string | undefined = undefined; ; ) {
      const events: NonNullable<History['events']> = [];
      let nextPageToken: Uint8Array | undefined;
      do {
        const page = await env.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: id, runId }, maximumPageSize: 8, nextPageToken });
        events.push(...(page.history?.events ?? []));
        nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
      } while (nextPageToken);
      histories.unshift({ events });
      runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      if (!runId) return histories;
    }
  }
  /** Waits until the journey has sent `count` messages and completed, or it stopped, or 45 s passed: how its run stands then. */
  async function deliveredAll(id: string, userId: string, count: number): Promise<{ status: string; sent: number }> {
    const stands = async () => ({ status: await runStatus(id), sent: sentTo(userId).length });
    return eventually(async () => {
      const now = await stands();
      return (now.sent === count && now.status === 'COMPLETED') || !['RUNNING', 'COMPLETED'].includes(now.status) ? now : undefined;
    }, 45_000).catch(stands);
  }

  it("spreads one step's 20 messages of 220 KB each over several workflow tasks: in one they passed Temporal's 4 MB gRPC limit, the task failed on every attempt and nothing was sent (patch delivery-inputs-per-task)", async () => {
    const steps = Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, type: 'message', channel: 'email', template: 'wide', data: { blob: 'event.blob' } }));
    campaign('wide-mail', { start: { actions: { strategy: 'parallel', steps }, end: true } });
    const id = await send('wide-mail', 'wido', 'order.completed', 'wido-1', { blob: 'x'.repeat(220_000) });
    expect(await deliveredAll(id, 'wido', 20)).toEqual({ status: 'COMPLETED', sent: 20 });
    expect(new Set(sentTo('wido').map((m) => m.idempotencyKey)).size).toBe(20);
    expect(await result(id)).toMatchObject({ status: 'ended' });
    // 7 messages of 220 KB fit in a task's 1.5 MiB: the commands each task completed with schedule no more (in every run).
    const perTask: number[] = [];
    for (const history of await runHistories(id)) {
      for (const event of history.events ?? []) {
        if (event.workflowTaskCompletedEventAttributes) perTask.push(0);
        else if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'sendMessage') perTask[perTask.length - 1]++;
      }
      // Rebuilt from its history (a worker restart, an eviction), each run waits as it did.
      await Worker.runReplayHistory({ workflowBundle: { code: bundle } }, history, id);
    }
    const scheduling = perTask.filter((n) => n > 0);
    expect(Math.max(...scheduling)).toBe(7);
    expect(scheduling.length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('stops the messages still waiting for a later task when an exit ends their path (patch delivery-inputs-per-task)', async () => {
    const steps = Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, type: 'message', channel: 'email', template: 'wide', data: { blob: 'event.blob' } }));
    campaign('wide-exit', { start: { actions: { strategy: 'parallel', steps }, transitions: [{ to: 'done', after: 'PT1H' }] }, done: { end: true } }, { exitOn: [{ on: 'user.unsubscribed' }] });
    const occurredAt = new Date().toISOString();
    // One batch: the entry and the exit are handled in the same task, while 13 of the 20 messages wait for the next.
    const id = journeys.idOf('wide-exit', 'wexit');
    await journeys.deliverEvents({
      kind: 'start',
      workflowId: id,
      campaignKey: 'wide-exit',
      campaignVersion: 1,
      userId: 'wexit',
      events: [
        { version: 1, id: 'wexit-1', type: 'order.completed', userId: 'wexit', occurredAt, properties: { blob: 'x'.repeat(220_000) } },
        { version: 1, id: 'wexit-2', type: 'user.unsubscribed', userId: 'wexit', occurredAt, properties: {} },
      ],
    });
    expect(await result(id)).toMatchObject({ status: 'ended' });
    // 7 of 220 KB fit in one task's 1.5 MiB: none of the rest went out after the exit.
    expect(sentTo('wexit').length).toBeLessThanOrEqual(7);
  });

  it('spreads the messages of 20 parallel paths moved by one 220 KB event over several workflow tasks (patch delivery-inputs-per-task)', async () => {
    campaign(
      'wide-paths',
      {
        start: { transitions: [{ to: 'thanks', on: 'review.posted' }] },
        thanks: { actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'thanks', data: { text: 'event.text' } }] }, end: true },
      },
      { participation: { mode: 'parallel', maxEntries: 20 } },
    );
    let id = '';
    for (let i = 0; i < 20; i++) id = await send('wide-paths', 'pathy', 'order.completed', `pathy-${i}`);
    await waitForView(id, (v) => v.paths.length === 20, 60_000);
    await send('wide-paths', 'pathy', 'review.posted', 'pathy-review', { text: 'r'.repeat(220_000) });
    expect(await deliveredAll(id, 'pathy', 20)).toEqual({ status: 'COMPLETED', sent: 20 });
  }, 180_000);

  /**
   * A journey of `key` (5 points on entry, then an hour's wait; up to five entries) entered by `userId` with
   * `firstId`. Support cancels that order, whose reclaim is held back, and an operator ends the journey: it
   * has ended, and its run stays open until `release` lets the reclaim settle.
   */
  async function endedWhileReclaiming(key: string, userId: string, firstId: string): Promise<{ id: string; release: () => void }> {
    const release = world.block(`reclaim:${firstId}`);
    campaign(
      key,
      { start: { actions: { steps: [{ id: 'pts', type: 'points', amount: 5 }] }, transitions: [{ to: 'done', after: 'PT1H' }] }, done: { end: true } },
      { participation: { maxEntries: 5 } },
    );
    const id = await send(key, userId, 'order.completed', firstId);
    await waitForView(id, (v) => v.paths[0]?.steps.pts === 'succeeded');
    await journeys.cancelEvent({ eventId: firstId, reason: 'refund', workflowIds: [id] });
    await waitForView(id, (v) => v.rewards[0]?.status === 'reclaimed');
    await journeys.exit(id, 'operator');
    await waitForView(id, (v) => v.status === 'ended');
    return { id, release };
  }

  it('begins the next journey with an entry that came while an ended journey finished a reclaim (it was ignored, and lost)', async () => {
    const { id, release } = await endedWhileReclaiming('again', 'dee', 'dee-first');
    await send('again', 'dee', 'order.completed', 'dee-second');
    await send('again', 'dee', 'page.viewed', 'dee-noise');
    const ended = await journeys.state(id);
    expect(ended.status).toBe('ended');

    release();
    // The next journey took dee-second as its entry and ran its step: the second reward, after the reclaim.
    await eventually(async () => (world.rewardIssues.filter((r) => r.campaignKey === 'again' && r.userId === 'dee').length === 2 ? true : undefined), 30_000);
    expect(world.reclaims.filter((r) => r.idempotencyKeys.some((k) => k.startsWith('again:'))).map((r) => r.eventId)).toEqual(['dee-first']);
    // A new run of the same workflow: the ended journey's run continued as new, and the next one entered on dee-second.
    const next = await waitForView(id, (v) => v.trace.some((t) => t.input.includes('dee-second')));
    expect(next.entries).toBeGreaterThanOrEqual(1);
    expect(next.trace.some((t) => t.input.includes('dee-first'))).toBe(false);
    const runs: string[] = [];
    for await (const w of env.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(w.status.name);
    expect(runs.sort()).toEqual(['CONTINUED_AS_NEW', 'RUNNING']);
    await journeys.exit(id, 'test over');
  });

  it('keeps no entry for the next journey that this one took already or that was cancelled (patch kept-entries-checked)', async () => {
    const { id, release } = await endedWhileReclaiming('kept', 'ned', 'ned-first');
    // The refunded order sent again, a new order, and then the new order's refund: all reach the open run.
    await send('kept', 'ned', 'order.completed', 'ned-first');
    await send('kept', 'ned', 'order.completed', 'ned-second');
    await journeys.cancelEvent({ eventId: 'ned-second', reason: 'refund', workflowIds: [id] });
    expect((await journeys.state(id)).status).toBe('ended');

    release();
    // Nothing is left for a next journey: the run completes, and neither order issues a reward nobody would take back.
    expect(await result(id)).toMatchObject({ status: 'ended' });
    // Visibility follows the run's close a moment later: asked until it lists no running run (a second run would stay).
    const runs = await eventually(async () => {
      const listed: string[] = [];
      for await (const w of env.client.workflow.list({ query: `WorkflowId = '${id}'` })) listed.push(w.status.name);
      return listed.includes('RUNNING') && listed.length === 1 ? undefined : listed;
    }, 10_000).catch(() => ['RUNNING']);
    expect(runs).toEqual(['COMPLETED']);
    expect(world.rewardIssues.filter((r) => r.campaignKey === 'kept' && r.userId === 'ned')).toHaveLength(1);
  });
});
