import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { exitSignal } from '../../src/workflows/journey/contract';

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

describe('quiet hours on the real dev server', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('holds a message until quiet hours end (rewards go out at once), and drops it if the user exits meanwhile', async () => {
    const now = new Date();
    const quietHours = { from: hhmm(new Date(now.getTime() - 60 * 60_000)), to: hhmm(new Date(now.getTime() + 60 * 60_000)) };
    const c = {
      key: 'quiet',
      version: await h.seedCampaign({
        key: 'quiet',
        name: 'quiet hours',
        schedule: { timezone: 'UTC', quietHours },
        entry: { on: 'order.completed' },
        exitOn: [{ on: 'user.unsubscribed' }],
        initial: 'thanks',
        states: {
          thanks: {
            actions: { strategy: 'parallel', steps: [{ id: 'mail', type: 'message', channel: 'email', template: 'thanks' }, { id: 'pts', type: 'points', amount: 5 }] },
            end: true,
          },
        },
      }),
    };
    await h.send(c, { id: 'q1', type: 'order.completed', userId: 'night-owl' });
    const waiting = await h.waitForView('quiet', 'night-owl', (v) => v.paths[0]?.steps.pts === 'succeeded');
    expect(waiting.paths[0].steps.mail).toBe('running');
    const history = await h.handle('quiet', 'night-owl').fetchHistory();
    const summaries = (history.events ?? []).map((e) => e.userMetadata?.summary?.data).filter(Boolean).map((d) => Buffer.from(d as Uint8Array).toString());
    expect(summaries.some((s) => s.includes('quiet hours') && s.includes('waits until'))).toBe(true);
    const [{ n }] = await h.db.dataSource.query(`select count(*)::int as n from messages where campaign_key = 'quiet'`);
    expect(n).toBe(0);

    await h.handle('quiet', 'night-owl').signal(exitSignal, { version: 1, reason: 'support request' });
    const result = await h.handle('quiet', 'night-owl').result();
    expect(result.status).toBe('ended');
    const [{ sent }] = await h.db.dataSource.query(`select count(*)::int as sent from messages where campaign_key = 'quiet'`);
    expect(sent).toBe(0);
    const [{ pts }] = await h.db.dataSource.query(`select count(*)::int as pts from rewards where campaign_key = 'quiet'`);
    expect(pts).toBe(1);
  });
});
