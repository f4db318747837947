import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';

const dir = path.join(__dirname, '..', 'histories');
const histories = () =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown }));

async function replayAll(workflowsPath: string): Promise<Array<{ workflowId: string; error?: Error }>> {
  const results: Array<{ workflowId: string; error?: Error }> = [];
  for await (const r of Worker.runReplayHistories({ workflowsPath }, histories())) results.push({ workflowId: r.workflowId, error: r.error });
  return results;
}

describe('replay gate: committed histories replay against the current workflow code', () => {
  beforeAll(() => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Installed already by another suite in this process.
    }
  });

  it('has histories to replay', () => {
    expect(histories().length).toBeGreaterThanOrEqual(2);
  });

  it('replays every history without a determinism error', async () => {
    const results = await replayAll(require.resolve('../../src/workflows'));
    expect(results.map((r) => [r.workflowId, r.error?.message ?? 'ok'])).toEqual(histories().map((h) => [h.workflowId, 'ok']));
  });

  it('fails for a deliberately reordered workflow', async () => {
    const results = await replayAll(require.resolve('./reordered.workflow'));
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.error?.name).toMatch(/DeterminismViolationError/);
  });
});
