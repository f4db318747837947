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
  | { ok: false; retryable: boolean; status: number | null; error: string };

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
    const status = await send(destination.url, destination.addresses, headers, req.payload, Math.max(1, deadline - Date.now()));
    if (status >= 200 && status < 300) return { ok: true, status };
    return { ok: false, retryable: isRetryableStatus(status), status, error: `HTTP ${status}` };
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
 * line is used, no body is read, and the socket (agent: false) is destroyed
 * once the head is in, so there is no body framing to be misled about and no
 * next response on the connection to smuggle. A head past 64 KiB is still no
 * answer.
 */
const ANSWER_PARSER = { insecureHTTPParser: true, maxHeaderSize: 64 * 1024 } as const;

/**
 * Resolves with the answer's status as soon as its status line and headers
 * have arrived, and hangs up: the status is the receiver's answer, and the
 * body is never used (no error text quotes it). A 2xx whose body then stalls
 * or breaks off is sent, not retried: sending it again would deliver it
 * twice. Rejects on any failure before the headers. Settles exactly once,
 * also when the request closes without an answer or an error (Node closes a
 * socket that answers 101 to a request with no upgrade handler, and says
 * nothing else), and a timer of its own bounds the whole exchange, so no
 * receiver can keep an activity slot for ever.
 */
function send(url: URL, addresses: ResolvedAddress[], headers: Record<string, string>, payload: string, timeoutMs: number): Promise<number> {
  // The addresses already checked, handed to the socket instead of a second DNS query.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const candidates = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
    if (options.all) callback(null, candidates);
    else if (candidates[0]) callback(null, candidates[0].address, candidates[0].family);
    else callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
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
      settle(() => resolve(res.statusCode ?? 0));
    });
    // Armed once the request exists: were client.request to throw, the promise rejects with it, and no timer is left
    // to call settle on a `request` never assigned (a ReferenceError thrown from a timer takes the worker down).
    const timer = setTimeout(fail('timed out'), timeoutMs);
    // A 101 to a POST: not an answer Kairos can use; its status is what the step reports.
    request.on('upgrade', (res: http.IncomingMessage, socket: { destroy(): void }) => {
      socket.destroy();
      settle(() => resolve(res.statusCode ?? 101));
    });
    request.on('error', fail('connection failed'));
    request.on('close', fail('closed without an answer'));
    request.end(payload);
  });
}
