import { Agent, EnvHttpProxyAgent, fetch as undiciFetch, Request as UndiciRequest } from 'undici';
import type { z, ZodType } from 'zod';
import { createKairosClient, KairosAnswerError, KairosApiError, unwrap, type KairosClient } from '../../clients/ts/src';
import { formatPath } from '../domain/zod-issues';
import type { Connection } from './connection';
import { CliError, ExitCode } from './exit-codes';

export { KairosApiError, unwrap, type KairosClient };

/**
 * undici's limits on an answer, switched off: Node's own fetch gives up on an
 * answer that has not begun (headersTimeout) or that stopped coming
 * (bodyTimeout) after 300 s, whatever --timeout says, and a large top-up on
 * a busy server may take longer. With these, --timeout is the only bound
 * (and 0 sets none). Connecting keeps undici's 10 s: nothing is sent before.
 */
const NO_ANSWER_LIMITS = { headersTimeout: 0, bodyTimeout: 0 } as const;

export function clientFor(connection: Connection): KairosClient {
  const { timeoutMs } = connection;
  // The undici package's fetch, not Node's bundled one, so that the dispatcher is one of its own Agents (Node 20's
  // bundled undici is another version); its Request too, since its fetch reads a Request of its own class only.
  // Through the proxy of the CLI's environment when one applies (connection.proxy): neither fetch reads the variables.
  const dispatcher = connection.proxy ? new EnvHttpProxyAgent({ ...NO_ANSWER_LIMITS, ...connection.proxy.settings }) : new Agent(NO_ANSWER_LIMITS);
  // Each request waits at most timeoutMs for its answer (body included): a server that accepts and never answers must not hold a script for ever.
  const send = (request: UndiciRequest) => undiciFetch(request, { dispatcher, ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }) });
  // Redirects are not followed: fetch would send a 301/302's POST again as a GET without its body, and drop the API key
  // on the way to another origin (http to https), so Kairos's 404 or 401 would blame the route or the key. describeFailure says where it points.
  return createKairosClient({
    baseUrl: connection.url,
    apiKey: connection.apiKey,
    redirect: 'manual',
    // undici's classes are the web's Request and Response, typed by undici's own declarations rather than the globals'.
    fetch: send as unknown as (request: Request) => Promise<Response>,
    Request: UndiciRequest as unknown as typeof Request,
  });
}

/** AbortSignal.timeout's error (a DOMException, compared by name: it may come from another realm). */
export function isTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TimeoutError';
}

/** readableAs's TypeError: a 2xx came, without what the command reads of it. */
class UnreadableAnswer extends TypeError {}

/**
 * `data` once it holds what a command reads of Kairos's answer: `schema` is
 * a pick of the server's own schema (src/api) with the fields the command
 * reads or prints, so a 2xx from something else (a mock, a catch-all gateway
 * answering `{"ok":true}` to everything) does not pass as done, while an
 * older Kairos, whose answer lacks a field added since that the command does
 * not read, does. Thrown as the TypeError describeFailure reads as "answered
 * something this CLI cannot read" (exit 3), before a command prints anything.
 * `data` is given back as it came, not as parsed (every field kept), so
 * `--json` prints what the API answered; typed as the pick, so the command
 * reads no field that was not checked.
 */
export function readableAs<S extends ZodType>(schema: S, data: unknown): z.input<S> {
  const checked = schema.safeParse(data);
  if (checked.success) return data as z.input<S>;
  const issue = checked.error.issues[0];
  throw new UnreadableAnswer(`${formatPath('', issue.path) || 'the answer'}: ${issue.message}`);
}

/**
 * A 2xx whose answer cannot be read: no body, not JSON (the client's
 * KairosAnswerError), or JSON without the fields the command reads
 * (readableAs). Whatever answered took the request, so a write (an event, a
 * top-up) may have been done: it is said as one that may have taken effect.
 */
export function isUnreadableSuccess(err: unknown): boolean {
  return err instanceof UnreadableAnswer || err instanceof KairosAnswerError;
}

