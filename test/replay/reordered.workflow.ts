import { sleep } from '@temporalio/workflow';
import { journeyWorkflow as current } from '../../src/workflows/journey.workflow';
import { batchEntryWorkflow as currentBatch, type BatchEntryInput } from '../../src/workflows/batch-entry.workflow';
import type { JourneyWorkflowInput } from '../../src/workflows/journey/contract';

/**
 * A deliberately reordered journey: it starts a timer before loading its plan.
 * Replaying a real history with it must fail; that is what the gate is for.
 */
export async function journeyWorkflow(input: JourneyWorkflowInput) {
  await sleep(1);
  return current(input);
}

/** A batch tick reordered the same way: a timer before its count. */
export async function batchEntryWorkflow(input: BatchEntryInput) {
  await sleep(1);
  return currentBatch(input);
}
