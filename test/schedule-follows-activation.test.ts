import type { JourneyEvent } from '../src/domain/event';
import type { JourneyOutcome } from '../src/workflows/journey/contract';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * A journey idle between entries ends by its campaign's schedule, which is
 * the active version's: activating a version whose `schedule.endsAt`
 * differs tells the running journeys (patch schedule-end-follows-activation).
 * Before, a journey idle on an older version ended at that version's end:
 * too early when the campaign was extended, never when a newer version set
 * the first end.
 */

/** Enter on `visit` (up to three times); the path ends at once. */
const campaign = (key: string, schedule?: { endsAt: string }) => ({
  key,
  name: key,
  entry: { on: 'visit' },
  participation: { maxEntries: 3 },
  ...(schedule ? { schedule } : {}),
  initial: 'start',
  states: { start: { transitions: [{ to: 'done' }] }, done: { end: true } },
});

const SCHEDULE_ENDED = 'completed: the campaign schedule ended';

interface JourneyBody {
  status: string;
  trace: Array<{ input: string; notes: Array<{ kind: string; message: string }> }>;
}

describe('the schedule an activation tells running journeys', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
  });
  afterAll(async () => sut?.stop());

  const op = (method: string, path: string, body?: unknown) => sut.request(method, path, { role: 'operator', body });
  const handle = (key: string, user: string) => sut.client.workflow.getHandle(sut.kairos.journeys.idOf(key, user));
  const journey = async (key: string, user: string): Promise<JourneyBody | undefined> => {
    const res = await sut.request('GET', `/v1/journeys/${key}/${user}`, { role: 'support' });
    return res.status === 200 ? (res.body as JourneyBody) : undefined;
  };
  const idle = (key: string, user: string) => eventually(async () => ((await journey(key, user))?.status === 'idle' ? true : undefined));
  const toldV2 = (key: string, user: string) => eventually(async () => ((await journey(key, user))?.trace.some((t) => t.input === 'campaign schedule of v2') ? true : undefined));

  it('ends a journey idle on a version with no end at the end a newer version set, and one begun on that version afterwards too', async () => {
    await launchCampaign(sut, campaign('sched-set'));
    await sendEvent(sut, { id: 'ss-1', type: 'visit', userId: 'ann' });
    await idle('sched-set', 'ann');
    const endsAt = new Date(Date.now() + 12_000).toISOString();
    expect((await op('PUT', '/v1/campaigns/sched-set', campaign('sched-set', { endsAt }))).status).toBe(200);
    expect((await op('POST', '/v1/campaigns/sched-set/activate', { version: 2 })).status).toBe(200);
    await toldV2('sched-set', 'ann');
    // A start routed to v1 before the activation and delivered after the telling went by (an outbox backlog):
    // the journey learns the active version's end from its start lookup.
    const workflowId = sut.kairos.journeys.idOf('sched-set', 'cy');
    const event = { version: 1, id: 'ss-2', type: 'visit', userId: 'cy', occurredAt: new Date().toISOString(), properties: {} } as unknown as JourneyEvent;
    expect(await sut.kairos.journeys.deliver({ kind: 'start', workflowId, campaignKey: 'sched-set', campaignVersion: 1, userId: 'cy', event })).toBe('delivered');
    const [ann, cy] = await Promise.all([handle('sched-set', 'ann').result(), handle('sched-set', 'cy').result()]);
    expect([ann, cy]).toEqual<JourneyOutcome[]>([
      { status: 'ended', endReason: SCHEDULE_ENDED, entries: 1 },
      { status: 'ended', endReason: SCHEDULE_ENDED, entries: 1 },
    ]);
    expect(Date.now()).toBeGreaterThan(Date.parse(endsAt));
  }, 60_000);

  it('keeps a journey idle on a version that ended when a newer version extends the schedule, and moves it at its next entry', async () => {
    // Far enough ahead that the journey is told before it (the telling waits out visibility's lag first).
    const endsAt = new Date(Date.now() + 15_000).toISOString();
    await launchCampaign(sut, campaign('sched-ext', { endsAt }));
    await sendEvent(sut, { id: 'se-1', type: 'visit', userId: 'bob' });
    await idle('sched-ext', 'bob');
    expect((await op('PUT', '/v1/campaigns/sched-ext', campaign('sched-ext', { endsAt: new Date(Date.now() + 3_600_000).toISOString() }))).status).toBe(200);
    expect((await op('POST', '/v1/campaigns/sched-ext/activate', { version: 2 })).status).toBe(200);
    await toldV2('sched-ext', 'bob');
    expect(Date.now()).toBeLessThan(Date.parse(endsAt));
    // Past v1's end, with time for its wait to fire: the journey waits on.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(endsAt) - Date.now()) + 2_000));
    expect((await handle('sched-ext', 'bob').describe()).status.name).toBe('RUNNING');
    expect((await journey('sched-ext', 'bob'))?.status).toBe('idle');
    await sendEvent(sut, { id: 'se-2', type: 'visit', userId: 'bob' });
    await eventually(async () => {
      const j = await journey('sched-ext', 'bob');
      return j?.trace.some((t) => t.notes.some((n) => n.message.startsWith('idle on v1: continues on v2'))) ? j : undefined;
    });
  }, 60_000);
});
