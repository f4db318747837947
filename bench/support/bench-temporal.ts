import { resolveTemporalCli } from '../../src/provisioning/cli-binary';
import { startDevServer } from '../../src/provisioning/dev-server';
import { ensureSearchAttributes } from '../../src/provisioning/launcher';

export interface BenchTemporal {
  address: string;
  /** What it is, for the report: the given server or our own dev server. */
  kind: string;
  stop(): Promise<void>;
}

import { freePort } from '../../test/support/free-port';

export { freePort };

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
