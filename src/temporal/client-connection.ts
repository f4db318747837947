import { Connection } from '@temporalio/client';
import type { TemporalConnectionSettings } from '../config/config';

/**
 * How soon the API's client tries Temporal again after a failed connect.
 * gRPC's defaults start at 1 s and grow by 1.6x up to 120 s, and only a
 * connection that succeeds resets them; the relay asks every few hundred
 * milliseconds while Temporal is away, so after an outage of a few minutes
 * the queued events waited up to two more minutes for a connect attempt
 * once Temporal was back. At most one attempt every 5 s costs nothing.
 */
export const RECONNECT_BACKOFF = {
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 5_000,
} as const;

/** The API's (and the worker's activities') lazy client connection: it may be made while Temporal is away. */
export function lazyClientConnection(address: string | undefined, settings: TemporalConnectionSettings = {}): Connection {
  return Connection.lazy({ address, ...settings, channelArgs: { ...RECONNECT_BACKOFF } });
}
