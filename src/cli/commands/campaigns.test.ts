import fs, { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExitCode } from '../exit-codes';
import { parseSource } from '../source-document';
import { kairosError, runKairos, withStubServer, type StubAnswer, type StubRequest } from '../test-support';

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
      expect(activations).toEqual([{ version: 5, ifStatus: ['draft', 'active'], ifActiveVersion: 4 }]);
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

describe('campaigns export: a stored "<<" key comes back as a key (review 49, finding 5)', () => {
  /** A stub Kairos holding campaign `hooks`, v1 active, whose definition is `definition`. */
  const storing = (stored: Record<string, unknown>) => (req: StubRequest) => {
    const version = { version: 1, createdAt: '2026-11-01T00:00:00.000Z', activatedAt: '2026-11-01T00:01:00.000Z', layout: null };
    if (req.path === '/v1/campaigns/hooks/versions') return { status: 200, body: { key: 'hooks', name: 'Hooks', status: 'active', activeVersion: 1, latestVersion: 1, createdAt: 'c', updatedAt: 'u', versions: [version] } };
    if (req.path === '/v1/campaigns/hooks/versions/1') return { status: 200, body: { key: 'hooks', ...version, definition: stored } };
    return { status: 404, body: kairosError('not_found', `no route ${req.method} ${req.path}`) };
  };

  it.each([
    ['a map', { '<<': { a: 1 }, b: 2 }],
    ['text', { '<<': 't' }],
  ])('under a "<<" key holding %s, the file reads back as the stored definition, not merged nor refused', async (_what, body) => {
    const stored = { key: 'hooks', name: 'Hooks', webhook: { body } };
    await withStubServer(storing(stored), async (url) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'export', 'hooks']);
      expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
      const file = parseSource('hooks.yaml', res.out);
      expect({ errors: file.syntaxErrors, value: file.value }).toEqual({ errors: [], value: stored });
    });
  });

  // Review 55 (CLI), finding 5: yaml leaves C1 controls raw and bidirectional ones unquoted; printed, a terminal obeys them.
  it('writes C1 and bidirectional controls as escapes, in keys and values, and the file reads back as stored', async () => {
    const stored = { key: 'hooks', name: 'a\u202eb\u009bc', webhook: { body: { 'k\u2066': 'line\nnext\u0085', t: '\u200fx' } } };
    await withStubServer(storing(stored), async (url) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'export', 'hooks']);
      expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
      expect(res.out).not.toMatch(/[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      expect(res.out).toContain('name: "a\\u202eb\\u009bc"');
      const file = parseSource('hooks.yaml', res.out);
      expect({ errors: file.syntaxErrors, value: file.value }).toEqual({ errors: [], value: stored });
    });
  });
});

/**
 * A stub Kairos holding campaign `roll`: v1 and v2 saved, v2 (the file's)
 * the latest, and v1 active. `v2WasActive` says whether v2 was ever
 * activated (an operator moved back to v1 after it), or never was (an
 * earlier apply --activate was refused). Its activate does what Kairos
 * does with `ifActiveVersion`: a compare-and-set on the active version.
 */
