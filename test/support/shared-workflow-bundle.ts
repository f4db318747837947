import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

/**
 * The workflow code, bundled once per test run (global setup) for every
 * suite's worker. Bundling costs 2-3 s of CPU, and each suite (a fresh module
 * registry) would otherwise bundle the same sources again: some sixty times a
 * run. Same sources, same default bundler options as a worker given
 * `workflowsPath`, so the workers run the code they would have bundled.
 */
const ENV = 'KAIROS_TEST_WORKFLOW_BUNDLE';

const bundleSources = async (): Promise<string> =>
  (await bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', '..', 'src', 'workflows', 'index.ts'), logger: new DefaultLogger('WARN') })).code;

export async function writeSharedWorkflowBundle(): Promise<void> {
  const code = await bundleSources();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kairos-test-bundle-')), 'workflow-bundle.js');
  writeFileSync(file, code);
  process.env[ENV] = file;
}

export function removeSharedWorkflowBundle(): void {
  const file = process.env[ENV];
  if (file) rmSync(path.dirname(file), { recursive: true, force: true });
}

/** The run's bundle; undefined outside a jest run (the worker then bundles the sources itself). */
export function sharedWorkflowBundle(): string | undefined {
  return process.env[ENV] || undefined;
}

/** The run's bundled code, for suites that hand the worker code; bundled from the sources outside a jest run. */
export async function sharedWorkflowCode(): Promise<string> {
  const file = sharedWorkflowBundle();
  return file ? readFileSync(file, 'utf8') : bundleSources();
}
