import { splitHostPort, type HostPortProblem } from './host-port';
import { NATS_SERVER_LOGIN_PROBLEM } from './nats-login';

/**
 * The schemes of a NATS server URL. nats.js drops everything up to an
 * entry's last `://`, so a list joined by anything but a comma would quietly
 * become its last server: only one scheme, at the start, is taken.
 */
const NATS_SCHEME = /^(nats|tls|wss?):\/\//i;
/**
 * User and password before the host: everything up to the last `@`. A
 * password is often written unencoded (`openssl rand -base64` gives `/` and
 * `+`), so a `/`, `?` or `#` before that `@` is still taken as part of it:
 * what is shown of an address never holds a password, whatever it contains.
 */
const userInfoOf = (text: string) => text.slice(0, text.lastIndexOf('@') + 1);
const AMQP_SCHEME = /^amqps?:\/\//i;

/** Credentials go to logs as `***`: a problem line names the entry, never its password. */
const withoutCredentials = (scheme: string, userInfo: string, rest: string) => `${scheme}${userInfo ? '***@' : ''}${rest}`;

function hostPortProblem(shown: string, problem: HostPortProblem, form: string): string {
  return problem === 'port' ? `"${shown}" has no valid port (1-65535)` : `"${shown}" is not ${form}`;
}

/**
 * Why a NATS_SERVERS entry could never be dialled, as TEMPORAL_ADDRESS is
 * checked: `[nats|tls|ws|wss://]host[:port][/]`, the host an IPv6 address
 * with or without brackets; null when it could be. A `user:password@` (or
 * `token@`) is refused too: nats.js (servers.ts, hostPort) keeps only the
 * host and port of an entry, so that login was never sent, and the list is
 * logged (NATS_USER and NATS_PASSWORD, NATS_TOKEN, NATS_CREDS_FILE log in).
 */
export function natsServerProblem(entry: string): string | null {
  const scheme = NATS_SCHEME.exec(entry)?.[0] ?? '';
  const afterScheme = entry.slice(scheme.length);
  const userInfo = userInfoOf(afterScheme);
  const rest = afterScheme.slice(userInfo.length);
  const parsed = splitHostPort(rest.replace(/\/$/, ''), { bareIpv6: true });
  const shown = withoutCredentials(scheme, userInfo, rest);
  if (typeof parsed === 'string') return hostPortProblem(shown, parsed, '[nats://, tls://, ws:// or wss://]host[:port] (servers are separated by commas)');
  return userInfo ? `"${shown}" ${NATS_SERVER_LOGIN_PROBLEM}` : null;
}

/**
 * Why RABBITMQ_URL could never be dialled: its host and port, as
 * TEMPORAL_ADDRESS is checked (the scheme has a check of its own). A vhost
 * in the path and options in the query are amqplib's to read. An `@` after
 * the first `/`, `?` or `#` is refused: amqplib ends the user and password
 * at that character, so it is a password written unencoded (the host would
 * be taken from it), or an `@` in the vhost or options, which `%40` writes
 * as well.
 */
export function rabbitmqUrlProblem(url: string): string | null {
  const scheme = AMQP_SCHEME.exec(url)?.[0];
  if (scheme === undefined) return null;
  const afterScheme = url.slice(scheme.length);
  const userInfo = userInfoOf(afterScheme);
  const shown = withoutCredentials(scheme, userInfo, afterScheme.slice(userInfo.length));
  if (/[/?#]/.test(userInfo)) {
    return `"${shown}": its user or password holds a \`/\`, \`?\` or \`#\` (an \`@\` comes after one), which ends them there: percent-encode the password (\`/\` is %2F, \`?\` is %3F, \`#\` is %23, \`@\` is %40); an \`@\` in the vhost or options is %40 too`;
  }
  const authority = afterScheme.slice(userInfo.length).split(/[/?#]/, 1)[0];
  const parsed = splitHostPort(authority);
  if (typeof parsed !== 'string') return null;
  return hostPortProblem(shown, parsed, 'amqp[s]://[user:password@]host[:port][/vhost][?options]');
}
