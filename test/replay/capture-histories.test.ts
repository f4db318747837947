import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '../../src/temporal/cli-binary';
import { PoolsRepository } from '../../src/store/repositories/pools.repository';
import { startJourneyHarness, type JourneyHarness } from '../support/journey-harness';
import { cancelEventSignal } from '../../src/workflows/journey.workflow';

/**
 * Writes the histories the replay gate replays (test/histories/*.json), from
 * journeys run on the real server. Runs only with CAPTURE_HISTORIES=1: the
 * committed histories are the record of what running workflows did.
 */
const run = promisify(execFile);
const capture = process.env.CAPTURE_HISTORIES === '1' ? describe : describe.skip;

const scenario = {
  key: 'replay-spend',
  name: 'replay: collect, nudge, reward, cancel',
  entry: { on: 'order.completed' },
  initial: 'collecting',
  states: {
    collecting: {
      transitions: [
        { to: 'rewarded', when: "sum('order.completed', 'amount') >= 20" },
        { to: 'nudged', after: 'PT1S' },
      ],
    },
    nudged: {
      actions: { steps: [{ type: 'message', channel: 'push', template: 'almost-there' }] },
      transitions: [{ to: 'rewarded', when: "sum('order.completed', 'amount') >= 20" }, { to: 'expired', after: 'PT20S' }],
    },
    rewarded: {
      actions: { strategy: 'priority', steps: [{ type: 'coupon', pool: 'replay-vip', if: 'event.vip == true' }, { type: 'points', amount: "sum('order.completed', 'amount') * 10" }] },
      transitions: [{ to: 'done', after: 'PT2S' }],
    },
    done: { end: true },
    expired: { end: true },
  },
};

capture('capture histories for the replay gate', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness();
    await new PoolsRepository(h.db.dataSource).create({ key: 'replay-vip', kind: 'coupon', codes: ['VIP-A', 'VIP-B'] });
  });
  afterAll(async () => h?.stop());

  it('runs the scenarios and writes their histories', async () => {
    const c = { key: scenario.key, version: await h.seedCampaign(scenario) };
    // Entry, a timer to `nudged` with a message, more events to `rewarded`, a cancel during the reward wait.
    await h.send(c, { id: 'h1', type: 'order.completed', userId: 'ann', properties: { amount: 5 } });
    await h.waitForView(scenario.key, 'ann', (v) => v.states[0] === 'nudged');
    await h.send(c, { id: 'h2', type: 'order.completed', userId: 'ann', properties: { amount: 25 } }, 'signal');
    await h.waitForView(scenario.key, 'ann', (v) => v.rewards.some((r) => r.status === 'issued'));
    await h.handle(scenario.key, 'ann').signal(cancelEventSignal, { version: 1, eventId: 'h2', reason: 'refund' });
    await h.handle(scenario.key, 'ann').result();
    // Straight to the reward on the first event.
    await h.send(c, { id: 'h3', type: 'order.completed', userId: 'bob', properties: { amount: 30, vip: true } });
    await h.handle(scenario.key, 'bob').result();

    // The CLI's JSON is the format `historyFromJSON` and the Temporal UI's export use.
    const cli = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, allowBuild: false });
    for (const user of ['ann', 'bob']) {
      const { stdout } = await run(cli, ['workflow', 'show', '--address', process.env.KAIROS_TEST_TEMPORAL_ADDRESS!, '-w', `journey:${scenario.key}:${user}`, '-o', 'json']);
      writeFileSync(path.join(__dirname, '..', 'histories', `journey-${user}.json`), stdout);
    }
  });
});
