import type { Client } from '@temporalio/client';
import { JourneyGateway } from './journey-gateway';
import { visibilityString } from './visibility-query';

/**
 * Runs as visibility lists them; `describe` answers each workflow's current
 * status from `current`, after `describeTurns` turns of the event loop,
 * counting the describes in flight at once.
 */
function gatewayWith(runs: Array<{ workflowId: string; status: string; closeTime?: Date }>, current: (id: string) => string, describeTurns = 0) {
  const described: string[] = [];
  const queries: string[] = [];
  const inFlight = { now: 0, most: 0 };
  const client = {
    workflow: {
      list: ({ query }: { query: string }) => {
        queries.push(query);
        const since = /CloseTime > '([^']+)'/.exec(query)?.[1];
        return (async function* () {
          for (const r of runs) {
            if (!query.includes(visibilityString(r.workflowId))) continue;
            const isRunning = r.status === 'RUNNING' && query.includes(`ExecutionStatus = 'Running'`);
            const closedSince = since !== undefined && r.closeTime !== undefined && r.closeTime > new Date(since);
            if (isRunning || closedSince) yield { workflowId: r.workflowId, status: { name: r.status }, closeTime: r.closeTime };
          }
        })();
      },
      getHandle: (id: string) => ({
        describe: async () => {
          described.push(id);
          inFlight.most = Math.max(inFlight.most, ++inFlight.now);
          for (let turn = 0; turn < describeTurns; turn++) await new Promise((resolve) => setImmediate(resolve));
          inFlight.now--;
          return { status: { name: current(id) } };
        },
      }),
    },
  } as unknown as Client;
  return { gateway: new JourneyGateway(client, 'q'), described, queries, inFlight };
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

  describe('ids with quotes or backslashes (review 54, finding 1)', () => {
    it("lists an id with a ' through visibility, as any other: no describe", async () => {
      const ids = Array.from({ length: 150 }, (_, i) => `journey:c:o'neil-${i}`);
      const { gateway, described, queries } = gatewayWith(
        [
          { workflowId: ids[0], status: 'RUNNING' },
          { workflowId: ids[1], status: 'COMPLETED', closeTime: ago(86_400_000) },
        ],
        () => 'COMPLETED',
      );
      expect([...(await gateway.running(ids, now))]).toEqual([ids[0]]);
      expect(described).toEqual([]);
      expect(queries).toHaveLength(2);
      expect(queries[0]).toContain(`WorkflowId IN ("journey:c:o'neil-0", "journey:c:o'neil-1", `);
    });

    it('describes ids visibility cannot match (a " or a \\) under the same cap as the closed-lately ones, several at once', async () => {
      const unmatchable = Array.from({ length: 150 }, (_, i) => (i % 2 ? `journey:c:say-"hi"-${i}` : `journey:c:back\\slash-${i}`));
      const closedLately = Array.from({ length: 30 }, (_, i) => `journey:c:closed-${i}`);
      const { gateway, described, inFlight } = gatewayWith(
        closedLately.map((workflowId) => ({ workflowId, status: 'COMPLETED', closeTime: ago(60_000) })),
        (id) => (id === unmatchable[0] ? 'RUNNING' : 'COMPLETED'),
        3,
      );
      const running = await gateway.running([...closedLately, ...unmatchable], now);
      expect(described).toHaveLength(100);
      // The closed-lately ones first, then the unmatchable ones the cap leaves room for.
      expect(described.slice(0, 30).sort()).toEqual([...closedLately].sort());
      expect(described.slice(30).sort()).toEqual(unmatchable.slice(0, 70).sort());
      // Described and running, or not described: counted as running until a later call.
      expect([...running].sort()).toEqual([unmatchable[0], ...unmatchable.slice(70)].sort());
      expect(inFlight.most).toBeGreaterThanOrEqual(2);
      expect(inFlight.most).toBeLessThanOrEqual(8);
    });
  });

  it("describes ids with a TAB, LF, CR or other control character, or a ' at their end: visibility matches none of them (review 61, finding 1)", async () => {
    const odd = ['journey:c:a\tb', 'journey:c:a\nb', 'journey:c:r\rx', 'journey:c:c\u0001d', "journey:c:o'"];
    // Visibility lists nothing for these (as the real server does); each one runs.
    const { gateway, described, queries } = gatewayWith([], () => 'RUNNING');
    expect([...(await gateway.running(odd, now))].sort()).toEqual([...odd].sort());
    expect(described.sort()).toEqual([...odd].sort());
    expect(queries).toEqual([]);
  });
});
