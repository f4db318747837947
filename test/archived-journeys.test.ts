import type { JourneyEvent } from '../src/domain/event';
import { archivedCampaignWorkflow } from '../src/workflows/archived-campaign.workflow';
import type { JourneyOutcome } from '../src/workflows/journey/contract';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * An archived campaign takes no entries again, so its journeys have nothing
 * left to wait for once no path runs: archiving tells them (a Temporal batch
 * operation), and a journey that starts afterwards learns it from its start
 * lookup (patch archive-ends-journeys). Before, an idle journey of an
 * archived campaign stayed open for ever.
 */

/** Enter on `visit` (up to three times); the path ends at once, or waits a month. */
const campaign = (key: string, waits: boolean) => ({
  key,
  name: key,
  entry: { on: 'visit' },
  participation: { maxEntries: 3 },
  initial: 'start',
  states: {
    start: { transitions: [waits ? { to: 'done', after: 'P30D' } : { to: 'done' }] },
    done: { end: true },
  },
});

const ARCHIVED = 'completed: the campaign was archived';

interface JourneyBody {
  status: string;
  endReason: string | null;
  paths: unknown[];
  trace: Array<{ input: string; notes: Array<{ kind: string; message: string }> }>;
}

describe('archiving a campaign ends its journeys once idle', () => {
  let sut: SystemUnderTest;
  beforeAll(async () => {
    sut = await startSystemUnderTest();
    await launchCampaign(sut, campaign('arch-quick', false));
    await launchCampaign(sut, campaign('arch-slow', true));
  });
  afterAll(async () => sut?.stop());

  const op = (method: string, path: string) => sut.request(method, path, { role: 'operator' });
  const handle = (key: string, user: string) => sut.client.workflow.getHandle(sut.kairos.journeys.idOf(key, user));
  const journey = async (key: string, user: string): Promise<JourneyBody | undefined> => {
    const res = await sut.request('GET', `/v1/journeys/${key}/${user}`, { role: 'support' });
    return res.status === 200 ? (res.body as JourneyBody) : undefined;
  };
  const closed = (key: string, user: string) =>
    eventually(async () => {
      const d = await handle(key, user).describe();
      return d.status.name === 'RUNNING' ? undefined : d.status.name;
    });

  it('ends an idle journey at once and lets a running path go on; a journey that starts later ends once idle', async () => {
    await sendEvent(sut, { id: 'aq-1', type: 'visit', userId: 'ann' });
    await sendEvent(sut, { id: 'as-1', type: 'visit', userId: 'bob' });
    // Ann's path ended (she may enter twice more: idle); Bob's waits a month.
    await eventually(async () => ((await journey('arch-quick', 'ann'))?.status === 'idle' ? true : undefined));
    await eventually(async () => ((await journey('arch-slow', 'bob'))?.status === 'active' ? true : undefined));

    // Two archives at once both go through (a Temporal batch operation would refuse the second).
    const archived = await Promise.all([op('POST', '/v1/campaigns/arch-quick/archive'), op('POST', '/v1/campaigns/arch-slow/archive')]);
    expect(archived.map((r) => r.status)).toEqual([200, 200]);

    expect(await closed('arch-quick', 'ann')).toBe('COMPLETED');
    expect(await handle('arch-quick', 'ann').result()).toEqual<JourneyOutcome>({ status: 'ended', endReason: ARCHIVED, entries: 1 });

    const bob = await eventually(async () => {
      const j = await journey('arch-slow', 'bob');
      return j?.trace.some((t) => t.input === 'campaign archived') ? j : undefined;
    });
    expect(bob.status).toBe('active');
    expect(bob.paths).toHaveLength(1);
    expect(bob.trace.at(-1)?.notes).toEqual([{ kind: 'waiting', message: 'the campaign was archived: the journey ends when its path ends' }]);
    expect((await handle('arch-slow', 'bob').describe()).status.name).toBe('RUNNING');

    // A delivery accepted before the archive and sent after it (the outbox was held back): the
    // journey it starts takes the entry, then ends instead of staying idle.
    const event: JourneyEvent = { version: 1, id: 'aq-late', type: 'visit', userId: 'cy', occurredAt: new Date().toISOString(), properties: {} };
    await sut.kairos.journeys.deliver({ kind: 'start', workflowId: sut.kairos.journeys.idOf('arch-quick', 'cy'), campaignKey: 'arch-quick', campaignVersion: 1, userId: 'cy', event });
    expect(await closed('arch-quick', 'cy')).toBe('COMPLETED');
    expect(await handle('arch-quick', 'cy').result()).toEqual<JourneyOutcome>({ status: 'ended', endReason: ARCHIVED, entries: 1 });
  });

  it('tells every journey, page after page', async () => {
    await launchCampaign(sut, campaign('arch-paged', false));
    const users = ['p1', 'p2', 'p3'];
    for (const u of users) await sendEvent(sut, { id: `ap-${u}`, type: 'visit', userId: u });
    for (const u of users) await eventually(async () => ((await journey('arch-paged', u))?.status === 'idle' ? true : undefined));
    // Visibility lists a journey a moment after it starts: all three, before the pages are asked for.
    await eventually(async () => ((await sut.client.workflow.count(`CampaignKey = "arch-paged" AND ExecutionStatus = "Running"`)).count === 3 ? true : undefined));
    await sut.db.dataSource.query(`update campaigns set status = 'archived' where key = 'arch-paged'`);
    const run = await sut.client.workflow.start(archivedCampaignWorkflow, {
      workflowId: `test-archived-paged-${sut.taskQueue}`,
      taskQueue: sut.taskQueue,
      args: [{ version: 1, campaignKey: 'arch-paged', pageSize: 1 }],
    });
    expect(await run.result()).toEqual({ told: 3 });
    for (const u of users) expect(await closed('arch-paged', u)).toBe('COMPLETED');
  });

  it('archiving again, or a campaign that never took entries, answers 200', async () => {
    expect((await op('POST', '/v1/campaigns/arch-quick/archive')).status).toBe(200);
    const draft = await sut.request('POST', '/v1/campaigns', { role: 'operator', body: campaign('arch-draft', false) });
    expect(draft.status).toBe(201);
    expect((await op('POST', '/v1/campaigns/arch-draft/archive')).status).toBe(200);
  });
});