function rollbackServer(v2WasActive: boolean, activeNow = 1) {
  const campaign = { key: 'roll', name: 'Roll', status: 'active', activeVersion: 1, latestVersion: 2, createdAt: 'c', updatedAt: 'u' };
  const versions = [
    { version: 1, createdAt: '2026-11-01T00:00:00.000Z', activatedAt: '2026-11-01T00:01:00.000Z', layout: null },
    { version: 2, createdAt: '2026-11-02T00:00:00.000Z', activatedAt: v2WasActive ? '2026-11-02T00:01:00.000Z' : null, layout: null },
  ];
  const stored = (version: number) => ({ ...definition(version * 10), key: 'roll' });
  let reads = 0;
  const answer = (req: StubRequest) => {
    if (req.method === 'GET' && req.path === '/v1/campaigns/roll/versions') {
      const body = { ...campaign, versions };
      // Another version is activated once apply has read the campaign (when the case asks for it).
      if (++reads === 1) campaign.activeVersion = activeNow;
      return { status: 200, body };
    }
    const detail = /^\/v1\/campaigns\/roll\/versions\/(\d+)$/.exec(req.path);
    if (req.method === 'GET' && detail) return { status: 200, body: { key: 'roll', ...versions[Number(detail[1]) - 1], definition: stored(Number(detail[1])) } };
    if (req.method === 'PUT' && req.path === '/v1/campaigns/roll') {
      campaign.latestVersion = 3;
      versions.push({ version: 3, createdAt: '2026-11-03T00:00:00.000Z', activatedAt: null, layout: null });
      return { status: 200, body: { key: 'roll', version: 3 } };
    }
    if (req.method === 'POST' && req.path === '/v1/campaigns/roll/activate') {
      const { version, ifActiveVersion } = JSON.parse(req.body) as { version: number; ifActiveVersion?: number | null };
      if (ifActiveVersion !== undefined && ifActiveVersion !== campaign.activeVersion) {
        return {
          status: 409,
          body: kairosError('active_version_changed', `Campaign roll changed meanwhile: version ${campaign.activeVersion} is active, and this request may activate version ${version} only while version ${ifActiveVersion} is (ifActiveVersion); nothing changed.`, [
            { path: 'ifActiveVersion', message: `version ${campaign.activeVersion} is active` },
          ]),
        };
      }
      campaign.activeVersion = version;
      return { status: 200, body: campaign };
    }
    return { status: 404, body: kairosError('not_found', `no route ${req.method} ${req.path}`) };
  };
  return { campaign, answer };
}

