import { SIGNATURE_HEADER, signBody } from './signature';

export interface PostRequest {
  url: string;
  /** The exact bytes to send and sign. */
  payload: string;
  /** No secret: the request goes unsigned. */
  secret?: string;
  idempotencyKey: string;
  timeoutMs: number;
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

export async function postSigned(req: PostRequest): Promise<PostResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': req.idempotencyKey,
    'user-agent': 'kairos-webhooks',
  };
  if (!/^https?:$/.test(safeUrl(req.url)?.protocol ?? '')) {
    return { ok: false, retryable: false, status: null, error: `not an http(s) URL: ${req.url}` };
  }
  if (req.secret) headers[SIGNATURE_HEADER] = signBody(req.payload, req.secret);
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      headers,
      body: req.payload,
      // A redirect would resend the body somewhere the operator did not configure.
      redirect: 'manual',
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    // Drain the body so the connection is released; its content is not used.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, retryable: isRetryableStatus(res.status), status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const detail = timedOut ? `no answer within ${req.timeoutMs} ms` : (cause?.code ?? cause?.message ?? e.message);
    return { ok: false, retryable: true, status: null, error: detail };
  }
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
