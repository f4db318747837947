import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExitCode } from '../exit-codes';
import { kairosError, runKairos, withStubServer, type StubAnswer } from '../test-support';

describe('pools top-up: a refused code is named where it was given (review 52, finding 7)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-pools-'));
    // Blank lines are skipped: the codes sent are A (the flag), X, Y, X.
    writeFileSync(path.join(dir, 'c.txt'), 'X\n\nY\r\nX\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function topUp(answer: StubAnswer) {
    return withStubServer(
      () => answer,
      async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'pools', 'top-up', 'p', '--codes', 'A', '--codes-file', 'c.txt'], { cwd: dir })), requests }),
    );
  }

  it("says a code of the file at its file:line, and one of --codes as the flag's item (exit 1)", async () => {
    const res = await topUp({
      status: 400,
      body: kairosError('invalid_request', 'Invalid top-up.', [
        { path: 'codes[2]', message: '"Y" is in the pool already' },
        { path: 'codes[0]', message: '"A" is in the pool already' },
        { path: 'codes[3]', message: '"X" repeats codes[1]' },
      ]),
    });
    expect(JSON.parse(res.requests[0].body)).toEqual({ codes: ['A', 'X', 'Y', 'X'] });
    expect({ code: res.code, out: res.out, err: res.err }).toEqual({
      code: ExitCode.failure,
      out: '',
      err: 'c.txt:3 "Y" is in the pool already\n--codes[0] "A" is in the pool already\nc.txt:4 "X" repeats c.txt:1\n',
    });
  });

  it('leaves a problem that names no code as it is, under the pool', async () => {
    const res = await topUp({ status: 400, body: kairosError('invalid_request', 'Invalid top-up.', [{ path: 'codes', message: 'and 3 more repeated codes' }]) });
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.failure, err: 'p: codes and 3 more repeated codes\n' });
  });
});

// Review 55 (CLI), finding 4: a 2xx that cannot be read took the top-up too; without --id, a rerun would add it twice.
describe('pools top-up: a 2xx answer this CLI cannot read may have applied it', () => {
  it.each([
    ['JSON without the fields it reads', { status: 200, body: { ok: true } }],
    ['no JSON', { status: 200, body: 'OK' }],
  ] as const)('says so for %s, and points at pools show (exit 3)', async (_what, answer) => {
    const res = await withStubServer(
      () => answer,
      (url) => runKairos(['--url', url, '--api-key', 'k', 'pools', 'top-up', 'p', '--budget', '10']),
    );
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toMatch(/this top-up carried no --id, so sending it again may add it twice: `kairos pools show p` lists the newest top-ups; give --id next time\n$/);
  });
});

// Review 57 (CLI), finding 2: a second --codes-file (or --codes) replaced the first without a word.
describe('pools top-up: --codes and --codes-file given more than once each add their codes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-pools-'));
    writeFileSync(path.join(dir, 'a.txt'), 'A\n');
    writeFileSync(path.join(dir, 'b.txt'), 'B\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const topUpWith = (flags: string[], answer: StubAnswer) =>
    withStubServer(
      () => answer,
      async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'pools', 'top-up', 'p', ...flags], { cwd: dir })), requests }),
    );
  const toppedUp = { status: 200, body: { applied: true, pool: { budget: null, used: 0, left: null, codes: { total: 3, left: 3 } } } };

  it('sends the codes of every file and every --codes flag, in order', async () => {
    const res = await topUpWith(['--codes', 'P-1,P-2', '--codes', 'P-3', '--codes-file', 'a.txt', '--codes-file', 'b.txt'], toppedUp);
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
    expect(JSON.parse(res.requests[0].body)).toEqual({ codes: ['P-1', 'P-2', 'P-3', 'A', 'B'] });
  });

  it('names a refused code at its own file and line, and the second flag\'s code as its item of the flags', async () => {
    const res = await topUpWith(['--codes', 'P-1', '--codes', 'P-2', '--codes-file', 'a.txt', '--codes-file', 'b.txt'], {
      status: 400,
      body: kairosError('invalid_request', 'Invalid top-up.', [
        { path: 'codes[3]', message: '"B" is in the pool already' },
        { path: 'codes[1]', message: '"P-2" is in the pool already' },
      ]),
    });
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.failure, err: 'b.txt:1 "B" is in the pool already\n--codes[1] "P-2" is in the pool already\n' });
  });

  it.each([
    [['--id', 'restock-7', '--id', 'restock-8', '--budget', '5'], '--id <id>'],
    [['--budget', '5', '--budget', '7'], '--budget <n>'],
    [['--generate', 'X-99:5', '--generate', 'Y-99:5'], '--generate <PATTERN:COUNT>'],
  ])('refuses another flag given twice (%j) as a usage error naming it, sending nothing', async (flags, named) => {
    const res = await topUpWith(flags, toppedUp);
    expect({ code: res.code, out: res.out, requests: res.requests.length }).toEqual({ code: ExitCode.usage, out: '', requests: 0 });
    expect(res.err).toMatch(new RegExp(`^error: option '${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' given twice: it takes one value`));
  });
});

