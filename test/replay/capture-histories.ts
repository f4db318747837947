/**
 * npm run histories:capture: writes the histories the replay gate replays
 * (test/histories/journey-*.json) from journeys run on a real server. A tool,
 * not a test: the committed histories are the record of what running
 * workflows did, so they change only when someone means to (see
 * test/histories/README.md). It starts its own Temporal dev server (or uses
 * KAIROS_TEST_TEMPORAL_ADDRESS) and a scratch database on the local
 * PostgreSQL (KAIROS_TEST_DATABASE_ADMIN_URL), and stops both when done,
 * failed or interrupted.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '../../src/provisioning/cli-binary';
import { startDevServer } from '../../src/provisioning/dev-server';
import { PoolsRepository } from '../../src/store/repositories/pools.repository';
import { cancelEventSignal } from '../../src/workflows/journey/contract';
import { JourneyGateway } from '../../src/temporal/journey-gateway';
import { PROOF_WORKFLOW_BUNDLE } from '../../bench/support/journey-bundle';
import { onRunEnd, runBench } from '../../bench/support/run-lifetime';
import { freePort } from '../support/free-port';
import { startJourneyHarness } from '../support/journey-harness';

const run = promisify(execFile);
/** test/histories in the sources: this runs compiled, from dist/test/replay. */
const HISTORIES = path.resolve(__dirname, '..', '..', '..', 'test', 'histories');

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

async function main(): Promise<void> {
  const cli = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: (l) => console.log(l) });
  let address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS;
  if (!address) {
    const server = await startDevServer({ binary: cli, port: await freePort(), uiPort: 0, ui: false, namespace: 'default' });
    onRunEnd('Temporal dev server', server.stop);
    address = server.address;
    process.env.KAIROS_TEST_TEMPORAL_ADDRESS = address;
  }
  // The bundle `npm run histories:capture` has just built from the sources, never a stale dist/workflow-bundle.js.
  const h = await startJourneyHarness({ workflowBundlePath: PROOF_WORKFLOW_BUNDLE });
  onRunEnd('worker and scratch database', h.stop);
  await new PoolsRepository(h.db.dataSource).create({ key: 'replay-vip', kind: 'coupon', codes: ['VIP-A', 'VIP-B'] });

  const c = { key: scenario.key, version: await h.seedCampaign(scenario) };
  // Entry, a timer to `nudged` with a message, more events to `rewarded`, a cancel during the reward wait.
  console.log('ann: entry, nudge, reward, cancel');
  await h.send(c, { id: 'h1', type: 'order.completed', userId: 'ann', properties: { amount: 5 } });
  await h.waitForView(scenario.key, 'ann', (v) => v.states[0] === 'nudged');
  await h.send(c, { id: 'h2', type: 'order.completed', userId: 'ann', properties: { amount: 25 } }, 'signal');
  await h.waitForView(scenario.key, 'ann', (v) => v.rewards.some((r) => r.status === 'issued'));
  await h.handle(scenario.key, 'ann').signal(cancelEventSignal, { version: 1, eventId: 'h2', reason: 'refund' });
  await h.handle(scenario.key, 'ann').result();
  // Straight to the reward on the first event.
  console.log('bob: reward on the first event');
  await h.send(c, { id: 'h3', type: 'order.completed', userId: 'bob', properties: { amount: 30, vip: true } });
  await h.handle(scenario.key, 'bob').result();
  // Two events in one batched `events` signal that starts the journey (the outbox's batching).
  console.log('cy: a batch of two events starts the journey and rewards it');
  const at = new Date().toISOString();
  await new JourneyGateway(h.client, h.taskQueue).deliverEvents({
    kind: 'start',
    workflowId: `journey:${scenario.key}:cy`,
    campaignKey: scenario.key,
    campaignVersion: c.version,
    userId: 'cy',
    events: [
      { version: 1, id: 'h4', type: 'order.completed', userId: 'cy', occurredAt: at, properties: { amount: 12 } },
      { version: 1, id: 'h5', type: 'order.completed', userId: 'cy', occurredAt: at, properties: { amount: 9 } },
    ],
  });
  await h.handle(scenario.key, 'cy').result();

  // The CLI's JSON is the format `historyFromJSON` and the Temporal UI's export use.
  for (const user of ['ann', 'bob', 'cy']) {
    const { stdout } = await run(cli, ['workflow', 'show', '--address', address, '-w', `journey:${scenario.key}:${user}`, '-o', 'json']);
    const file = path.join(HISTORIES, `journey-${user}.json`);
    writeFileSync(file, stdout);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

runBench('histories:capture', main);
