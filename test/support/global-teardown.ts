import { removeSharedWorkflowBundle } from './shared-workflow-bundle';
import { dropTemplateDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  removeSharedWorkflowBundle();
  await dropTemplateDatabase();
  await globalThis.__kairosTemporal?.stop();
}
