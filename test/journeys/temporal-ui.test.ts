import { defaultPayloadConverter } from '@temporalio/common';
import { cancelEverywhere } from '../../src/api/events/cancel-everywhere';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { eventually } from '../support/system-under-test';

const campaign = (key: string) => ({
  key,
  name: 'Welcome points, then a review',
  entry: { on: 'order.completed' },
  initial: 'welcome',
  states: {
    welcome: {
      actions: { steps: [{ type: 'points', amount: 10 }] },
      transitions: [
        { to: 'reviewed', on: 'review.posted' },
        { to: 'lapsed', after: 'PT1H' },
      ],
    },
    reviewed: { end: true },
    lapsed: { end: true },
  },
});

/**
 * What an operator reads in the Temporal UI: a summary line per journey, its
 * current details (state, what it waits for, the next timer), a summary on
 * every activity (reclaim included), and a CampaignVersion to filter by.
 */
describe('journeys read well in the Temporal UI', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
  });
  afterAll(async () => h?.stop());

  it('carries the campaign name in its memo: written by the journey, or given with the start when the plan store has the version compiled', async () => {
    const key = `ui-memo-${Date.now()}`;
    const c = { key, version: await h.seedCampaign(campaign(key)) };
    const memoWrites = async (userId: string) =>
      ((await h.handle(key, userId).fetchHistory()).events ?? []).filter((e) => e.workflowPropertiesModifiedEventAttributes).length;
    // Nothing compiled this version yet: the start memo has no name, the journey writes it.
    await h.send(c, { id: `${key}-a`, type: 'order.completed', userId: 'u-a' });
    await h.waitForView(key, 'u-a', (v) => v.rewards.some((r) => r.status === 'issued'));
    // As the API's routing index does for every routed version.
    await h.kairos.plans.plan(key, c.version);
    await h.send(c, { id: `${key}-b`, type: 'order.completed', userId: 'u-b' });
    await h.waitForView(key, 'u-b', (v) => v.rewards.some((r) => r.status === 'issued'));
    for (const userId of ['u-a', 'u-b']) {
      expect((await h.handle(key, userId).describe()).memo).toEqual({ campaignKey: key, campaignName: 'Welcome points, then a review', campaignVersion: c.version });
    }
    expect([await memoWrites('u-a'), await memoWrites('u-b')]).toEqual([1, 0]);
  });

  it('shows a static summary, current details, activity summaries and the CampaignVersion attribute', async () => {
    const key = `ui-watch-${Date.now()}`;
    const c = { key, version: await h.seedCampaign(campaign(key)) };
    await h.send(c, { id: `${key}-o1`, type: 'order.completed', userId: 'u-ui' });
    await h.waitForView(key, 'u-ui', (v) => v.rewards.some((r) => r.status === 'issued'));
    const handle = h.handle(key, 'u-ui');

    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`${key} v1 · user u-ui`);
    expect(await description.staticDetails()).toContain(`**Campaign** ${key}, version 1`);
    expect(description.typedSearchAttributes.getAll().find((p) => p.key.name === 'CampaignVersion')?.value).toBe(1);

    const details = await eventually(async () => {
      const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      return meta.currentDetails?.includes('next timer') ? meta.currentDetails : undefined;
    });
    expect(details).toContain('**welcome** (entry 1');
    expect(details).toContain('review.posted → reviewed');
    expect(details).toContain('PT1H → lapsed');

    await cancelEverywhere({ journeys: h.kairos.journeys, ...h.kairos.repositories }, { eventId: `${key}-o1`, reason: 'refund', workflowIds: [`journey:${key}:u-ui`] });
    await h.waitForView(key, 'u-ui', (v) => v.rewards.some((r) => r.status === 'reclaimed'));

    const history = await handle.fetchHistory();
    // Activities and local activities alike (a local one is a marker whose details name its type).
    const summaries = (history.events ?? []).flatMap((e) => {
      const marker = e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? e.markerRecordedEventAttributes.details?.data?.payloads?.[0] : undefined;
      const type = marker
        ? defaultPayloadConverter.fromPayload<{ activity_type: string }>(marker).activity_type
        : e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (!type) return [];
      const payload = e.userMetadata?.summary;
      return [{ type, summary: payload ? defaultPayloadConverter.fromPayload<string>(payload) : undefined }];
    });
    expect(summaries.map((s) => s.type)).toEqual(expect.arrayContaining(['loadJourneyStart', 'issueRewardWithLog', 'reclaimRewards']));
    for (const s of summaries) expect(s).toEqual({ type: s.type, summary: expect.any(String) });
    expect(summaries.find((s) => s.type === 'reclaimRewards')?.summary).toContain(`reclaim what event ${key}-o1 caused`);

    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const w of h.client.workflow.list({ query: `CampaignKey = '${key}' AND CampaignVersion = 1` })) ids.push(w.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(found).toEqual([`journey:${key}:u-ui`]);
  });
});
