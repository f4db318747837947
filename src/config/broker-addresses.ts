import { splitHostPort } from './host-port';
import { NATS_SERVER_LOGIN_PROBLEM } from './nats-login';

/**
 * The schemes of a NATS server URL. nats.js drops everything up to an
 * entry's last `://`, so a list joined by anything but a comma would quietly
 * become its last server: only one scheme, at the start, is taken.
 */
const NATS_SCHEME = /^(nats|tls|wss?):\/\//i;
/** A websocket scheme: taken as a scheme (so the entry is not read as a host), then refused (natsServerProblem). */
const WEBSOCKET_SCHEME = /^wss?:\/\//i;
const NATS_SERVER_WEBSOCKET_PROBLEM =
  "is a websocket URL (ws:// or wss://); Kairos's NATS client connects over TCP: give the server's client port (4222 by default) as host[:port], nats:// or tls://";
/**
 * User and password before the host: everything up to the last `@`. A
 * password is often written unencoded (`openssl rand -base64` gives `/` and
 * `+`), so a `/`, `?` or `#` before that `@` is still taken as part of it:
 * what is shown of a RabbitMQ URL never holds a password, whatever it
 * contains (a NATS_SERVERS entry is never shown: natsServerProblem).
 */
const userInfoOf = (text: string) => text.slice(0, text.lastIndexOf('@') + 1);
const AMQP_SCHEME = /^amqps?:\/\//i;

/** Credentials go to logs as `***`: a problem line names the URL, never its password. */
const withoutCredentials = (scheme: string, userInfo: string, rest: string) => `${scheme}${userInfo ? '***@' : ''}${rest}`;

/**
 * Why a NATS_SERVERS entry could never be dialled, as TEMPORAL_ADDRESS is
 * checked: `[nats|tls://]host[:port][/]`, the host an IPv6 address with or
 * without brackets; null when it could be. A `ws://` or `wss://` entry is
 * refused: nats.js on Node (NodeTransport) drops whatever scheme an entry
 * has and dials the host and port over plain TCP, waiting for the server's
 * INFO line, which a websocket listener (an HTTP server waiting for an
 * upgrade) never sends, so every source would stay `connecting` with a bare
 * TIMEOUT (and `wss://host` without a port dials 4222 without TLS). A
 * `user:password@` (or `token@`) is refused too: nats.js (servers.ts,
 * hostPort) keeps only the host and port of an entry, so that login was
 * never sent, and the list is logged (NATS_USER and NATS_PASSWORD,
 * NATS_TOKEN, NATS_CREDS_FILE log in).
 *
 * The entry itself is never in the answer: the list is split at commas
 * before any entry is read, so a password holding a `,` (or an `@` and a
 * `,`) leaves pieces of it in entries that hold no `@` or end in one
 * (`nats://kairos:Ab9x,Qz7@nats:4222` is `nats://kairos:Ab9x` and
 * `Qz7@nats:4222`), and no masking of one entry can tell. Its position
 * names it.
 */
export function natsServerProblem(entry: string): string | null {
  const scheme = NATS_SCHEME.exec(entry)?.[0] ?? '';
  const afterScheme = entry.slice(scheme.length);
  const userInfo = userInfoOf(afterScheme);
  if (userInfo) return NATS_SERVER_LOGIN_PROBLEM;
  if (WEBSOCKET_SCHEME.test(scheme)) return NATS_SERVER_WEBSOCKET_PROBLEM;
  const parsed = splitHostPort(afterScheme.replace(/\/$/, ''), { bareIpv6: true });
  if (typeof parsed !== 'string') return null;
  return parsed === 'port'
    ? 'has no valid port (1-65535)'
    : 'is not [nats:// or tls://]host[:port] (servers are separated by commas)';
}

/** RABBITMQ_URL's `@` after a `/`, `?` or `#` (rabbitmqUrlProblem): what it may be, and no part of the URL. */
const AMBIGUOUS_AT =
  'an `@` comes after a `/`, `?` or `#`: write an `@` in the vhost or options as %40 (only the login, before the host, takes a bare `@`), ' +
  'and percent-encode a `/`, `?` or `#` in the password (`/` is %2F, `?` is %3F, `#` is %23). The URL is not shown, as it may hold a password';

/**
 * Why RABBITMQ_URL could never be dialled: its host and port, as
 * TEMPORAL_ADDRESS is checked (the scheme has a check of its own). A vhost
 * in the path and options in the query are amqplib's to read. An `@` after
 * the first `/`, `?` or `#` is refused: it is either an `@` in the vhost or
 * options, or the end of a password written unencoded that holds one of
 * those characters (amqplib would take the host from the password). Nothing
 * tells the two apart, so the message names both and shows no part of the
 * URL, which may hold a password. `%40` writes an `@` outside the login; an
 * `@` in a password works unencoded (everything up to the last `@` is the
 * login), as long as no `/`, `?` or `#` comes before it.
 */
export function rabbitmqUrlProblem(url: string): string | null {
  const scheme = AMQP_SCHEME.exec(url)?.[0];
  if (scheme === undefined) return null;
  const afterScheme = url.slice(scheme.length);
  const userInfo = userInfoOf(afterScheme);
  const shown = withoutCredentials(scheme, userInfo, afterScheme.slice(userInfo.length));
  if (/[/?#]/.test(userInfo)) return AMBIGUOUS_AT;
  const authority = afterScheme.slice(userInfo.length).split(/[/?#]/, 1)[0];
  const parsed = splitHostPort(authority);
  if (typeof parsed !== 'string') return null;
  return parsed === 'port' ? `"${shown}" has no valid port (1-65535)` : `"${shown}" is not amqp[s]://[user:password@]host[:port][/vhost][?options]`;
}
