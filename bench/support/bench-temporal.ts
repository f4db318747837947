import net from 'node:net';
import { resolveTemporalCli } from '../../src/temporal/cli-binary';
import { startDevServer } from '../../src/temporal/dev-server';
import { ensureSearchAttributes } from '../../src/temporal/launcher';

export interface BenchTemporal {
  address: string;
  /** What it is, for the report: the given server or our own dev server. */
  kind: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * TEMPORAL_ADDRESS when set (e.g. the PostgreSQL-backed server of
 * scripts/temporal-server.sh); otherwise an in-memory dev server of our own
 * on a free loopback port, stopped with the run.
 */
export async function provideBenchTemporal(): Promise<BenchTemporal> {
  const given = process.env.TEMPORAL_ADDRESS;
  if (given) {
    await ensureSearchAttributes(given, 'default');
    return { address: given, kind: `Temporal server at ${given}`, stop: async () => undefined };
  }
  const binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: (l) => console.log(l) });
  const server = await startDevServer({ binary, port: await freePort(), uiPort: 0, ui: false, namespace: 'default' });
  return { address: server.address, kind: `temporal dev server (in memory) at ${server.address}`, stop: () => server.stop() };
}
