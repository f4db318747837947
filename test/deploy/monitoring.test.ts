import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { metricNames, monitoringExpressions } from '../support/monitoring-files';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/**
 * The monitoring files under deploy/: the rules pass promtool, the compose
 * profile mounts what Prometheus and Grafana need, and the dashboard and
 * rules cover the on-call questions. (That every metric they name is
 * exported is checked against a running system in test/npm-start.test.ts.)
 */
describe('deploy/: Prometheus rules and the Grafana dashboard', () => {
  it('the alert rules pass promtool check rules', () => {
    const promtool = spawnSync('promtool', ['check', 'rules', path.join(root, 'deploy/prometheus/kairos-alerts.yml')], { encoding: 'utf8' });
    if (promtool.error) throw new Error(`promtool is needed (Debian's prometheus package; .ci/run installs it): ${promtool.error.message}`);
    expect({ status: promtool.status, out: promtool.stdout + promtool.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it("the 5xx alert counts the API's /v1 routes only: scrapes and a readiness probe's 503s neither fire nor hide it (promtool test rules)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-rules-'));
    // Per minute, for 15 minutes: many scrapes and probes answering 200 or 503, and a few /v1 requests.
    const series = (route: string, status: string, perMinute: number) => ({ series: `kairos_http_requests_total{method="GET",route="${route}",status="${status}"}`, values: `0+${perMinute}x15` });
    const scrapes = [series('/metrics', '200', 12), series('/readyz', '503', 6)];
    const cases = [
      { name: 'v1 failing', input: [...scrapes, series('/v1/events', '500', 2), series('/v1/events', '202', 1)], fires: true },
      { name: 'only the probe failing', input: [...scrapes, series('/v1/events', '202', 3)], fires: false },
    ];
    const tests = cases.map((c) => ({
      interval: '1m',
      input_series: c.input,
      alert_rule_test: [{ eval_time: '14m', alertname: 'KairosHigh5xxRate', exp_alerts: c.fires ? [{ exp_labels: { severity: 'page' }, exp_annotations: {} }] : [] }],
    }));
    // The annotations are the rule's own: read them back rather than repeat them.
    const rule = (parse(read('deploy/prometheus/kairos-alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; annotations?: Record<string, string> }> }> }).groups
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'KairosHigh5xxRate')!;
    for (const t of tests) for (const a of t.alert_rule_test) for (const e of a.exp_alerts) e.exp_annotations = rule.annotations as never;
    const file = path.join(dir, 'high-5xx.test.yml');
    writeFileSync(file, stringify({ rule_files: [path.join(root, 'deploy/prometheus/kairos-alerts.yml')], evaluation_interval: '1m', tests }));
    const promtool = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    expect({ status: promtool.status, out: promtool.stdout + promtool.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('the deadlock alert fires on the first deadlock of a process too, whose counter is born at 1, and not on old or no deadlocks (promtool test rules)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-rules-'));
    const deadlocks = (values: string) => [{ series: 'kairos_ledger_retries_total{reason="deadlock",instance="worker:9464"}', values }];
    // One sample a minute for 30 minutes; evaluated at the end.
    const cases = [
      { name: 'the worker counts its first deadlock 25 minutes in', values: '_x25 1x5', fires: true },
      { name: 'zero from the start, then one', values: '0x25 1x5', fires: true },
      { name: 'always zero (the API shows every reason from the start)', values: '0x30', fires: false },
      { name: 'deadlocks long ago, none since', values: '_x5 3x25', fires: false },
      { name: 'old deadlocks, then a restart', values: '3x25 0x5', fires: false },
    ];
    const rule = (parse(read('deploy/prometheus/kairos-alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }> }).groups
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'KairosDeadlockRetries')!;
    const tests = cases.map((c) => ({
      interval: '1m',
      input_series: deadlocks(c.values),
      alert_rule_test: [{ eval_time: '30m', alertname: 'KairosDeadlockRetries', exp_alerts: c.fires ? [{ exp_labels: rule.labels, exp_annotations: rule.annotations }] : [] }],
    }));
    const file = path.join(dir, 'deadlocks.test.yml');
    writeFileSync(file, stringify({ rule_files: [path.join(root, 'deploy/prometheus/kairos-alerts.yml')], evaluation_interval: '1m', tests }));
    const promtool = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    expect({ status: promtool.status, out: promtool.stdout + promtool.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('alerts on outbox age, dead deliveries, held steps, a nearly spent pool, the 5xx rate, schedule-to-start latency and a source not consuming', () => {
    const rules = parse(read('deploy/prometheus/kairos-alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const used = new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr))));
    for (const name of [
      'kairos_outbox_oldest_pending_seconds',
      'kairos_outbox_dead_deliveries',
      'kairos_held_steps',
      'kairos_pool_budget_left',
      'kairos_http_requests_total',
      'temporal_workflow_task_schedule_to_start_latency',
      'kairos_source_up',
    ]) {
      expect({ name, used: used.has(name) }).toEqual({ name, used: true });
    }
  });

  it('the dashboard covers the API, the outbox, journeys, rewards, the SDK worker metrics and the event sources', () => {
    const used = new Set(monitoringExpressions().flatMap(metricNames));
    for (const family of ['kairos_http_requests_total', 'kairos_outbox_pending_deliveries', 'kairos_journeys_entered_total', 'kairos_reward_issues_total', 'temporal_workflow_task_schedule_to_start_latency', 'kairos_source_up', 'kairos_source_lag']) {
      expect({ family, used: used.has(family) }).toEqual({ family, used: true });
    }
  });

  it('the compose monitoring profile mounts the rules, the scrape config, the datasource and the dashboard', () => {
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, { profiles?: string[]; volumes?: string[]; ports?: string[] }> };
    for (const name of ['prometheus', 'grafana']) {
      expect(compose.services[name].profiles).toEqual(['monitoring']);
      for (const port of compose.services[name].ports ?? []) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
      for (const volume of compose.services[name].volumes ?? []) {
        const source = volume.split(':')[0];
        expect({ volume, exists: spawnSync('test', ['-e', path.join(root, source)]).status === 0 }).toEqual({ volume, exists: true });
      }
    }
    const scrape = parse(read('deploy/prometheus/prometheus.yml')) as { rule_files: string[]; scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    expect(scrape.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)).sort()).toEqual(['api:3000', 'worker:9464']);
    expect(compose.services.prometheus.volumes).toEqual(expect.arrayContaining([expect.stringContaining(`:${scrape.rule_files[0]}:`)]));
  });
});
