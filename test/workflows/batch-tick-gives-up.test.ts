import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startMemoryActivitiesWorker, type MemoryActivitiesWorker } from '../support/memory-activities-worker';
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
  const pageCalls: (string | null)[] = [];
  let failPagesAfter = 0;
  let w: MemoryActivitiesWorker;

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
    w = await startMemoryActivitiesWorker('kairos-tick', activities());
  }, 120_000);
  afterAll(async () => w?.stop());

  it('gives up after giveUpAfter: the tick fails with the page, the last failure and its progress, so the next tick runs', async () => {
    failPagesAfter = 20;
    const handle = await w.client.workflow.start(batchEntryWorkflow, {
      taskQueue: w.taskQueue,
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
