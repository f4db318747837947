import type { Config } from '../../config/config';
import type { CampaignsRepository } from '../../store/repositories/campaigns.repository';
import { TemporalLinks } from '../journeys/temporal-links';
import type { RuntimeInfo } from '../core/core.module';
import { CampaignGraphService } from './campaign-graph.service';

const definition = (version: number) => ({
  key: 'welcome',
  name: `Welcome v${version}`,
  entry: { on: 'order.completed' },
  initial: 'nudged',
  states: { nudged: { transitions: [{ to: 'done', on: 'order.completed' }] }, done: { end: true } },
});

/** A campaign of two versions (v1 active), and links into a Temporal UI at http://ui. */
function service(): CampaignGraphService {
  const repo = {
    get: async () => ({ key: 'welcome', name: 'Welcome', status: 'active', activeVersion: 1, latestVersion: 2, createdAt: 'c', updatedAt: 'u' }),
    definition: async (_key: string, version: number) => definition(version),
  };
  const links = new TemporalLinks({ temporalAddress: 'localhost:7233', temporalUiUrl: 'http://ui/' } as RuntimeInfo, { temporal: { namespace: 'default' } } as Config);
  return new CampaignGraphService(repo as unknown as CampaignsRepository, links);
}

/** Each node's link as the visibility query it carries. */
async function queries(version?: string): Promise<Record<string, string | null>> {
  const graph = await service().graph('welcome', version === undefined ? {} : { version });
  return Object.fromEntries(graph.nodes.map((n) => [n.id, n.temporalUrl === null ? null : new URL(n.temporalUrl).searchParams.get('query')]));
}

describe("the campaign graph's links into the Temporal UI", () => {
  // Review 60 (analytics), finding 2: a state's link listed every version's journeys and closed runs that kept its JourneyState.
  it("list the version drawn's journeys: a waiting state's running ones only, an end state's closed ones too", async () => {
    expect(await queries('2')).toEqual({
      '(entry)': 'CampaignKey = "welcome" AND CampaignVersion = 2',
      nudged: 'CampaignKey = "welcome" AND CampaignVersion = 2 AND ExecutionStatus = "Running" AND JourneyState = "nudged"',
      done: 'CampaignKey = "welcome" AND CampaignVersion = 2 AND JourneyState = "done"',
    });
    // Without ?version, the version drawn is the active one.
    expect((await queries()).nudged).toBe('CampaignKey = "welcome" AND CampaignVersion = 1 AND ExecutionStatus = "Running" AND JourneyState = "nudged"');
  });
});
