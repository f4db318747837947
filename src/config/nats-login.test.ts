import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { nkeys } from 'nats';
import { loadConfig } from './config';
import { configProblems, credsFileText } from './config.test-support';

const problemsOf = configProblems;

describe('NATS login (NATS_USER and NATS_PASSWORD, NATS_TOKEN, NATS_CREDS_FILE)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'kairos-nats-login-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs in with nothing by default, and with a user and password, or a token, when set', () => {
    const none = loadConfig({}).brokers.natsLogin;
    expect({ method: none.method, options: none.connectOptions() }).toEqual({ method: 'none', options: {} });
    const user = loadConfig({ NATS_USER: 'kairos', NATS_PASSWORD: 'pa:ss@word' }).brokers.natsLogin;
    expect({ method: user.method, options: user.connectOptions() }).toEqual({ method: 'user', options: { user: 'kairos', pass: 'pa:ss@word' } });
    const token = loadConfig({ NATS_TOKEN: 's3cr3t-t0ken' }).brokers.natsLogin;
    expect({ method: token.method, options: token.connectOptions() }).toEqual({ method: 'token', options: { token: 's3cr3t-t0ken' } });
    // Empty is unset, as for every variable (compose passes `${NATS_TOKEN:-}`).
    expect(loadConfig({ NATS_TOKEN: '', NATS_USER: '', NATS_PASSWORD: '' }).brokers.natsLogin.method).toBe('none');
  });

  it('refuses a user without its password and the other way round, naming the variable', () => {
    expect(problemsOf({ NATS_USER: 'kairos' })).toEqual(['NATS_USER: is set without NATS_PASSWORD: set both, or neither']);
    expect(problemsOf({ NATS_PASSWORD: 'hunter2-secret' })).toEqual(['NATS_PASSWORD: is set without NATS_USER: set both, or neither']);
  });

  it('refuses two ways of logging in at once, naming the variables and never a value', () => {
    expect(problemsOf({ NATS_USER: 'kairos', NATS_PASSWORD: 'hunter2-secret', NATS_TOKEN: 'tok3n-secret' })).toEqual([
      'NATS_TOKEN: is set beside NATS_USER/NATS_PASSWORD: Kairos logs in to NATS one way only (NATS_USER with NATS_PASSWORD, NATS_TOKEN, or NATS_CREDS_FILE); keep one',
    ]);
    const creds = path.join(dir, 'unused.creds');
    expect(problemsOf({ NATS_TOKEN: 'tok3n-secret', NATS_CREDS_FILE: creds })).toEqual([
      'NATS_CREDS_FILE: is set beside NATS_TOKEN: Kairos logs in to NATS one way only (NATS_USER with NATS_PASSWORD, NATS_TOKEN, or NATS_CREDS_FILE); keep one',
    ]);
    const all = problemsOf({ NATS_PASSWORD: 'hunter2-secret', NATS_TOKEN: 'tok3n-secret', NATS_CREDS_FILE: creds });
    expect(all).toEqual([
      'NATS_PASSWORD: is set without NATS_USER: set both, or neither',
      'NATS_CREDS_FILE: is set beside NATS_USER/NATS_PASSWORD and NATS_TOKEN: Kairos logs in to NATS one way only (NATS_USER with NATS_PASSWORD, NATS_TOKEN, or NATS_CREDS_FILE); keep one',
    ]);
    expect(all.join('\n')).not.toMatch(/hunter2|tok3n/);
  });

  it('builds the creds authenticator from the file read at boot: it presents the JWT and signs the server nonce with the seed', () => {
    const user = nkeys.createUser();
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVIn0.c2ln';
    const file = path.join(dir, 'kairos.creds');
    writeFileSync(file, credsFileText(jwt, user.getSeed()));
    const login = loadConfig({ NATS_CREDS_FILE: file }).brokers.natsLogin;
    expect({ method: login.method, variables: login.variables }).toEqual({ method: 'creds', variables: `NATS_CREDS_FILE (${file})` });
    // Read once, at boot: removing the file after does not change what connections present.
    rmSync(file);
    const { authenticator } = login.connectOptions();
    const auth = (authenticator as (nonce?: string) => { jwt: string; nkey: string; sig: string })('server-nonce-123');
    expect({ jwt: auth.jwt, nkey: auth.nkey }).toEqual({ jwt, nkey: user.getPublicKey() });
    expect(nkeys.fromPublic(user.getPublicKey()).verify(new TextEncoder().encode('server-nonce-123'), nkeys.decode(auth.sig))).toBe(true);
  });

  it('refuses at boot a creds file that is missing, unreadable or not a creds file, naming the variable and never the contents', () => {
    const missing = path.join(dir, 'missing.creds');
    expect(problemsOf({ NATS_CREDS_FILE: missing })).toEqual([`NATS_CREDS_FILE: cannot read ${missing} (no such file)`]);
    expect(problemsOf({ NATS_CREDS_FILE: dir })).toEqual([`NATS_CREDS_FILE: cannot read ${dir} (EISDIR)`]);
    const garbage = path.join(dir, 'garbage.creds');
    writeFileSync(garbage, 'password=hunter2-secret\n');
    const badSeed = path.join(dir, 'bad-seed.creds');
    writeFileSync(badSeed, credsFileText('eyJ.eyJ.c2ln', new TextEncoder().encode('SUANOTASEEDhunter2secret')));
    for (const file of [garbage, badSeed]) {
      const problems = problemsOf({ NATS_CREDS_FILE: file });
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^NATS_CREDS_FILE: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a NATS credentials file: it must hold a user JWT and that user's nkey seed`))]);
      expect(problems.join('\n')).not.toMatch(/hunter2/);
    }
  });

  it('is read only by a process that runs the API: a worker sharing its environment without the creds file mounted boots', () => {
    const missing = path.join(dir, 'not-mounted.creds');
    const worker = { api: false, worker: true, embedded: false };
    const api = { api: true, worker: false, embedded: false };
    const apiKeys = 'k3y-0f-f0rty-ch4rs-ab12cd34ef56ab12cd34:admin';
    const shared = { API_KEYS: apiKeys, WEBHOOK_UNSIGNED: 'allow', NATS_CREDS_FILE: missing };
    // The worker never connects to NATS: no file read, no login.
    expect(loadConfig(shared, worker).brokers.natsLogin.method).toBe('none');
    // Nor do a stray user without its password, or two ways at once, stop it.
    expect(loadConfig({ ...shared, NATS_CREDS_FILE: '', NATS_USER: 'kairos' }, worker).brokers.natsLogin.method).toBe('none');
    expect(loadConfig({ ...shared, NATS_TOKEN: 'tok3n-secret' }, worker).brokers.natsLogin.method).toBe('none');
    // The API, npm start (embedded) and tools without parts still refuse it, naming the variable.
    for (const parts of [api, { api: true, worker: true, embedded: false }, { api: true, worker: true, embedded: true }, undefined]) {
      expect(configProblems(shared, parts)).toEqual([`NATS_CREDS_FILE: cannot read ${missing} (no such file)`]);
    }
  });

  it('keeps the secret out of the config as logged (JSON, util.inspect)', () => {
    const config = loadConfig({ NATS_USER: 'kairos', NATS_PASSWORD: 'hunter2-secret' });
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(inspect(config, { depth: 10 })).not.toContain('hunter2');
    expect(JSON.stringify(loadConfig({ NATS_TOKEN: 'tok3n-secret' }))).not.toContain('tok3n');
  });
});
