import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PROOF_WORKFLOW_BUNDLE } from './journey-bundle';

/** Prebuilds the journey workflow bundle once per run: worker restarts (chaos) then start without webpack. */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: undefined });
  writeFileSync(PROOF_WORKFLOW_BUNDLE, code);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