/** The data of a call (as unwrap gives it), checked for what the command reads of it (readableAs). */
export async function answerOf<S extends ZodType>(schema: S, call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<z.input<S>> {
  return readableAs(schema, await unwrap(call));
}

/** Kairos could not be asked at all: no answer, a key it refuses, too many requests, or a dependency down. */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof KairosApiError) return err.status === 401 || err.status === 403 || err.status === 429 || err.status >= 500;
  return isFetchFailure(err);
}

/**
 * fetch's own failure (connection refused, DNS, TLS): undici's TypeError "fetch failed", compared by name
 * because it may come from another realm (jest). Any other TypeError is an answer this CLI could not read.
 */
function isFetchFailure(err: unknown): err is TypeError {
  return isTypeError(err) && err.message === 'fetch failed';
}

function isTypeError(err: unknown): err is TypeError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TypeError';
}

/** The code of what undici gives as an error's cause (`ECONNREFUSED`, `UND_ERR_SOCKET`), if any. */
function causeCode(err: unknown): string | undefined {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Why a connection could not be made, before anything was sent: refused, no
 * such host, no route, no TLS handshake. Any other code of a failed fetch
 * may have come after the request went out (a reset, "other side closed"),
 * and what it sent may have reached Kairos.
 */
const BEFORE_SENDING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_INVALID_ARG']);
const TLS_HANDSHAKE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|^ERR_SSL_|^ERR_TLS_|^EPROTO$/;

/**
 * A cause without a code is fetch's own refusal before it connects (a port
 * fetch never uses, such as 1: "bad port"); one with a code not known to
 * come before sending may have come after, and is taken so.
 */
function failedBeforeSending(err: TypeError): boolean {
  const code = causeCode(err);
  return code === undefined || BEFORE_SENDING.has(code) || TLS_HANDSHAKE.test(code) || tunnelRefusedWith(err) !== undefined;
}

/**
 * The status a proxy answered a CONNECT with, when it did not open the tunnel
 * to Kairos (undici's "Proxy response (403) !== 200 when HTTP Tunneling", a
 * few causes down): nothing went to Kairos.
 */
function tunnelRefusedWith(err: unknown): number | undefined {
  for (let at = err, depth = 0; typeof at === 'object' && at !== null && depth < 4; at = (at as { cause?: unknown }).cause, depth++) {
    const said = /^Proxy response \((\d+)\) !== 200 when HTTP Tunneling$/.exec(String((at as { message?: unknown }).message));
    if (said) return Number(said[1]);
  }
  return undefined;
}

/** The answer began and broke off (undici's "terminated": the connection closed while the body came). */
const isCutOffAnswer = (err: unknown): err is TypeError => isTypeError(err) && err.message === 'terminated';

/** A failure after the request was sent, before an answer could be read: the connection broke. */
function isLostAfterSending(err: unknown): boolean {
  return (isFetchFailure(err) && !failedBeforeSending(err)) || isCutOffAnswer(err);
}

/**
 * A 5xx without Kairos's error body: Kairos answers every error with it, so
 * this came from what stands in front of it (nginx's 502 or 504, Envoy's 503
 * once the pod it forwarded to went away, Cloudflare's 524), which alone knows
 * whether it passed the request on. Kairos may have done what was asked before
 * it restarted, or while the gateway gave up waiting.
 */
function isGatewayWithoutAnswer(err: unknown): boolean {
  return err instanceof KairosApiError && !err.body && err.status >= 500;
}

/**
 * Kairos's own 5xx, which may come after what was asked was committed: the
 * connection to PostgreSQL broke as the COMMIT was acknowledged (503
 * postgres_unavailable), or an internal error after it (500). Only
 * conflict_retry says that nothing of the request was stored.
 */
function isKairosFailureInDoubt(err: unknown): boolean {
  return err instanceof KairosApiError && err.body !== undefined && err.status >= 500 && err.body.error.code !== 'conflict_retry';
}

/**
 * Whether a write (an event, a top-up) may have been stored though the
 * command failed: no answer said what became of it (mayHaveTakenEffect), a
 * 2xx came that this CLI cannot read, or Kairos's own 5xx left it in doubt.
 * A refusal (4xx) and a failure before sending stored nothing.
 */
export function mayHaveBeenStored(err: unknown): boolean {
  return mayHaveTakenEffect(err) || isUnreadableSuccess(err) || isKairosFailureInDoubt(err);
}

/**
 * No answer says what became of a request that reached Kairos, or may have:
 * --timeout ran out, the connection broke after sending, or a gateway lost
 * the answer. A write may have been done, so it is not simply sent again.
 */
export function mayHaveTakenEffect(err: unknown): boolean {
  return isTimeout(err) || isLostAfterSending(err) || isGatewayWithoutAnswer(err);
}

/** How a request that may have taken effect is sent again safely, as failure messages end. */
const LOOK_BEFORE_SENDING_AGAIN =
  'what was sent may still take effect there, so look before sending it again, unless it goes with the same --id (events send, pools top-up) or --idempotency-key (journeys retry, skip), which Kairos carries out once';

/**
 * What Kairos said, as a person reads it: its message, then each problem
 * with its path (`states.a.after: ...`). The status and code stay out of
 * the line; the exit code carries them.
 */
export function apiErrorLine(err: KairosApiError): string {
  if (!err.body) return `Kairos answered ${err.status} with no error body`;
  const details = err.body.error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
  const message = err.body.error.message;
  // A message that is already the one problem's wording says nothing new in brackets.
  const extra = details.filter((d) => !message.includes(d));
  return extra.length ? `${message} (${extra.join('; ')})` : message;
}

/** An answer that was not JSON: every call goes through the client's unwrap, which says so with a KairosAnswerError. */
function isNotJson(err: unknown): boolean {
  return err instanceof KairosAnswerError;
}

/** The one line (and exit code) for an error that no command handled itself. */
export function describeFailure(err: unknown, connection?: Connection): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof KairosApiError) {
    const where = connection ? ` (${connection.url})` : '';
    if (err.status === 401 && connection && !connection.apiKey) {
      return new CliError(
        `no API key was sent${where}: set KAIROS_API_KEY, a profile's apiKey, or --api-key (npm start keeps its admin key in dev-api-keys.json in its data folder, KAIROS_DATA_DIR or else .kairos, found here from the folder it ran in: when npm start ran with KAIROS_DATA_DIR, set it here too)`,
        ExitCode.unreachable,
      );
    }
    if (isRedirect(err)) return redirected(err, connection);
    if (err.status === 401) return new CliError(`Kairos refused the API key${where}: set KAIROS_API_KEY, a profile's apiKey, or --api-key`, ExitCode.unreachable);
    // A gateway's Retry-After (a maintenance page's 503, a rate limiter's 429) says when to try again as Kairos's does.
    const retryIn = err.retryAfterSeconds === null ? '' : ` (retry in ${err.retryAfterSeconds} s)`;
    if (isGatewayWithoutAnswer(err)) {
      return new CliError(
        `${connection?.url ?? 'the URL'} answered ${err.status} without Kairos's error body${retryIn}, which Kairos sends with every error: a gateway or proxy in front of Kairos answered in its place (or what answers is not Kairos); ${LOOK_BEFORE_SENDING_AGAIN}`,
        ExitCode.unreachable,
      );
    }
    // A rate limiter in front of Kairos (Kong, an API gateway, Cloudflare) answers 429 in its own words: Kairos is there, behind it.
    if (!err.body && err.status === 429) {
      return new CliError(`${connection?.url ?? 'the URL'} answered 429, too many requests (a gateway or proxy in front of Kairos, without Kairos's error body)${retryIn}`, ExitCode.unreachable);
    }
    // Every answer of Kairos's carries its error body: one without it comes from something else on that URL.
    if (!err.body) return new CliError(`${connection?.url ?? 'the URL'} answered ${err.status} without Kairos's error body${retryIn}: is it the Kairos API (npm start serves it on port 3000)?`, ExitCode.unreachable);
    if (err.status === 403) return new CliError(`the API key's role may not do this${where}: ${err.body?.error.message ?? 'forbidden'}`, ExitCode.unreachable);
    if (isNoSuchRoute(err)) {
      return new CliError(
        `${err.body?.error.message ?? 'no such route'}${where}: this server has no such route; is the URL the server's root (no /v1), and is the server as new as this CLI?`,
        ExitCode.usage,
      );
    }
    if (isUnreachable(err)) return new CliError(withRetryAfter(apiErrorLine(err), err.retryAfterSeconds), ExitCode.unreachable);
    return new CliError(apiErrorLine(err), ExitCode.failure);
  }
  if (isNotJson(err)) {
    // An answer that is not JSON: something else listens there (the Temporal UI, a proxy's page).
    return new CliError(`${connection?.url ?? 'the URL'} answered with something other than Kairos's JSON: is it the Kairos API (npm start serves it on port 3000)?`, ExitCode.unreachable);
  }
  if (isTimeout(err)) {
    const seconds = connection?.timeoutMs === undefined ? '' : ` within ${connection.timeoutMs / 1000} s`;
    return new CliError(
      `Kairos at ${connection?.url ?? 'its URL'} did not answer${seconds}; what was sent may still take effect there, so look before sending it again unless it carried its id (--timeout or KAIROS_TIMEOUT waits longer; 0 waits as long as it takes)`,
      ExitCode.unreachable,
    );
  }
  const fileProblem = fileSystemProblem(err);
  if (fileProblem) return new CliError(fileProblem, ExitCode.usage);
  const tunnelRefused = tunnelRefusedWith(err);
  if (tunnelRefused !== undefined) return proxyRefused(tunnelRefused, connection);
  if (isLostAfterSending(err)) return lostAfterSending(err as TypeError, connection);
  if (isFetchFailure(err)) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? err.message;
    const proxy = connection?.proxy;
    if (proxy) {
      return new CliError(
        `cannot reach Kairos at ${connection.url} through the proxy ${proxy.shown} (${proxy.variable}): ${why} (is the proxy running? NO_PROXY names hosts reached without it)`,
        ExitCode.unreachable,
      );
    }
    return new CliError(`cannot reach Kairos at ${connection?.url ?? 'its URL'}: ${why} (set KAIROS_URL or a profile; is it running?)`, ExitCode.unreachable);
  }
  if (isTypeError(err)) {
    // An answer without the fields Kairos sends (another server answering 200, an older Kairos): not Kairos's, as a page would be.
    return new CliError(`${connection?.url ?? 'the URL'} answered something this CLI cannot read (${err.message}): is it the Kairos API, as new as this CLI?`, ExitCode.unreachable);
  }
  return new CliError(err instanceof Error ? err.message : String(err), ExitCode.failure);
}

