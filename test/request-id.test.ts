import { Writable } from 'node:stream';
import { PoolsService } from '../src/api/pools/pools.service';
import { createLogger } from '../src/logger';
import { CampaignsRepository } from '../src/store/repositories/campaigns.repository';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

const welcome = {
  key: 'welcome',
  name: 'Welcome on first order',
  entry: { on: 'order.completed' },
  initial: 'welcomed',
  states: { welcomed: { actions: { steps: [{ id: 'hello', type: 'message', channel: 'inapp', template: 'welcome' }] }, end: true } },
};

/** Every line the process logger wrote, parsed (pino writes one JSON object per line to a destination stream). */
class CapturedLines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
  with(match: Record<string, unknown>): Array<Record<string, unknown>> {
    return this.lines.filter((l) => Object.entries(match).every(([k, v]) => l[k] === v));
  }
}

describe('a request id follows an event from the request into its journey', () => {
  let sut: SystemUnderTest;
  const captured = new CapturedLines();

  beforeAll(async () => {
    sut = await startSystemUnderTest({
      log: createLogger('debug', { destination: captured }),
      beforeStart: async (db) => {
        await new CampaignsRepository(db.dataSource).saveActive('welcome', welcome);
      },
    });
  });
  afterAll(async () => sut?.stop());

  it("keeps the caller's X-Request-Id: in the answer, the outbox row and a log line at each hop", async () => {
    const requestId = 'req-7f3a.order:1001';
    const res = await sut.request('POST', '/v1/events', {
      role: 'ingest',
      headers: { 'x-request-id': requestId },
      body: { id: 'ord-rid-1', type: 'order.completed', userId: 'u-rid-1' },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe(requestId);

    const rows = await sut.db.dataSource.query(`select request_id, payload->>'requestId' as carried from signal_outbox where event_id = 'ord-rid-1'`);
    expect(rows).toEqual([{ request_id: requestId, carried: requestId }]);

    // The request line (Fastify), the API accepting the event, the send to Temporal, the journey receiving the signal.
    await eventually(async () => (captured.with({ msg: 'event received', requestId, eventId: 'ord-rid-1' }).length > 0 ? true : undefined));
    expect(captured.with({ msg: 'incoming request', reqId: requestId })).toEqual([expect.objectContaining({ req: expect.objectContaining({ method: 'POST', url: '/v1/events' }) })]);
    expect(captured.with({ msg: 'request completed', reqId: requestId })).toEqual([expect.objectContaining({ res: { statusCode: 202 } })]);
    expect(captured.with({ msg: 'event accepted', requestId })).toEqual([expect.objectContaining({ eventId: 'ord-rid-1', journeys: ['journey:welcome:u-rid-1'] })]);
    expect(captured.with({ msg: 'delivery sent', requestId })).toEqual([expect.objectContaining({ eventId: 'ord-rid-1', workflowId: 'journey:welcome:u-rid-1', outcome: 'delivered' })]);
    expect(captured.with({ msg: 'event received', requestId })).toEqual([expect.objectContaining({ workflowId: 'journey:welcome:u-rid-1' })]);
    // The journey's activity logs under the same workflowId, with the event that caused it.
    await eventually(async () => (captured.with({ msg: 'sending message', workflowId: 'journey:welcome:u-rid-1' }).length > 0 ? true : undefined));
    expect(captured.with({ msg: 'sending message', workflowId: 'journey:welcome:u-rid-1' })).toEqual([expect.objectContaining({ causedBy: ['ord-rid-1'], activityType: 'sendMessage' })]);
  });

  it('generates an id when none is given or the given one is not a sane token, and returns it', async () => {
    for (const given of [undefined, 'has spaces in it', 'x'.repeat(129), 'a;b<script>']) {
      const res = await sut.request('GET', '/livez', { headers: given === undefined ? {} : { 'x-request-id': given } });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(id).not.toBe(given);
    }
  });

  it("writes a 500's stack on a line with the request's id, so a client's report leads to it", async () => {
    // A handler bug: nothing a client sends causes a 500, so the test makes the pool lookup throw as a bug would.
    const bug = new TypeError("Cannot read properties of undefined (reading 'codes')");
    const lookup = jest.spyOn(PoolsService.prototype, 'get').mockRejectedValueOnce(bug);
    try {
      const res = await sut.request('GET', '/v1/pools/any', { role: 'operator', headers: { 'x-request-id': 'rid-500' } });
      expect({ status: res.status, code: res.body.error.code, id: res.headers.get('x-request-id') }).toEqual({ status: 500, code: 'internal', id: 'rid-500' });
    } finally {
      lookup.mockRestore();
    }
    const stacks = captured.lines.filter((l) => l.level === 50 && l.reqId === 'rid-500');
    expect(stacks).toEqual([expect.objectContaining({ msg: 'unhandled error', err: expect.objectContaining({ type: 'TypeError', stack: expect.stringContaining(bug.stack ?? '') }) })]);
    // Fastify's own line for the same request, with the same reqId (written once the answer is out).
    const completed = await eventually(async () => captured.with({ msg: 'request completed', reqId: 'rid-500' }).at(0));
    expect(completed).toMatchObject({ res: { statusCode: 500 } });
  });

  it('routes Nest’s own lines through the same logger', () => {
    // Nest logs its boot (route mapping, "Nest application successfully started") with a context.
    expect(captured.lines.some((l) => typeof l.context === 'string' && l.level === 30)).toBe(true);
  });
});
