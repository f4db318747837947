import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { journeyWorkflowId } from '../../src/workflows/journey/contract';

const dir = path.join(__dirname, '..', 'histories');

interface StartedEvent {
  workflowExecutionStartedEventAttributes?: { input?: { payloads?: Array<{ data?: string }> } };
}

/**
 * The id the journey ran under, from its input: a journey's split draws are
 * seeded by it, so a replay under another id (the file's name) chooses other
 * branches and fails where the journey itself would not.
 */
function originalWorkflowId(history: { events?: StartedEvent[] }, fallback: string): string {
  const data = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  if (!data) return fallback;
  const input = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { campaignKey?: unknown; userId?: unknown };
  return typeof input.campaignKey === 'string' && typeof input.userId === 'string' ? journeyWorkflowId(input.campaignKey, input.userId) : fallback;
}

/** A history's JSON, gzipped when its payloads are large (a journey that scheduled megabytes of messages). */
const readHistory = (f: string): { events?: StartedEvent[] } => {
  const bytes = readFileSync(path.join(dir, f));
  return JSON.parse((f.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as { events?: StartedEvent[] };
};

const histories = () =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json') || f.endsWith('.json.gz'))
    .map((f) => {
      const history = readHistory(f);
      return { file: f.replace(/\.json(\.gz)?$/, ''), workflowId: originalWorkflowId(history, f), history };
    });

/** Each history's outcome, by file (several files hold runs of one journey id); replays go one at a time, in order. */
async function replayAll(workflowsPath: string, files = histories()): Promise<Array<{ workflowId: string; error?: Error }>> {
  const results: Array<{ workflowId: string; error?: Error }> = [];
  for await (const r of Worker.runReplayHistories({ workflowsPath }, files)) results.push({ workflowId: files[results.length].file, error: r.error });
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
    expect(results.map((r) => [r.workflowId, r.error?.message ?? 'ok'])).toEqual(histories().map((h) => [h.file, 'ok']));
  });

  it('fails for a deliberately reordered workflow', async () => {
    // The newest capture (journey-*.json, every scenario once) shows the gate catches a reordering; replaying the
    // two hundred older sets against it too would only double the suite's time.
    const newest = histories().filter((h) => h.file.startsWith('journey-'));
    expect(newest.length).toBeGreaterThanOrEqual(10);
    const results = await replayAll(require.resolve('./reordered.workflow'), newest);
    expect(results.length).toBe(newest.length);
    for (const r of results) expect(r.error?.name).toMatch(/DeterminismViolationError/);
  });
});