// Review 59 (API), finding 1: the activation stored, its journeys not told (503 temporal_unavailable): run again, apply
// finds the version active and sends nothing, so it sends the activation again itself, only while that version is active.
describe('campaigns apply --activate after a 503 that asks for the activation again', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-untold-'));
    writeFileSync(path.join(dir, 'roll.json'), JSON.stringify({ ...definition(30), key: 'roll' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * The rollback stub, whose activations store and then answer 503 (Temporal not told) `untold` times; with
   * `resent`, the activation sent again is answered that way instead (never, for null).
   */
  function untoldServer(untold: number, resent?: StubAnswer | null) {
    const server = rollbackServer(true);
    let activations = 0;
    const answer = (req: StubRequest): StubAnswer | null => {
      if (req.path === '/v1/campaigns/roll/activate' && ++activations === 2 && resent !== undefined) return resent;
      const answered = server.answer(req);
      if (req.path !== '/v1/campaigns/roll/activate' || answered.status !== 200 || untold-- <= 0) return answered;
      const message = `Campaign roll v${server.campaign.activeVersion} is active, but its running journeys could not be told that the campaign's schedule now ends 2030-01-01T00:00:00.000Z (connect ECONNREFUSED); send this activation again (it tells them again).`;
      return { status: 503, headers: { 'retry-after': '0' }, body: kairosError('temporal_unavailable', message) };
    };
    return { campaign: server.campaign, answer };
  }
  const applyActivate = (url: string) => runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'apply', 'roll.json', '--activate'], { cwd: dir });
  const activations = (requests: StubRequest[]) => requests.filter((r) => r.path === '/v1/campaigns/roll/activate').map((r) => JSON.parse(r.body) as unknown);

  it('sends it again once, while its version is the active one, and is done when that is answered', async () => {
    const { campaign, answer } = untoldServer(1);
    await withStubServer(answer, async (url, requests) => {
      const res = await applyActivate(url);
      expect(activations(requests)).toEqual([
        { version: 3, ifStatus: ['draft', 'active'], ifActiveVersion: 1 },
        { version: 3, ifStatus: ['active'], ifActiveVersion: 3 },
      ]);
      expect(campaign.activeVersion).toBe(3);
      expect(res).toEqual({ code: ExitCode.ok, out: 'roll: new version v3 from roll.json\nroll: v3 active\n', err: '' });
    });
  });

  it('failing again, says the version is active and which command sends it again (exit 3)', async () => {
    const { answer } = untoldServer(2);
    await withStubServer(answer, async (url, requests) => {
      const res = await applyActivate(url);
      expect(activations(requests)).toHaveLength(2);
      expect(res.code).toBe(ExitCode.unreachable);
      expect(res.err).toContain('roll: v3 is active, but Kairos could not tell Temporal, also when sent again: Campaign roll v3 is active');
      expect(res.err).toContain('`kairos campaigns activate roll --version 3` sends it again');
    });
  });

  // Review 61 (CLI), finding 1: only a second temporal_unavailable said so; any other failure of the re-send ended the
  // folder as a plain failure, and the 503 that said the journeys were not told was never printed.
  it.each([
    ['a 503 postgres_unavailable', { status: 503, headers: { 'retry-after': '5' }, body: kairosError('postgres_unavailable', 'PostgreSQL is not reachable; retry after Retry-After seconds.') }, 'PostgreSQL is not reachable; retry in 5 s.'],
    ['no answer within --timeout', null, 'did not answer within 0.5 s'],
    ["a gateway's 502 without Kairos's body", { status: 502, body: '<html>Bad Gateway</html>' }, 'answered 502 without'],
  ] as const)('failing again in another way (%s), still says the version is active, untold, and which command sends it again (exit 3)', async (_what, resent, said) => {
    const { answer } = untoldServer(1, resent);
    await withStubServer(answer, async (url, requests) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', '--timeout', '0.5', 'campaigns', 'apply', 'roll.json', '--activate'], { cwd: dir });
      expect(activations(requests)).toHaveLength(2);
      expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.unreachable, out: 'roll: new version v3 from roll.json\n' });
      expect(res.err).toContain('roll: v3 is active, but Kairos could not tell Temporal: Campaign roll v3 is active, but its running journeys could not be told');
      expect(res.err).toContain(`Sending the activation again failed: `);
      expect(res.err).toContain(said);
      expect(res.err).toContain('`kairos campaigns activate roll --version 3` sends it again');
    });
  });

  it('a 409 to the activation sent again (paused meanwhile) is said as for the first: saved, not active, how to resume (exit 1)', async () => {
    const paused = kairosError('invalid_status_change', 'Campaign roll is paused, and this request may activate it only from active (ifStatus); nothing changed.', [{ path: 'ifStatus', message: 'the campaign is paused' }]);
    const { campaign, answer } = untoldServer(1, { status: 409, body: paused });
    // The operator pauses it between the two sends.
    const pausing = (req: StubRequest) => {
      if (req.path === '/v1/campaigns/roll/activate' && campaign.activeVersion === 3) campaign.status = 'paused';
      return answer(req);
    };
    await withStubServer(pausing, async (url) => {
      const res = await applyActivate(url);
      expect(res.code).toBe(ExitCode.failure);
      expect(res.err).toBe(
        [
          'roll.json: roll v3 is saved but not active: Campaign roll is paused, and this request may activate it only from active (ifStatus); nothing changed.',
          '  roll was paused while this apply ran, and apply --activate never resumes a campaign: `kairos campaigns activate roll --version 3` resumes it',
          '1 of 1 file(s) saved but not activated',
          '',
        ].join('\n'),
      );
    });
  });
});

