import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AllowedHost } from '../../config/allowed-hosts';
import { resolveDestination, type ResolvedAddress } from './destination';
import { headerSafe } from './header-value';
import { SIGNATURE_HEADER, signBody } from './signature';
import { standardWebhookHeaders } from './standard-webhooks';

export interface PostRequest {
  url: string;
  /** The exact bytes to send and sign. */
  payload: string;
  /** No secret: the request goes unsigned. */
  secret?: string;
  idempotencyKey: string;
  /** `webhook-id`: stable across the retries of one delivery. */
  webhookId: string;
  timeoutMs: number;
  /** Hosts exempt from the non-public address check (WEBHOOK_ALLOWED_HOSTS), resolved by the system lookup. */
  allowedHosts: readonly AllowedHost[];
  /**
   * The URL is the operator's configured message gateway (MESSAGE_WEBHOOKS), not campaign text: exempt from the
   * address check whatever `allowedHosts` says, and its name resolved by the system lookup through a slot no
   * campaign's webhook step can hold. Never set for a campaign's webhook step.
   */
  configuredGateway?: boolean;
  /** The attempt's time, for `webhook-timestamp`; now by default. */
  now?: Date;
}

export type PostResult =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; status: number | null; error: string; retryAfterMs?: number };

/** The bounds on a receiver's `Retry-After`: at least 1 s, at most 1 h (a longer one would hold a journey's step for hours per attempt). */
export const RETRY_AFTER_MIN_MS = 1_000;
export const RETRY_AFTER_MAX_MS = 60 * 60 * 1_000;

/**
 * The backoff of the delivery profile the journeys run sendMessage and
 * callWebhook with (src/workflows/journey/activity-profiles.ts
 * deliveryProfile: 2 s, doubling, at most 5 min; post-signed.test.ts checks
 * they agree). Spelt out here: activity code does not import workflow modules.
 */
export const DELIVERY_BACKOFF = { initialMs: 2_000, coefficient: 2, maximumMs: 5 * 60 * 1_000 } as const;

/**
 * The delay before the attempt after `attempt` (1 for the first) when the
 * receiver asked for `retryAfter` ms: the longer of that and the delivery
 * profile's usual backoff for this attempt, so a short `Retry-After` (`0`,
 * `1`) asks for more time, never less, and cannot use up the ten attempts in
 * seconds. At most 1 h.
 */
export function nextDeliveryDelayMs(retryAfter: number, attempt: number): number {
  const usual = Math.min(DELIVERY_BACKOFF.maximumMs, DELIVERY_BACKOFF.initialMs * DELIVERY_BACKOFF.coefficient ** Math.max(0, Math.floor(attempt) - 1));
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(retryAfter, usual));
}

/**
 * How long a receiver answering 429 or 503 asks to be left alone: its
 * `Retry-After`, delta-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2026
 * 07:28:00 GMT`), clamped to 1 s .. 1 h. Undefined for any other status, a
 * missing header, or one that is neither form: the usual backoff applies.
 */
export function retryAfterMs(status: number, header: string | undefined, now = Date.now()): number | undefined {
  if ((status !== 429 && status !== 503) || header === undefined) return undefined;
  const text = header.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1_000;
  else if (/^[A-Za-z]{3,9},? /.test(text)) ms = Date.parse(text) - now;
  else return undefined;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(RETRY_AFTER_MIN_MS, ms));
}

/**
 * A client error is the receiver refusing this request for good, except 408
 * (it timed out) and 429 (it wants us back later). Everything else that is
 * not a 2xx, and every network failure or timeout, may pass on a retry.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return !(status >= 300 && status < 500);
}

/**
 * POSTs the payload to a checked address: the host is resolved once, every
 * address checked (resolveDestination), and the socket connects to those
 * addresses only. Redirects are not followed (a 3xx is a refusal: it would
 * resend the body somewhere not configured).
 */
