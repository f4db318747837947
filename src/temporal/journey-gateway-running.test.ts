import type { Client } from '@temporalio/client';
import { JourneyGateway } from './journey-gateway';

/** Runs as visibility lists them; `describe` answers each workflow's current status from `current`. */
function gatewayWith(runs: Array<{ workflowId: string; status: string; closeTime?: Date }>, current: (id: string) => string) {
  const described: string[] = [];
  const queries: string[] = [];
  const client = {
    workflow: {
      list: ({ query }: { query: string }) => {
        queries.push(query);
        const since = /CloseTime > '([^']+)'/.exec(query)?.[1];
        return (async function* () {
          for (const r of runs) {
            if (!query.includes(`'${r.workflowId}'`)) continue;
            const isRunning = r.status === 'RUNNING' && query.includes(`ExecutionStatus = 'Running'`);
            const closedSince = since !== undefined && r.closeTime !== undefined && r.closeTime > new Date(since);
            if (isRunning || closedSince) yield { workflowId: r.workflowId, status: { name: r.status }, closeTime: r.closeTime };
          }
        })();
      },
      getHandle: (id: string) => ({
        describe: async () => {
          described.push(id);
          return { status: { name: current(id) } };
        },
      }),
    },
  } as unknown as Client;
  return { gateway: new JourneyGateway(client, 'q'), described, queries };
}

describe('JourneyGateway.running', () => {
  const now = Date.parse('2030-01-01T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms);

  it('confirms with describe only the ids visibility lists as not running that closed a run lately, in the same one query per hundred ids', async () => {
    const { gateway, described, queries } = gatewayWith(
      [
        { workflowId: 'journey:c:running', status: 'RUNNING' },
        // Continued as new seconds ago; the next run not listed yet, and running.
        { workflowId: 'journey:c:continued', status: 'CONTINUED_AS_NEW', closeTime: ago(2_000) },
        // Ended minutes ago: described, and ended.
        { workflowId: 'journey:c:ended', status: 'COMPLETED', closeTime: ago(5 * 60_000) },
        // Ended a day ago: nothing to confirm.
        { workflowId: 'journey:c:long-gone', status: 'COMPLETED', closeTime: ago(86_400_000) },
        // Its old run closed lately, its next run listed as running: no describe.
        { workflowId: 'journey:c:listed', status: 'CONTINUED_AS_NEW', closeTime: ago(1_000) },
        { workflowId: 'journey:c:listed', status: 'RUNNING' },
      ],
      (id) => (id === 'journey:c:continued' ? 'RUNNING' : 'COMPLETED'),
    );
    const ids = ['journey:c:running', 'journey:c:continued', 'journey:c:ended', 'journey:c:long-gone', 'journey:c:listed', 'journey:c:never'];
    expect([...(await gateway.running(ids, now))].sort()).toEqual(['journey:c:continued', 'journey:c:listed', 'journey:c:running']);
    expect(described.sort()).toEqual(['journey:c:continued', 'journey:c:ended']);
    expect(queries).toHaveLength(1);
  });

  it('describes at most a hundred ids a call; the others closed lately count as running until a later call', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `journey:c:u${i}`);
    const { gateway, described } = gatewayWith(
      ids.map((workflowId) => ({ workflowId, status: 'COMPLETED', closeTime: ago(60_000) })),
      () => 'COMPLETED',
    );
    const running = await gateway.running(ids, now);
    expect(described).toHaveLength(100);
    expect(running.size).toBe(150);
    for (const id of described) expect(running.has(id)).toBe(false);
  });
});
