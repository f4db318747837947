import type { Client } from '@temporalio/client';
import { heldCursor, heldPageMark } from '../api/journeys/held-cursor';
import { HeldStepsQuery } from '../api/journeys/held-steps.schemas';
import { JourneyGateway, type HeldPageMark } from './journey-gateway';

/** Held journeys as visibility lists them: newest start first, honouring the page's `StartTime <` bound. */
function gatewayListing(held: Array<{ workflowId: string; startMs: number }>): JourneyGateway {
  const ordered = [...held].sort((a, b) => b.startMs - a.startMs || a.workflowId.localeCompare(b.workflowId));
  const client = {
    workflow: {
      list: ({ query }: { query: string }) => {
        const before = /StartTime < "([^"]+)"/.exec(query)?.[1];
        const bound = before === undefined ? Infinity : Date.parse(before);
        return (async function* () {
          for (const r of ordered) {
            if (r.startMs < bound) yield { workflowId: r.workflowId, runId: `run-${r.workflowId}`, startTime: new Date(r.startMs), typedSearchAttributes: { get: () => undefined } };
          }
        })();
      },
    },
  } as unknown as Client;
  return new JourneyGateway(client, 'q');
}

describe('JourneyGateway.heldRuns paging', () => {
  it('hands out only cursors the API takes back, however many held journeys share a start millisecond', async () => {
    const ms = Date.parse('2026-12-01T10:00:00.000Z');
    // 601 journeys started in one millisecond (a batch entry's round on a fast server), and two before it.
    const held = [...Array.from({ length: 601 }, (_, i) => ({ workflowId: `journey:c:u${String(i).padStart(3, '0')}`, startMs: ms })), { workflowId: 'journey:c:older', startMs: ms - 1 }, { workflowId: 'journey:c:oldest', startMs: ms - 5_000 }];
    const gateway = gatewayListing(held);
    const listed: string[] = [];
    let after: HeldPageMark | undefined;
    for (let page = 1; page <= 20; page++) {
      const { runs, next } = await gateway.heldRuns(after, 100);
      listed.push(...runs.map((r) => r.workflowId));
      if (next === null) break;
      const cursor = heldCursor(next);
      const parsed = HeldStepsQuery.safeParse({ cursor });
      expect({ page, ok: parsed.success, marks: next.seen.length }).toEqual({ page, ok: true, marks: next.seen.length });
      after = heldPageMark(cursor);
    }
    // Each journey at most once; the pass reaches the journeys that started before that millisecond.
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.slice(-2)).toEqual(['journey:c:older', 'journey:c:oldest']);
    // Past 500 marks the rest of the millisecond is skipped (docs/api.md): six pages of it were listed.
    expect(listed.length).toBe(602);
  });

  it('keeps going on within the millisecond while the marks fit', async () => {
    const ms = Date.parse('2026-12-01T10:00:00.000Z');
    const held = Array.from({ length: 450 }, (_, i) => ({ workflowId: `journey:c:u${String(i).padStart(3, '0')}`, startMs: ms }));
    const gateway = gatewayListing(held);
    const listed: string[] = [];
    let after: HeldPageMark | undefined;
    for (let page = 1; page <= 20; page++) {
      const { runs, next } = await gateway.heldRuns(after, 100);
      listed.push(...runs.map((r) => r.workflowId));
      if (next === null) break;
      after = heldPageMark(heldCursor(next));
    }
    expect(listed).toEqual(held.map((h) => h.workflowId));
  });
});
