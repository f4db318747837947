import net from 'node:net';
import { splitHostPort } from '../config/host-port';

const TEMPORAL_DEFAULT_PORT = 7233;

/**
 * Rejects as soon as a TCP connection to `address` (host or host:port) fails:
 * nothing listens there, or the host cannot be reached or resolved. When the
 * connection opens it is closed again and the promise stays pending, as it
 * does once `signal` aborts. The SDK's native connection keeps reconnecting
 * and its health check waits instead of failing, so without this a Temporal
 * that is not there at all would read as `timeout`, like a slow one.
 */
export function rejectWhenRefused(address: string, signal: AbortSignal): Promise<never> {
  const parsed = splitHostPort(address, { bareIpv6: true });
  if (typeof parsed === 'string' || signal.aborted) return new Promise<never>(() => undefined);
  return new Promise<never>((_, reject) => {
    const socket = net.connect({ host: parsed.host, port: parsed.port ?? TEMPORAL_DEFAULT_PORT });
    const stop = () => socket.destroy();
    signal.addEventListener('abort', stop, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', stop);
      socket.destroy();
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', stop);
      reject(err);
    });
  });
}
