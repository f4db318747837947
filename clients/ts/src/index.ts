import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** Every error Kairos answers has this shape; `details` gives the exact path of each problem. */
export type KairosErrorBody = components['schemas']['ErrorResponse'];

export interface KairosClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where Kairos listens, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** An API key (sent as `Authorization: Bearer …`); omit (or leave undefined) for the public routes only. */
  apiKey?: string | undefined;
}

type HeaderRecord = Record<string, string | number | boolean | Array<string | number | boolean> | null | undefined>;

/** Any form of headers openapi-fetch accepts (a Headers, [name, value] pairs, a record) as a record: spread as is, the first two lose their names. */
function headerRecord(headers: ClientOptions['headers']): HeaderRecord {
  if (headers === undefined) return {};
  if (!(headers instanceof Headers) && !Array.isArray(headers)) return headers as HeaderRecord;
  const out: Record<string, string> = {};
  new Headers(headers as ConstructorParameters<typeof Headers>[0]).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** A typed client of the Kairos HTTP API: `client.GET('/v1/campaigns/{key}', { params: { path: { key } } })`. */
export type KairosClient = Client<paths>;

/**
 * Redirects are not followed unless `redirect` says so: fetch would send a 301 or 302's POST again as a GET without
 * its body, and leave the API key behind on the way to another origin (http to https), so Kairos's 404 or 401 would
 * blame the route or a valid key. `unwrap` rejects with a KairosRedirectError naming where it points instead.
 */
export function createKairosClient({ baseUrl, apiKey, headers, ...rest }: KairosClientOptions): KairosClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headerRecord(headers) },
    redirect: 'manual',
    ...rest,
  });
}

type HeadersInput = ConstructorParameters<typeof Headers>[0];

/**
 * An answer other than 2xx, with Kairos's error body when there was one, and
 * the answer's headers: a 503's or 429's `Retry-After` says when to try again.
 */
export class KairosApiError extends Error {
  /** The answer's headers (none when the error was made without them). */
  readonly headers: Headers;
  /**
   * `Retry-After` in seconds (a date is counted from now), or null when the
   * answer has none. Kairos leaves it out on purpose where sending the same
   * request again is not what would help (a status change's 503 says what
   * repeating it would do): null means do not retry on a timer.
   */
  readonly retryAfterSeconds: number | null;

  constructor(
    readonly status: number,
    readonly body: KairosErrorBody | undefined,
    headers?: HeadersInput,
  ) {
    const details = body?.error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    super(`${status} ${body?.error.code ?? 'error'}: ${body?.error.message ?? 'no error body'}${details ? ` (${details})` : ''}`);
    this.name = 'KairosApiError';
    this.headers = new Headers(headers);
    this.retryAfterSeconds = retryAfterSeconds(this.headers.get('retry-after'));
  }

  get code(): string | undefined {
    return this.body?.error.code;
  }
}

/**
 * A redirect (3xx), which the client does not follow: the base URL is not where Kairos answers (an http URL a load
 * balancer sends on to https, a moved host). A KairosApiError with the redirect's status and headers, its `body`
 * undefined; `location` is where it points, as an absolute URL, or null when the answer did not say (a browser hides
 * it: its status is then 0).
 */
export class KairosRedirectError extends KairosApiError {
  readonly location: string | null;

  constructor(response: Response) {
    super(response.status, undefined, response.headers);
    this.name = 'KairosRedirectError';
    this.location = absoluteLocation(response.headers.get('location'), response.url);
    const where = this.location === null ? 'a redirect whose target is not given' : `a redirect to ${this.location}`;
    this.message =
      `${response.status || 'the answer'} ${where}: the client does not follow redirects (a POST would arrive as a GET, and the API key would not ` +
      "go to another origin); set baseUrl to where Kairos answers, or pass `redirect: 'follow'` to follow them anyway";
  }
}

/** A Location as an absolute URL (it may be relative to the URL asked); as it is when it is not a URL at all. */
function absoluteLocation(location: string | null, base: string): string | null {
  if (location === null) return null;
  try {
    return new URL(location, base || undefined).toString();
  } catch {
    return location;
  }
}

/** An answer that is not Kairos's: a 2xx whose body is not JSON (another server on that address, a proxy's HTML page), or that has none. */
export class KairosAnswerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KairosAnswerError';
  }
}

/** HTTP's date formats (RFC 9110 5.6.7): the preferred one, and the two obsolete ones a recipient must still read. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850_DATE = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** An HTTP date as epoch ms, or NaN for anything else (Date.parse alone also takes "1.5" or "-1"). */
function httpDate(text: string): number {
  if (IMF_FIXDATE.test(text) || RFC_850_DATE.test(text)) return Date.parse(text);
  // asctime carries no zone and means GMT; Date.parse would read it as local time.
  return ASCTIME_DATE.test(text) ? Date.parse(`${text} GMT`) : Number.NaN;
}

/** A Retry-After value (delay-seconds, or an HTTP date) as seconds from now; null when absent or neither. */
function retryAfterSeconds(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = httpDate(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * Kairos's error body in full: a code, a message, and details each with a
 * path and a message. A gateway's JSON that merely looks like it (`{"error":
 * {"code": "..."}}`, no details) is no Kairos answer: taken for one, reading
 * its details threw a TypeError instead of the KairosApiError promised.
 */
function isErrorBody(value: unknown): value is KairosErrorBody {
  const error = isRecord(value) ? value.error : undefined;
  if (!isRecord(error) || typeof error.code !== 'string' || typeof error.message !== 'string' || !Array.isArray(error.details)) return false;
  return error.details.every((d) => isRecord(d) && typeof d.path === 'string' && typeof d.message === 'string');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The data of an openapi-fetch result, or a thrown KairosApiError:
 * `const campaign = await unwrap(client.GET(...))`. A redirect rejects with
 * a KairosRedirectError (a KairosApiError); a 2xx without a JSON body (or,
 * with `parseAs: 'text'`, without a body) with a KairosAnswerError.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (err) {
    // An answer whose body is not JSON (openapi-fetch parses it and throws a SyntaxError): not Kairos, or something in front of it;
    // or `/metrics`' Prometheus text, the one route that answers text, asked for without `parseAs: 'text'`.
    // By name: the parse may run in another realm (a test runner's sandbox), where instanceof does not hold.
    const { name, message } = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown };
    if (name === 'SyntaxError') throw new KairosAnswerError(`the answer is not JSON (${String(message)}): is the URL the Kairos API, with nothing else answering in its place? (/metrics answers text: read it with parseAs: 'text')`, { cause: err });
    throw err;
  }
  const { data, error, response } = answer;
  // A redirect not followed (`redirect: 'manual'`, the default): Node's fetch gives its 3xx, a browser an opaque answer of status 0.
  if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') throw new KairosRedirectError(response);
  if (!response.ok) throw new KairosApiError(response.status, isErrorBody(error) ? error : undefined, response.headers);
  // Every Kairos route answers a 2xx with a body (JSON, or `/metrics`' text read with `parseAs: 'text'`): no body at all
  // (a 204, Content-Length: 0, an empty chunked body, which openapi-fetch gives as data undefined) came from something
  // else, and must not pass as done.
  if (data === undefined) {
    throw new KairosAnswerError(`the answer (${response.status}) has no body, where Kairos always sends one: is the URL the Kairos API, with nothing else answering in its place?`);
  }
  return data;
}
