import { CampaignIndex } from '../../src/api/routing/campaign-index';
import { PlanStore } from '../../src/store/plan-store';
import { CampaignsRepository } from '../../src/store/repositories/campaigns.repository';
import { statementsOf } from '../support/statement-spy';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Starts on `entry`, then waits for `listen` (which it cannot start on). */
const campaign = (key: string, entry: string, listen: string) => ({
  key,
  name: key,
  entry: { on: entry },
  initial: 'waiting',
  states: { waiting: { transitions: [{ to: 'done', on: listen }] }, done: { end: true } },
});

const readDefinitions = <T extends { text: string }>(statements: T[]) => statements.filter((s) => /definition/i.test(s.text));

/**
 * The routing index reloads on every campaign change and every minute. Plans
 * are immutable per version, so a reload reads the numbers of the routable
 * versions and the definitions only of versions this process has not seen.
 */
describe('the routing index reads only the definitions it lacks', () => {
  let db: TestDatabase;
  let campaigns: CampaignsRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    campaigns = new CampaignsRepository(db.dataSource);
  });
  afterAll(async () => db?.drop());

  it('reads unseen versions in one statement, none on a reload with nothing new, and routes every version that took entries', async () => {
    const index = new CampaignIndex(campaigns, new PlanStore(campaigns));
    await campaigns.saveActive('a', campaign('a', 'a.start', 'a.v1'));
    await campaigns.saveActive('b', campaign('b', 'b.start', 'b.next'));

    const first = readDefinitions((await statementsOf(() => index.reload())).statements);
    expect(first).toHaveLength(1);
    expect(first[0].values).toEqual([
      ['a', 'b'],
      [1, 1],
    ]);
    expect(index.route('a.start').start).toEqual([{ key: 'a', version: 1 }]);
    expect(index.route('b.next').signal).toEqual([{ key: 'b', version: 1 }]);

    expect(readDefinitions((await statementsOf(() => index.reload())).statements)).toEqual([]);

    // A new version of a: only it is read; v1's journeys still hear v1's types.
    await campaigns.saveActive('a', campaign('a', 'a.start', 'a.v2'));
    const afterChange = readDefinitions((await statementsOf(() => index.reload())).statements);
    expect(afterChange.map((s) => s.values)).toEqual([[['a'], [2]]]);
    expect(index.route('a.start').start).toEqual([{ key: 'a', version: 2 }]);
    expect(index.route('a.v1').signal).toEqual([{ key: 'a', version: 2 }]);
    expect(index.route('a.v2').signal).toEqual([{ key: 'a', version: 2 }]);
  });

  it('routes every version even when the plan store keeps fewer versions than are routable', async () => {
    // One entry: each version planned pushes out the one before, so versions held at the start of a load are gone by their turn.
    const index = new CampaignIndex(campaigns, new PlanStore(campaigns, 1));
    await index.reload();
    await index.reload();
    expect(index.route('a.v1').signal).toEqual([{ key: 'a', version: 2 }]);
    expect(index.route('a.v2').signal).toEqual([{ key: 'a', version: 2 }]);
    expect(index.route('a.start').start).toEqual([{ key: 'a', version: 2 }]);
    expect(index.route('b.next').signal).toEqual([{ key: 'b', version: 1 }]);
    expect(index.route('b.start').start).toEqual([{ key: 'b', version: 1 }]);
  });

  it("reads nothing on a reload with nothing new, even with more routable versions than the plan store keeps", async () => {
    // Three routable versions (a@1, a@2, b@1), a store that keeps two: each load used to push out the next version it needed.
    const index = new CampaignIndex(campaigns, new PlanStore(campaigns, 2));
    await index.reload();
    expect(readDefinitions((await statementsOf(() => index.reload())).statements)).toEqual([]);
    expect(readDefinitions((await statementsOf(() => index.reload())).statements)).toEqual([]);
    expect(index.route('a.v1').signal).toEqual([{ key: 'a', version: 2 }]);
    expect(index.route('a.start').start).toEqual([{ key: 'a', version: 2 }]);
    expect(index.route('b.next').signal).toEqual([{ key: 'b', version: 1 }]);
  });
});
