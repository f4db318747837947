import { resolveTemporalCli } from '../../src/provisioning/cli-binary';
import { PortUnavailableError } from '../../src/config/listen-error';
import { DevServerStartError, startDevServer, type DevServer } from '../../src/provisioning/dev-server';
import { freePort } from './free-port';
import { ISOLATED_NAMESPACES } from './isolated-namespaces';
import { writeSharedWorkflowBundle } from './shared-workflow-bundle';
import { createTemplateDatabase } from './test-database';

declare global {
  var __kairosTemporal: DevServer | undefined;
}

/**
 * One real Temporal dev server for every integration suite (in memory, no
 * UI); suites isolate themselves with their own task queue and database.
 * Their workers share one workflow bundle, and their databases are copies
 * of one migrated here.
 * KAIROS_TEST_TEMPORAL_ADDRESS points the suites at an existing server instead.
 */
export default async function globalSetup(): Promise<void> {
  await Promise.all([writeSharedWorkflowBundle(), createTemplateDatabase()]);
  if (process.env.KAIROS_TEST_TEMPORAL_ADDRESS) return;
  const binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: (l) => console.log(l) });
  // The dev server sometimes exits at start (seen once: a panic while its frontend set up, most
  // likely a port taken between picking it and binding it); one failed start should not fail the run.
  let server: DevServer | undefined;
  for (let attempt = 1; !server; attempt++) {
    try {
      server = await startDevServer({ binary, port: await freePort(), uiPort: 0, ui: false, namespace: 'default', extraNamespaces: ISOLATED_NAMESPACES });
    } catch (err) {
      if (!(err instanceof DevServerStartError || err instanceof PortUnavailableError) || attempt >= 3) throw err;
      console.log(`Temporal dev server did not start (attempt ${attempt}); trying another port`);
    }
  }
  globalThis.__kairosTemporal = server;
  process.env.KAIROS_TEST_TEMPORAL_ADDRESS = server.address;
}