describe('campaigns apply --activate after an operator moved back to an older version (review 49, finding 6)', () => {
  let dir: string;
  const writeFile = (amount: number) => writeFileSync(path.join(dir, 'roll.json'), JSON.stringify({ ...definition(amount), key: 'roll' }));
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-roll-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const applyActivate = (url: string) => runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'apply', 'roll.json', '--activate'], { cwd: dir });
  const activations = (requests: StubRequest[]) => requests.filter((r) => r.path === '/v1/campaigns/roll/activate').map((r) => JSON.parse(r.body) as unknown);

  it('leaves the older version active when the file is unchanged and its version was active before, and says how to use it (exit 0)', async () => {
    writeFile(20);
    const { campaign, answer } = rollbackServer(true);
    await withStubServer(answer, async (url, requests) => {
      const res = await applyActivate(url);
      expect(activations(requests)).toEqual([]);
      expect(campaign.activeVersion).toBe(1);
      expect(res).toEqual({
        code: ExitCode.ok,
        out: 'roll: unchanged (v2)\n',
        err: 'roll: v1 is active, and v2 (the latest, as in roll.json) was active before: someone moved the campaign off it, which apply --activate does not undo: `kairos campaigns activate roll --version 2` uses it\n',
      });
    });
  });

  it('still activates an unchanged latest version never activated (an earlier activation refused), over the active version it read', async () => {
    writeFile(20);
    const { campaign, answer } = rollbackServer(false);
    await withStubServer(answer, async (url, requests) => {
      const res = await applyActivate(url);
      expect(activations(requests)).toEqual([{ version: 2, ifStatus: ['draft', 'active'], ifActiveVersion: 1 }]);
      expect(campaign.activeVersion).toBe(2);
      expect(res).toEqual({ code: ExitCode.ok, out: 'roll: unchanged (v2)\nroll: v2 active\n', err: '' });
    });
  });

  it('activates a version this run saved (the file changed)', async () => {
    writeFile(30);
    const { campaign, answer } = rollbackServer(true);
    await withStubServer(answer, async (url, requests) => {
      const res = await applyActivate(url);
      expect(activations(requests)).toEqual([{ version: 3, ifStatus: ['draft', 'active'], ifActiveVersion: 1 }]);
      expect(campaign.activeVersion).toBe(3);
      expect(res).toEqual({ code: ExitCode.ok, out: 'roll: new version v3 from roll.json\nroll: v3 active\n', err: '' });
    });
  });

  it('does not switch over a version activated while it ran: the 409 leaves that one active, and says how to use this one (exit 1)', async () => {
    writeFile(30);
    const { campaign, answer } = rollbackServer(true, 2);
    await withStubServer(answer, async (url) => {
      const res = await applyActivate(url);
      expect(campaign.activeVersion).toBe(2);
      expect(res.code).toBe(ExitCode.failure);
      expect(res.err.split('\n')).toEqual([
        'roll.json: roll v3 is saved but not active: Campaign roll changed meanwhile: version 2 is active, and this request may activate version 3 only while version 1 is (ifActiveVersion); nothing changed.',
        '  v2 of roll was activated while this apply ran, and apply --activate does not switch over it: `kairos campaigns activate roll --version 3` uses v3',
        '1 of 1 file(s) saved but not activated',
        '',
      ]);
    });
  });
});

describe('a URL with no such route, or a 404 page in front of Kairos, is not a problem of the files (review 52, finding 2)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-route-'));
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify(definition(20)));
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ ...definition(20), key: 'other' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The router's 404 of a URL ending in /v1: Kairos's error body, "Cannot METHOD /path" as its message. */
  const noRoute = (req: StubRequest) => ({ status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) });
  const page404 = () => ({ status: 404, body: '<html>404</html>' });

  it.each([['validate'], ['apply']])('campaigns %s: this server has no such route, exit 2, once for the command', async (command) => {
    const res = await withStubServer(noRoute, (url) => runKairos(['--url', `${url}/v1`, '--api-key', 'k', 'campaigns', command, '.'], { cwd: dir }));
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.usage, out: '' });
    expect(res.err).toMatch(/^kairos: Cannot (POST|GET) \/v1\/v1\/campaigns.*: this server has no such route; is the URL the server's root \(no \/v1\)/);
    expect(res.err).not.toMatch(/a\.json|file\(s\)/);
  });

  it.each([['validate'], ['apply']])("campaigns %s: a 404 page without Kairos's error body is not Kairos, exit 3", async (command) => {
    const res = await withStubServer(page404, (url) => runKairos(['--url', url, '--api-key', 'k', 'campaigns', command, '.'], { cwd: dir }));
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.unreachable, out: '' });
    expect(res.err).toMatch(/^kairos: http:\/\/127\.0\.0\.1:\d+ answered 404 without Kairos's error body: is it the Kairos API/);
  });

  it("still reports Kairos's own 409 for a file at the file, and goes on with the others", async () => {
    const archived = (req: StubRequest) => {
      if (req.method === 'GET' && req.path === '/v1/campaigns/race/versions') return { status: 404, body: kairosError('not_found', 'No campaign race.') };
      if (req.method === 'POST' && req.path === '/v1/campaigns' && req.body.includes('"race"')) return { status: 409, body: kairosError('campaign_exists', 'Campaign race exists.') };
      if (req.method === 'GET') return { status: 404, body: kairosError('not_found', 'No campaign other.') };
      return { status: 201, body: { key: 'other', version: 1 } };
    };
    const res = await withStubServer(archived, (url) => runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'apply', '.'], { cwd: dir }));
    expect(res).toEqual({ code: ExitCode.failure, out: 'other: created v1 from b.json\n', err: 'a.json: Campaign race exists.\n1 of 2 file(s) not applied\n' });
  });
});

