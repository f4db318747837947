import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { launchCampaign, sendEvent } from '../support/campaign-api';
import { freePort } from '../support/free-port';
import { eventually, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test';

const root = path.resolve(__dirname, '..', '..');
const TOKEN = 'alert-test-metrics-token-7f3a9c';

interface AlertmanagerStandIn {
  port: number;
  /** Every alert Prometheus posted, in order. */
  received: Array<{ labels: Record<string, string> }>;
  close(): Promise<void>;
}

/** What Prometheus posts to an Alertmanager (POST /api/v2/alerts, a JSON list of alerts), recorded. */
async function startAlertmanagerStandIn(): Promise<AlertmanagerStandIn> {
  const received: AlertmanagerStandIn['received'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/v2/alerts') received.push(...(JSON.parse(body) as AlertmanagerStandIn['received']));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * A real Prometheus (Debian's package) scrapes a real Kairos with the
 * shipped alert rules and fires KairosOutboxBacklogAging once a delivery is
 * held back. The rules' `for` durations are set to 0 here: the shipped five
 * minutes would only make the test wait; the expressions are the shipped ones.
 * Kairos runs with METRICS_TOKEN, as compose runs it, and Prometheus scrapes
 * with the shipped job's authorization: the token as a file. It sends what
 * fires as the shipped `alerting` block says, to an Alertmanager stand-in.
 */
describe('the shipped alert rules on a real Prometheus', () => {
  let sut: SystemUnderTest;
  let prometheus: ChildProcess | undefined;
  let alertmanager: AlertmanagerStandIn | undefined;
  beforeAll(async () => {
    sut = await startSystemUnderTest({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await alertmanager?.close();
    await sut?.stop();
  });

  it('fires KairosOutboxBacklogAging when a delivery waits too long', async () => {
    await launchCampaign(sut, { key: 'alerting', name: 'Alerting', entry: { on: 'order.completed' }, initial: 'done', states: { done: { end: true } } });
    await sendEvent(sut, { id: 'alert-o1', type: 'order.completed', userId: 'alert-u1' });
    // The delivery is recorded just after the answer: hold it back only once that is written, or the record would undo it.
    await eventually(async () => {
      const [row]: Array<{ done: boolean }> = await sut.db.dataSource.query(`select delivered_at is not null as done from signal_outbox where event_id = 'alert-o1'`);
      return row?.done || undefined;
    });
    // Held back: undelivered, ten minutes old, not due for an hour.
    await sut.db.dataSource.query(
      `update signal_outbox set delivered_at = null, outcome = null, created_at = now() - interval '10 minutes', next_attempt_at = now() + interval '1 hour' where event_id = 'alert-o1'`,
    );

    const dir = mkdtempSync(path.join(os.tmpdir(), 'kairos-prometheus-'));
    const standIn = await startAlertmanagerStandIn();
    alertmanager = standIn;
    const rules = parse(readFileSync(path.join(root, 'deploy/prometheus/kairos-alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    for (const group of rules.groups) for (const rule of group.rules) rule.for = '0s';
    writeFileSync(path.join(dir, 'rules.yml'), stringify(rules));
    const target = new URL(sut.baseUrl);
    const shipped = parse(readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; authorization?: { credentials_file?: string } }>;
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    };
    const job = shipped.scrape_configs.find((c) => c.job_name === 'kairos-api')!;
    writeFileSync(path.join(dir, 'metrics-token'), TOKEN);
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [path.join(dir, 'rules.yml')],
        scrape_configs: [{ ...job, authorization: job.authorization && { ...job.authorization, credentials_file: path.join(dir, 'metrics-token') }, static_configs: [{ targets: [`${target.hostname}:${target.port}`] }] }],
        // The shipped alerting block, its Alertmanager here a stand-in that records what Prometheus sends.
        alerting: { alertmanagers: shipped.alerting.alertmanagers.map((a) => ({ ...a, static_configs: [{ targets: [`127.0.0.1:${standIn.port}`] }] })) },
      }),
    );
    const port = await freePort();
    let output = '';
    prometheus = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prometheus.on('error', (err) => (output += `\ncannot start prometheus (Debian's prometheus package; .ci/run installs it): ${err.message}`));
    prometheus.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));

    const alert = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/alerts`).catch(() => undefined);
      if (!res?.ok) return undefined;
      const body = (await res.json()) as { data: { alerts: Array<{ labels: { alertname: string }; state: string; value: string }> } };
      return body.data.alerts.find((a) => a.labels.alertname === 'KairosOutboxBacklogAging' && a.state === 'firing');
    }, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; prometheus said:\n${output}`);
    });
    expect(Number(alert.value)).toBeGreaterThan(300);

    // Sent on through the shipped alerting block (review-61, finding 2): Alertmanager is what routes a page to someone.
    const sent = await eventually(async () => standIn.received.find((a) => a.labels.alertname === 'KairosOutboxBacklogAging'), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; prometheus said:\n${output}`);
    });
    expect(sent.labels).toMatchObject({ alertname: 'KairosOutboxBacklogAging', severity: 'page' });
  });
});
