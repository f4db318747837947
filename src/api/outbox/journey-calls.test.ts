import fc from 'fast-check';
import type { OutboxDelivery } from '../../store/repositories/signal-outbox.repository';
import { oneCallEach, planJourneyCalls } from './journey-calls';

const row = (id: number, kind: 'start' | 'signal', bytes = 10): OutboxDelivery & { bytes: number } => ({
  id,
  eventId: `e${id}`,
  kind,
  campaignKey: 'c',
  campaignVersion: 1,
  workflowId: 'journey:c:u',
  userId: 'u',
  event: { version: 1, id: `e${id}`, type: 't', userId: 'u', occurredAt: '2026-01-01T00:00:00Z', properties: {} },
  attempts: 0,
  refusals: 0,
  requestId: null,
  claim: 0,
  bytes,
});
const sizeOf = (r: OutboxDelivery) => (r as ReturnType<typeof row>).bytes;

describe('planJourneyCalls', () => {
  it('a start carries the rows after it, starts too; signals before any start go as one signal call', () => {
    const calls = planJourneyCalls([row(1, 'signal'), row(2, 'signal'), row(3, 'start'), row(4, 'signal'), row(5, 'start'), row(6, 'start')], { maxEvents: 10, maxBytes: 1000 }, sizeOf);
    expect(calls.map((c) => [c.kind, c.rows.map((r) => r.id)])).toEqual([
      ['signal', [1, 2]],
      ['start', [3, 4, 5, 6]],
    ]);
  });

  it('a run of entry events (every one a start) goes as one call per batch', () => {
    const calls = planJourneyCalls(Array.from({ length: 5 }, (_, i) => row(i + 1, 'start')), { maxEvents: 2, maxBytes: 1000 }, sizeOf);
    expect(calls.map((c) => [c.kind, c.rows.map((r) => r.id)])).toEqual([
      ['start', [1, 2]],
      ['start', [3, 4]],
      ['start', [5]],
    ]);
  });

  it('splits at the event and byte limits, and a row past the byte limit still goes alone', () => {
    const calls = planJourneyCalls([row(1, 'signal'), row(2, 'signal'), row(3, 'signal'), row(4, 'signal', 5000), row(5, 'signal')], { maxEvents: 2, maxBytes: 100 }, sizeOf);
    expect(calls.map((c) => c.rows.map((r) => r.id))).toEqual([[1, 2], [3], [4], [5]]);
  });

  it('a row Temporal refused before goes alone, so that its next refusal is its own', () => {
    const refused = (r: ReturnType<typeof row>) => ({ ...r, refusals: 1 });
    const limits = { maxEvents: 10, maxBytes: 1000 };
    expect(planJourneyCalls([refused(row(1, 'start')), row(2, 'start'), row(3, 'signal')], limits, sizeOf).map((c) => c.rows.map((r) => r.id))).toEqual([[1], [2, 3]]);
    expect(planJourneyCalls([row(1, 'start'), refused(row(2, 'start')), row(3, 'start')], limits, sizeOf).map((c) => c.rows.map((r) => r.id))).toEqual([[1], [2], [3]]);
  });

  it('oneCallEach: each row its own call, of its own kind, in order', () => {
    expect(oneCallEach([row(1, 'start'), row(2, 'signal'), row(3, 'start')]).map((c) => [c.kind, c.rows.map((r) => r.id)])).toEqual([
      ['start', [1]],
      ['signal', [2]],
      ['start', [3]],
    ]);
  });

  it('keeps every row once, in order, within the limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.constantFrom<'start' | 'signal'>('start', 'signal'), bytes: fc.integer({ min: 1, max: 300 }), refusals: fc.constantFrom(0, 0, 0, 1) }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 600 }),
        (specs, maxEvents, maxBytes) => {
          const rows = specs.map((s, i) => ({ ...row(i + 1, s.kind, s.bytes), refusals: s.refusals }));
          const calls = planJourneyCalls(rows, { maxEvents, maxBytes }, sizeOf);
          expect(calls.flatMap((c) => c.rows.map((r) => r.id))).toEqual(rows.map((r) => r.id));
          for (const call of calls) {
            expect(call.rows.length).toBeGreaterThan(0);
            expect(call.rows.length).toBeLessThanOrEqual(maxEvents);
            if (call.rows.length > 1) expect(call.rows.reduce((n, r) => n + sizeOf(r), 0)).toBeLessThanOrEqual(maxBytes);
            expect(call.kind).toBe(call.rows[0].kind);
            if (call.rows.some((r) => r.refusals > 0)) expect(call.rows).toHaveLength(1);
            // A signal call reaches only a running journey: it never carries a start.
            if (call.kind === 'signal') expect(call.rows.every((r) => r.kind === 'signal')).toBe(true);
          }
        },
      ),
    );
  });
});
