/** gRPC UNAVAILABLE: what the Temporal client's calls fail with while no server answers. */
export const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4), possibly wrapped by the Temporal client: Temporal is not there, as opposed to refusing one call. */
export function isConnectivityError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; cause?: unknown };
  return e.code === GRPC_UNAVAILABLE || e.code === GRPC_DEADLINE_EXCEEDED || isConnectivityError(e.cause, depth + 1);
}

/**
 * Narrower than isConnectivityError: Temporal was out of reach, UNAVAILABLE
 * or a deadline that ran out before any server took the call (gRPC names the
 * server's address, `remote_addr=`, once one has; a call that reached a busy
 * Temporal is not an outage), possibly wrapped by the Temporal client.
 */
export function isUnreachable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as { code?: unknown; details?: unknown; message?: unknown; cause?: unknown };
  if (e.code === GRPC_UNAVAILABLE) return true;
  if (e.code === GRPC_DEADLINE_EXCEEDED) {
    const said = `${typeof e.details === 'string' ? e.details : ''} ${typeof e.message === 'string' ? e.message : ''}`;
    return !said.includes('remote_addr=');
  }
  return isUnreachable(e.cause, depth + 1);
}

/** Temporal did not answer; carries UNAVAILABLE so that callers treat it as any outage (retried, never closed for good). */
export class TemporalUnreachableError extends Error {
  readonly code = GRPC_UNAVAILABLE;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemporalUnreachableError';
  }
}
