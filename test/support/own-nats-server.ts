import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, nkeys, type ConnectionOptions, type NatsConnection } from 'nats';
import { credsFileText } from '../../src/config/config.test-support';
import { freePort } from './free-port';

/** Debian's nats-server (scripts/brokers.sh installs it); 2.9 here. */
export const NATS_SERVER_BIN = process.env.KAIROS_TEST_NATS_SERVER ?? '/usr/sbin/nats-server';

/** What the server's config requires of a client: a user and password, a token, or (operator mode) a user JWT its operator signed. */
export type NatsServerAuth = { user: string; password: string } | { token: string } | { operatorJwt: string; systemAccount: string; accounts: Record<string, string> };

export interface OwnNatsServer {
  /** `127.0.0.1:<port>`, for NATS_SERVERS. */
  readonly address: string;
  /** A connection that logs in with `login` (the test's publisher, as a business system's). */
  connect(login: Partial<ConnectionOptions>): Promise<NatsConnection>;
  /** Requires `auth` from now on: the config rewritten and reloaded (SIGHUP), as an operator rotating a password does; the server closes connections whose login no longer passes. */
  reconfigure(auth: NatsServerAuth): void;
  /** Ends the server and removes its folder (its JetStream store and config), whatever state it is in. */
  stop(): Promise<void>;
}

/** The authorization part of the server's config (strings JSON-quoted, which the NATS config format takes). */
function authorization(auth: NatsServerAuth): string {
  if ('operatorJwt' in auth) {
    const preload = Object.entries(auth.accounts)
      .map(([pub, jwt]) => `  ${pub}: ${JSON.stringify(jwt)}`)
      .join('\n');
    return `operator: ${JSON.stringify(auth.operatorJwt)}\nsystem_account: ${auth.systemAccount}\nresolver: MEMORY\nresolver_preload: {\n${preload}\n}\n`;
  }
  if ('token' in auth) return `authorization { token: ${JSON.stringify(auth.token)} }\n`;
  return `authorization { user: ${JSON.stringify(auth.user)}, password: ${JSON.stringify(auth.password)} }\n`;
}

/**
 * A nats-server of the suite's own, with JetStream in a temporary folder, on
 * a free loopback port, requiring `auth`: the shared broker on 4222 (which
 * requires no login, and which the broker suites restart) is left alone.
 * Resolves once a client logging in with `readyLogin` gets JetStream's
 * answer; the server is stopped and its folder removed if that never comes.
 */
export async function startOwnNatsServer(auth: NatsServerAuth, readyLogin: Partial<ConnectionOptions>): Promise<OwnNatsServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-nats-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const output: string[] = [];
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killLater = setTimeout(() => child?.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killLater);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const conf = path.join(dir, 'nats.conf');
    const store = path.join(dir, 'jetstream');
    // JetStream's store in the file, not on the command line (-sd): a reload (reconfigure) reads the file, and refuses
    // a store other than the running one (or, with none there, turns JetStream off: every request answers 503).
    const configure = (required: NatsServerAuth) => writeFileSync(conf, `listen: ${JSON.stringify(address)}\njetstream { store_dir: ${JSON.stringify(store)} }\n${authorization(required)}`);
    configure(auth);
    child = spawn(NATS_SERVER_BIN, ['-c', conf, '-js'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = child;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    for (const stream of [started.stdout, started.stderr]) stream?.on('data', (d: Buffer) => output.push(d.toString()));
    const opened = (login: Partial<ConnectionOptions>) => connect({ servers: [address], reconnect: false, ...login });
    // Up once JetStream answers a client that logs in (the port opens a little before).
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`nats-server exited (${started.exitCode}): ${output.join('').slice(-2000)}`);
      try {
        const nc = await opened(readyLogin);
        try {
          await (await nc.jetstreamManager()).getAccountInfo();
          break;
        } finally {
          await nc.close();
        }
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`nats-server at ${address} did not become ready (${(err as Error).message}): ${output.join('').slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return {
      address,
      connect: (login) => connect({ servers: [address], ...login }),
      reconfigure: (required) => {
        configure(required);
        started.kill('SIGHUP');
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

type KeyPair = ReturnType<typeof nkeys.createUser>;

const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** A JWT as nsc writes one (nats-io/jwt v2): claims about `subject`, signed by `issuer`'s nkey. */
function signedJwt(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }));
  const claims = base64url(
    JSON.stringify({ jti: randomBytes(16).toString('hex').toUpperCase(), iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey(), name, sub: subject, nats: { ...nats, version: 2 } }),
  );
  return `${header}.${claims}.${base64url(issuer.sign(new TextEncoder().encode(`${header}.${claims}`)))}`;
}

const UNLIMITED = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };


/**
 * JWT (decentralized) auth without nsc: an operator, its system account and
 * one account with JetStream, for a server's config (`auth`), and .creds
 * files of users of that account (`userCreds`), made with the nkeys the nats
 * package ships. `strangerCreds` is a user of an account the operator never
 * signed: the server refuses it.
 */
export function operatorMode(): { auth: NatsServerAuth; userCreds(): string; strangerCreds(): string } {
  const operator = nkeys.createOperator();
  const system = nkeys.createAccount();
  const account = nkeys.createAccount();
  const auth = {
    operatorJwt: signedJwt(operator, operator.getPublicKey(), 'kairos-test', { type: 'operator', system_account: system.getPublicKey() }),
    systemAccount: system.getPublicKey(),
    accounts: {
      [system.getPublicKey()]: signedJwt(operator, system.getPublicKey(), 'SYS', { type: 'account', limits: UNLIMITED }),
      [account.getPublicKey()]: signedJwt(operator, account.getPublicKey(), 'kairos', {
        type: 'account',
        limits: { ...UNLIMITED, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 },
      }),
    },
  };
  const creds = (issuer: KeyPair) => {
    const user = nkeys.createUser();
    return credsFileText(signedJwt(issuer, user.getPublicKey(), 'kairos-api', { type: 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1 }), user.getSeed());
  };
  return { auth, userCreds: () => creds(account), strangerCreds: () => creds(nkeys.createAccount()) };
}
