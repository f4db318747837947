import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The Configuration table's row of a variable, from docs/operations.md. */
function row(name: string): string {
  const line = read('docs/operations.md')
    .split('\n')
    .find((l) => l.startsWith(`| \`${name}\` |`));
  expect({ name, documented: line !== undefined }).toEqual({ name, documented: true });
  return line!;
}

const api = { api: true, worker: false, embedded: false };

/** What docs/operations.md says of settings, held against what the code does with them. */
describe('docs/operations.md, Configuration, against the code', () => {
  it('API_KEYS: a key listed twice with the same role boots, and the row says only different roles stop the boot', () => {
    const key = 'k-5d2f9a7c0e13b846';
    expect(loadConfig({ API_KEYS: `${key}:admin,${key}:admin` }, api).apiKeys).toEqual(new Map([[key, 'admin']]));
    expect(() => loadConfig({ API_KEYS: `${key}:admin,${key}:ingest` }, api)).toThrow(/entries 1 and 2 list the same key/);
    const apiKeys = row('API_KEYS');
    expect(apiKeys).not.toMatch(/whatever the roles/);
    expect(apiKeys).toMatch(/listed twice with different roles, stops the boot/);
  });

  it('RETENTION_EVENTS_DAYS: the row says the API reads it too and both processes need the same value', () => {
    expect(row('RETENTION_EVENTS_DAYS')).toMatch(/Read by the worker \(pruning\) \*\*and by the API\*\*.*give both processes the same value/);
    expect(read('.env.example')).toMatch(/RETENTION_EVENTS_DAYS is\n# read by the api too/);
  });

  it('METRICS_TOKEN: a list boots and the row says so; rotation of API_KEYS and METRICS_TOKEN is documented, in order', () => {
    const [old, next] = ['scrape-old-4f9c2a7e51d08b36', 'scrape-new-8d1e6b0c93a7f254'];
    expect(loadConfig({ METRICS_TOKEN: `${old},${next}` }).metricsToken).toBe(`${old},${next}`);
    expect(row('METRICS_TOKEN')).toMatch(/Several tokens, comma-separated \(`old,new`\), each pass/);
    const operations = read('docs/operations.md');
    const section = operations.slice(operations.indexOf('### Rotating API keys and the metrics token'));
    expect(section).toMatch(/^### Rotating/);
    const steps = ['1. Add the new one next to the old', '2. Restart every API instance', '3. Switch the clients to the new one', '4. Remove the old one', '5. Restart every instance again'];
    const at = steps.map((s) => section.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('METRICS_TOKEN under compose: the command given recreates Prometheus (in the monitoring profile; a changed inline config alone does not)', () => {
    const command = 'docker compose --profile monitoring up -d --force-recreate api worker prometheus';
    const compose = read('docker-compose.yml');
    // The premise: Prometheus is in the profile and gets the token only through an inline config.
    expect(compose).toMatch(/prometheus:\n\s+image: [^\n]+\n\s+profiles: \[monitoring\]/);
    expect(compose).toMatch(/kairos-metrics-token:\n\s+content: \$\{METRICS_TOKEN/);
    expect(read('docs/operations.md').replace(/\n/g, ' ')).toContain(`\`${command}\``);
    expect(read('.env.example')).toContain(command);
  });

  it('MAX_CAMPAIGN_BYTES and MAX_PROFILE_ATTRIBUTES_BYTES: their rows give the 1.5 MiB they may weigh together', () => {
    expect(() => loadConfig({ MAX_CAMPAIGN_BYTES: '1048576', MAX_PROFILE_ATTRIBUTES_BYTES: '1048576' })).toThrow(/MAX_CAMPAIGN_BYTES: with MAX_PROFILE_ATTRIBUTES_BYTES/);
    expect(row('MAX_PROFILE_ATTRIBUTES_BYTES')).toMatch(/at most 1\.5 MiB together with `MAX_CAMPAIGN_BYTES`/);
    expect(row('MAX_CAMPAIGN_BYTES')).toMatch(/at most 1\.5 MiB together with `MAX_PROFILE_ATTRIBUTES_BYTES`/);
  });
});

describe('docs/operations.md, Deployment, against docker-compose.yml', () => {
  it('names as passed by compose only variables the api or the worker lists (review-55, finding 3: NATS_CREDS_FILE was not)', () => {
    const operations = read('docs/operations.md');
    const start = operations.indexOf('Compose passes a container only the variables its service lists');
    expect(start).toBeGreaterThan(-1);
    const paragraph = operations.slice(start, operations.indexOf('\n\n', start));
    const named = [...paragraph.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]);
    expect(named).toEqual(expect.arrayContaining(['RABBITMQ_URL', 'NATS_SERVERS', 'NATS_USER', 'RETENTION_EVENTS_DAYS']));
    const { services } = parse(read('docker-compose.yml')) as { services: Record<string, { environment?: Record<string, unknown> }> };
    const listed = new Set(['api', 'worker'].flatMap((s) => Object.keys(services[s].environment ?? {})));
    for (const name of named) expect({ name, listed: listed.has(name) }).toEqual({ name, listed: true });
  });
});

describe('README, what `npm test` needs (review-55, finding 6)', () => {
  it('its first lines name everything the run needs: the PostgreSQL login, promtool and the Temporal CLI (or Go)', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(read('README.md'))![1];
    const npmTest = firstBlock.slice(firstBlock.indexOf('\nnpm test'));
    expect(npmTest).toMatch(/^\nnpm test /);
    for (const need of ['PostgreSQL on 127.0.0.1:5432', 'postgres reaches without a password', 'KAIROS_TEST_DATABASE_ADMIN_URL', 'RabbitMQ', 'NATS', 'Chromium', 'promtool', 'Temporal CLI', 'Go to build it']) {
      expect({ need, named: npmTest.includes(need) }).toEqual({ need, named: true });
    }
  });
});

describe("README, where the ledger's retries are counted (review-61, finding 4)", () => {
  it("says a journey's retries are on the worker's endpoint, under npm start too, and the API's /metrics only its own ledger calls", () => {
    const readme = read('README.md').replace(/\n/g, ' ');
    const at = readme.indexOf('`kairos_ledger_retries_total{reason}`');
    expect(at).toBeGreaterThan(-1);
    const paragraph = readme.slice(at, readme.indexOf('Deadlocks should stay at 0', at));
    expect(paragraph).not.toMatch(/API's `\/metrics` when the worker runs in its process/);
    expect(paragraph).toMatch(/a journey's issues and reclaims on the worker's `WORKER_METRICS_PORT` endpoint only, under `npm start` too/);
    expect(paragraph).toMatch(/the API's `\/metrics` counts only the API's own ledger calls/);
    // What the code does: the API's registry holds the counter, the worker's does not (its activities count on the SDK meter).
    expect(read('src/observability/metrics-registry.ts')).toMatch(/if \(service === 'kairos-api'\) registry\.registerMetric\(ledgerRetries\)/);
  });
});