// Review 57 (CLI), finding 1: --exit-code follows what apply would do, not the difference from the version shown.
describe('campaigns diff --exit-code: 4 when apply would add a version, whichever version diff shows', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-diff-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A stub Kairos holding campaign `c`: v1 to v5 saved, v5 the latest, `active` the active one; version n holds definition(n * 10) under key c. */
  const holding = (active: number) => (req: StubRequest) => {
    const versions = [1, 2, 3, 4, 5].map((version) => ({ version, createdAt: `2026-11-0${version}T00:00:00.000Z`, activatedAt: '2026-11-01T00:01:00.000Z', layout: null }));
    if (req.method === 'GET' && req.path === '/v1/campaigns/c/versions') return { status: 200, body: { key: 'c', name: 'C', status: 'active', activeVersion: active, latestVersion: 5, createdAt: 'c', updatedAt: 'u', versions } };
    const detail = /^\/v1\/campaigns\/c\/versions\/(\d)$/.exec(req.path);
    if (req.method === 'GET' && detail) return { status: 200, body: { key: 'c', ...versions[Number(detail[1]) - 1], definition: { ...definition(Number(detail[1]) * 10), key: 'c' } } };
    if (req.method === 'POST' && req.path === '/v1/campaigns/validate') return { status: 200, body: { summary: { key: 'c', name: 'Race', states: ['done'], entryTypes: ['order.completed'], pools: [] }, warnings: [] } };
    return { status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) };
  };
  const diffExitCode = async (active: number, amount: number) => {
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ ...definition(amount), key: 'c' }));
    return withStubServer(holding(active), (url) => runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'diff', 'c.json', '--exit-code'], { cwd: dir }));
  };

  it('after a rollback (v4 active, v5 the latest), a file back at v4 shows no difference from v4 but exits 4: apply would add v6', async () => {
    const res = await diffExitCode(4, 40);
    expect(res.out).toContain('c: no differences from the active version v4\n');
    expect(res.out).toContain('would add v6');
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.differences, err: '' });
  });

  it('a file equal to the latest version (v5, never made active) differs from the active v4 but exits 0: apply adds nothing', async () => {
    const res = await diffExitCode(4, 50);
    expect(res.out).toContain('c: 1 difference(s) from the active version v4');
    expect(res.out).toContain('c: the file is the latest version v5: apply adds nothing (activate v5 to use it)\n');
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
  });

  it.each([
    [50, ExitCode.ok],
    [60, ExitCode.differences],
  ])('with the latest version active, a file holding amount %d exits %d', async (amount, code) => {
    expect((await diffExitCode(5, amount)).code).toBe(code);
  });
});

