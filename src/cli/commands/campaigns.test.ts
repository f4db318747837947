import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExitCode } from '../exit-codes';
import { kairosError, runKairos, withStubServer, type StubRequest } from '../test-support';

const definition = (amount: number) => ({ key: 'race', name: 'Race', entry: { on: 'order.completed' }, initial: 'done', states: { done: { end: true, amount } } });

/**
 * A stub Kairos holding campaign `race` (v4 active) whose operator pauses it
 * just after `apply` has read it (the pause lands between apply's read and
 * its activation). Its activate does what Kairos does: a compare-and-set on
 * the statuses the body allows (`ifStatus`, else draft, active or paused).
 */
function raceServer() {
  const campaign = { key: 'race', name: 'Race', status: 'active', activeVersion: 4, latestVersion: 4, createdAt: 'c', updatedAt: 'u' };
  const versions = [1, 2, 3, 4].map((version) => ({ version, createdAt: `2026-11-0${version}T00:00:00.000Z`, activatedAt: `2026-11-0${version}T00:01:00.000Z`, layout: null }));
  let reads = 0;
  const answer = (req: StubRequest) => {
    if (req.method === 'GET' && req.path === '/v1/campaigns/race/versions') {
      const body = { ...campaign, versions };
      // The operator presses Pause once apply has read the campaign as active.
      if (++reads === 1) campaign.status = 'paused';
      return { status: 200, body };
    }
    if (req.method === 'GET' && req.path === '/v1/campaigns/race/versions/4') return { status: 200, body: { key: 'race', ...versions[3], definition: definition(10) } };
    if (req.method === 'PUT' && req.path === '/v1/campaigns/race') {
      campaign.latestVersion = 5;
      versions.push({ version: 5, createdAt: '2026-11-05T00:00:00.000Z', activatedAt: null as unknown as string, layout: null });
      return { status: 200, body: { key: 'race', version: 5 } };
    }
    if (req.method === 'POST' && req.path === '/v1/campaigns/race/activate') {
      const { version, ifStatus } = JSON.parse(req.body) as { version: number; ifStatus?: string[] };
      const from = (ifStatus ?? ['draft', 'active', 'paused']).filter((s) => ['draft', 'active', 'paused'].includes(s));
      if (!from.includes(campaign.status)) {
        return {
          status: 409,
          body: kairosError('invalid_status_change', `Campaign race is ${campaign.status}, and this request may activate it only from ${from.join(' or ')} (ifStatus); nothing changed.`, [
            { path: 'ifStatus', message: `the campaign is ${campaign.status}` },
          ]),
        };
      }
      Object.assign(campaign, { status: 'active', activeVersion: version });
      return { status: 200, body: campaign };
    }
    return { status: 404, body: kairosError('not_found', `no route ${req.method} ${req.path}`) };
  };
  return { campaign, answer };
}

describe('campaigns apply --activate: a pause that lands meanwhile is not undone (review 46, finding 3)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-apply-'));
    writeFileSync(path.join(dir, 'race.json'), JSON.stringify(definition(20)));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends the statuses it read and accepts as ifStatus; on the 409 the version is saved, not active, the campaign still paused, and the line says how to resume', async () => {
    const { campaign, answer } = raceServer();
    await withStubServer(answer, async (url, requests) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'apply', 'race.json', '--activate'], { cwd: dir });
      const activations = requests.filter((r) => r.path === '/v1/campaigns/race/activate').map((r) => JSON.parse(r.body) as unknown);
      expect(activations).toEqual([{ version: 5, ifStatus: ['draft', 'active'] }]);
      expect(campaign).toMatchObject({ status: 'paused', activeVersion: 4 });
      expect(res.code).toBe(ExitCode.failure);
      expect(res.out).toBe('race: new version v5 from race.json\n');
      expect(res.err).toBe(
        [
          'race.json: race v5 is saved but not active: Campaign race is paused, and this request may activate it only from draft or active (ifStatus); nothing changed.',
          '  race was paused while this apply ran, and apply --activate never resumes a campaign: `kairos campaigns activate race --version 5` resumes it',
          '1 of 1 file(s) saved but not activated',
          '',
        ].join('\n'),
      );
    });
  });
});
