import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credsAuthenticator, type ConnectionOptions, type NatsConnection } from 'nats';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { orderPaid, orderPaidMapping, sourceMetric, uniqueName } from './support/brokers';
import { operatorMode, startOwnNatsServer, type OwnNatsServer } from './support/own-nats-server';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * NATS sources on servers that require a login (NATS_USER and NATS_PASSWORD,
 * NATS_TOKEN, NATS_CREDS_FILE with a user JWT): each server is the suite's
 * own nats-server (JetStream in a temporary folder, a free port), so the
 * shared broker on 4222 is not used and no exclusive lock is needed. With the
 * right login events arrive; with a wrong one, or none, or one the server
 * stops taking, the source stays `connecting` and says it cannot log in
 * (GET /v1/sources/:key, kairos_source_up 0, a warning), and the API goes on.
 */
describe('NATS sources that log in', () => {
  const user = { user: 'kairos', password: `pw-${randomBytes(8).toString('hex')}` };
  const token = `tok-${randomBytes(12).toString('hex')}`;
  let userServer: OwnNatsServer | undefined;
  let tokenServer: OwnNatsServer | undefined;
  const jwtTrust = operatorMode();
  const credsLogin = (text: string) => ({ authenticator: credsAuthenticator(new TextEncoder().encode(text)) });
  const publisherCreds = jwtTrust.userCreds();
  let jwtServer: OwnNatsServer | undefined;
  /** Where the suite's .creds files go (removed at the end). */
  let credsDir: string | undefined;
  let sut: SystemUnderTest | undefined;
  const publishers: NatsConnection[] = [];
  /** Every line the API logs (warn and up, as in production): what a refused login says there, and that no secret is in it. */
  const logged: string[] = [];

  beforeAll(async () => {
    credsDir = mkdtempSync(path.join(tmpdir(), 'kairos-creds-'));
    const started = await Promise.allSettled([
      startOwnNatsServer(user, { user: user.user, pass: user.password }),
      startOwnNatsServer({ token }, { token }),
      startOwnNatsServer(jwtTrust.auth, credsLogin(publisherCreds)),
    ]);
    [userServer, tokenServer, jwtServer] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    sut = await startSystemUnderTest({
      env: { NATS_SERVERS: userServer!.address, NATS_USER: user.user, NATS_PASSWORD: user.password },
      log: createLogger('warn', { destination: { write: (line: string) => void logged.push(line) } }),
    });
  });

  afterAll(async () => {
    try {
      for (const nc of publishers) await nc.close().catch(() => undefined);
      await sut?.stop();
    } finally {
      await Promise.all([userServer?.stop(), tokenServer?.stop(), jwtServer?.stop()]);
      if (credsDir) rmSync(credsDir, { recursive: true, force: true });
    }
  });

  const operator = (method: string, path: string, body?: unknown) => sut!.request(method, path, { role: 'operator', body });
  const metrics = async () => (await sut!.request('GET', '/metrics')).body as string;
  const eventsOf = async (userPrefix: string) => (await sut!.db.dataSource.query(`select count(*)::int as n from events where user_id like $1`, [`${userPrefix}%`]))[0].n as number;

  /**
   * The API's NATS settings as a boot with these variables would have them
   * (loadConfig parses them): the sources module builds each consumer from
   * config.brokers when the source starts, so a source created after this
   * connects as an API booted so would. Sources already running keep theirs.
   */
  const bootedWith = (env: Record<string, string>) => Object.assign(sut!.config.brokers, loadConfig(env).brokers);

  async function addSource() {
    const stream = uniqueName('KAIROS_AUTH');
    const subject = `${stream.toLowerCase()}.orders.paid`;
    const key = uniqueName('nats-auth').toLowerCase();
    const res = await operator('POST', '/v1/sources', { key, broker: 'nats', stream, subject, prefetch: 20, mapping: orderPaidMapping });
    expect(res.status).toBe(201);
    return { key, subject };
  }

  const stateOf = async (key: string) => (await operator('GET', `/v1/sources/${key}`)).body as { state: string; lastError: string | null };
  const consuming = (key: string) => eventually(async () => ((await stateOf(key)).state === 'consuming' ? true : undefined));
  /** The sources refused a login. */
  const refusedKeys: string[] = [];
  /** The source's state once it says it cannot log in (a running one says first that it is reconnecting). */
  const refusal = (key: string) => {
    refusedKeys.push(key);
    return eventually(async () => {
      const state = await stateOf(key);
      return state.lastError?.startsWith('cannot log in to NATS') ? state : undefined;
    });
  };

  let orderNo = 1;
  async function publish(server: OwnNatsServer, login: Partial<ConnectionOptions>, subject: string, users: string[]) {
    const nc = await server.connect(login);
    publishers.push(nc);
    const js = nc.jetstream();
    // Order numbers (the event ids) of their own: an id stored before would be a duplicate, not an event.
    for (const u of users) await js.publish(subject, new TextEncoder().encode(JSON.stringify(orderPaid(orderNo++, u))));
  }

  it('with NATS_USER and NATS_PASSWORD, a source logs in and its messages become events', async () => {
    const { key, subject } = await addSource();
    await consuming(key);
    const prefix = `auth-user-${randomBytes(3).toString('hex')}-`;
    await publish(userServer!, { user: user.user, pass: user.password }, subject, [0, 1, 2].map((n) => `${prefix}${n}`));
    await eventually(async () => ((await eventsOf(prefix)) === 3 ? true : undefined));
    expect(sourceMetric(await metrics(), 'kairos_source_up', key)).toBe(1);
  });

  it('with a wrong password, or no login, the source stays connecting and says it cannot log in; the API and the other sources go on', async () => {
    const { key: running, subject: runningSubject } = await addSource();
    await consuming(running);

    bootedWith({ NATS_SERVERS: userServer!.address, NATS_USER: user.user, NATS_PASSWORD: 'not-the-password' });
    const { key: wrong } = await addSource();
    expect(await refusal(wrong)).toMatchObject({
      state: 'connecting',
      lastError: "cannot log in to NATS (Authorization Violation): the server refused the login of NATS_USER and NATS_PASSWORD: check it against the server's authorization",
    });

    bootedWith({ NATS_SERVERS: userServer!.address });
    const { key: none } = await addSource();
    expect((await refusal(none)).lastError).toBe(
      'cannot log in to NATS (Authorization Violation): the server requires a login and Kairos has none (no NATS_USER, NATS_TOKEN or NATS_CREDS_FILE is set): set NATS_USER and NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE',
    );

    // It goes on retrying (with backoff), still refused, and says so; nothing crashed meanwhile.
    expect(await stateOf(wrong)).toMatchObject({ state: 'connecting', lastError: expect.stringMatching(/^cannot log in to NATS/) });
    const text = await metrics();
    expect([wrong, none, running].map((k) => sourceMetric(text, 'kairos_source_up', k))).toEqual([0, 0, 1]);
    expect((await sut!.request('GET', '/readyz')).status).toBe(200);
    const prefix = `auth-still-${randomBytes(3).toString('hex')}-`;
    await publish(userServer!, { user: user.user, pass: user.password }, runningSubject, [`${prefix}0`]);
    await eventually(async () => ((await eventsOf(prefix)) === 1 ? true : undefined));
    expect(await stateOf(running)).toMatchObject({ state: 'consuming', lastError: null });
  });

  it('with NATS_TOKEN, a source logs in with the token; a wrong one is refused as a login', async () => {
    bootedWith({ NATS_SERVERS: tokenServer!.address, NATS_TOKEN: token });
    const { key, subject } = await addSource();
    await consuming(key);
    const prefix = `auth-token-${randomBytes(3).toString('hex')}-`;
    await publish(tokenServer!, { token }, subject, [`${prefix}0`, `${prefix}1`]);
    await eventually(async () => ((await eventsOf(prefix)) === 2 ? true : undefined));

    bootedWith({ NATS_SERVERS: tokenServer!.address, NATS_TOKEN: 'tok-wrong' });
    const { key: wrong } = await addSource();
    expect(await refusal(wrong)).toMatchObject({
      state: 'connecting',
      lastError: "cannot log in to NATS (Authorization Violation): the server refused the login of NATS_TOKEN: check it against the server's authorization",
    });
    expect(sourceMetric(await metrics(), 'kairos_source_up', wrong)).toBe(0);
  });

  it('with NATS_CREDS_FILE (a user JWT and its seed), a source logs in to a server in operator mode; a user the operator never signed is refused as a login', async () => {
    const file = path.join(credsDir!, 'kairos.creds');
    writeFileSync(file, jwtTrust.userCreds(), { mode: 0o600 });
    bootedWith({ NATS_SERVERS: jwtServer!.address, NATS_CREDS_FILE: file });
    const { key, subject } = await addSource();
    await consuming(key);
    const prefix = `auth-creds-${randomBytes(3).toString('hex')}-`;
    await publish(jwtServer!, credsLogin(publisherCreds), subject, [`${prefix}0`, `${prefix}1`]);
    await eventually(async () => ((await eventsOf(prefix)) === 2 ? true : undefined));

    const stranger = path.join(credsDir!, 'stranger.creds');
    writeFileSync(stranger, jwtTrust.strangerCreds(), { mode: 0o600 });
    bootedWith({ NATS_SERVERS: jwtServer!.address, NATS_CREDS_FILE: stranger });
    const { key: refusedKey } = await addSource();
    expect(await refusal(refusedKey)).toMatchObject({
      state: 'connecting',
      lastError: `cannot log in to NATS (Authorization Violation): the server refused the login of NATS_CREDS_FILE (${stranger}): check it against the server's authorization`,
    });
    expect(sourceMetric(await metrics(), 'kairos_source_up', refusedKey)).toBe(0);
  });

  it('a running source whose login the server stops taking (its password rotated there) says it cannot log in', async () => {
    bootedWith({ NATS_SERVERS: userServer!.address, NATS_USER: user.user, NATS_PASSWORD: user.password });
    const { key, subject } = await addSource();
    await consuming(key);
    const rotated = { user: user.user, password: `pw-${randomBytes(8).toString('hex')}` };
    userServer!.reconfigure(rotated);
    expect(await refusal(key)).toMatchObject({
      state: 'connecting',
      lastError: "cannot log in to NATS (Authorization Violation): the server refused the login of NATS_USER and NATS_PASSWORD: check it against the server's authorization",
    });
    expect(sourceMetric(await metrics(), 'kairos_source_up', key)).toBe(0);
    // Back to the password Kairos has: the source, still trying with backoff, consumes again by itself.
    userServer!.reconfigure(user);
    await consuming(key);
    const prefix = `auth-back-${randomBytes(3).toString('hex')}-`;
    await publish(userServer!, { user: user.user, pass: user.password }, subject, [`${prefix}0`]);
    await eventually(async () => ((await eventsOf(prefix)) === 1 ? true : undefined));
  });

  it('logs a refused login as such for each source, and never a password or token', () => {
    expect(refusedKeys).toHaveLength(5);
    for (const key of refusedKeys) expect({ key, logged: logged.some((l) => l.includes(`source ${key}: cannot log in to NATS (Authorization Violation)`)) }).toEqual({ key, logged: true });
    expect(logged.join('\n')).not.toContain(user.password);
    expect(logged.join('\n')).not.toContain(token);
  });
});
