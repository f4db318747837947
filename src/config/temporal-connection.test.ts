import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';
import { unreachableHint } from './temporal-connection';

const dir = mkdtempSync(path.join(tmpdir(), 'kairos-tls-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n');
const crt = file('client.pem', '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n');
const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n');

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('Temporal connection settings (TLS, API key) for a given cluster', () => {
  it('are plaintext without an API key when nothing is set', () => {
    const { temporal } = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(temporal.connection).toEqual({ tls: undefined, apiKey: undefined, metadata: undefined });
  });

  it('read the CA, the client pair and the server name at boot', () => {
    const { temporal } = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
      TEMPORAL_TLS_CLIENT_CERT_PATH: crt,
      TEMPORAL_TLS_CLIENT_KEY_PATH: key,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.example',
    });
    expect(temporal.address).toBe('temporal.internal:7233');
    expect(temporal.connection.tls).toEqual({
      serverNameOverride: 'temporal.example',
      serverRootCACertificate: Buffer.from(readText(ca)),
      clientCertPair: { crt: Buffer.from(readText(crt)), key: Buffer.from(readText(key)) },
    });
  });

  it('an API key turns TLS on with the system roots, and gRPC headers pass through', () => {
    const { temporal } = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'secret-key', TEMPORAL_GRPC_META_X_TEAM: 'growth' });
    expect(temporal.connection).toEqual({ tls: true, apiKey: 'secret-key', metadata: { 'x-team': 'growth' } });
  });

  it('refuses a TEMPORAL_TLS that is neither true nor false, which would otherwise read as false and send an API key in clear text', () => {
    for (const value of ['yes', 'TRUE', 'on', ' true']) {
      expect(problems({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: value })).toEqual([expect.stringMatching(/^TEMPORAL_TLS: .* is neither true nor false/)]);
    }
    expect(loadConfig({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: '1' }).temporal.connection.tls).toBeTruthy();
    expect(loadConfig({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: '0' }).temporal.connection.tls).toBe(false);
  });

  it('refuses a TEMPORAL_GRPC_META_* value no gRPC header can carry, naming it', () => {
    expect(problems({ TEMPORAL_GRPC_META_X_TENANT: 'a\nb' })).toEqual(['TEMPORAL_GRPC_META_X_TENANT: a gRPC header value must be printable ASCII (no line breaks or control characters)']);
    expect(problems({ TEMPORAL_GRPC_META_X_TENANT: 'team-7' })).toEqual([]);
  });

  it('refuses TEMPORAL_TLS_DISABLE_HOST_VERIFICATION, which the SDK would ignore while still verifying the host', () => {
    for (const value of ['true', '1']) {
      expect(problems({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca, TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: value })).toEqual([
        expect.stringMatching(/^TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: .*TEMPORAL_TLS_SERVER_NAME/),
      ]);
    }
    expect(loadConfig({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca, TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'false' }).temporal.connection.tls).toMatchObject({
      serverRootCACertificate: Buffer.from(readText(ca)),
    });
  });

  it('TEMPORAL_TLS=false turns TLS off even with an API key', () => {
    expect(loadConfig({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).temporal.connection.tls).toBe(false);
  });

  it('refuses a client certificate without its key, and a certificate file that is not there, naming the variable', () => {
    expect(problems({ TEMPORAL_TLS_CLIENT_CERT_PATH: crt })).toEqual([expect.stringMatching(/^TEMPORAL_TLS_CLIENT_CERT_PATH: .*TEMPORAL_TLS_CLIENT_KEY_PATH/)]);
    expect(problems({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'missing.pem') })).toEqual([expect.stringMatching(/^TEMPORAL_TLS_SERVER_CA_CERT_PATH: .*missing\.pem/)]);
  });

  it('takes a TOML profile from TEMPORAL_CONFIG_FILE, the variables winning over it', () => {
    const toml = file(
      'temporal.toml',
      `[profile.prod]\naddress = "prod.example:7233"\nnamespace = "journeys"\napi_key = "from-file"\n\n[profile.prod.tls]\nserver_ca_cert_path = "${ca}"\nserver_name = "prod.example"\n`,
    );
    const fromFile = loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' }).temporal;
    expect(fromFile).toMatchObject({ address: 'prod.example:7233', namespace: 'journeys' });
    expect(fromFile.connection).toMatchObject({ apiKey: 'from-file', tls: { serverNameOverride: 'prod.example', serverRootCACertificate: Buffer.from(readText(ca)) } });
    const overridden = loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod', TEMPORAL_ADDRESS: 'other:7233', TEMPORAL_NAMESPACE: 'ns2' }).temporal;
    expect(overridden).toMatchObject({ address: 'other:7233', namespace: 'ns2' });
    expect(problems({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'nope' })).toEqual([expect.stringMatching(/^TEMPORAL_CONFIG_FILE: .*nope/)]);
    expect(problems({ TEMPORAL_CONFIG_FILE: path.join(dir, 'absent.toml') })).toEqual([expect.stringMatching(/^TEMPORAL_CONFIG_FILE: no file/)]);
  });

  it('says where a TOML syntax error is and nothing the file holds: the problem line goes to the logs, the lines around the error may be the API key', () => {
    // The operator's typo is an unquoted value on the line after the key; the parser's message quotes both lines.
    const typo = file('typo.toml', '[profile.default]\naddress = "x.tmprl.cloud:7233"\napi_key = "sk-live-SECRETSECRET123456"\nnamespace = prod\n');
    expect(problems({ TEMPORAL_CONFIG_FILE: typo })).toEqual(['TEMPORAL_CONFIG_FILE: Invalid TOML document: invalid value (line 4, column 13)']);
    // An unterminated string on the key's own line.
    const unterminated = file('unterminated.toml', '[profile.default]\napi_key = "sk-live-SECRETSECRET123456\nnamespace = "prod"\n');
    const lines = problems({ TEMPORAL_CONFIG_FILE: unterminated });
    expect(lines).toEqual([expect.stringMatching(/^TEMPORAL_CONFIG_FILE: Invalid TOML document: [^\n]+ \(line 2, column \d+\)$/)]);
    expect(lines.join('\n')).not.toContain('sk-live');
  });

  it('never reads a profile from the home folder unless TEMPORAL_CONFIG_FILE names it', () => {
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, '.config', 'temporalio'), { recursive: true });
    writeFileSync(path.join(home, '.config', 'temporalio', 'temporal.toml'), `[profile.default]\naddress = "surprise:7233"\napi_key = "k"\n`);
    const { temporal } = loadConfig({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') });
    expect(temporal.address).toBeUndefined();
    expect(temporal.connection.apiKey).toBeUndefined();
  });
});

