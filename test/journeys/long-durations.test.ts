import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';

/**
 * Issue 11, item 2, on the real server: the longest durations a campaign may
 * use (P1000Y) start real timers and cooldowns without failing a workflow task.
 */
const campaign = {
  key: 'longest',
  name: 'the longest wait',
  entry: { on: 'a' },
  participation: { maxEntries: 2, cooldown: 'P1000Y', frequency: { max: 1, per: 'P12000M' } },
  initial: 'waiting',
  states: {
    waiting: {
      transitions: [
        { to: 'done', on: 'b' },
        { to: 'expired', after: 'P1000Y' },
        { to: 'expired', after: 'P365242D' },
      ],
    },
    done: { end: true },
    expired: { end: true },
  },
};

describe('the longest durations on the real server', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('timers of P1000Y start, the journey goes on, and the cooldown refuses the next entry', async () => {
    const c = { key: campaign.key, version: await h.seedCampaign(campaign) };
    await h.send(c, { id: 'a1', type: 'a', userId: 'u1' });
    const waiting = await h.waitForView(campaign.key, 'u1', (v) => v.states[0] === 'waiting');
    expect(waiting.states).toEqual(['waiting']);
    await h.send(c, { id: 'b1', type: 'b', userId: 'u1' }, 'signal');
    await h.send(c, { id: 'a2', type: 'a', userId: 'u1' });
    const view = await h.waitForView(campaign.key, 'u1', (v) => v.trace.some((t) => t.input.includes('a2')));
    expect(view.trace.find((t) => t.input.includes('a2'))?.notes.map((n) => n.message).join('\n')).toMatch(/cooldown P1000Y/);
    // No workflow task failed on the way (a refused timer would fail every retry).
    const history = await h.handle(campaign.key, 'u1').fetchHistory();
    const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
    expect(failed).toEqual([]);
    const timers = (history.events ?? []).filter((e) => e.timerStartedEventAttributes);
    expect(timers.length).toBeGreaterThanOrEqual(2);
  });
});
