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

  /** Runs promtool test rules over cases for one alert; the expected annotations are the rule's own, with `$value` and `$labels` filled in. */
  function promtoolCases(alertname: string, evalTime: string, cases: Array<{ name: string; input: Array<{ series: string; values: string }>; fires: Array<{ labels: Record<string, string>; value: string }> }>, interval = '1m') {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-rules-'));
    const rule = (parse(read('deploy/prometheus/kairos-alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }> }).groups
      .flatMap((g) => g.rules)
      .find((r) => r.alert === alertname);
    if (!rule) throw new Error(`deploy/prometheus/kairos-alerts.yml has no alert ${alertname}`);
    // `value` as the annotation shows it: humanized already where the rule pipes it through humanizeDuration.
    const fill = (text: string, labels: Record<string, string>, value: string) => text.replace(/\{\{ \$value(?: \| humanizeDuration)? \}\}/g, value).replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, name: string) => labels[name]);
    const tests = cases.map((c) => ({
      interval,
      input_series: c.input,
      alert_rule_test: [
        {
          eval_time: evalTime,
          alertname,
          exp_alerts: c.fires.map((f) => ({
            exp_labels: { ...rule.labels, ...f.labels },
            exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, fill(v, f.labels, f.value)])),
          })),
        },
      ],
    }));
    const file = path.join(dir, `${alertname}.test.yml`);
    writeFileSync(file, stringify({ rule_files: [path.join(root, 'deploy/prometheus/kairos-alerts.yml')], evaluation_interval: interval, tests }));
    const promtool = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    expect({ status: promtool.status, out: promtool.stdout + promtool.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  }

  it('the dead-deliveries alert fires on new dead deliveries, and ends an hour after the last one though the count stays (promtool test rules)', () => {
    // Two API instances read the same figures from PostgreSQL; one sample a minute for 150 minutes, evaluated at 120.
    // `all`: every dead delivery kept; `recent`: those closed within the hour before each sample (what the alert reads).
    const dead = (all: string, recent: string) =>
      ['api-1:3000', 'api-2:3000'].flatMap((instance) => [
        { series: `kairos_outbox_dead_deliveries{instance="${instance}"}`, values: all },
        { series: `kairos_outbox_dead_deliveries_last_hour{instance="${instance}"}`, values: recent },
      ]);
    promtoolCases('KairosDeadDeliveries', '120m', [
      { name: 'two went dead 30 minutes ago', input: dead('0x90 2x60', '0x90 2x60'), fires: [{ labels: {}, value: '2' }] },
      { name: 'one more, on top of old ones', input: dead('3x100 4x50', '0x100 1x50'), fires: [{ labels: {}, value: '1' }] },
      { name: 'old dead deliveries kept for a running journey', input: dead('3x150', '0x150'), fires: [] },
      { name: 'went dead two hours ago', input: dead('0x5 2x145', '0x5 2x60 0x85'), fires: [] },
      // Retention pruned five at 60 minutes, and one more went dead at 70: the count is below an hour ago, the new one fires.
      { name: 'a new one in the hour retention pruned old ones', input: dead('10x60 5x10 6x80', '0x70 1x80'), fires: [{ labels: {}, value: '1' }] },
      { name: 'pruned by retention, none new', input: dead('5x100 1x50', '0x150'), fires: [] },
      { name: 'none', input: dead('0x150', '0x150'), fires: [] },
    ]);
  });

  it('a cancel left unfinished for 15 minutes is a ticket, and one finished sooner or the seconds late deliveries hold one are not (promtool test rules; review-61, finding 3)', () => {
    // Two API instances read the same gauge from PostgreSQL; one sample a minute for 30 minutes, evaluated at the end.
    const oldest = (values: string) => ['api-1:3000', 'api-2:3000'].map((instance) => ({ series: `kairos_cancels_oldest_unfinished_seconds{instance="${instance}"}`, values }));
    promtoolCases('KairosCancelsUnfinished', '30m', [
      { name: 'one cancel unfinished from the start', input: oldest('0+60x30'), fires: [{ labels: {}, value: '30m 0s' }] },
      { name: 'unfinished for 12 minutes, then finished', input: oldest('0x10 0+60x12 0x7'), fires: [] },
      { name: 'late deliveries hold cancels for seconds at a time', input: oldest('0 30 0 45 20 0x25'), fires: [] },
      { name: 'none', input: oldest('0x30'), fires: [] },
    ]);
  });

  it('the retention alert fires when a kind has not been pruned to its end for three days (promtool test rules)', () => {
    // One sample every 5 minutes (the alert's `for` is an hour) for four days, evaluated at the end: the gauge holds the unix seconds of the last finished pass.
    const done = (instance: string, kind: string, values: string) => ({ series: `kairos_retention_done_timestamp_seconds{kind="${kind}",instance="${instance}"}`, values });
    const day = 288;
    promtoolCases('KairosRetentionStalled', '4d', [
      { name: 'events last done at the start, journey log daily', input: [done('api-1:3000', 'events', `0x${4 * day}`), done('api-1:3000', 'journeyLog', `0x${day} 86400x${day} 172800x${day} 259200x${day}`)], fires: [{ labels: { kind: 'events' }, value: '' }] },
      { name: 'daily passes', input: [done('api-1:3000', 'events', `0x${day} 86400x${day} 172800x${day} 259200x${day}`)], fires: [] },
      // Two API instances read the same figure; one started a day ago.
      { name: 'two instances, one new', input: [done('api-1:3000', 'events', `0x${day} 86400x${day} 172800x${day} 259200x${day}`), done('api-2:3000', 'events', `_x${3 * day} 259200x${day}`)], fires: [] },
      { name: 'two days since the last pass', input: [done('api-1:3000', 'events', `0x${2 * day} 172800x${2 * day}`)], fires: [] },
    ], '5m');
  });

  it("campaigns whose Temporal side stays out of line for 15 minutes are a ticket, whichever gauge says so (promtool test rules)", () => {
    // Two API instances report the same campaigns; one sample a minute for 20 minutes, evaluated at the end.
    const gauges = (unsettled: string, refused: string, elsewhere: string) =>
      ['api-1:3000', 'api-2:3000'].flatMap((instance) => [
        { series: `kairos_campaign_temporal_unsettled{instance="${instance}"}`, values: unsettled },
        { series: `kairos_campaign_schedules_refused{instance="${instance}"}`, values: refused },
        { series: `kairos_batch_ticks_on_other_queue{instance="${instance}"}`, values: elsewhere },
      ]);
    promtoolCases('KairosCampaignsOutOfLineWithTemporal', '20m', [
      { name: 'a status change Temporal missed', input: gauges('1x20', '0x20', '0x20'), fires: [{ labels: {}, value: '' }] },
      { name: 'a Schedule Temporal refuses', input: gauges('0x20', '2x20', '0x20'), fires: [{ labels: {}, value: '' }] },
      { name: 'a tick on an old task queue', input: gauges('0x20', '0x20', '1x20'), fires: [{ labels: {}, value: '' }] },
      { name: 'out of line for 10 minutes, then healed', input: gauges('0x5 1x10 0x5', '0x20', '0x20'), fires: [] },
      { name: 'all in line', input: gauges('0x20', '0x20', '0x20'), fires: [] },
    ]);
  });

  it('a coupon pool running out of codes is a ticket, with or without a budget, and though its budget has room left (promtool test rules)', () => {
    // Two API instances read the same figures from PostgreSQL; one sample a minute for 20 minutes, evaluated at the end.
    const pool = (name: string, figures: Record<string, number>) =>
      ['api-1:3000', 'api-2:3000'].flatMap((instance) => Object.entries(figures).map(([metric, value]) => ({ series: `kairos_pool_${metric}{pool="${name}",instance="${instance}"}`, values: `${value}x20` })));
    promtoolCases('KairosPoolCodesNearlyOut', '20m', [
      { name: 'no budget, 50 of 1000 codes left', input: pool('welcome', { codes_total: 1000, codes_left: 50 }), fires: [{ labels: { pool: 'welcome' }, value: '50' }] },
      // 60 coupons reclaimed: their budget came back, their codes are void. The budget alert sees 12% left.
      {
        name: 'no codes left, 12% of the budget left',
        input: pool('refunds', { codes_total: 500, codes_left: 0, budget_total: 500, budget_left: 60 }),
        fires: [{ labels: { pool: 'refunds' }, value: '0' }],
      },
      { name: 'given no codes at all', input: pool('empty', { codes_total: 0, codes_left: 0 }), fires: [{ labels: { pool: 'empty' }, value: '0' }] },
      { name: 'half the codes left', input: pool('welcome', { codes_total: 1000, codes_left: 500 }), fires: [] },
    ]);
  });

  it('an event source no instance consumes pages; one stuck instance while others consume is a ticket naming it (promtool test rules)', () => {
    const up = (instance: string, values: string) => ({ series: `kairos_source_up{source="orders",instance="${instance}"}`, values });
    const cases = {
      'no instance consumes': [up('api-1:3000', '0x20'), up('api-2:3000', '0x20')],
      'one of two is stuck': [up('api-1:3000', '1x20'), up('api-2:3000', '0x20')],
      'both consume': [up('api-1:3000', '1x20'), up('api-2:3000', '1x20')],
      'stuck for 5 minutes only': [up('api-1:3000', '1x20'), up('api-2:3000', '1x15 0x5')],
    };
    promtoolCases('KairosSourceNotConsuming', '20m', [
      { name: 'no instance consumes', input: cases['no instance consumes'], fires: [{ labels: { source: 'orders' }, value: '0' }] },
      { name: 'one of two is stuck', input: cases['one of two is stuck'], fires: [] },
      { name: 'both consume', input: cases['both consume'], fires: [] },
    ]);
    promtoolCases('KairosSourceInstanceNotConsuming', '20m', [
      { name: 'one of two is stuck', input: cases['one of two is stuck'], fires: [{ labels: { source: 'orders', instance: 'api-2:3000' }, value: '0' }] },
      { name: 'no instance consumes (the page says it)', input: cases['no instance consumes'], fires: [] },
      { name: 'both consume', input: cases['both consume'], fires: [] },
      { name: 'stuck for 5 minutes only', input: cases['stuck for 5 minutes only'], fires: [] },
    ]);
  });

  it('pages when no worker, or no API instance, is up or has a target at all; one instance down among others is a ticket naming it (promtool test rules)', () => {
    // One sample a minute (Prometheus's own `up`, per target), evaluated at 20 minutes.
    const up = (job: string, instance: string, values: string) => ({ series: `up{job="${job}",instance="${instance}"}`, values });
    const api = [up('kairos-api', 'api:3000', '1x25')];
    const cases = {
      'the only worker down for 15 minutes': [...api, up('kairos-worker', 'worker:9464', '1x5 0x20')],
      'no worker target at all': api,
      'one of two workers down': [...api, up('kairos-worker', 'worker-1:9464', '1x25'), up('kairos-worker', 'worker-2:9464', '1x5 0x20')],
      'the worker down for 2 minutes (a redeploy)': [...api, up('kairos-worker', 'worker:9464', '1x17 0x8')],
      'every API instance down': [up('kairos-api', 'api-1:3000', '1x5 0x20'), up('kairos-api', 'api-2:3000', '1x5 0x20'), up('kairos-worker', 'worker:9464', '1x25')],
      'all up': [...api, up('kairos-worker', 'worker:9464', '1x25')],
    };
    const worker = { labels: { job: 'kairos-worker' }, value: '' };
    promtoolCases('KairosWorkerDown', '20m', [
      { name: 'the only worker down for 15 minutes', input: cases['the only worker down for 15 minutes'], fires: [worker] },
      { name: 'no worker target at all', input: cases['no worker target at all'], fires: [worker] },
      { name: 'one of two workers down', input: cases['one of two workers down'], fires: [] },
      { name: 'the worker down for 2 minutes (a redeploy)', input: cases['the worker down for 2 minutes (a redeploy)'], fires: [] },
      { name: 'every API instance down', input: cases['every API instance down'], fires: [] },
      { name: 'all up', input: cases['all up'], fires: [] },
    ]);
    promtoolCases('KairosApiDown', '20m', [
      { name: 'every API instance down', input: cases['every API instance down'], fires: [{ labels: { job: 'kairos-api' }, value: '' }] },
      { name: 'no API target at all', input: [up('kairos-worker', 'worker:9464', '1x25')], fires: [{ labels: { job: 'kairos-api' }, value: '' }] },
      { name: 'the only worker down for 15 minutes', input: cases['the only worker down for 15 minutes'], fires: [] },
      { name: 'all up', input: cases['all up'], fires: [] },
    ]);
    promtoolCases('KairosInstanceDown', '20m', [
      { name: 'one of two workers down', input: cases['one of two workers down'], fires: [{ labels: { job: 'kairos-worker', instance: 'worker-2:9464' }, value: '' }] },
      { name: 'the only worker down (the page says it)', input: cases['the only worker down for 15 minutes'], fires: [] },
      { name: 'all up', input: cases['all up'], fires: [] },
    ]);
  });

  it("reads `up` only of the jobs deploy/prometheus/prometheus.yml scrapes: a job named otherwise would never have a target, and the pages would fire for good", () => {
    const rules = parse(read('deploy/prometheus/kairos-alerts.yml')) as { groups: Array<{ rules: Array<{ expr: string }> }> };
    const matchers = rules.groups.flatMap((g) => g.rules.flatMap((r) => [...r.expr.matchAll(/\bup\{([^}]*)\}/g)].map((m) => m[1])));
    const jobs = matchers.flatMap((m) => {
      const job = /\bjob\s*=~?\s*"([^"]*)"/.exec(m);
      expect({ matcher: m, job: job?.[1] }).toEqual({ matcher: m, job: expect.any(String) });
      return job![1].split('|');
    });
    const scrape = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: Array<{ job_name: string }> };
    expect([...new Set(jobs)].sort()).toEqual(scrape.scrape_configs.map((c) => c.job_name).sort());
  });

  it("counts every series the rules and the dashboard read as one Kairos must export, but Prometheus's own `up`, named as such", () => {
    // test/npm-start.test.ts compares these names with what a running Kairos exports.
    expect(metricNames('sum by (job) (up{job="kairos-worker"}) == 0 or absent(up{job="kairos-worker"})')).toEqual([]);
    expect(metricNames('absent(kairos_held_steps) or max by (pool) (node_memory_bytes{job="kairos-api"}) > 0')).toEqual(['kairos_held_steps', 'node_memory_bytes']);
    expect(metricNames('histogram_quantile(0.99, sum by (le) (rate(kairos_http_request_duration_seconds_bucket[5m]))) > 1e-9 unless kairos_up offset 15m')).toEqual([
      'kairos_http_request_duration_seconds',
      'kairos_up',
    ]);
  });

  it('a pool nearly spent is one ticket per pool, however many API instances report its figures (promtool test rules)', () => {
    // Two API instances read the same figures from PostgreSQL; one sample a minute for 15 minutes, evaluated at 14.
    const pool = (name: string, left: number, total: number) =>
      ['api-1:3000', 'api-2:3000'].flatMap((instance) => [
        { series: `kairos_pool_budget_left{pool="${name}",instance="${instance}"}`, values: `${left}x15` },
        { series: `kairos_pool_budget_total{pool="${name}",instance="${instance}"}`, values: `${total}x15` },
      ]);
    promtoolCases('KairosPoolNearlySpent', '14m', [
      { name: '5 of 100 left', input: pool('welcome', 5, 100), fires: [{ labels: { pool: 'welcome' }, value: '' }] },
      { name: 'half left', input: pool('welcome', 50, 100), fires: [] },
      { name: 'a budget of 0', input: pool('spring', 0, 0), fires: [{ labels: { pool: 'spring' }, value: '' }] },
    ]);
  });

  it("the dashboard and the rules read the pool gauges max by (pool): every API instance reports the same pool's figures", () => {
    const unaggregated = monitoringExpressions()
      .filter((expr) => /\bkairos_pool_/.test(expr))
      .filter((expr) => /\bkairos_pool_/.test(expr.replace(/max by \(pool\) \(kairos_pool_\w+\)/g, '')));
    expect(unaggregated).toEqual([]);
  });

  it('the batch-entry alert fires per campaign on users given up on within the hour, the first of a new worker too, and not on old ones (promtool test rules)', () => {
    // One sample a minute for 90 minutes, evaluated at the end; the series is born at 0 by each page of a tick.
    const failed = (campaign: string, values: string, instance = 'worker-1:9464') => ({ series: `kairos_batch_entries_failed_total{campaign="${campaign}",instance="${instance}"}`, values });
    promtoolCases('KairosBatchEntriesFailed', '90m', [
      { name: 'two users given up on 20 minutes ago', input: [failed('birthday', '0x70 2x20'), failed('weekly', '0x90')], fires: [{ labels: { campaign: 'birthday' }, value: '' }] },
      { name: 'a new worker whose first page gave up on one before any scrape', input: [failed('birthday', '_x80 1x10')], fires: [{ labels: { campaign: 'birthday' }, value: '' }] },
      { name: 'given up on two hours ago, none since', input: [failed('birthday', '0x5 3x85')], fires: [] },
      { name: 'a tick every hour, nobody given up on', input: [failed('birthday', '0x90'), failed('weekly', '0x90', 'worker-2:9464')], fires: [] },
      { name: 'old failures, then a worker restart', input: [failed('birthday', '3x60 0x30')], fires: [] },
    ]);
  });

  it('alerts on outbox age, dead deliveries, held steps, a nearly spent pool or its codes, the 5xx rate, schedule-to-start latency and a source not consuming', () => {
    const rules = parse(read('deploy/prometheus/kairos-alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const used = new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr))));
    for (const name of [
      'kairos_outbox_oldest_pending_seconds',
      'kairos_outbox_dead_deliveries_last_hour',
      'kairos_held_steps',
      'kairos_pool_budget_left',
      'kairos_pool_codes_left',
      'kairos_http_requests_total',
      'temporal_workflow_task_schedule_to_start_latency',
      'kairos_source_up',
      'kairos_retention_done_timestamp_seconds',
      'kairos_batch_entries_failed_total',
      'kairos_cancels_oldest_unfinished_seconds',
    ]) {
      expect({ name, used: used.has(name) }).toEqual({ name, used: true });
    }
  });

  it('the dashboard covers the API, the outbox, journeys, rewards, the SDK worker metrics and the event sources', () => {
    const used = new Set(monitoringExpressions().flatMap(metricNames));
    for (const family of ['kairos_http_requests_total', 'kairos_outbox_pending_deliveries', 'kairos_journeys_entered_total', 'kairos_reward_issues_total', 'temporal_workflow_task_schedule_to_start_latency', 'kairos_source_up', 'kairos_source_lag', 'kairos_source_unacknowledged']) {
      expect({ family, used: used.has(family) }).toEqual({ family, used: true });
    }
  });

  it("the dashboard's Outbox row shows the unfinished cancels and the oldest one's age (review-61, finding 3)", () => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/kairos.json')) as { panels: Array<{ id: number; type: string; title: string; targets?: Array<{ expr: string }> }> };
    const rows = dashboard.panels.map((p, i) => ({ p, i })).filter(({ p }) => p.type === 'row');
    const outbox = rows.findIndex(({ p }) => p.title === 'Outbox');
    const [from, to] = [rows[outbox].i, rows[outbox + 1]?.i ?? dashboard.panels.length];
    const read_ = dashboard.panels.slice(from + 1, to).flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr)));
    expect(read_).toEqual(expect.arrayContaining(['kairos_cancels_unfinished', 'kairos_cancels_oldest_unfinished_seconds']));
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  it("the dashboard shows each pool's codes left beside its budget left: a coupon pool can run out of codes first, or have no budget", () => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/kairos.json')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    const poolPanel = dashboard.panels.find((p) => (p.targets ?? []).some((t) => metricNames(t.expr).includes('kairos_pool_budget_left')));
    expect((poolPanel?.targets ?? []).flatMap((t) => metricNames(t.expr)).sort()).toEqual(['kairos_pool_budget_left', 'kairos_pool_budget_total', 'kairos_pool_codes_left', 'kairos_pool_codes_total']);
  });

  it.each([
    ['budget', 'kairos_pool_budget'],
    ['codes', 'kairos_pool_codes'],
  ])("the dashboard's pool %s line shows a pool with 0 of 0 as nothing left, not as no line (promtool test rules)", (_line, metric) => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/kairos.json')) as { panels: Array<{ targets?: Array<{ expr: string; legendFormat?: string }> }> };
    const expr = dashboard.panels.flatMap((p) => p.targets ?? []).find((t) => metricNames(t.expr).includes(`${metric}_left`))!.expr;
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-rules-'));
    const series = (name: string, left: number, total: number) => [
      { series: `${metric}_left{pool="${name}",instance="api-1:3000"}`, values: `${left}x5` },
      { series: `${metric}_total{pool="${name}",instance="api-1:3000"}`, values: `${total}x5` },
    ];
    const file = path.join(dir, 'pool-panel.test.yml');
    const tests = [
      {
        interval: '1m',
        input_series: [...series('spring', 0, 0), ...series('welcome', 25, 100)],
        promql_expr_test: [{ expr, eval_time: '4m', exp_samples: [{ labels: '{pool="spring"}', value: 0 }, { labels: '{pool="welcome"}', value: 0.25 }] }],
      },
    ];
    writeFileSync(file, stringify({ rule_files: [], evaluation_interval: '1m', tests }));
    const promtool = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    expect({ status: promtool.status, out: promtool.stdout + promtool.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('the compose monitoring profile mounts the rules, the scrape config, the datasource and the dashboard', () => {
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, { profiles?: string[]; volumes?: string[]; ports?: string[] }> };
    for (const name of ['prometheus', 'alertmanager', 'grafana']) {
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

describe('the alerting path: firing alerts reach someone (review-61, finding 2)', () => {
  interface ComposeService {
    image?: string;
    profiles?: string[];
    volumes?: string[];
    ports?: string[];
    entrypoint?: string[];
    command?: string | string[];
    configs?: Array<{ source: string; target: string }>;
  }
  const compose = () => parse(read('docker-compose.yml')) as { services: Record<string, ComposeService>; configs: Record<string, { content?: string }> };
  const prometheusYml = () =>
    parse(read('deploy/prometheus/prometheus.yml')) as { alerting?: { alertmanagers?: Array<{ static_configs?: Array<{ targets: string[] }> }> }; rule_files: string[]; scrape_configs: Array<{ authorization?: { credentials_file?: string } }> };

  it("prometheus.yml sends alerts to the monitoring profile's Alertmanager, on the port it listens on", () => {
    const targets = (prometheusYml().alerting?.alertmanagers ?? []).flatMap((a) => (a.static_configs ?? []).flatMap((c) => c.targets));
    expect(targets.length).toBeGreaterThan(0);
    const { services } = compose();
    for (const target of targets) {
      const [host, port] = target.split(':');
      expect({ target, image: services[host]?.image, profiles: services[host]?.profiles }).toEqual({ target, image: expect.stringMatching(/^prom\/alertmanager:v\d/), profiles: ['monitoring'] });
      // Alertmanager's own port (its --web.listen-address default), published on loopback only.
      expect(port).toBe('9093');
      expect(services[host].ports).toEqual(['127.0.0.1:9093:9093']);
    }
  });

  it('promtool check config accepts prometheus.yml with its alerting block', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kairos-prometheus-config-'));
    const config = prometheusYml();
    // The container's paths, here: the rules file and the token file.
    writeFileSync(path.join(dir, 'token'), 'a-token-for-promtool\n');
    const local = {
      ...config,
      rule_files: [path.join(root, 'deploy/prometheus/kairos-alerts.yml')],
      scrape_configs: config.scrape_configs.map((c) => ({ ...c, authorization: c.authorization && { ...c.authorization, credentials_file: path.join(dir, 'token') } })),
    };
    writeFileSync(path.join(dir, 'prometheus.yml'), stringify(local));
    const promtool = spawnSync('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    expect({ status: promtool.status, out: promtool.stdout + promtool.stderr }).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it("alertmanager.yml routes every alert, pages more often, to a webhook read from the file compose fills from ALERTMANAGER_WEBHOOK_URL", () => {
    const { services, configs } = compose();
    const alertmanager = services.alertmanager;
    const script = [alertmanager.command].flat().join('\n');
    const configFile = /--config\.file=(\S+)/.exec(script)?.[1];
    expect(alertmanager.volumes).toContain(`./deploy/alertmanager/alertmanager.yml:${configFile}:ro`);
    const mounted = alertmanager.configs ?? [];
    expect(mounted).toHaveLength(1);
    expect(configs[mounted[0].source]).toEqual({ content: '${ALERTMANAGER_WEBHOOK_URL:-}' });
    const am = parse(read('deploy/alertmanager/alertmanager.yml')) as {
      route: { receiver: string; repeat_interval: string; routes?: Array<{ matchers: string[]; receiver: string; repeat_interval?: string }> };
      receivers: Array<{ name: string; webhook_configs?: Array<{ url_file?: string; url?: string; send_resolved?: boolean }> }>;
    };
    const names = am.receivers.map((r) => r.name);
    expect(names).toContain(am.route.receiver);
    const page = (am.route.routes ?? []).find((r) => r.matchers.includes('severity="page"'));
    expect(page && names.includes(page.receiver)).toBe(true);
    expect(page?.repeat_interval).toBe('1h');
    for (const receiver of am.receivers) {
      for (const webhook of receiver.webhook_configs ?? []) expect(webhook).toEqual({ url_file: mounted[0].target, send_resolved: true });
    }
  });

  /** The alertmanager service's entrypoint as the container's shell runs it, with its webhook file and the binary as stand-ins. */
  function startAlertmanager(webhookUrl: string | undefined) {
    const service = compose().services.alertmanager;
    expect(service.entrypoint).toEqual(['/bin/sh', '-c']);
    const target = service.configs![0].target;
    const dir = mkdtempSync(path.join(tmpdir(), 'alertmanager-entry-'));
    writeFileSync(path.join(dir, 'alertmanager'), '#!/bin/sh\necho "alertmanager started"\n', { mode: 0o755 });
    // Compose writes the config's content as the file, empty when the variable is.
    writeFileSync(path.join(dir, 'webhook-url'), webhookUrl ?? '');
    const script = [service.command].flat().join('\n').replaceAll('$$', '$');
    expect(script).toMatch(/^\s*exec \/bin\/alertmanager /m);
    const run = spawnSync('/bin/sh', ['-c', script.replaceAll(target, path.join(dir, 'webhook-url')).replace('exec /bin/alertmanager', `exec ${dir}/alertmanager`)], { encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  it('the alertmanager service refuses to start without a receiver, naming ALERTMANAGER_WEBHOOK_URL', () => {
    const refused = startAlertmanager(undefined);
    expect(refused).toEqual({ status: 1, output: expect.stringContaining('set ALERTMANAGER_WEBHOOK_URL in .env') });
    expect(refused.output).not.toContain('alertmanager started');
    expect(startAlertmanager('https://alerts.example.com/hooks/kairos')).toEqual({ status: 0, output: 'alertmanager started\n' });
  });

  it('docs/operations.md says the pages need an Alertmanager and how Prometheus is pointed at one; .env.example names the receiver', () => {
    const operations = read('docs/operations.md');
    const start = operations.indexOf('### Dashboards and alerts');
    const section = operations.slice(start, operations.indexOf('\n### ', start + 1));
    expect(section).toMatch(/Prometheus only evaluates the rules/);
    expect(section).toMatch(/`severity: page` alerts reach\s+someone only through an \*\*Alertmanager\*\*/);
    expect(section).toContain('alerting:\n    alertmanagers:');
    expect(section).toContain('ALERTMANAGER_WEBHOOK_URL');
    expect(read('.env.example')).toMatch(/^ALERTMANAGER_WEBHOOK_URL=$/m);
    // The compose file's comment on the profile says it too.
    expect(read('docker-compose.yml')).toMatch(/Prometheus only evaluates the rules: the pages\n\s+# \(severity: page\) reach someone through Alertmanager alone/);
  });
});
