import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'yaml';
import { applyCampaigns } from '../src/cli/commands/campaigns';
import { CommandContext } from '../src/cli/context';
import { runDemo } from '../src/cli/demo/demo';
import type { CliIo } from '../src/cli/io';
import { runCli } from '../src/cli/program';
import { createRewardActivities } from '../src/activities/rewards/reward-activities';
import { issueInput } from './ledger/ledger-fixture';
import { freePort } from './support/free-port';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/** The kairos CLI and npm run demo, run in-process against one real system (API, worker, Temporal, PostgreSQL). */
describe('the kairos CLI', () => {
  let sut: SystemUnderTest;
  let dir: string;
  beforeAll(async () => {
    // Its own namespace: the demo's cron campaigns leave batch-entry Schedules named after the examples (campaigns.test.ts checks birthday's).
    sut = await startSystemUnderTest({ namespace: 'kairos-test-cli' });
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sut?.stop();
  });

  function io(env: Record<string, string | undefined> = {}, stdin = ''): CliIo & { out: () => string; err: () => string } {
    let out = '';
    let err = '';
    return {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      stdin: Readable.from([stdin]),
      env: { KAIROS_URL: sut.baseUrl, KAIROS_API_KEY: sut.keys.admin, ...env },
      cwd: dir,
      home: dir,
      out: () => out,
      err: () => err,
    };
  }

  async function kairos(args: string, opts: { env?: Record<string, string | undefined>; stdin?: string } = {}) {
    const streams = io(opts.env, opts.stdin);
    const code = await runCli(args.split(' '), streams);
    return { code, out: streams.out(), err: streams.err() };
  }

  const write = (name: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  };

  const campaignYaml = (amount: number) => `# two orders earn points
key: cli-orders
name: Two orders, ${amount} points
entry:
  on: order.completed
initial: collecting
states:
  collecting:
    transitions:
      - to: rewarded
        when: "count('order.completed') >= 2"
  rewarded:
    actions:
      steps:
        - id: pts
          type: points
          amount: ${amount}
          pool: cli-points
    end: true
`;

  it('validates YAML with the server compiler and points at the line and column of each problem', async () => {
    write('campaigns/orders.yaml', campaignYaml(50));
    write('bad/expression.yaml', campaignYaml(50).replace(`>= 2"`, `>>= 2"`));
    write('bad/field.yaml', campaignYaml(50).replace('pool: cli-points', 'poool: cli-points'));
    const ok = await kairos('campaigns validate campaigns');
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain('campaigns/orders.yaml: ok: cli-orders');

    const bad = await kairos('campaigns validate bad');
    expect(bad.code).toBe(1);
    const lines = bad.err.trim().split('\n');
    // Line 11 is `        when: "count('order.completed') >>= 2"`: the string starts at column 16 and the
    // parser stops at its position 26; line 18 is `          poool: cli-points`, its value at column 18.
    expect(lines).toContainEqual(expect.stringMatching(/^bad\/expression\.yaml:11:42 states\.collecting\.transitions\[0\]\.when .*'>='/));
    expect(lines).toContainEqual(expect.stringMatching(/^bad\/field\.yaml:18:18 states\.rewarded\.actions\.steps\[0\]\.poool unknown field/));
    expect(lines).toContain('2 of 2 file(s) invalid');
    // Both name cli-orders, which apply refuses, and validate says so beside each file's own problems.
    expect(lines).toContain('bad/field.yaml: key cli-orders is also the key of bad/expression.yaml: one file a campaign, or every apply adds a version for each');

    // A pool that does not exist: valid (exit 0), with a warning at its line, since activation would be refused.
    write('unpooled/orders.yaml', campaignYaml(50).replace('pool: cli-points', 'pool: cli-nowhere'));
    const unpooled = await kairos('campaigns validate unpooled');
    expect(unpooled.code).toBe(0);
    expect(unpooled.err).toMatch(/^unpooled\/orders\.yaml:18:17 states\.rewarded\.actions\.steps\[0\]\.pool .*cli-nowhere.* \(warning: activation needs this fixed\)$/m);

    write('bad/syntax.yaml', 'key: x\nstates: [\n');
    const syntax = await kairos('campaigns validate bad/syntax.yaml');
    expect(syntax.code).toBe(1);
    expect(syntax.err).toMatch(/^bad\/syntax\.yaml:\d+:\d+ \(syntax\)/m);
  });

  it('applies a folder: creates, adds no version when nothing changed, adds one when something did, and activates', async () => {
    expect((await kairos('pools create --key cli-points --kind points --budget 1000')).code).toBe(0);
    const again = await kairos('pools create --key cli-points --kind points --budget 1000');
    expect(again.code).toBe(1);
    expect((await kairos('pools create --key cli-points --kind points --budget 1000 --exists-ok')).code).toBe(0);
    // Kept as another kind is not what was asked for (cli probe: it said "exists (kept)", exit 0).
    expect(await kairos('pools create --key cli-points --kind coupon --codes A1 --exists-ok')).toMatchObject({
      code: 1,
      err: 'cli-points: a points pool with this key exists, not a coupon one (pools are never replaced: choose another key, or use the points pool)\n',
    });
    // A pool from flags is refused in the flags' names, not the request's fields.
    const refused = await kairos('pools create --key cli-flags --kind coupon --per-user-limit 0 --valid-for 30d --codes A,');
    expect(refused.code).toBe(1);
    expect(refused.err.split('\n').filter(Boolean).map((l: string) => l.split(' ')[0]).sort()).toEqual(['--codes[1]', '--per-user-limit', '--valid-for']);

    const created = await kairos('campaigns apply campaigns --activate');
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).toContain('cli-orders: created v1');
    const unchanged = await kairos('campaigns apply campaigns --activate');
    expect(unchanged.out).toContain('cli-orders: unchanged (v1)');
    expect((await sut.request('GET', '/v1/campaigns/cli-orders', { role: 'operator' })).body).toMatchObject({ latestVersion: 1, activeVersion: 1, status: 'active' });

    write('campaigns/orders.yaml', campaignYaml(80));
    const diff = await kairos('campaigns diff campaigns/orders.yaml --exit-code');
    expect(diff.code).toBe(4);
    expect(diff.out).toContain('~ states.rewarded.actions.steps[0].amount: 50 -> 80');
    expect(diff.out).toContain('~ name: "Two orders, 50 points" -> "Two orders, 80 points"');

    const changed = await kairos('campaigns apply campaigns/orders.yaml --activate');
    expect(changed.out).toContain('cli-orders: new version v2');
    expect(changed.out).toContain('cli-orders: v2 active');
    expect((await kairos('campaigns diff campaigns/orders.yaml --exit-code')).code).toBe(0);

    const exported = await kairos('campaigns export cli-orders');
    expect(parse(exported.out)).toMatchObject({ key: 'cli-orders', states: { rewarded: { actions: { steps: [{ amount: 80 }] } } } });
    expect((await kairos('campaigns export cli-orders --version 1 -o exported.yaml')).code).toBe(0);
    expect(parse(readFileSync(path.join(dir, 'exported.yaml'), 'utf8'))).toMatchObject({ name: 'Two orders, 50 points' });
    // `latest`, as diff takes it.
    const latest = await kairos('campaigns export cli-orders --version latest');
    expect(latest.out.split('\n')[0]).toMatch(/^# cli-orders v2 /);
  });

  it('refuses a campaign file that carries layout or baseVersion, in validate, diff and apply alike', async () => {
    write('envelope.yaml', `${campaignYaml(50).replace('key: cli-orders', 'key: cli-envelope')}layout:\n  collecting: { x: 0, y: 0 }\nbaseVersion: 1\n`);
    for (const command of ['campaigns validate envelope.yaml', 'campaigns diff envelope.yaml', 'campaigns apply envelope.yaml']) {
      const res = await kairos(command);
      const at = (field: string) => new RegExp(`^envelope\\.yaml:2[0-3]:\\d+ ${field} `, 'm').test(res.err);
      expect({ command, code: res.code, layout: at('layout'), baseVersion: at('baseVersion'), err: res.err }).toEqual({ command, code: 1, layout: true, baseVersion: true, err: expect.any(String) });
    }
    expect((await sut.request('GET', '/v1/campaigns/cli-envelope', { role: 'operator' })).status).toBe(404);
  });

  it("lists a campaign's versions: saved and first active, the one the campaign points at with its status, running journeys each keeps", async () => {
    // cli-orders (above): v1 activated first, then v2. One user enters v2 and waits for a second order.
    expect((await sut.request('POST', '/v1/events', { role: 'ingest', body: { id: 'cli-v-1', type: 'order.completed', userId: 'cli-v-user' } })).status).toBe(202);
    type Listed = { versions: Array<{ version: number; active: boolean; createdAt: string; activatedAt: string | null; running: number | null }> };
    // Visibility trails the start by a moment.
    const listed = await eventually(async () => {
      const res = await kairos('campaigns versions cli-orders --json');
      expect(res.code).toBe(0);
      const json = JSON.parse(res.out) as Listed;
      return json.versions[1]?.running === 1 ? json : undefined;
    }, 30_000);
    const stored = (await sut.request('GET', '/v1/campaigns/cli-orders/versions', { role: 'operator' })).body;
    expect(listed.versions).toEqual(
      stored.versions.map((v: { version: number; createdAt: string; activatedAt: string | null }, i: number) => ({
        version: v.version,
        createdAt: v.createdAt,
        activatedAt: v.activatedAt,
        layout: null,
        current: i === 1,
        active: i === 1,
        running: i === 1 ? 1 : 0,
      })),
    );
    expect(listed.versions.every((v) => v.activatedAt !== null)).toBe(true);

    const table = await kairos('campaigns versions cli-orders');
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(/^version\s+status\s+saved\s+first active\s+running$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/))).toEqual([
      ['v1', '', stored.versions[0].createdAt, stored.versions[0].activatedAt, '0'].filter((c, i) => i !== 1),
      ['v2', 'active', stored.versions[1].createdAt, stored.versions[1].activatedAt, '1'],
    ]);
    // Paused, the version it points at says so (the column was empty: cli probe); activated again, it is active.
    expect((await sut.request('POST', '/v1/campaigns/cli-orders/pause', { role: 'operator' })).status).toBe(200);
    try {
      const paused = (await kairos('campaigns versions cli-orders')).out.trim().split('\n').slice(2).map((l) => l.split(/\s{2,}/).slice(0, 2));
      expect(paused).toEqual([['v1', stored.versions[0].createdAt], ['v2', 'paused']]);
    } finally {
      expect((await sut.request('POST', '/v1/campaigns/cli-orders/activate', { role: 'operator', body: { version: 2 } })).status).toBe(200);
    }
    expect(await kairos('campaigns versions nope')).toMatchObject({ code: 1, err: expect.stringContaining('no campaign nope') });
  });

  it('apply sends the version it compared with: a version someone else applied meanwhile is a conflict (exit 1), --force applies on top', async () => {
    const raceYaml = (amount: number) => campaignYaml(amount).replace('key: cli-orders', 'key: cli-race').replace('          pool: cli-points\n', '');
    write('race.yaml', raceYaml(10));
    expect((await kairos('campaigns apply race.yaml')).out).toContain('cli-race: created v1');
    write('race.yaml', raceYaml(20));

    /** A CLI run during which a colleague applies `amount` right after the CLI read the campaign, before it writes. */
    const racing = (amount: number) => {
      const streams = io();
      const ctx = new CommandContext(streams, () => ({}));
      let raced = false;
      ctx.client.use({
        async onResponse({ request, schemaPath }) {
          if (raced || request.method !== 'GET' || schemaPath !== '/v1/campaigns/{key}/versions') return undefined;
          raced = true;
          const theirs = await sut.request('PUT', '/v1/campaigns/cli-race', { role: 'operator', body: parse(raceYaml(amount)) });
          expect(theirs.status).toBe(200);
          return undefined;
        },
      });
      return { ctx, streams };
    };
    const amountOf = async (version: number) => {
      const c = (await sut.request('GET', '/v1/campaigns/cli-race', { role: 'operator' })).body;
      return { latest: c.latestVersion, amount: c.versions.find((v: { version: number }) => v.version === version)?.definition.states.rewarded.actions.steps[0].amount };
    };

    const first = racing(30);
    expect(await applyCampaigns(first.ctx, 'race.yaml', {})).toBe(1);
    expect(first.streams.err()).toMatch(/^race\.yaml: version conflict: cli-race changed after v1, which this file was compared with \(v2 was saved at \d{4}-\d\d-\d\dT[^)]+\); nothing was saved$/m);
    expect(first.streams.err()).toContain('kairos campaigns diff race.yaml --version latest');
    expect(first.streams.err()).toContain('kairos campaigns apply race.yaml --force');
    expect(first.streams.out()).not.toContain('new version');
    // The colleague's version stands; nothing of ours was stored.
    expect(await amountOf(2)).toEqual({ latest: 2, amount: 30 });
    // The diff the conflict suggests shows the colleague's change (none is active, so plain diff does too; v1 is named).
    const suggested = await kairos('campaigns diff race.yaml --version latest');
    expect(suggested.out).toContain('cli-race: 2 difference(s) from version v2 (the latest) (- there, + in race.yaml)');
    expect(suggested.out).toContain('~ states.rewarded.actions.steps[0].amount: 30 -> 20');
    expect((await kairos('campaigns diff race.yaml --version 1')).out).toContain('cli-race: 2 difference(s) from version v1 (- there');
    expect(await kairos('campaigns diff race.yaml --version 7')).toMatchObject({ code: 1, err: 'kairos: cli-race has no version 7 (latest: v2)\n' });
    expect((await kairos('campaigns diff race.yaml --version newest')).code).toBe(2);

    const forced = racing(40);
    expect(await applyCampaigns(forced.ctx, 'race.yaml', { force: true })).toBe(0);
    expect(forced.streams.out()).toContain('cli-race: new version v4 from race.yaml (--force');
    expect(await amountOf(3)).toEqual({ latest: 4, amount: 40 });
    expect(await amountOf(4)).toEqual({ latest: 4, amount: 20 });
    // The flag on the command line; with nothing changed since, nothing is added.
    expect(await kairos('campaigns apply race.yaml --force')).toMatchObject({ code: 0, out: expect.stringContaining('cli-race: unchanged (v4)') });
    // Without a race, a changed file goes in as before (its baseVersion is the latest).
    write('race.yaml', raceYaml(25));
    expect(await kairos('campaigns apply race.yaml')).toMatchObject({ code: 0, out: expect.stringContaining('cli-race: new version v5 from race.yaml\n') });

    // A pause is the operator's: apply --activate (a CI job's, on every commit) saves but never resumes.
    expect(await kairos('campaigns apply race.yaml --activate')).toMatchObject({ code: 0, out: expect.stringContaining('cli-race: v5 active') });
    expect((await sut.request('POST', '/v1/campaigns/cli-race/pause', { role: 'operator' })).status).toBe(200);
    const pausedApply = await kairos('campaigns apply race.yaml --activate');
    expect(pausedApply).toMatchObject({ code: 0, err: 'cli-race: the campaign is paused, so v5 is saved and left paused (apply --activate never resumes a campaign): `kairos campaigns activate cli-race --version 5` resumes it\n' });
    expect((await sut.request('GET', '/v1/campaigns/cli-race', { role: 'operator' })).body.status).toBe('paused');

    // Archived is final: a changed file is refused (exit 1, nothing stored), an unchanged one says so.
    expect((await sut.request('POST', '/v1/campaigns/cli-race/archive', { role: 'operator' })).status).toBe(200);
    write('race.yaml', raceYaml(35));
    const archived = await kairos('campaigns apply race.yaml');
    expect(archived.code).toBe(1);
    expect(archived.err).toContain('race.yaml: Campaign cli-race is archived, and archived is final: it takes no new versions.');
    expect((await amountOf(5)).latest).toBe(5);
    // diff does not promise what apply refuses (cli probe): the difference is shown, and that apply would refuse it.
    const diffed = await kairos('campaigns diff race.yaml --exit-code');
    expect({ code: diffed.code, out: diffed.out, err: diffed.err }).toEqual({
      code: 1,
      out: expect.stringContaining('cli-race: 2 difference(s) from the active version v5'),
      err: 'cli-race: the campaign is archived (final): `kairos campaigns apply race.yaml` would refuse the file (no new version of an archived campaign); use a new key\n',
    });
    write('race.yaml', raceYaml(25));
    expect(await kairos('campaigns diff race.yaml --exit-code')).toMatchObject({ code: 0, err: '' });
    expect(await kairos('campaigns apply race.yaml')).toMatchObject({ code: 0, err: expect.stringContaining('cli-race: the campaign is archived (final)') });
    // With --activate too: said, not tried (a 409 and exit 1 on every CI run for a file kept as a record).
    expect(await kairos('campaigns apply race.yaml --activate')).toMatchObject({ code: 0, err: 'cli-race: the campaign is archived (final): it can never be activated again, nor take a new version\n' });
  });

  it('apply --activate leaves an operator\'s move back to an older version as it is, on an unchanged file (review 49, finding 6)', async () => {
    // Its own entry type: the other tests' orders must not enter it.
    const yaml = (amount: number) =>
      campaignYaml(amount).replace('key: cli-orders', 'key: cli-rollback').replace('  on: order.completed', '  on: cli.rollback.entered').replace('          pool: cli-points\n', '');
    write('rollback.yaml', yaml(10));
    expect(await kairos('campaigns apply rollback.yaml --activate')).toMatchObject({ code: 0, out: expect.stringContaining('cli-rollback: v1 active') });
    write('rollback.yaml', yaml(20));
    expect(await kairos('campaigns apply rollback.yaml --activate')).toMatchObject({ code: 0, out: expect.stringContaining('cli-rollback: v2 active') });
    // v2 misbehaves: the operator goes back to v1.
    expect((await sut.request('POST', '/v1/campaigns/cli-rollback/activate', { role: 'operator', body: { version: 1 } })).status).toBe(200);

    // The next CI run, the file unchanged.
    const next = await kairos('campaigns apply rollback.yaml --activate');
    expect(next).toEqual({
      code: 0,
      out: 'cli-rollback: unchanged (v2)\n',
      err: 'cli-rollback: v1 is active, and v2 (the latest, as in rollback.yaml) was active before: someone moved the campaign off it, which apply --activate does not undo: `kairos campaigns activate cli-rollback --version 2` uses it\n',
    });
    expect((await sut.request('GET', '/v1/campaigns/cli-rollback', { role: 'operator' })).body).toMatchObject({ status: 'active', activeVersion: 1 });

    // The fix lands as a changed file: that version is this run's, and is activated.
    write('rollback.yaml', yaml(30));
    expect(await kairos('campaigns apply rollback.yaml --activate')).toMatchObject({ code: 0, out: 'cli-rollback: new version v3 from rollback.yaml\ncli-rollback: v3 active\n' });
    expect((await sut.request('GET', '/v1/campaigns/cli-rollback', { role: 'operator' })).body).toMatchObject({ status: 'active', activeVersion: 3 });
  });

  it('diff says what apply would do when the active version is not the latest, and refuses a file that does not compile', async () => {
    // Its own entry type: the other tests' orders must not enter it.
    const yaml = (amount: number) => campaignYaml(amount).replace('key: cli-orders', 'key: cli-diff').replace('  on: order.completed', '  on: cli.diff.entered').replace('          pool: cli-points\n', '');
    write('diff.yaml', yaml(10));
    expect((await kairos('campaigns apply diff.yaml --activate')).code).toBe(0);
    write('diff.yaml', yaml(20));
    expect((await kairos('campaigns apply diff.yaml')).out).toContain('cli-diff: new version v2');
    // The file is v1 again: no difference from the active v1, but apply goes by the latest.
    write('diff.yaml', yaml(10));
    const back = await kairos('campaigns diff diff.yaml');
    expect(back.out).toContain('cli-diff: no differences from the active version v1');
    expect(back.out).toContain('cli-diff: apply compares with the latest version v2 (2 difference(s)) and would add v3');
    write('diff.yaml', yaml(20));
    expect((await kairos('campaigns diff diff.yaml')).out).toContain('cli-diff: the file is the latest version v2: apply adds nothing (activate v2 to use it)');
    // A file Kairos would refuse: its problems by line, and a failure, whatever the differences.
    write('diff.yaml', yaml(20).replace("when: \"count('order.completed') >= 2\"", "when: \"count('order.completed') >>= 2\""));
    const broken = await kairos('campaigns diff diff.yaml --exit-code');
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/^diff\.yaml:\d+:\d+ states\.collecting\.transitions\[0\]\.when /m);
    expect(broken.err).toContain('does not compile, so `kairos campaigns apply` would refuse it');
    write('new.yaml', yaml(20).replace('key: cli-diff', 'key: cli-diff-new').replace('to: rewarded', 'to: nowhere'));
    expect(await kairos('campaigns diff new.yaml')).toMatchObject({ code: 1, out: '' });
  });

  it('sends events (flags and JSON lines from stdin), shows the journey, the user and the funnel, and cancels an event', async () => {
    const one = await kairos('events send --type order.completed --user cli-u1 --id cli-o1 --prop amount=10');
    expect(one.code).toBe(0);
    expect(one.out).toContain('cli-o1: accepted, journeys journey:cli-orders:cli-u1');
    const lines = [
      JSON.stringify({ id: 'cli-o2', type: 'order.completed', userId: 'cli-u1', properties: { amount: 5 } }),
      JSON.stringify({ id: 'cli-o1', type: 'order.completed', userId: 'cli-u1', properties: { amount: 10 } }),
    ].join('\n');
    const batch = await kairos('events send --file - --batch 1', { stdin: lines });
    expect(batch).toMatchObject({ code: 0 });
    expect(batch.out).toContain('1 accepted, 1 duplicate(s)');

    const refused = await kairos('events send --file -', { stdin: `${lines}\n{"id":"x","type":"order.completed"}` });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^\(stdin\):3 userId /m);

    await eventually(async () => ((await sut.request('GET', '/v1/users/cli-u1/rewards', { role: 'support' })).body.rewards?.length ? true : undefined));
    const user = await kairos('users show cli-u1');
    expect(user.code).toBe(0);
    expect(user.out).toMatch(/cli-orders\s+points\s+80\s+-\s+issued\s+cli-o1,cli-o2|cli-orders\s+points\s+80\s+-\s+issued\s+cli-o2,cli-o1/);
    expect(user.out).toContain('balances: 80 points');

    const journey = await kairos('journeys show cli-orders cli-u1');
    expect(journey.code).toBe(0);
    expect(journey.out).toContain('cli-orders v2 · user cli-u1');
    expect(journey.out).toContain('decision trace');

    const funnel = await kairos('funnel cli-orders');
    expect(funnel.out).toMatch(/^rewarded\s+1\s+0$/m);
    expect(funnel.out).toMatch(/^collecting\s+rewarded\s+1$/m);
    // One version's journeys: cli-u1's journey entered with v2, so v1 shows nobody rewarded.
    expect((await kairos('funnel cli-orders --version 2')).out).toMatch(/^rewarded\s+1\s+0$/m);
    expect((await kairos('funnel cli-orders --version 1')).out).toMatch(/^rewarded\s+0\s+0$/m);
    const noVersion = await kairos('funnel cli-orders --version 9');
    expect({ code: noVersion.code, err: noVersion.err }).toEqual({ code: 1, err: expect.stringContaining('Campaign cli-orders has no version 9.') });
    const badVersion = await kairos('funnel cli-orders --version two');
    expect({ code: badVersion.code, err: badVersion.err }).toEqual({ code: 2, err: expect.stringContaining("option '--version <n>' argument 'two' is invalid. not a campaign version number") });
    expect((await kairos('campaigns activate cli-orders --version 0')).code).toBe(2);

    // A resent id: a duplicate, not "no journey" (it reached its journey the first time).
    expect((await kairos('events send --type order.completed --user cli-u1 --id cli-o1 --prop amount=10')).out).toBe('cli-o1: duplicate (already accepted; nothing sent again)\n');
    // The id again for another event: not a quiet duplicate. Said on stderr by line, and the exit code says it.
    const reused = await kairos('events send --type order.completed --user cli-u1 --id cli-o1 --prop amount=99');
    expect(reused).toMatchObject({ code: 1, out: '', err: 'cli-o1: already accepted as another event (properties differs); the first stands and this one is not used: give a new event a new id\n' });
    const reusedInFile = await kairos('events send --file -', {
      stdin: [
        JSON.stringify({ id: 'cli-v1', type: 'page.viewed', userId: 'cli-u9' }),
        JSON.stringify({ id: 'cli-o2', type: 'order.completed', userId: 'cli-u2', properties: { amount: 5 } }),
      ].join('\n'),
    });
    expect(reusedInFile).toMatchObject({
      code: 1,
      out: '1 accepted, 1 duplicate(s), 1 of them another event under a used id (above)\n',
      err: '(stdin):2 cli-o2: already accepted as another event (userId differs); the first stands and this one is not used: give a new event a new id\n',
    });
    const cancelled = await kairos('events cancel cli-o2 --reason refund');
    expect(cancelled).toMatchObject({ code: 0, out: expect.stringContaining('see `kairos users show cli-u1`') });
    await eventually(async () => {
      const r = await sut.request('GET', '/v1/users/cli-u1/rewards', { role: 'support' });
      return r.body.rewards[0]?.status === 'reclaimed' ? true : undefined;
    });
    expect((await kairos('users show cli-u1')).out).toContain('balances: 0 points');
    expect((await kairos('pools show cli-points')).out).toContain('used 0 points; left 1000 points');
  });

  it('campaigns list shows each campaign with its status, versions, entries and running journeys', async () => {
    const api = (await sut.request('GET', '/v1/campaigns?counts=true', { role: 'operator' })).body.campaigns;
    const orders = api.find((c: { key: string }) => c.key === 'cli-orders');
    expect(orders.counts.entered).toBeGreaterThan(0);
    const listed = await kairos('campaigns list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^key\s+name\s+status\s+active\s+latest\s+entered\s+running$/m);
    expect(listed.out).toMatch(new RegExp(`^cli-orders\\s+.+\\s+active\\s+v${orders.activeVersion}\\s+v${orders.latestVersion}\\s+${orders.counts.entered}\\s+\\d+$`, 'm'));
    const json = JSON.parse((await kairos('--json campaigns list')).out);
    expect(Object.keys(json)).toEqual(['campaigns']);
    expect(json.campaigns.find((c: { key: string }) => c.key === 'cli-orders')).toMatchObject({ key: 'cli-orders', status: 'active', counts: { entered: orders.counts.entered } });
  });

  it('lists, shows and renders a template with --set; the YAML applies and activates; a value out of bounds is refused at its path', async () => {
    const listed = await kairos('templates list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^sign-in-streak\s+Sign-in streak\s+days, dayProperty, points, giveUpAfter$/m);
    const shown = await kairos('templates show sign-in-streak');
    expect(shown.out).toMatch(/^days\s+integer\s+7\s+2 \.\. 365\s+Consecutive days/m);

    const rendered = await kairos('templates render sign-in-streak --set days=3 --set points=40 --key cli-streak --out streak.yaml');
    expect(rendered).toMatchObject({ code: 0, out: '' });
    expect(parse(readFileSync(path.join(dir, 'streak.yaml'), 'utf8'))).toMatchObject({ key: 'cli-streak', states: { rewarded: { actions: { steps: [{ amount: 40 }, {}] } } } });
    const applied = await kairos('campaigns apply streak.yaml --activate');
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.out).toContain('cli-streak: v1 active');
    expect((await sut.request('GET', '/v1/campaigns/cli-streak', { role: 'operator' })).body).toMatchObject({ activeVersion: 1, status: 'active' });

    const refused = await kairos('templates render sign-in-streak --set days=1 --set colour=red');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^ {2}parameters\.days .*2/m);
    expect(refused.err).toMatch(/^ {2}parameters\.colour unknown parameter/m);
    expect((await kairos('templates render sign-in-streak --set days')).code).toBe(2);
    expect((await kairos('templates show no-such-play')).code).toBe(1);
  });

  it('sources: applies from YAML (creates, no version for nothing, replaces what changed), lists, shows, and points at each problem', async () => {
    // Disabled: the test needs no broker; the API stores, versions and reports them all the same.
    const sourceYaml = (prefetch: number) => `# orders from the shop's queue
key: cli-orders-queue
broker: rabbitmq
enabled: false
queue: cli.order-paid
prefetch: ${prefetch}
mapping:
  id: orderNo
  type: { const: order.completed }
  userId: buyer.uid
  properties:
    amount: amount
`;
    write('sources/orders.yaml', sourceYaml(50));
    write('sources/more.json', JSON.stringify([{ key: 'cli-nats', broker: 'nats', enabled: false, stream: 'CLI', subject: 'cli.>', mapping: { id: 'id', type: 'type', userId: 'user' } }], null, 2));
    const created = await kairos('sources apply sources');
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toContain('cli-nats: created v1 from sources/more.json (disabled)');
    expect(created.out).toContain('cli-orders-queue: created v1 from sources/orders.yaml (disabled)');
    const stored = await sut.request('GET', '/v1/sources/cli-orders-queue', { role: 'operator' });
    expect(stored.body).toMatchObject({ version: 1, state: 'disabled', definition: { queue: 'cli.order-paid', prefetch: 50, concurrency: 4 } });

    // Defaults left out of the file and key order do not count: nothing to replace.
    const again = await kairos('sources apply sources/orders.yaml');
    expect(again).toMatchObject({ code: 0, out: 'cli-orders-queue: unchanged (v1)\n' });
    write('sources/orders.yaml', sourceYaml(80));
    const changed = await kairos('sources apply sources/orders.yaml');
    expect(changed).toMatchObject({ code: 0, out: 'cli-orders-queue: updated to v2 from sources/orders.yaml (disabled)\n  ~ prefetch: 50 -> 80\n' });
    expect((await sut.request('GET', '/v1/sources/cli-orders-queue', { role: 'operator' })).body).toMatchObject({ version: 2, definition: { prefetch: 80 } });

    const listed = await kairos('sources list');
    expect(listed.code).toBe(0);
    const rows = listed.out.trim().split('\n');
    expect(rows[0].split(/\s+/)).toEqual(['key', 'broker', 'reads', 'enabled', 'state', 'version', 'updated']);
    expect(rows.find((r) => r.startsWith('cli-orders-queue'))).toMatch(/^cli-orders-queue\s+rabbitmq\s+queue cli\.order-paid\s+false\s+disabled\s+2\s/);
    expect(rows.find((r) => r.startsWith('cli-nats'))).toMatch(/^cli-nats\s+nats\s+stream CLI subject cli\.>\s+false\s+disabled\s+1\s/);
    const json = await kairos('--json sources list');
    expect(JSON.parse(json.out).sources.map((s: { key: string }) => s.key)).toEqual(expect.arrayContaining(['cli-orders-queue', 'cli-nats']));

    const shown = await kairos('sources show cli-orders-queue');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('cli-orders-queue (rabbitmq), v2, disabled');
    expect(shown.out).toContain('reads: queue cli.order-paid');
    expect(parse(shown.out.slice(shown.out.indexOf('definition:')))).toMatchObject({ definition: { key: 'cli-orders-queue', prefetch: 80, mapping: { userId: 'buyer.uid' } } });
    expect(JSON.parse((await kairos('--json sources show cli-nats')).out)).toMatchObject({ key: 'cli-nats', version: 1, definition: { stream: 'CLI' } });
    expect((await kairos('sources show no-such-source')).code).toBe(1);

    // Problems as file:line:col path message, in a single file and inside a list; the good item of the list still goes.
    write('bad-sources/queue.yaml', sourceYaml(80).replace('prefetch: 80', 'prefetch: 0').replace('queue: cli.order-paid', 'queue: "no spaces allowed"'));
    write('bad-sources/list.yaml', `- key: cli-nats-2
  broker: nats
  enabled: false
  stream: CLI2
  subject: cli2.>
  mapping: { id: id, type: type, userId: user }
- key: cli-nats-3
  broker: nats
  enabled: false
  stream: CLI3
  subject: "bad subject"
  mapping: { id: id, type: type, userId: user }
- broker: nats
`);
    write('bad-sources/syntax.yaml', 'key: [unclosed\n');
    const bad = await kairos('sources apply bad-sources');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('cli-nats-2: created v1 from bad-sources/list.yaml (disabled)');
    const lines = bad.err.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'bad-sources/list.yaml:11:12 [1].subject a NATS subject such as orders.paid or orders.>',
        'bad-sources/list.yaml:13:3 [2].key a source needs a key (a string) to be applied',
        expect.stringMatching(/^bad-sources\/queue\.yaml:5:8 queue letters, digits, \. _ -$/),
        expect.stringMatching(/^bad-sources\/queue\.yaml:6:11 prefetch /),
        expect.stringMatching(/^bad-sources\/syntax\.yaml:\d+:\d+ \(syntax\) /),
        '4 of 5 source(s) not applied',
      ]),
    );
    // The refused update changed nothing.
    expect((await sut.request('GET', '/v1/sources/cli-orders-queue', { role: 'operator' })).body).toMatchObject({ version: 2, definition: { prefetch: 80 } });

    // delete: removed for good (the key is free again); a second delete has nothing to remove.
    expect(await kairos('sources delete cli-nats-2')).toMatchObject({ code: 0, out: 'cli-nats-2: removed (was v1); messages still in the broker stay there\n' });
    expect((await sut.request('GET', '/v1/sources/cli-nats-2', { role: 'operator' })).status).toBe(404);
    expect(await kairos('sources delete cli-nats-2')).toMatchObject({ code: 1, err: expect.stringContaining('no source cli-nats-2') });
    expect((await kairos('sources list')).out).not.toContain('cli-nats-2');
  });

  it('pools top-up adds budget and codes (flags and a file); a rerun with --id adds nothing; a refusal names the code', async () => {
    expect((await kairos('pools create --key cli-restock --kind coupon --budget 2 --codes OLD-1,OLD-2')).code).toBe(0);
    write('restock.txt', 'NEW-1\n\nNEW-2\r\nNEW-3\n');
    const topped = await kairos('pools top-up cli-restock --id dec --budget 3 --codes NEW-0 --codes-file restock.txt');
    expect(topped).toMatchObject({ code: 0, out: 'cli-restock: topped up\nbudget: 5; used 0; left 5\ncodes: 6 total, 6 left\n' });
    const rerun = await kairos('pools top-up cli-restock --id dec --budget 3 --codes NEW-0 --codes-file restock.txt');
    expect(rerun).toMatchObject({ code: 0, out: expect.stringContaining('cli-restock: top-up dec was applied before; nothing added') });
    expect(await kairos('pools top-up cli-restock --id dec --budget 4')).toMatchObject({ code: 1, err: expect.stringContaining('took a top-up with id "dec"') });
    // A refused code is named where it was given: the flag's item, or the file's line (blank lines counted).
    expect(await kairos('pools top-up cli-restock --codes NEW-9,NEW-2')).toMatchObject({ code: 1, err: '--codes[1] "NEW-2" is in the pool already\n' });
    expect(await kairos('pools top-up cli-restock --codes NEW-9 --codes-file restock.txt')).toMatchObject({
      code: 1,
      err: 'restock.txt:1 "NEW-1" is in the pool already\nrestock.txt:3 "NEW-2" is in the pool already\nrestock.txt:4 "NEW-3" is in the pool already\n',
    });
    // A refusal reads on from its path: an unlimited pool has no budget to top up.
    expect((await kairos('pools create --key cli-unlimited --kind points')).code).toBe(0);
    expect(await kairos('pools top-up cli-unlimited --budget 5')).toMatchObject({
      code: 1,
      err: 'cli-unlimited: budget cannot be added: pool "cli-unlimited" is unlimited (it has no budget to add to)\n',
    });
    const listed = await kairos('pools list');
    expect(listed.out).toMatch(/^key\s+kind\s+budget\s+used\s+left\s+codes left\s+per user$/m);
    expect(listed.out).toMatch(/^cli-restock\s+coupon\s+5\s+0\s+5\s+6\s+-$/m);
    expect(listed.out).toMatch(/^cli-points\s+points\s+1000\s+\d+\s+\d+\s+-\s+-$/m);
    const generated = await kairos('--json pools top-up cli-restock --generate GEN-####:10');
    expect(JSON.parse(generated.out)).toMatchObject({ applied: true, pool: { codes: { total: 16 } } });
    const shown = (await kairos('pools show cli-restock')).out;
    expect(shown).toContain('top-ups: 2, newest first');
    expect(shown).toMatch(/^ {2}\S+ {2}dec {2}budget \+3 coupons, \+4 codes$/m);
    expect(shown).toMatch(/^ {2}\S+ {2}\S+ {2}\+10 codes$/m);
    expect((await kairos('pools top-up cli-restock')).code).toBe(2);
    expect((await kairos('pools top-up no-such-pool --budget 1')).code).toBe(1);
  });

  it('users show lists the newest rewards (--rewards n, or all), says how many there are, and balances count them all', async () => {
    const ledger = createRewardActivities({ dataSource: sut.db.dataSource });
    for (const amount of [1, 2, 4]) await ledger.issueReward(issueInput({ type: 'points', amount }, { userId: 'cli-many' }));
    const two = await kairos('users show cli-many --rewards 2');
    expect(two.code).toBe(0);
    expect(two.out).toContain('rewards (the newest 2 of 3; --rewards all lists every one):');
    expect(two.out.split('\n').filter((l) => /\spoints\s/.test(l)).map((l) => l.split(/\s+/)[3])).toEqual(['2', '4']);
    expect(two.out).toContain('balances: 7 points');
    expect((await kairos('users show cli-many --rewards all')).out).toContain('rewards (3):');
    expect((await kairos('users show cli-many')).out).toContain('rewards (3):');
    expect(JSON.parse((await kairos('--json users show cli-many --rewards 1')).out)).toMatchObject({ total: 3, rewards: [{ amount: 4 }] });
    expect(await kairos('users show cli-many --rewards 0')).toMatchObject({ code: 2, err: expect.stringContaining('--rewards: a number from 1 to 1000, or all') });
  });

  it('exits 3 when Kairos is unreachable or refuses the key, 2 on usage errors, 1 on what Kairos refuses', async () => {
    const badKey = await kairos('pools show cli-points', { env: { KAIROS_API_KEY: 'not-a-key-of-this-system' } });
    expect(badKey.code).toBe(3);
    expect(badKey.err).toContain('refused the API key');
    // No key at all (no npm start's key file here): said as such, not as a refused key.
    const noKey = await kairos('pools show cli-points', { env: { KAIROS_API_KEY: undefined } });
    expect(noKey).toMatchObject({ code: 3, err: expect.stringContaining(`no API key was sent (${sut.baseUrl}): set KAIROS_API_KEY`) });
    const ingestOnly = await kairos('funnel cli-orders', { env: { KAIROS_API_KEY: sut.keys.ingest } });
    expect(ingestOnly.code).toBe(3);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await kairos('pools show cli-points', { env: { KAIROS_URL: closed } });
    expect(down).toMatchObject({ code: 3, err: expect.stringContaining(`cannot reach Kairos at ${closed}: ECONNREFUSED`) });
    expect((await kairos('campaigns frobnicate')).code).toBe(2);
    expect((await kairos('events cancel cli-o1')).code).toBe(2); // --reason is required
    expect((await kairos('pools show no-such-pool')).code).toBe(1);

    // Files that are not there are usage errors naming the path, not Node's wording with exit 1.
    expect(await kairos('campaigns diff missing.yaml')).toMatchObject({ code: 2, err: 'kairos: missing.yaml: no such file\n' });
    expect(await kairos('campaigns diff campaigns')).toMatchObject({ code: 2, err: 'kairos: campaigns: is a folder; name a file\n' });
    expect(await kairos('pools top-up cli-points --codes-file missing.txt')).toMatchObject({ code: 2, err: 'kairos: missing.txt: no such file\n' });
    const unwritable = await kairos('campaigns export cli-orders -o no/such/folder/x.yaml');
    expect(unwritable).toMatchObject({ code: 2, err: expect.stringMatching(/no\/such\/folder\/x\.yaml: no such file or folder/) });

    // A URL with a prefix too many reaches no route: said so, not taken for a campaign that does not exist.
    const prefixed = { env: { KAIROS_URL: `${sut.baseUrl}/v1` } };
    for (const command of ['campaigns versions cli-orders', 'campaigns diff campaigns/orders.yaml --exit-code', 'campaigns export cli-orders']) {
      const res = await kairos(command, prefixed);
      expect({ command, code: res.code, err: res.err }).toEqual({ command, code: 2, err: expect.stringContaining('this server has no such route') });
    }
  });

  it('at its edges: a refused batch by its line whatever the status, batches by size, one JSON object for --properties, one file a campaign, saved but not active, escapes shown not obeyed', async () => {
    // A 300 KB event on line 11, in the third batch of five: its line and how many went before (413, not 400).
    const small = (i: number) => JSON.stringify({ id: `cli-edge-${i}`, type: 'cli.edge', userId: 'cli-edge' });
    const big = JSON.stringify({ id: 'cli-edge-big', type: 'cli.edge', userId: 'cli-edge', properties: { blob: 'x'.repeat(300_000) } });
    const tooBig = await kairos('events send --file - --batch 5', { stdin: [...Array.from({ length: 10 }, (_, i) => small(i)), big].join('\n') });
    expect(tooBig.code).toBe(1);
    expect(tooBig.err).toMatch(/^\(stdin\):11 properties /m);
    expect(tooBig.err).toContain('stopped: 10 of 11 event(s) sent before the refused batch');
    // 600 events of 12 KB: 500 of them would be more than a request may carry; batches are cut by size too.
    const heavy = Array.from({ length: 600 }, (_, i) => JSON.stringify({ id: `cli-heavy-${i}`, type: 'cli.heavy', userId: 'cli-heavy', properties: { note: 'y'.repeat(12_000) } }));
    const bulk = await kairos('events send --file -', { stdin: heavy.join('\n') });
    expect({ code: bulk.code, out: bulk.out, err: bulk.err }).toEqual({ code: 0, out: '600 accepted, 0 duplicate(s)\n', err: '' });

    for (const not of ['"abc"', '[1,2]', 'null']) {
      const res = await kairos(`events send --type cli.edge --user cli-edge --properties ${not}`);
      expect({ not, code: res.code, err: res.err }).toEqual({ not, code: 2, err: expect.stringContaining('--properties: must be one JSON object') });
    }
    // Each problem names its flag, and a date that does not exist is a usage error before anything is sent (cli probe).
    expect(await kairos(`events send --type cli.edge --user cli-edge --properties '{bad'`)).toMatchObject({ code: 2, err: expect.stringMatching(/^kairos: --properties: /) });
    expect(await kairos('events send --type cli.edge --user cli-edge --prop n=1e400')).toMatchObject({ code: 2, err: expect.stringMatching(/^kairos: --prop: n: a number too large/) });
    expect(await kairos('events send --type cli.edge --user cli-edge --at 2026-02-30T09:00:00Z')).toMatchObject({ code: 2, err: expect.stringContaining('--at: "2026-02-30T09:00:00Z" is not a real date and time') });
    // Flags beside a file would be quietly ignored: refused, naming them.
    expect(await kairos('events send --file - --type cli.edge --user cli-edge', { stdin: small(99) })).toMatchObject({ code: 2, err: expect.stringContaining('--file takes every event from the file: leave out --type, --user') });
    write('edge-pool.yaml', 'key: cli-edge-pool\nkind: points\nbudget: 10\n');
    expect(await kairos('pools create edge-pool.yaml --kind coupon --budget 5')).toMatchObject({ code: 2, err: expect.stringContaining('leave out --kind, --budget') });
    write('two-pools.yaml', '- key: cli-two-a\n  kind: points\n  budget: 10\n- key: cli-two-b\n  kind: nonsense\n');
    const two = await kairos('pools create two-pools.yaml');
    expect(two).toMatchObject({ code: 1, out: expect.stringContaining('cli-two-a: created'), err: expect.stringContaining('1 of 2 pool(s) not created') });
    const badType = await kairos('events send --type bad!type --user cli-edge');
    expect(badType.code).toBe(1);
    expect(badType.err).toMatch(/^--type: /m);
    expect(badType.err).not.toContain('stopped:');
    expect(badType.out).toBe('');
    // A time without its zone is a usage mistake, said before anything is sent; an empty argument too.
    expect(await kairos('events send --type cli.edge --user cli-edge --at yesterday')).toMatchObject({ code: 2, out: '', err: expect.stringContaining('--at: "yesterday" is not a time with its zone: write e.g. 2026-12-01T09:00:00Z') });
    expect(await kairos('events send --type cli.edge --user cli-edge --at 2020-01-01')).toMatchObject({ code: 2, out: '' });
    // (the helper splits on spaces: a doubled or trailing space is an empty argument)
    for (const command of ['users show ', 'pools show ', 'events cancel  --reason x']) {
      expect(await kairos(command)).toMatchObject({ code: 2, err: expect.stringMatching(/<(id|key|user)> must not be empty/) });
    }
    // A broken profile file is not in the way of a connection given in full.
    write('broken-profiles.yaml', 'profiles: 5\n');
    const given = await kairos(`--url ${sut.baseUrl} --api-key ${sut.keys.admin} pools show cli-points`, { env: { KAIROS_CONFIG: path.join(dir, 'broken-profiles.yaml'), KAIROS_URL: undefined, KAIROS_API_KEY: undefined } });
    expect(given.code).toBe(0);
    expect(await kairos('--json --version')).toMatchObject({ code: 0, out: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });

    // Two files of one folder with the same key: neither is applied (each would add a version over the other, every run).
    write('twin/a.yaml', campaignYaml(10).replace('key: cli-orders', 'key: cli-twin'));
    write('twin/b.yaml', campaignYaml(20).replace('key: cli-orders', 'key: cli-twin'));
    const twins = await kairos('campaigns apply twin');
    expect(twins.code).toBe(1);
    expect(twins.err).toContain('twin/a.yaml: key cli-twin is also the key of twin/b.yaml');
    expect(twins.err).toContain('2 of 2 file(s) not applied');
    expect((await sut.request('GET', '/v1/campaigns/cli-twin', { role: 'operator' })).status).toBe(404);
    // validate refuses what apply will: a pull request's check must not pass it (cli probe).
    const twinsChecked = await kairos('campaigns validate twin');
    expect(twinsChecked.code).toBe(1);
    expect(twinsChecked.err).toContain('twin/b.yaml: key cli-twin is also the key of twin/a.yaml');
    expect(twinsChecked.err).toContain('2 of 2 file(s) invalid');
    // Sources too: two definitions of one key (in one list, or across files) are neither applied.
    const twinSource = (queue: string) => ({ key: 'cli-twin-source', broker: 'rabbitmq', enabled: false, queue, mapping: { id: 'id', type: 'type', userId: 'user' } });
    write('twin-sources/list.json', JSON.stringify([twinSource('cli.twin-1'), twinSource('cli.twin-2')]));
    const twinSources = await kairos('sources apply twin-sources');
    expect(twinSources.code).toBe(1);
    expect(twinSources.err).toContain('twin-sources/list.json[0]: key cli-twin-source is also the key of twin-sources/list.json[1]');
    expect(twinSources.err).toContain('2 of 2 source(s) not applied');
    expect((await sut.request('GET', '/v1/sources/cli-twin-source', { role: 'operator' })).status).toBe(404);

    // Saved, but activation refused (a pool that does not exist): said as such, not "not applied".
    write('nopool/x.yaml', campaignYaml(10).replace('key: cli-orders', 'key: cli-nopool').replace('pool: cli-points', 'pool: cli-nowhere'));
    const unpooled = await kairos('campaigns apply nopool --activate');
    expect(unpooled.code).toBe(1);
    expect(unpooled.out).toContain('cli-nopool: created v1');
    expect(unpooled.err).toMatch(/^nopool\/x\.yaml: cli-nopool v1 is saved but not active: /m);
    expect(unpooled.err).toContain('1 of 1 file(s) saved but not activated');
    expect(unpooled.err).not.toContain('not applied');

    // What the server sends back is shown, not obeyed: an escape sequence in an event id.
    const escaped = await kairos('events send --type cli.edge --user cli-edge --id cli-\u001b[2Jred');
    expect(escaped.code).toBe(0);
    expect(escaped.out).toContain('cli-\\u001b[2Jred: accepted');
    expect(escaped.out).not.toContain('\u001b');

    // Cancelling again: the first cancel's reason, and that nothing changed.
    expect((await kairos('events cancel cli-edge-0 --reason refund')).code).toBe(0);
    const again = await kairos('events cancel cli-edge-0 --reason other');
    expect(again).toMatchObject({ code: 0, out: expect.stringMatching(/^cli-edge-0: already cancelled at .* \(refund\); nothing changed$/m) });

    // An operator's actions on one journey: nothing held to retry (exit 1, why), an exit, and a journey that no longer runs.
    expect((await kairos('events send --type order.completed --user cli-leaver --id cli-leaver-1')).code).toBe(0);
    await eventually(async () => ((await sut.request('GET', '/v1/journeys/cli-orders/cli-leaver', { role: 'support' })).body.status === 'active' ? true : undefined));
    const nothingHeld = await kairos('journeys retry cli-orders cli-leaver');
    expect(nothingHeld.code).toBe(1);
    expect(nothingHeld.err).toMatch(/^kairos: .*held/m);
    // The run journeys show read the journey from, given back: the exit reaches that run (and a run it never had is no running journey).
    const runId = /^workflow journey:cli-orders:cli-leaver run ([0-9a-f-]{36}) /m.exec((await kairos('journeys show cli-orders cli-leaver')).out)?.[1];
    expect(runId).toBeDefined();
    const otherRun = await kairos('journeys exit cli-orders cli-leaver --run-id 00000000-0000-4000-8000-000000000000');
    expect(otherRun).toMatchObject({ code: 1, err: 'kairos: no running journey of cli-leaver in cli-orders in run 00000000-0000-4000-8000-000000000000\n' });
    const staleHold = await kairos(`journeys skip cli-orders cli-leaver --run-id ${String(runId)} --since 2026-01-01T00:00:00Z`);
    expect(staleHold).toMatchObject({ code: 1, err: expect.stringContaining('`kairos journeys show cli-orders cli-leaver` shows it: its run (for --run-id)') });
    const left = await kairos(`journeys exit cli-orders cli-leaver --reason moved-away --run-id ${String(runId)}`);
    expect(left).toMatchObject({ code: 0, out: 'journey:cli-orders:cli-leaver: exit requested (moved-away); rewards already issued stay\n' });
    await eventually(async () => ((await sut.request('GET', '/v1/journeys/cli-orders/cli-leaver', { role: 'support' })).body.status === 'ended' ? true : undefined));
    await eventually(async () => ((await kairos('journeys skip cli-orders cli-leaver')).err.includes('no running journey of cli-leaver in cli-orders') ? true : undefined));

    // A URL where something other than Kairos answers (an HTML page): said so, exit 3.
    const page = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>not kairos</title>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
      const html = await kairos('pools list', { env: { KAIROS_URL: url } });
      expect(html).toMatchObject({ code: 3, err: expect.stringContaining(`${url} answered with something other than Kairos's JSON`) });
    } finally {
      await new Promise((resolve) => page.close(resolve));
    }
  });

  it("an event larger than the API's body limit (MAX_BODY_BYTES) is named by its line, though Kairos's 413 names none (review 47, finding 3)", async () => {
    const small = (i: number) => JSON.stringify({ id: `cli-limit-${i}`, type: 'cli.limit', userId: 'cli-limit' });
    // Past the default 5 MB body limit alone: Fastify refuses it before any route reads it, so its 413 has no details.
    const huge = JSON.stringify({ id: 'cli-limit-huge', type: 'cli.limit', userId: 'cli-limit', properties: { blob: 'z'.repeat(5.5 * 1024 * 1024) } });
    const res = await kairos('events send --file -', { stdin: [small(1), small(2), huge, small(4)].join('\n') });
    expect({ code: res.code, out: res.out }).toEqual({ code: 1, out: '2 accepted, 0 duplicate(s)\n' });
    // Kairos's own words for the 413 first, then what this CLI adds.
    expect(res.err.split('\n')).toEqual([
      expect.stringMatching(/^\(stdin\):3 \(event\) .*too large: this event alone is more than the server takes in one request \(Kairos's MAX_BODY_BYTES, or a proxy's limit in front of it\); make it smaller, or ask for a higher limit$/),
      'stopped: 2 of 4 event(s) sent before the refused batch',
      '',
    ]);
  });

  it('npm run demo loads the examples, replays their events, shows a reward, and changes nothing when run again', async () => {
    const examplesDir = path.resolve(__dirname, '../examples');
    // It needs an admin key, and says so before it changes anything (console probe: an operator key left a pool behind).
    for (const role of ['operator', 'ingest'] as const) {
      const refused = io({ KAIROS_API_KEY: sut.keys[role] });
      expect(await runDemo(new CommandContext(refused, () => ({})), { examplesDir })).toBe(2);
      expect(refused.err()).toBe(`npm run demo needs an admin key: it creates pools and campaigns (operator) and sends events (ingest); this key's role is ${role}. Nothing was changed.\n`);
    }
    expect((await sut.request('GET', '/v1/pools/vip-20-off', { role: 'operator' })).status).toBe(404);
    const first = io();
    expect(await runDemo(new CommandContext(first, () => ({})), { examplesDir })).toBe(0);
    expect(first.err()).toBe('');
    expect(first.out()).toContain('spend-and-post: created v1');
    expect(first.out()).toMatch(/u-42's rewards:\n.*\n.*\nspend-and-post\s+points\s+255/);
    expect(first.out()).toContain('CampaignKey="spend-and-post"');
    expect(first.out()).toContain('npm run -s temporal -- schedule trigger --schedule-id batch-entry:birthday');
    expect(first.out()).toContain('demo-sign-in-streak: created v1 from (template sign-in-streak)');
    expect(first.out()).toContain('events: 3 sign-ins of u-streak: 3 accepted, 0 already there');

    const second = io();
    expect(await runDemo(new CommandContext(second, () => ({})), { examplesDir })).toBe(0);
    expect(second.out()).toContain('spend-and-post: unchanged (v1)');
    expect(second.out()).toContain('pool vip-20-off: exists (kept)');
    expect(second.out()).toContain('events: 12 replayed: 0 accepted, 12 already there');
    expect(second.out()).toContain('demo-sign-in-streak: unchanged (v1)');
    expect(second.out()).toContain('events: 3 sign-ins of u-streak: 0 accepted, 3 already there');
    for (const key of ['spend-and-post', 'first-order-coupon', 'birthday']) {
      expect((await sut.request('GET', `/v1/campaigns/${key}`, { role: 'operator' })).body).toMatchObject({ latestVersion: 1, status: 'active' });
    }
    const rewards = (await sut.request('GET', '/v1/users/u-42/rewards', { role: 'support' })).body.rewards;
    expect(rewards).toHaveLength(1);
    // cli-streak (rendered from the same template earlier in this file) rewards the same sign-ins; the demo's own campaign is the one asserted.
    const streak = await eventually(async () => {
      const r = (await sut.request('GET', '/v1/users/u-streak/rewards', { role: 'support' })).body.rewards as { campaign: string; causedBy: string[] }[] | undefined;
      return r?.find((reward) => reward.campaign === 'demo-sign-in-streak');
    });
    expect(streak).toMatchObject({ kind: 'points', amount: 40, status: 'issued' });
    expect([...streak.causedBy].sort()).toEqual(['demo-streak-1', 'demo-streak-2', 'demo-streak-3']);
  });
});
