import dns from 'node:dns';
import type { AddressInfo, Server } from 'node:net';

/** Listens on `port` at `host`; rejects with the listen's error (EADDRINUSE, EADDRNOTAVAIL, ...). */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * HOST=localhost: the name's other addresses too (127.0.0.1 and ::1), on the
 * port `main` was given, as Fastify's listen binds them. Node's own listen
 * takes only the lookup's first address, so with ::1 first (glibc with IPv6
 * on) a probe or a scrape at 127.0.0.1 would be refused. One that fails is
 * left out, as Fastify does; any other HOST gets none. Both the API's port
 * (boot-listener.ts) and the worker's (worker-endpoints.ts) bind this way,
 * so HOST means the same for both.
 */
export async function otherLocalhostBindings<S extends Server>(host: string, main: S, make: () => S): Promise<S[]> {
  if (host !== 'localhost') return [];
  const addresses = await dns.promises.lookup('localhost', { all: true }).catch(() => []);
  const bound = main.address() as AddressInfo;
  const others: S[] = [];
  for (const { address } of addresses) {
    if (address === bound.address) continue;
    const server = make();
    if (await listenOn(server, bound.port, address).then(() => true, () => false)) others.push(server);
  }
  return others;
}