// Review 57 (CLI), finding 3: `key: ..` made the lookup /v1/versions, whose "no such route" stopped the whole folder (exit 2).
describe('a campaign file whose key Kairos takes no campaign under is its own problem, at its key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-dotkey-'));
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ ...definition(10), key: '..' }));
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ ...definition(10), key: 'b' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Kairos as a URL parser leaves it: /v1/campaigns/../versions arrives as /v1/versions, a route Kairos lacks. */
  const server = (req: StubRequest) => {
    if (req.method === 'GET' && req.path === '/v1/versions') return { status: 404, body: kairosError('not_found', 'Cannot GET /v1/versions') };
    if (req.method === 'GET' && req.path === '/v1/campaigns/b/versions') return { status: 404, body: kairosError('not_found', 'No campaign b.') };
    if (req.method === 'POST' && req.path === '/v1/campaigns') return { status: 201, body: { key: 'b', version: 1 } };
    return { status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) };
  };

  it('apply refuses a.json at its key without asking Kairos, and still applies b.json (exit 1)', async () => {
    await withStubServer(server, async (url, requests) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'apply', '.'], { cwd: dir });
      expect(res.code).toBe(ExitCode.failure);
      expect(res.err).toMatch(/^a\.json:1:\d+ key Kairos takes no such key: use lowercase letters a-z, digits, and \. _ -, starting with a letter or digit$/m);
      expect(res.err).toMatch(/^1 of 2 file\(s\) not applied$/m);
      expect(res.out).toBe('b: created v1 from b.json\n');
      expect(requests.filter((r) => r.method === 'POST' && r.path === '/v1/campaigns').map((r) => (JSON.parse(r.body) as { key: string }).key)).toEqual(['b']);
      expect(requests.map((r) => r.path)).not.toContain('/v1/versions');
    });
  });

  it('diff says it of its file, at the key (exit 1), and asks Kairos nothing', async () => {
    await withStubServer(server, async (url, requests) => {
      const res = await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'diff', 'a.json'], { cwd: dir });
      expect({ code: res.code, err: res.err, requests: requests.length }).toEqual({ code: ExitCode.failure, err: expect.stringMatching(/^a\.json:1:\d+ key Kairos takes no such key: /), requests: 0 });
    });
  });
});

// Review 57 (CLI), finding 4: `export -o` wrote the file in place; a full disk left it cut short.
describe('campaigns export -o: the file is written whole or not at all', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-export-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = { key: 'c', name: 'C', entry: { on: 'order.completed' }, states: { done: { end: true } } };
  const server = (req: StubRequest) => {
    const version = { version: 1, createdAt: '2026-11-01T00:00:00.000Z', activatedAt: null, layout: null };
    if (req.path === '/v1/campaigns/c/versions') return { status: 200, body: { key: 'c', name: 'C', status: 'draft', activeVersion: null, latestVersion: 1, createdAt: 'c', updatedAt: 'u', versions: [version] } };
    if (req.path === '/v1/campaigns/c/versions/1') return { status: 200, body: { key: 'c', ...version, definition: stored } };
    return { status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) };
  };
  const exportTo = (file: string) => withStubServer(server, (url) => runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'export', 'c', '-o', file], { cwd: dir }));

  it('on a full disk leaves the old file as it was, says so in one line naming it (exit 2), and leaves no temporary file', async () => {
    writeFileSync(path.join(dir, 'out.yaml'), 'key: c\nname: the old one\n');
    // The disk fills up after the file is opened, as ENOSPC comes: at a write.
    jest.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    });
    const res = await exportTo('out.yaml');
    jest.restoreAllMocks();
    expect(res).toEqual({ code: ExitCode.usage, out: '', err: 'kairos: cannot write out.yaml: no space left on the device; out.yaml is as it was\n' });
    expect(readFileSync(path.join(dir, 'out.yaml'), 'utf8')).toBe('key: c\nname: the old one\n');
    expect(readdirSync(dir)).toEqual(['out.yaml']);
  });

  it('replaces the file whole when it can, keeping its permissions', async () => {
    writeFileSync(path.join(dir, 'out.yaml'), 'old\n', { mode: 0o640 });
    const res = await exportTo('out.yaml');
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: 'c v1 written to out.yaml\n' });
    expect(parseSource('out.yaml', readFileSync(path.join(dir, 'out.yaml'), 'utf8')).value).toEqual(stored);
    expect(statSync(path.join(dir, 'out.yaml')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['out.yaml']);
  });

  it('says a folder in one line naming it as given (exit 2)', async () => {
    mkdirSync(path.join(dir, 'sub'));
    const res = await exportTo('sub');
    expect(res).toEqual({ code: ExitCode.usage, out: '', err: 'kairos: cannot write sub: is a folder, not a file\n' });
  });

  // Review 57 (others), finding 2: the rename replaced /dev/null with a regular file as root, and was refused otherwise (exit 2).
  it('-o /dev/null exports (exit 0) and leaves /dev/null the character device it was', async () => {
    const before = statSync('/dev/null');
    const res = await exportTo('/dev/null');
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: 'c v1 written to /dev/null\n' });
    const after = statSync('/dev/null');
    expect({ device: after.isCharacterDevice(), rdev: after.rdev, text: readFileSync('/dev/null', 'utf8') }).toEqual({ device: true, rdev: before.rdev, text: '' });
  });

  it('-o a dangling link writes the file the link names, and the link stays', async () => {
    symlinkSync('exported.yaml', path.join(dir, 'out.yaml'));
    const res = await exportTo('out.yaml');
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: 'c v1 written to out.yaml\n' });
    expect(lstatSync(path.join(dir, 'out.yaml')).isSymbolicLink()).toBe(true);
    expect(parseSource('exported.yaml', readFileSync(path.join(dir, 'exported.yaml'), 'utf8')).value).toEqual(stored);
  });
});