/** What a proxy's answer to CONNECT other than 200 most likely means, for the ones with a usual cause. */
const TUNNEL_REFUSALS: Record<number, string> = {
  407: 'it wants a user name and password: give them in the proxy URL, http://user:password@host:port',
};

/** A proxy that did not open the tunnel to Kairos: nothing was sent to Kairos, exit 3 (CI may try again once the proxy lets it through). */
function proxyRefused(status: number, connection?: Connection): CliError {
  const proxy = connection?.proxy ? `the proxy ${connection.proxy.shown} (${connection.proxy.variable})` : 'the proxy';
  const why = TUNNEL_REFUSALS[status] ?? 'does it let this host and port through? NO_PROXY names hosts reached without it';
  return new CliError(`${proxy} did not open a connection to Kairos at ${connection?.url ?? 'its URL'}: it answered ${status} (${why}); nothing was sent to Kairos`, ExitCode.unreachable);
}

/** A request sent, with no answer to read: a connection that broke. Exit 3, as a timeout is. */
function lostAfterSending(err: TypeError, connection?: Connection): CliError {
  const cause = (err as { cause?: { message?: unknown } }).cause;
  const why = causeCode(err) ?? (typeof cause?.message === 'string' ? cause.message : err.message);
  return new CliError(`the connection to Kairos at ${connection?.url ?? 'its URL'} broke before its answer came (${why}); ${LOOK_BEFORE_SENDING_AGAIN}`, ExitCode.unreachable);
}

