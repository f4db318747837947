/**
 * Dependency checks shared by the API's and the worker's health endpoints.
 * A check answers ok or not, with its latency and a short reason that names
 * no host, port or driver message (those belong in the logs, not on an
 * unauthenticated endpoint).
 */
export interface CheckResult {
  ok: boolean;
  latencyMs: number;
  /** `timeout` or `unreachable` when not ok. */
  reason?: 'timeout' | 'unreachable';
}

export const CHECK_TIMEOUT_MS = 2000;

class CheckTimeout extends Error {}

export async function runCheck(fn: () => Promise<unknown>, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout()), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, reason: err instanceof CheckTimeout ? 'timeout' : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
