import { createServer } from 'node:net';
import { explainListenError, PortUnavailableError } from './listen-error';

describe('explainListenError', () => {
  it('names the variable and the port when the port is taken, and leaves other errors as they are', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const second = createServer();
    const err = await new Promise<unknown>((resolve) => {
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    taken.close();
    expect(explainListenError(err, 'PORT', port)).toBeInstanceOf(PortUnavailableError);
    expect((explainListenError(err, 'WORKER_METRICS_PORT', port) as Error).message).toBe(
      `port ${port} (WORKER_METRICS_PORT) is already in use: stop what listens there, or set WORKER_METRICS_PORT to a free port`,
    );
    // A HOST that is no address of this machine (192.0.2.1: TEST-NET-1, never local).
    const elsewhere = await new Promise<unknown>((resolve) => {
      const server = createServer();
      server.once('error', resolve);
      server.listen(0, '192.0.2.1', () => resolve(server.close()));
    });
    expect((explainListenError(elsewhere, 'PORT', 3000, '192.0.2.1') as Error).message).toBe(
      'HOST=192.0.2.1 is no address of this machine, so port 3000 (PORT) cannot be listened on there: set HOST to one of its addresses, 0.0.0.0 for all, or 127.0.0.1',
    );
    const other = new Error('boom');
    expect(explainListenError(other, 'PORT', 3000)).toBe(other);
  });

  // As Node's listen reports a HOST name that getaddrinfo cannot resolve (net.Server's lookup before the bind).
  const lookupFailure = (code: string, hostname: string) => Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, errno: -3008, syscall: 'getaddrinfo', hostname });

  it('names HOST when it is a name this machine cannot resolve, so the boot stops as configuration (exit 2)', () => {
    const explained = explainListenError(lookupFailure('ENOTFOUND', 'kairos-api'), 'PORT', 3000, 'kairos-api');
    expect(explained).toBeInstanceOf(PortUnavailableError);
    expect((explained as Error).message).toBe(
      'HOST=kairos-api cannot be resolved to an address, so port 3000 (PORT) cannot be listened on there: set HOST to one of its addresses, 0.0.0.0 for all, or 127.0.0.1 (an IP address needs no lookup)',
    );
    const dnsAway = explainListenError(lookupFailure('EAI_AGAIN', 'api.internal'), 'WORKER_METRICS_PORT', 9464, 'api.internal');
    expect(dnsAway).toBeInstanceOf(PortUnavailableError);
    expect((dnsAway as Error).message).toMatch(/^HOST=api\.internal could not be resolved now \(the DNS did not answer\), so port 9464 \(WORKER_METRICS_PORT\) cannot be listened on there/);
    // Without a HOST to name, the error is left as it was.
    const unnamed = lookupFailure('ENOTFOUND', 'x');
    expect(explainListenError(unnamed, 'PORT', 3000)).toBe(unnamed);
  });
});