const isRedirect = (err: KairosApiError): boolean => err.status >= 300 && err.status < 400;

/**
 * A redirect (an http URL that a load balancer sends on to https, a moved
 * host): the URL set is not where Kairos answers. A usage error (exit 2),
 * as a URL with no such route is, naming where it points.
 */
function redirected(err: KairosApiError, connection?: Connection): CliError {
  const location = err.headers.get('location');
  const target = location === null ? 'nowhere (no Location)' : absoluteUrl(location, connection?.url);
  return new CliError(
    `${connection?.url ?? 'the URL'} answered ${err.status}, a redirect to ${target}: the CLI does not follow redirects (a POST would arrive as a GET, and the API key would not go to another origin); set the URL to where Kairos answers (--url, KAIROS_URL or a profile's url)`,
    ExitCode.usage,
  );
}

/** A Location as an absolute URL (it may be relative to the URL asked); as it is when it is not a URL at all. */
function absoluteUrl(location: string, base: string | undefined): string {
  try {
    return new URL(location, base).toString();
  } catch {
    return location;
  }
}

/**
 * Kairos's messages say "retry after Retry-After seconds", a header a person
 * at a terminal never sees: the number is said instead ("retry in 5 s").
 * Without the header nothing is added: Kairos leaves it out where sending the
 * same request again is not what would help, and its message says what would.
 */
