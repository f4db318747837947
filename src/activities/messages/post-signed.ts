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
  /** Hosts exempt from the non-public address check (WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: readonly AllowedHost[];
  /** The attempt's time, for `webhook-timestamp`; now by default. */
  now?: Date;
}

export type PostResult =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; status: number | null; error: string };

/** What is read of an answer at most; its content is not used, and a huge one must not cost memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

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
  const destination = await resolveDestination(req.url, req.allowedHosts);
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
    const status = await send(destination.url, destination.addresses, headers, req.payload, req.timeoutMs);
    if (status >= 200 && status < 300) return { ok: true, status };
    return { ok: false, retryable: isRetryableStatus(status), status, error: `HTTP ${status}` };
  } catch {
    // One text for refused, reset, unreachable, TLS and timed out alike: the
    // error is shown to whoever wrote the campaign, and must not tell them
    // which ports answer.
    return { ok: false, retryable: true, status: null, error: `no answer from ${destination.url.host} within ${req.timeoutMs} ms (connection failed or timed out)` };
  }
}

/** Resolves with the answer's status once at most MAX_RESPONSE_BYTES of its body are read. */
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
    const request = client.request(
      url,
      { method: 'POST', headers, lookup: pinned, agent: false, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        let read = 0;
        const done = () => resolve(res.statusCode ?? 0);
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= MAX_RESPONSE_BYTES) {
            res.destroy();
            done();
          }
        });
        res.on('end', done);
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