describe('campaigns validate: the next runs of a batch entry', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-runs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const validate = (entryCronNextRuns: string[], schedule?: { startsAt?: string; endsAt?: string }) => {
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ key: 'c', schedule }));
    const summary = { key: 'c', name: 'Weekly', states: ['done'], entryTypes: [], entryCron: '0 9 * * 1', entryCronNextRuns, pools: [] };
    return withStubServer(
      (req: StubRequest) => (req.method === 'POST' && req.path === '/v1/campaigns/validate' ? { status: 200, body: { summary, warnings: [] } } : { status: 404, body: kairosError('not_found', 'no') }),
      (url) => runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'validate', 'c.json'], { cwd: dir }),
    );
  };

  it('lists the runs the server gives, and says the window has closed when it gives none after schedule.endsAt', async () => {
    expect((await validate(['2026-12-14T09:00:00.000+00:00'])).out).toContain('  next runs: 2026-12-14T09:00:00.000+00:00\n');
    const closed = await validate([], { endsAt: '2020-01-31T23:59:59Z' });
    expect(closed.out).toContain('  next runs: none (the schedule window has closed)\n');
    expect(closed.code).toBe(ExitCode.ok);
  });

  // Review 63 (batch), finding 2: "has closed" was said of a window that had not opened yet, or was still open.
  it('does not say the window has closed before schedule.endsAt', async () => {
    const open = await validate([], { startsAt: '2099-11-27T00:00:00+01:00', endsAt: '2099-11-30T23:59:59+01:00' });
    expect(open.out).not.toContain('has closed');
    expect(open.out).toContain('  next runs: none left before the schedule window closes at 2099-11-30T23:59:59+01:00\n');
    const noEnd = await validate([]);
    expect(noEnd.out).not.toContain('has closed');
    expect(noEnd.out).toContain('  next runs: none within the schedule window\n');
  });
});

