import { readFileSync } from 'node:fs';
import { credsAuthenticator, type ConnectionOptions } from 'nats';

/** How Kairos logs in to NATS: NATS_USER with NATS_PASSWORD, NATS_TOKEN, NATS_CREDS_FILE, or not at all. */
export type NatsLoginMethod = 'none' | 'user' | 'token' | 'creds';

/** What connect() takes, beside the servers, to log in. */
export type NatsLoginOptions = Pick<ConnectionOptions, 'user' | 'pass' | 'token' | 'authenticator'>;

/**
 * The login every NATS connection Kairos opens presents (a `nats` source's,
 * which also publishes its dead letters). Only the API opens them, so only a
 * process that runs it reads these variables (loadConfig's `parts`; a
 * worker-only one gets NO_NATS_LOGIN). The password, token or creds are
 * kept inside `connectOptions`, a closure: a Config written to a log line
 * (JSON.stringify, util.inspect, pino) shows the method and the variables,
 * never the secret.
 */
export interface NatsLogin {
  readonly method: NatsLoginMethod;
  /** The variables the login comes from, for messages: `NATS_USER and NATS_PASSWORD`; `no NATS_USER, NATS_TOKEN or NATS_CREDS_FILE` when none. */
  readonly variables: string;
  connectOptions(): NatsLoginOptions;
}

export interface NatsLoginVariables {
  NATS_USER?: string;
  NATS_PASSWORD?: string;
  NATS_TOKEN?: string;
  NATS_CREDS_FILE?: string;
}

/** One problem: the variable it is about, and what is wrong; never a value but the creds file's path. */
export interface NatsLoginProblem {
  variable: keyof NatsLoginVariables;
  message: string;
}

export const NO_NATS_LOGIN: NatsLogin = { method: 'none', variables: 'no NATS_USER, NATS_TOKEN or NATS_CREDS_FILE', connectOptions: () => ({}) };

const METHODS = 'NATS_USER with NATS_PASSWORD, NATS_TOKEN, or NATS_CREDS_FILE';

/**
 * The login from the variables (empty ones are unset), read once at boot: a
 * creds file is read here, and checked to hold a user JWT and an nkey seed
 * that signs (the client would otherwise read it at each connection, and a
 * missing or broken file would show only as a source that never connects).
 * At most one method: two would both be sent, and which one the server
 * takes is its business, not the operator's choice.
 */
export function natsLoginFrom(vars: NatsLoginVariables, readFile: (path: string) => Uint8Array = readFileSync): { login?: NatsLogin; problems: NatsLoginProblem[] } {
  const { NATS_USER: user, NATS_PASSWORD: password, NATS_TOKEN: token, NATS_CREDS_FILE: credsFile } = vars;
  const problems: NatsLoginProblem[] = [];
  if (user !== undefined && password === undefined) problems.push({ variable: 'NATS_USER', message: 'is set without NATS_PASSWORD: set both, or neither' });
  if (password !== undefined && user === undefined) problems.push({ variable: 'NATS_PASSWORD', message: 'is set without NATS_USER: set both, or neither' });
  const set = [user !== undefined || password !== undefined ? 'NATS_USER/NATS_PASSWORD' : null, token !== undefined ? 'NATS_TOKEN' : null, credsFile !== undefined ? 'NATS_CREDS_FILE' : null].filter((m): m is string => m !== null);
  if (set.length > 1) {
    // Named by the last of them: NATS_USER and NATS_PASSWORD may be right as a pair, and say so on their own line when not.
    const last = set[set.length - 1] as 'NATS_TOKEN' | 'NATS_CREDS_FILE';
    problems.push({ variable: last, message: `is set beside ${set.slice(0, -1).join(' and ')}: Kairos logs in to NATS one way only (${METHODS}); keep one` });
  }
  if (problems.length > 0) return { problems };

  if (user !== undefined && password !== undefined) {
    return { login: { method: 'user', variables: 'NATS_USER and NATS_PASSWORD', connectOptions: () => ({ user, pass: password }) }, problems };
  }
  if (token !== undefined) return { login: { method: 'token', variables: 'NATS_TOKEN', connectOptions: () => ({ token }) }, problems };
  if (credsFile !== undefined) {
    let creds: Uint8Array;
    try {
      creds = readFile(credsFile);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { problems: [{ variable: 'NATS_CREDS_FILE', message: `cannot read ${credsFile} (${code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message)})` }] };
    }
    const authenticator = credsAuthenticator(creds);
    try {
      // What each connection does with the server's nonce: find the JWT and the seed, and sign. Its own message says
      // nothing of the file's contents, but only its first line is kept, and the contents never.
      authenticator('kairos-boot-check');
    } catch {
      return {
        problems: [
          {
            variable: 'NATS_CREDS_FILE',
            message: `${credsFile} is not a NATS credentials file: it must hold a user JWT and that user's nkey seed, each between its ----- lines, as \`nsc generate creds\` writes it`,
          },
        ],
      };
    }
    return { login: { method: 'creds', variables: `NATS_CREDS_FILE (${credsFile})`, connectOptions: () => ({ authenticator }) }, problems };
  }
  return { login: NO_NATS_LOGIN, problems };
}

/** A NATS_SERVERS entry's `user:password@` or `token@`: refused, naming the entry, never what it holds. */
export const NATS_SERVER_LOGIN_PROBLEM =
  'carries a login (user:password@ or token@), which the NATS client never sends (it dials the host and port only), and a server list is written to logs: set NATS_USER and NATS_PASSWORD (or NATS_TOKEN, NATS_CREDS_FILE) instead, and the entry without it';
