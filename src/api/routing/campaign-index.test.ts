import type { JsonObject } from '../../store/json';
import { PlanStore } from '../../store/plan-store';
import type { CampaignsRepository, RoutableCampaign } from '../../store/repositories/campaigns.repository';
import { credentialedHook } from '../../domain/testing/credentialed-hook';
import { CampaignIndex } from './campaign-index';

/** Saved before webhook URLs with credentials were refused (review-62, finding 1); its journeys run it. */
const hook = credentialedHook();

/** The campaigns table: `hook` active on version 3, its only version that took entries. */
function repository(): CampaignsRepository {
  const stored: Record<string, JsonObject> = { 'hook@3': hook };
  return {
    routable: async (): Promise<RoutableCampaign[]> => [{ key: 'hook', status: 'active', activeVersion: 3, versions: [3] }],
    definitions: async (versions: ReadonlyArray<{ key: string; version: number }>) =>
      new Map(versions.filter((v) => stored[`${v.key}@${v.version}`]).map((v) => [`${v.key}@${v.version}`, stored[`${v.key}@${v.version}`]])),
  } as unknown as CampaignsRepository;
}

describe('the routing index on a version saved before a schema rule refused it (review-62, finding 1)', () => {
  it('routes it as its journeys run it: its entry starts, the type its journeys wait for reaches them', async () => {
    const index = new CampaignIndex(repository(), new PlanStore({ definition: async () => null }));
    await index.reload();
    expect(index.route('order.completed')).toEqual({ start: [{ key: 'hook', version: 3 }], signal: [] });
    expect(index.route('order.shipped')).toEqual({ start: [], signal: [{ key: 'hook', version: 3 }] });
  });
});