// Review 59 (CLI), finding 4: every 503 of /running read as "Temporal did not answer", exit 0.
describe("campaigns versions: the running counts' 503", () => {
  const versions = [{ version: 1, createdAt: '2026-11-01T00:00:00.000Z', activatedAt: '2026-11-01T00:01:00.000Z', layout: null }];
  const withRunning = (running: StubAnswer) => (req: StubRequest): StubAnswer => {
    if (req.path === '/v1/campaigns/c/versions') return { status: 200, body: { key: 'c', name: 'C', status: 'active', activeVersion: 1, latestVersion: 1, createdAt: 'c', updatedAt: 'u', versions } };
    if (req.path === '/v1/campaigns/c/running') return running;
    return { status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) };
  };
  const versionsOf = (running: StubAnswer) => withStubServer(withRunning(running), (url) => runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'versions', 'c']));

  it("Kairos's temporal_unavailable: the table with - for running, and a note (exit 0)", async () => {
    const res = await versionsOf({ status: 503, body: kairosError('temporal_unavailable', 'Temporal cannot be reached now.'), headers: { 'retry-after': '5' } });
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: 'running: Temporal did not answer; try again in a moment (Temporal cannot be reached now.)\n' });
    expect(res.out).toContain('v1');
  });

  // Review 61 (CLI), finding 3: a 503 without Retry-After is Kairos saying Temporal refused the count, which asking again
  // does not change; it was said as "did not answer; try again in a moment", and Kairos's reason was dropped.
  it("Kairos's temporal_unavailable without Retry-After (Temporal refused): Kairos's reason, not \"try again\" (exit 0)", async () => {
    const refusal = "Temporal refused the call for the journeys of c (PERMISSION_DENIED): request unauthorized. The same request gets the same answer until that changes (Kairos's access to Temporal, or the journey's workflow).";
    const res = await versionsOf({ status: 503, body: kairosError('temporal_unavailable', refusal) });
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: `running: not counted: ${refusal}\n` });
    expect(res.out).toContain('v1');
  });

  it.each([
    ['postgres_timeout', { status: 503, body: kairosError('postgres_timeout', 'PostgreSQL stopped a query of this request that ran too long.'), headers: { 'retry-after': '5' } }],
    ['postgres_unavailable', { status: 503, body: kairosError('postgres_unavailable', 'PostgreSQL is not reachable; retry after Retry-After seconds.'), headers: { 'retry-after': '5' } }],
    ["a gateway's 503 without Kairos's body", { status: 503, body: 'no healthy upstream' }],
  ] as const)('any other 503 (%s) fails the command (exit 3), without blaming Temporal', async (_what, running) => {
    const res = await versionsOf(running);
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.unreachable, out: '' });
    expect(res.err).not.toMatch(/Temporal did not answer/);
  });
});

// Review 59 (CLI), finding 6: a file nested thousands of levels deep overflowed the stack and ended the whole command.
describe('campaigns validate: a file nested too deeply', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-deep-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const validating = (req: StubRequest): StubAnswer =>
    req.method === 'POST' && req.path === '/v1/campaigns/validate'
      ? { status: 200, body: { summary: { key: 'race', name: 'Race', states: ['done'], entryTypes: ['order.completed'], pools: [] }, warnings: [] } }
      : { status: 404, body: kairosError('not_found', `Cannot ${req.method} ${req.path}`) };

  it.each([
    ['flow brackets', `${'['.repeat(20000)}${']'.repeat(20000)}`],
    ['flow mappings', `${'{a: '.repeat(20000)}1${'}'.repeat(20000)}`],
    ['block lists', `${'- '.repeat(20000)}x\n`],
    ['block mappings', `${Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`],
  ])('is a problem of that file (%s), and the other files still go', async (_what, deep) => {
    writeFileSync(path.join(dir, 'a.yaml'), deep);
    writeFileSync(path.join(dir, 'b.yaml'), JSON.stringify(definition(10)));
    const res = await withStubServer(validating, async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'validate', '.'], { cwd: dir })), requests }));
    expect(res.code).toBe(ExitCode.failure);
    expect(res.err).toMatch(/^a\.yaml:\d+:\d+ \(syntax\) .*nest/m);
    expect(res.err).toMatch(/1 of 2 file\(s\) invalid\n$/);
    expect(res.requests.map((r) => r.path)).toEqual(['/v1/campaigns/validate']);
  });

  it('parseSource refuses it at the level it passes the limit', () => {
    const source = parseSource('deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(source.value).toBeUndefined();
    expect(source.syntaxErrors).toEqual([{ line: 1, col: expect.any(Number) as number, message: expect.stringMatching(/nest/) as string }]);
  });
});

// Review 59 (CLI), finding 5: a campaign saved as "Unicode" in Notepad is UTF-16.
describe('campaigns validate: a UTF-16 file', () => {
  it('is a problem of that file at 1:1 saying UTF-16, and nothing of it is sent', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-utf16-'));
    try {
      writeFileSync(path.join(dir, 'c.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('key: c\nname: C\n', 'utf16le')]));
      const res = await withStubServer(
        () => ({ status: 500, body: kairosError('internal', 'not asked') }),
        async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'validate', 'c.yaml'], { cwd: dir })), requests }),
      );
      expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.failure, requests: 0 });
      expect(res.err).toMatch(/^c\.yaml:1:1 \(syntax\) .*UTF-16/);
      expect(res.err).not.toMatch(/cp1252/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