function withRetryAfter(line: string, seconds: number | null): string {
  if (seconds === null) return line;
  const said = line.replace(/after Retry-After seconds/g, `in ${seconds} s`);
  return said !== line ? said : `${line} (retry in ${seconds} s)`;
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  // Writing `-o` or `--out`: said in words too, rather than as Node's `ENOSPC: no space left on device, write`.
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
  EROFS: 'a read-only file system',
};

/** A file named on the command line that cannot be read or written: the path and why, without Node's syscall wording. */
/** Why a file could not be read or written, in words (`no such file or folder`), when the error is one of FILE_PROBLEMS. */
export function fileProblemReason(err: unknown): string | undefined {
  const { code } = (err ?? {}) as { code?: unknown };
  return typeof code === 'string' && code in FILE_PROBLEMS ? FILE_PROBLEMS[code] : undefined;
}

function fileSystemProblem(err: unknown): string | undefined {
  const reason = fileProblemReason(err);
  const { path } = (err ?? {}) as { path?: unknown };
  return reason !== undefined && typeof path === 'string' ? `${path}: ${reason}` : undefined;
}

/**
 * A 404 for the path itself rather than for what it names: a URL with a
 * prefix too many, or a server older than this CLI. The API answers it in the
 * usual shape, with the router's "Cannot GET /path" as its message.
 */
export function isNoSuchRoute(err: KairosApiError): boolean {
  return err.status === 404 && /^Cannot [A-Z]+ \//.test(err.body?.error.message ?? '');
}

/**
 * Kairos's own 404 for what a request names (a pool, a journey): not a route
 * the server lacks, and not a 404 page from something else on that URL (a
 * proxy's, without Kairos's error body), which describeFailure says as such.
 */
export function isNotFound(err: unknown): err is KairosApiError {
  return err instanceof KairosApiError && err.status === 404 && err.body !== undefined && !isNoSuchRoute(err);
}

/**
 * Kairos refusing what one file asked (its 404 for what the file names, a
 * conflict, a body too large, also a proxy's 413): that file's problem, so
 * the other files of a folder still go. A route the server lacks, and a 404
 * or 409 without Kairos's error body, are not: describeFailure says what
 * they are, once for the command.
 */
export function isRefusalOfFile(err: unknown): err is KairosApiError {
  if (!(err instanceof KairosApiError)) return false;
  return err.status === 413 || (err.status === 409 && err.body !== undefined) || isNotFound(err);
}

/** The data of a call, or undefined when what it names does not exist (other errors, and a route the server lacks, are thrown). */
export async function orNotFound<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T | undefined> {
  try {
    return await unwrap(call);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