describe('pools create: --codes given more than once adds its codes', () => {
  it('sends every code, in order', async () => {
    const res = await withStubServer(
      () => ({ status: 201, body: { key: 'p' } }),
      async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'pools', 'create', '--key', 'p', '--kind', 'coupon', '--codes', 'A,B', '--codes', 'C'])), requests }),
    );
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.ok, out: 'p: created\n' });
    expect(JSON.parse(res.requests[0].body)).toEqual({ key: 'p', kind: 'coupon', codes: ['A', 'B', 'C'] });
  });
});

// Review 59 (CLI), finding 1: Kairos's own 5xx may come after the top-up was committed; without --id, a rerun adds it again.
describe("pools top-up: Kairos's own 5xx may have applied it", () => {
  const postgresDown = { status: 503, body: kairosError('postgres_unavailable', 'PostgreSQL is not reachable; retry after Retry-After seconds.'), headers: { 'retry-after': '5' } };
  const topUp = (answer: StubAnswer, extra: string[] = []) =>
    withStubServer(
      () => answer,
      (url) => runKairos(['--url', url, '--api-key', 'k', 'pools', 'top-up', 'p', '--budget', '5', ...extra]),
    );

  it('without --id, says that sending it again may add it twice (exit 3)', async () => {
    const res = await topUp(postgresDown);
    expect(res.code).toBe(ExitCode.unreachable);
    expect(res.err).toMatch(/^kairos: PostgreSQL is not reachable; retry in 5 s\.; this top-up carried no --id, so sending it again may add it twice/);
  });

  it('with --id, says that sending it again with it adds nothing twice; conflict_retry says neither', async () => {
    expect((await topUp(postgresDown, ['--id', 'r1'])).err).toMatch(/sent again with --id r1, the top-up adds nothing twice\n$/);
    const conflict = await topUp({ status: 503, body: kairosError('conflict_retry', 'nothing of it was stored: send it again.'), headers: { 'retry-after': '1' } });
    expect({ code: conflict.code, err: conflict.err }).toEqual({ code: ExitCode.unreachable, err: 'kairos: nothing of it was stored: send it again. (retry in 1 s)\n' });
  });
});

