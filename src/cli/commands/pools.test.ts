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
