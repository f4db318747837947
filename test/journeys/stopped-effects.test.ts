import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cancelEventSignal } from '../../src/workflows/journey/contract';
import type { JourneyView } from '../../src/workflows/journey/contract';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { eventually } from '../support/system-under-test';

/**
 * Patch cancel-stops-effects on the real dev server: an exit stops its
 * paths' messages and webhooks not yet sent, and a cancelled event stops what
 * it caused (waiting out quiet hours, retrying, held) and skips the steps it
 * caused that had not started. Before it, the webhook below retried for
 * about 17 minutes after the user left, and the message went out once quiet
 * hours ended though its order had been refunded.
 */
describe('an exit or a cancel stops messages and webhooks not yet sent', () => {
  let h: JourneyHarness;
  let receiver: Server;
  let hookUrl: string;
  /** Calls the receiver took, by path; it answers 503 to every one, so each webhook retries. */
  const calls = new Map<string, number>();
  const callsTo = (path: string) => calls.get(path) ?? 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      calls.set(req.url ?? '', callsTo(req.url ?? '') + 1);
      req.resume();
      req.on('end', () => res.writeHead(503).end());
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    h = await startJourneyHarness({ activityDeps: { webhookAllowedHosts: [{ host: '127.0.0.1' }] } });
  });
  afterAll(async () => {
    await h?.stop();
    await new Promise<void>((r) => receiver?.close(() => r()));
  });

  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  /** One campaign, one state per case; the entry event's `case` picks it. */
  const seed = async (key: string) => {
    const now = Date.now();
    const version = await h.seedCampaign({
      key,
      name: key,
      schedule: { timezone: 'UTC', quietHours: { from: hhmm(new Date(now - 3_600_000)), to: hhmm(new Date(now + 3_600_000)) } },
      entry: { on: 'order.completed' },
      exitOn: [{ on: 'user.unsubscribed' }],
      initial: 'start',
      states: {
        start: {
          transitions: [
            { to: 'retrying', when: "event.case == 'retrying'" },
            { to: 'quiet', when: "event.case == 'quiet'" },
            { to: 'held', when: "event.case == 'held'" },
          ],
        },
        retrying: {
          actions: {
            strategy: 'serial',
            steps: [
              { id: 'notify', type: 'webhook', url: `${hookUrl}/${key}`, body: { order: '{{event.id}}' } },
              { id: 'thanks', type: 'message', channel: 'push', template: 'thanks' },
            ],
          },
          transitions: [{ to: 'done', after: 'PT1H' }],
        },
        quiet: { actions: { steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'thanks' }] }, transitions: [{ to: 'done', after: 'PT1H' }] },
        // A private address is refused for good: the step is held for an operator at once.
        held: { actions: { steps: [{ id: 'crm', type: 'webhook', url: 'http://10.255.255.1/hook', body: {} }] }, transitions: [{ to: 'done', after: 'PT1H' }] },
        done: { end: true },
      },
    });
    return { key, version };
  };
  const messagesOf = async (key: string) =>
    (await h.db.dataSource.query(`select count(*)::int as n from messages where campaign_key = $1`, [key]))[0].n as number;
  const notesOf = (v: JourneyView) => v.trace.flatMap((t) => t.notes.map((n) => n.message));
  const afterAnotherBackoff = () => new Promise((r) => setTimeout(r, 9_000));

  it('an exit stops a webhook that is retrying: the journey ends at once and the webhook is not tried again', async () => {
    const c = await seed('stop-exit');
    await h.send(c, { id: 'x1', type: 'order.completed', userId: 'leaver', properties: { case: 'retrying' } });
    await eventually(async () => callsTo('/stop-exit') >= 2 || undefined, 30_000);
    await h.send(c, { id: 'x2', type: 'user.unsubscribed', userId: 'leaver' }, 'signal');
    // Before the patch the run stayed open until the webhook's ten attempts were spent.
    const result = await h.handle(c.key, 'leaver').result();
    expect(result.status).toBe('ended');
    const tried = callsTo('/stop-exit');
    await afterAnotherBackoff();
    expect(callsTo('/stop-exit')).toBe(tried);
    const view = await h.view(c.key, 'leaver');
    // The path is gone: the trace still says why its step was stopped.
    expect(notesOf(view)).toEqual(expect.arrayContaining([expect.stringMatching(/^outcome skipped for notify \{"stopped":"its path ended"\}: the step is not running/)]));
    expect(await messagesOf(c.key)).toBe(0);
  });

  it('a cancel stops the webhook its event caused and skips the message after it; the journey goes on', async () => {
    const c = await seed('stop-retry');
    await h.send(c, { id: 'r1', type: 'order.completed', userId: 'refunded', properties: { case: 'retrying' } });
    await eventually(async () => callsTo('/stop-retry') >= 2 || undefined, 30_000);
    await h.handle(c.key, 'refunded').signal(cancelEventSignal, { version: 1, eventId: 'r1', reason: 'refund' });
    const view = await h.waitForView(c.key, 'refunded', (v) => v.paths[0]?.steps.notify === 'skipped' && v.paths[0]?.steps.thanks === 'skipped');
    expect(notesOf(view)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^notify skipped .*its causing event r1 was cancelled/), 'thanks skipped: caused by cancelled event r1']),
    );
    expect(view.status).toBe('active');
    const tried = callsTo('/stop-retry');
    await afterAnotherBackoff();
    expect(callsTo('/stop-retry')).toBe(tried);
    expect(await messagesOf(c.key)).toBe(0);
  });

  it('a cancel stops a message waiting out quiet hours and a held webhook its event caused', async () => {
    const c = await seed('stop-wait');
    await h.send(c, { id: 'q1', type: 'order.completed', userId: 'night-owl', properties: { case: 'quiet' } });
    await h.send(c, { id: 'k1', type: 'order.completed', userId: 'held-one', properties: { case: 'held' } });
    await h.waitForView(c.key, 'night-owl', (v) => v.paths[0]?.steps.mail === 'running');
    await h.waitForView(c.key, 'held-one', (v) => v.held.length === 1);

    await h.handle(c.key, 'night-owl').signal(cancelEventSignal, { version: 1, eventId: 'q1', reason: 'refund' });
    await h.handle(c.key, 'held-one').signal(cancelEventSignal, { version: 1, eventId: 'k1', reason: 'fraud' });
    const quiet = await h.waitForView(c.key, 'night-owl', (v) => v.paths[0]?.steps.mail === 'skipped');
    expect(notesOf(quiet)).toEqual(expect.arrayContaining([expect.stringMatching(/^mail skipped .*its causing event q1 was cancelled/)]));
    const held = await h.waitForView(c.key, 'held-one', (v) => v.held.length === 0 && v.paths[0]?.steps.crm === 'skipped');
    expect(notesOf(held)).toEqual(expect.arrayContaining([expect.stringMatching(/^crm skipped .*its causing event k1 was cancelled/)]));
    expect(await messagesOf(c.key)).toBe(0);
  });

  it('a cancel of an event that caused nothing still waiting leaves a held step to its operator', async () => {
    const c = await seed('stop-other');
    await h.send(c, { id: 'o1', type: 'order.completed', userId: 'other', properties: { case: 'held' } });
    await h.waitForView(c.key, 'other', (v) => v.held.length === 1);
    await h.handle(c.key, 'other').signal(cancelEventSignal, { version: 1, eventId: 'unrelated', reason: 'refund' });
    await h.waitForView(c.key, 'other', (v) => v.trace.some((t) => t.input === 'cancel unrelated'));
    expect((await h.view(c.key, 'other')).held).toHaveLength(1);
  });
});