// Review 61 (CLI), finding 4: a pool of a list refused with anything but 400/409 (a 413 over MAX_BODY_BYTES) stopped the
// rest without naming it; a 400 without details printed nothing at all.
describe('pools create <file>: a pool Kairos refuses whole', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-pools-'));
    writeFileSync(path.join(dir, 'pools.yaml'), '- key: a\n  kind: points\n  budget: 10\n- key: b\n  kind: coupon\n  codes: [P-1, P-2]\n- key: c\n  kind: points\n  budget: 5\n');
    writeFileSync(path.join(dir, 'one.yaml'), 'key: a\nkind: points\nbudget: 10\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** `pools create <file>` against a stub answering the pools' POSTs in turn with `answers`. */
  const create = (file: string, answers: StubAnswer[]) =>
    withStubServer(
      () => answers.shift() ?? { status: 500, body: kairosError('internal', 'not asked') },
      async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'pools', 'create', file], { cwd: dir })), requests }),
    );
  const created = (key: string): StubAnswer => ({ status: 201, body: { key } });
  const tooLarge = 'The request body is too large: it is over this server\'s MAX_BODY_BYTES.';

  it('says a 413 at the pool of the list, goes on with the rest, and ends with how many were not created (exit 1)', async () => {
    const res = await create('pools.yaml', [created('a'), { status: 413, body: kairosError('payload_too_large', tooLarge, []) }, created('c')]);
    expect(res.requests.map((r) => (JSON.parse(r.body) as { key: string }).key)).toEqual(['a', 'b', 'c']);
    expect(res.code).toBe(ExitCode.failure);
    expect(res.out).toBe('a: created\nc: created\n');
    expect(res.err).toBe(`pools.yaml:4:3 [1] ${tooLarge}\n1 of 3 pool(s) not created\n`);
  });

  it("writes a 400's message when it names no path, rather than nothing (exit 1)", async () => {
    const res = await create('one.yaml', [{ status: 400, body: kairosError('invalid_request', 'The pool is not valid: its codes cannot be read.', []) }]);
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.failure, out: '' });
    expect(res.err).toBe('one.yaml:1:1 (document) The pool is not valid: its codes cannot be read.\n');
  });
});

describe('pools top-up: a 400 that names no path', () => {
  it('writes its message, rather than exit 1 with nothing said', async () => {
    const res = await withStubServer(
      () => ({ status: 400, body: kairosError('invalid_request', 'The top-up is not valid.', []) }),
      (url) => runKairos(['--url', url, '--api-key', 'k', 'pools', 'top-up', 'p', '--budget', '5']),
    );
    expect(res).toEqual({ code: ExitCode.failure, out: '', err: 'p: The top-up is not valid.\n' });
  });
});

// Review 63 (CLI), finding 2: a second item with the first's key met the first's 409 and read as "there before": with
// --exists-ok it was "kept" (exit 0) and its definition never stored nor said.
describe('pools create <list>: two items of one key are refused, both of them, before anything is sent', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-pools-'));
    writeFileSync(path.join(dir, 'pools.yaml'), '- { key: loyalty, kind: points, budget: 100000 }\n- { key: loyalty, kind: points, budget: 500 }\n');
    writeFileSync(path.join(dir, 'three.yaml'), '- { key: a, kind: points }\n- { key: b, kind: points }\n- { key: a, kind: points }\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const create = (file: string, extra: string[] = []) => {
    let posts = 0;
    return withStubServer(
      (req): StubAnswer => {
        if (req.method === 'GET') return { status: 200, body: { key: 'loyalty', kind: 'points' } };
        posts++;
        return posts === 1 ? { status: 201, body: { key: JSON.parse(req.body).key as string } } : { status: 409, body: kairosError('pool_exists', 'A pool with this key exists.') };
      },
      async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'pools', 'create', file, ...extra], { cwd: dir })), requests }),
    );
  };

  it('with --exists-ok: says each at its key and sends neither (exit 1)', async () => {
    const res = await create('pools.yaml', ['--exists-ok']);
    expect(res.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.failure, out: '' });
    expect(res.err).toMatch(/^pools\.yaml:1:\d+ \[0\]\.key key loyalty is also the key of \[1\]: one definition a pool/);
    expect(res.err).toMatch(/\npools\.yaml:2:\d+ \[1\]\.key key loyalty is also the key of \[0\]/);
    expect(res.err).toMatch(/\n2 of 2 pool\(s\) not created\n$/);
  });

  it('sends the other items of the list', async () => {
    const res = await create('three.yaml');
    expect(res.requests.map((r) => (JSON.parse(r.body) as { key: string }).key)).toEqual(['b']);
    expect({ code: res.code, out: res.out }).toEqual({ code: ExitCode.failure, out: 'b: created\n' });
    expect(res.err).toMatch(/^three\.yaml:1:\d+ \[0\]\.key key a is also the key of \[2\].*\nthree\.yaml:3:\d+ \[2\]\.key key a is also the key of \[0\].*\n2 of 3 pool\(s\) not created\n$/);
  });
});