export async function postSigned(req: PostRequest): Promise<PostResult> {
  // One deadline for the whole call: resolving the name and the exchange share `timeoutMs`.
  const deadline = Date.now() + req.timeoutMs;
  const destination = await resolveDestination(req.url, req.allowedHosts, req.timeoutMs, { configured: req.configuredGateway === true });
  if (!destination.ok) return { ok: false, retryable: destination.retryable, status: null, error: destination.error };

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(req.payload, 'utf8')),
    'idempotency-key': headerSafe(req.idempotencyKey),
    'user-agent': 'kairos-webhooks',
    ...standardWebhookHeaders(req.webhookId, req.payload, req.secret, req.now ?? new Date()),
  };
  if (req.secret) headers[SIGNATURE_HEADER] = signBody(req.payload, req.secret);
  try {
    const { status, retryAfter } = await send(destination.url, destination.addresses, headers, req.payload, Math.max(1, deadline - Date.now()));
    if (status >= 200 && status < 300) return { ok: true, status };
    const later = retryAfterMs(status, retryAfter);
    return { ok: false, retryable: isRetryableStatus(status), status, error: `HTTP ${status}`, ...(later !== undefined ? { retryAfterMs: later } : {}) };
  } catch {
    // One text for refused, reset, unreachable, TLS and timed out alike: the
    // error is shown to whoever wrote the campaign, and must not tell them
    // which ports answer.
    return { ok: false, retryable: true, status: null, error: `no answer from ${destination.url.host} within ${req.timeoutMs} ms (connection failed or timed out)` };
  }
}

/**
 * How an answer's head is parsed. A receiver that took the delivery may answer
 * a 2xx whose headers Node's strict parser refuses: over its 16 KiB (big
 * Set-Cookie or CSP headers from a gateway or proxy), both Content-Length and
 * Transfer-Encoding, a header line llhttp finds malformed. The parser then
 * fails before `response`, the attempt reads as no answer, and the delivery is
 * POSTed again, up to ten times. Lenient parsing is safe here: only the status
 * line and `Retry-After` are used, no body is read, and the socket (agent:
 * false) is destroyed once the head is in, so there is no body framing to be misled about and no
 * next response on the connection to smuggle. A head past 64 KiB is still no
 * answer.
 */
const ANSWER_PARSER = { insecureHTTPParser: true, maxHeaderSize: 64 * 1024 } as const;

/** What `send` keeps of an answer: its status and its `Retry-After`, if any. */
interface Answer {
  status: number;
  retryAfter?: string;
}

const retryAfterOf = (res: http.IncomingMessage): string | undefined => {
  const value = res.headers['retry-after'];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Resolves with the answer's status (and `Retry-After`) as soon as its
 * status line and headers have arrived, and hangs up: the status is the receiver's answer, and the
 * body is never used (no error text quotes it). A 2xx whose body then stalls
 * or breaks off is sent, not retried: sending it again would deliver it
 * twice. Rejects on any failure before the headers. Settles exactly once,
 * also when the request closes without an answer or an error (Node closes a
 * socket that answers 101 to a request with no upgrade handler, and says
 * nothing else), and a timer of its own bounds the whole exchange, so no
 * receiver can keep an activity slot for ever.
 */
function send(url: URL, addresses: ResolvedAddress[], headers: Record<string, string>, payload: string, timeoutMs: number): Promise<Answer> {
  // The addresses already checked, handed to the socket instead of a second DNS query.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const candidates = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
    if (options.all) callback(null, candidates);
    else if (candidates[0]) callback(null, candidates[0].address, candidates[0].family);
    else callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      outcome();
    };
    const fail = (reason: string) => (err?: unknown) => settle(() => reject(err instanceof Error ? err : new Error(reason)));
    const request = client.request(url, { method: 'POST', headers, lookup: pinned, agent: false, ...ANSWER_PARSER }, (res) => {
      // The body is not read: settle destroys the request and its socket (agent: false, nothing is reused), and
      // whatever the answer does after that (breaks off, never ends) has nothing left to change.
      res.on('error', () => undefined);
      settle(() => resolve({ status: res.statusCode ?? 0, retryAfter: retryAfterOf(res) }));
    });
    // Armed once the request exists: were client.request to throw, the promise rejects with it, and no timer is left
    // to call settle on a `request` never assigned (a ReferenceError thrown from a timer takes the worker down).
    const timer = setTimeout(fail('timed out'), timeoutMs);
    // A 101 to a POST: not an answer Kairos can use; its status is what the step reports.
    request.on('upgrade', (res: http.IncomingMessage, socket: { destroy(): void }) => {
      socket.destroy();
      settle(() => resolve({ status: res.statusCode ?? 101 }));
    });
    request.on('error', fail('connection failed'));
    request.on('close', fail('closed without an answer'));
    request.end(payload);
  });
}