describe('retention settings', () => {
  it('default to what support and analytics need, and 0 keeps forever', () => {
    expect(loadConfig({}).retention).toEqual({ deliveriesDays: 30, eventsDays: 90, messagesDays: 180, journeyLogDays: 400, batchSize: 500, cron: '17 3 * * *' });
    expect(loadConfig({ RETENTION_EVENTS_DAYS: '0' }).retention.eventsDays).toBe(0);
  });

  it('refuse negative windows, a zero batch and a malformed cron, naming the variable', () => {
    expect(problems({ RETENTION_EVENTS_DAYS: '-1', RETENTION_BATCH_SIZE: '0', RETENTION_CRON: 'daily' })).toEqual([
      expect.stringMatching(/^RETENTION_EVENTS_DAYS: /),
      expect.stringMatching(/^RETENTION_BATCH_SIZE: /),
      expect.stringMatching(/^RETENTION_CRON: /),
    ]);
  });
});

function readText(p: string): string {
  return readFileSync(p, 'utf8');
}

describe('TEMPORAL_ADDRESS', () => {
  it('is refused at boot when the client could never dial it, naming it', () => {
    expect(problems({ TEMPORAL_ADDRESS: 'temporal:99999' })).toEqual(['TEMPORAL_ADDRESS: "temporal:99999" has no valid port (1-65535)']);
    expect(problems({ TEMPORAL_ADDRESS: 'http://temporal:7233' })).toEqual([expect.stringMatching(/^TEMPORAL_ADDRESS: "http:\/\/temporal:7233" is not host or host:port/)]);
    expect(problems({ TEMPORAL_ADDRESS: 'temporal:7233/ns' })).toHaveLength(1);
    for (const ok of ['temporal', 'temporal.internal:7233', '10.0.0.5:7233', '[::1]:7233', 'ns.tmprl.cloud:7233']) expect(problems({ TEMPORAL_ADDRESS: ok })).toEqual([]);
  });
});

describe('unreachableHint', () => {
  it('says which way TLS was set, since a mismatch fails like an outage', () => {
    expect(unreachableHint({})).toMatch(/^TLS is off: a server that requires TLS/);
    expect(unreachableHint({ tls: true })).toMatch(/^TLS is on .*speaks TLS there/);
    expect(unreachableHint({ apiKey: 'k' })).toMatch(/^TLS is on/);
    expect(unreachableHint({ tls: { serverNameOverride: 'temporal' } })).toMatch(/^TLS is on/);
  });
});
