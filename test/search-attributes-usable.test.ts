import { Client, Connection } from '@temporalio/client';
import { resolveTemporalCli } from '../src/provisioning/cli-binary';
import { startDevServer, type DevServer } from '../src/provisioning/dev-server';
import { ensureSearchAttributes } from '../src/provisioning/launcher';
import { describeError, isRefusedForGood } from '../src/temporal/refusals';
import { campaignKeySearchAttribute, campaignVersionSearchAttribute, userIdSearchAttribute } from '../src/workflows/journey/contract';
import { freePort } from './support/free-port';

/**
 * A server as compose's was (review-59-deploy, finding 4): SQL visibility, no search attributes yet, and without
 * system.forceSearchAttributesCacheRefreshOnRead (the dev server sets it by default; turned off here). Such a
 * server learns attributes just added only at its namespace registry's next refresh, and refused every journey
 * start carrying them until then.
 */
describe('search attributes Kairos registers on a bare SQL-visibility server', () => {
  let server: DevServer;
  let connection: Connection;
  beforeAll(async () => {
    const binary = await resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI, log: () => undefined });
    server = await startDevServer({
      binary,
      port: await freePort(),
      uiPort: 0,
      ui: false,
      namespace: 'default',
      searchAttributes: false,
      dynamicConfig: { 'system.forceSearchAttributesCacheRefreshOnRead': false },
    });
    connection = await Connection.connect({ address: server.address });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('are usable by a journey start as soon as the boot registered them (the gate opens only then)', async () => {
    await ensureSearchAttributes(server.address, 'default');
    const client = new Client({ connection, namespace: 'default' });
    const started = await client.workflow
      .start('journey', {
        workflowId: 'usable-at-once',
        taskQueue: 'no-worker-polls-this',
        typedSearchAttributes: [
          { key: campaignKeySearchAttribute, value: 'welcome' },
          { key: userIdSearchAttribute, value: 'u1' },
          { key: campaignVersionSearchAttribute, value: 1 },
        ],
      })
      .then(
        () => 'started',
        // Had it been refused, the outbox must not have counted it as a refusal for good.
        (err: unknown) => ({ refusedForGood: isRefusedForGood(err), message: describeError(err) }),
      );
    expect(started).toBe('started');
    await client.workflow.getHandle('usable-at-once').terminate('test over');
  });
});
