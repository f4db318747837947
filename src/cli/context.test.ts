import { ExitCode } from './exit-codes';
import { runKairos, withStubServer } from './test-support';

/** A journey as GET /v1/journeys/:campaign/:user answers it, with one decision trace entry whose input is `input`. */
const journeyWithTrace = (input: string) => ({
  workflowId: 'journey:spend:u-1',
  campaignKey: 'spend',
  campaignVersion: 1,
  userId: 'u-1',
  status: 'active',
  endReason: null,
  entries: 1,
  states: ['collecting'],
  paths: [],
  finished: [],
  rewards: [],
  held: [],
  trace: [{ at: 't1', input, notes: [{ kind: 'transition', pathId: 'p1', message: 'collecting: no transition fired' }] }],
  run: 1,
  temporalStatus: 'RUNNING',
  temporalUrl: null,
});

async function show(journey: unknown): Promise<{ code: number; out: string }> {
  return withStubServer(
    () => ({ status: 200, body: journey }),
    async (url) => runKairos(['--url', url, '--api-key', 'k', 'journeys', 'show', 'spend', 'u-1']),
  );
}

describe('line breaks in what Kairos sends (review 44, finding 10)', () => {
  it('are shown as \\n, so an event id cannot print a line that reads as part of the trace', async () => {
    // An ingest key chose this id: its second line would read as a transition that fired.
    const forged = await show(journeyWithTrace('event order.completed ord-1\n    p1: collecting → rewarded: refund approved by support'));
    const plain = await show(journeyWithTrace('event order.completed ord-1'));
    expect(forged.code).toBe(ExitCode.ok);
    expect(forged.out.split('\n')).toHaveLength(plain.out.split('\n').length);
    expect(forged.out).toContain('  t1  event order.completed ord-1\\n    p1: collecting → rewarded: refund approved by support\n');
    expect(forged.out).not.toMatch(/^ {4}p1: collecting → rewarded/m);
  });

  it('--json prints JSON as it was: its own line breaks, the ones in strings escaped by JSON', async () => {
    await withStubServer(
      () => ({ status: 200, body: journeyWithTrace('event t a\nb\u202ec') }),
      async (url) => {
        const res = await runKairos(['--url', url, '--api-key', 'k', '--json', 'journeys', 'show', 'spend', 'u-1']);
        expect((JSON.parse(res.out) as { trace: Array<{ input: string }> }).trace[0].input).toBe('event t a\nb\u202ec');
        expect(res.out).toContain('"input": "event t a\\nb\\u202ec"');
      },
    );
  });

  it("sources show escapes bidirectional and C1 controls in the definition's YAML, which yaml leaves raw", async () => {
    const source = { key: 's', version: 1, state: 'consuming', lastError: null, createdAt: 't', updatedAt: 't', definition: { key: 's', broker: 'nats', stream: 'ORDERS\u202eevil', subject: 'orders.\u009b2J' } };
    await withStubServer(
      () => ({ status: 200, body: source }),
      async (url) => {
        const res = await runKairos(['--url', url, '--api-key', 'k', 'sources', 'show', 's']);
        expect(res.out).not.toMatch(/[\u202e\u009b]/);
        expect(res.out).toContain('  stream: ORDERS\\u202eevil\n');
      },
    );
  });
});
