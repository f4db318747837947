import { randomBytes } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { sharedWorkflowCode } from '../support/shared-workflow-bundle';
import type { Activities } from '../../src/activities';
import { batchEntryWorkflow, batchProgressQuery } from '../../src/workflows/batch-entry.workflow';

/**
 * The batch-entry workflow on the shared test server, its activities in
 * memory: a page that keeps failing ends the tick, saying why, instead of
 * being retried for ever while the Schedule's SKIP overlap drops every later
 * tick. (test/journeys/batch-entry.test.ts covers the real activities.)
 */

type TickActivities = Pick<Activities, 'countProfiles' | 'enterAudiencePage'>;

describe('a batch tick whose page keeps failing', () => {
  const taskQueue = `kairos-tick-${randomBytes(4).toString('hex')}`;
  const pageCalls: (string | null)[] = [];
  let failPagesAfter = 0;
  let worker: Worker;
  let running: Promise<void>;
  let connection: Connection;
  let client: Client;

  const activities = (): TickActivities => ({
    countProfiles: async () => 30,
    enterAudiencePage: async (req) => {
      pageCalls.push(req.afterUserId);
      const index = Number(req.afterUserId ?? 0);
      if (index >= failPagesAfter) throw ApplicationFailure.retryable('invalid input syntax for type json', 'QueryFailedError');
      return { scanned: 10, entered: 4, lastUserId: String(index + 10), done: false };
    },
  });

  beforeAll(async () => {
    const address = process.env.KAIROS_TEST_TEMPORAL_ADDRESS;
    if (!address) throw new Error('KAIROS_TEST_TEMPORAL_ADDRESS is not set: run through the integration jest project.');
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Installed already by another suite in this process.
    }
    const code = await sharedWorkflowCode();
    worker = await Worker.create({ connection: await NativeConnection.connect({ address }), namespace: 'default', taskQueue, workflowBundle: { code }, activities: activities() });
    running = worker.run();
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace: 'default' });
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
  });

  it('gives up after giveUpAfter: the tick fails with the page, the last failure and its progress, so the next tick runs', async () => {
    failPagesAfter = 20;
    const handle = await client.workflow.start(batchEntryWorkflow, {
      taskQueue,
      workflowId: `batch-entry:flaky:${randomBytes(4).toString('hex')}`,
      args: [{ version: 1, campaignKey: 'flaky', campaignVersion: 1, pageSize: 10, giveUpAfter: '3 seconds' }],
    });
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('BatchTickGaveUp');
    expect(cause?.message).toBe(
      'gave up: the page after 20 still failed after 3 seconds (last failure: invalid input syntax for type json); the next tick runs as scheduled',
    );
    // Two pages went through before the third kept failing: retried (more than once) within the 3 seconds, not after.
    expect(pageCalls.slice(0, 3)).toEqual([null, '10', '20']);
    expect(pageCalls.filter((p) => p === '20').length).toBeGreaterThan(1);
    // What a look at the tick shows: how far it came, and why it stopped.
    const progress = await handle.query(batchProgressQuery);
    expect(progress).toMatchObject({ done: 20, total: 30, entered: 8 });
    expect(progress.stopped).toBe(cause?.message);
    const memo = (await handle.describe()).memo as { progress?: string };
    expect(memo.progress).toBe(`20/30 profiles, 8 entered; stopped: ${cause?.message}`);
  }, 60_000);
});
