import { sharedWorkflowCode } from './support/shared-workflow-bundle';

/**
 * The SDK instantiates every module of the workflow bundle once per cached
 * workflow (the reusable V8 context keeps a module cache per workflow). zod
 * in the bundle cost about 1 MiB of heap per cached journey (bench:memory:
 * 1,220 KiB before, 130 KiB after it was taken out), so it must stay out,
 * as must anything of the API, the store or the activities.
 */
describe('the workflow bundle', () => {
  let modules: string[];

  beforeAll(async () => {
    const code = await sharedWorkflowCode();
    modules = [...new Set([...code.matchAll(/"\.\/((?:node_modules|src)\/[^"]+)"/g)].map((m) => m[1]))];
  }, 120_000);

  it('holds the workflows and the domain', () => {
    expect(modules).toEqual(expect.arrayContaining(['src/workflows/journey.workflow.ts', 'src/domain/machine/step.ts', 'src/domain/compiler/compile.ts']));
  });

  it('holds no schema library and nothing of the API, store or activities', () => {
    const offending = modules.filter((m) => /^node_modules\/zod\/|^src\/(api|store|activities|config|temporal)\/|^src\/domain\/campaign\/schema\.ts$/.test(m));
    expect(offending).toEqual([]);
  });
});
