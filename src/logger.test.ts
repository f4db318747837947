import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { QueryFailedError } from 'typeorm';
import { createLogger } from './logger';
import { runtimeLogger } from './observability/runtime-logger';

/** Every line a logger wrote, as text and parsed. */
class Captured extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
  get lines(): Array<Record<string, unknown>> {
    return this.text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** What TypeORM throws when an insert of a coupon code for a user hits a unique violation: pg's error, wrapped. */
function uniqueViolation(): QueryFailedError {
  const pg = Object.assign(new Error('duplicate key value violates unique constraint "reward_codes_owner_code_key"'), {
    name: 'error',
    severity: 'ERROR',
    code: '23505',
    detail: 'Key (user_id, code)=(alice@example.com, SAVE-8F3K) already exists.',
    where: 'SQL statement "insert into reward_codes values (\'alice@example.com\', \'SAVE-8F3K\')"',
    internalQuery: "insert into reward_codes values ('alice@example.com', 'SAVE-8F3K')",
    schema: 'public',
    table: 'reward_codes',
    constraint: 'reward_codes_owner_code_key',
  });
  return new QueryFailedError('insert into "reward_codes" ("user_id", "code") values ($1, $2)', ['alice@example.com', 'SAVE-8F3K'], pg);
}

const SECRETS = ['SAVE-8F3K', 'alice@example.com', 'insert into'];

function expectNoData(text: string): void {
  for (const secret of SECRETS) expect({ secret, logged: text.includes(secret) }).toEqual({ secret, logged: false });
}

/** What is kept of the error: enough to find the bug, nothing of the row. */
const KEPT = {
  type: 'QueryFailedError',
  message: 'duplicate key value violates unique constraint "reward_codes_owner_code_key"',
  code: '23505',
  table: 'reward_codes',
  constraint: 'reward_codes_owner_code_key',
  schema: 'public',
  stack: expect.stringContaining('QueryFailedError'),
};

describe('the process logger with a failed query', () => {
  it("logs an error's message, SQLSTATE, table, constraint and stack, never its bound parameters, statement nor pg's detail", () => {
    const out = new Captured();
    createLogger('info', { destination: out }).error({ err: uniqueViolation() }, 'unhandled error');
    expectNoData(out.text);
    expect(out.lines).toEqual([expect.objectContaining({ msg: 'unhandled error', err: expect.objectContaining(KEPT) })]);
  });

  it('drops them from errors nested in an error too', () => {
    const out = new Captured();
    const log = createLogger('info', { destination: out });
    log.error({ err: Object.assign(new Error('reward not issued'), { reason: uniqueViolation() }) }, 'nested');
    log.error({ err: new AggregateError([uniqueViolation()], 'two failed') }, 'aggregate');
    log.error(uniqueViolation(), 'as the first argument');
    expectNoData(out.text);
    const [nested, aggregate, first] = out.lines;
    expect(nested.err).toEqual(expect.objectContaining({ reason: expect.objectContaining(KEPT) }));
    expect(aggregate.err).toEqual(expect.objectContaining({ aggregateErrors: [expect.objectContaining(KEPT)] }));
    expect(first.err).toEqual(expect.objectContaining(KEPT));
  });

  it('drops them from errors an error holds in an array or a plain object, which pino keeps as they are', () => {
    const out = new Captured();
    const log = createLogger('info', { destination: out });
    const details = { byKey: { 'k-1': uniqueViolation() } };
    log.error({ err: Object.assign(new Error('batch failed'), { failures: [uniqueViolation()], details }) }, 'held');
    expectNoData(out.text);
    expect(out.lines[0].err).toEqual(expect.objectContaining({ failures: [expect.objectContaining(KEPT)], details: { byKey: { 'k-1': expect.objectContaining(KEPT) } } }));
    // The caller's object is copied, not changed.
    expect(details.byKey['k-1'].parameters).toEqual(['alice@example.com', 'SAVE-8F3K']);
  });

  it("the Temporal runtime's lines (a failed activity, `error` in the meta) drop them as well", () => {
    const out = new Captured();
    runtimeLogger(createLogger('info', { destination: out })).warn('Activity failed', { error: uniqueViolation(), durationMs: 12 });
    expectNoData(out.text);
    expect(out.lines).toEqual([expect.objectContaining({ msg: 'Activity failed', durationMs: 12, error: expect.objectContaining(KEPT) })]);
  });

  it("the Temporal runtime's lines drop them from an error of another realm too (error-like, not instanceof Error)", () => {
    const out = new Captured();
    const { parameters, message, stack } = uniqueViolation();
    const foreign = { name: 'QueryFailedError', message, stack, parameters, detail: 'Key (user_id, code)=(alice@example.com, SAVE-8F3K) already exists.' };
    runtimeLogger(createLogger('info', { destination: out })).warn('Activity failed', { error: foreign });
    expectNoData(out.text);
    expect(out.lines[0].error).toEqual(expect.objectContaining({ message }));
  });

  it("Fastify's request loggers, children of the process logger, keep its serializer", async () => {
    const out = new Captured();
    const app = Fastify({ loggerInstance: createLogger('info', { destination: out }) });
    app.get('/boom', async (request) => {
      request.log.error({ err: uniqueViolation() }, 'unhandled error');
      return {};
    });
    await app.inject({ method: 'GET', url: '/boom' });
    await app.close();
    expectNoData(out.text);
    expect(out.lines.filter((l) => l.msg === 'unhandled error')).toEqual([expect.objectContaining({ reqId: expect.anything(), err: expect.objectContaining(KEPT) })]);
  });

  it('leaves what is not an error as it is', () => {
    const out = new Captured();
    createLogger('info', { destination: out }).info({ err: 'just text' }, 'odd');
    expect(out.lines[0].err).toBe('just text');
  });
});
