import { resolveTemporalCli } from '../../src/temporal/cli-binary';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { freePort } from './free-port';

declare global {
  var __kairosTemporal: DevServer | undefined;
}

/**
 * One real Temporal dev server for every integration suite (in memory, no
 * UI); suites isolate themselves with their own task queue and database.
 * KAIROS_TEST_TEMPORAL_ADDRESS points the suites at an existing server instead.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.KAIROS_TEST_TEMPORAL_ADDRESS) return;
  const binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: (l) => console.log(l) });
  const server = await startDevServer({ binary, port: await freePort(), uiPort: 0, ui: false, namespace: 'default' });
  globalThis.__kairosTemporal = server;
  process.env.KAIROS_TEST_TEMPORAL_ADDRESS = server.address;
}
