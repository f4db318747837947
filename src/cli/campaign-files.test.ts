import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { campaignFiles } from './campaign-files';
import { CliError, ExitCode } from './exit-codes';
import { kairosError, runKairos, withStubServer, type StubRequest } from './test-support';

/** Runs `fn` in a fresh folder holding `files` (relative name to bytes or text), removed afterwards. */
async function inFolder<T>(files: Record<string, Buffer | string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kairos-cli-files-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A stub Kairos with no campaign and no source yet: lookups are Kairos's 404,
 * a key over 2048 characters its 414, creating answers v1, validating answers ok.
 */
function emptyKairos(req: StubRequest) {
  if (req.path.length > 2100) return { status: 414, body: kairosError('uri_too_long', 'A path parameter is longer than 2048 characters.') };
  if (req.method === 'GET') return { status: 404, body: kairosError('not_found', 'No such thing.') };
  if (req.path === '/v1/campaigns/validate') {
    const { key, name } = JSON.parse(req.body) as { key: string; name: string };
    return { status: 200, body: { summary: { key, name, states: ['a'], entryTypes: ['t'], pools: [] }, warnings: [] } };
  }
  // A source as Kairos answers it; a campaign's answer reads only its version.
  const { key } = (req.body ? JSON.parse(req.body) : {}) as { key?: string };
  return { status: 201, body: { key, version: 1, state: 'consuming', lastError: null, definition: {}, createdAt: 't', updatedAt: 't' } };
}

async function kairos(args: string[], files: Record<string, Buffer | string>) {
  return inFolder(files, (dir) => withStubServer(emptyKairos, async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', ...args], { cwd: dir })), requests })));
}

describe('campaign, source and pool files that are not UTF-8 (review 44, finding 1)', () => {
  // A Latin-1 file: é is 0xE9. Read with replacement, the campaign was validated and applied as "Caf\ufffd promo".
  const latin1 = Buffer.concat([Buffer.from('key: cafe\nname: Caf'), Buffer.from([0xe9]), Buffer.from(' promo\n')]);

  it('validate refuses the file at its bad byte and sends nothing of it (exit 1); the other files of the folder are still checked', async () => {
    const res = await kairos(['campaigns', 'validate', 'camps'], { 'camps/a.yaml': latin1, 'camps/b.yaml': 'key: b\nname: B\n' });
    expect(res.code).toBe(ExitCode.failure);
    expect(res.err).toMatch(/^camps\/a\.yaml:2:10 \(syntax\) byte 0xE9 is not UTF-8 /m);
    expect(res.err).toMatch(/^1 of 2 file\(s\) invalid$/m);
    expect(res.requests.map((r) => JSON.parse(r.body) as unknown)).toEqual([{ key: 'b', name: 'B' }]);
  });

  it('apply refuses it too, and a source file, and a codes file (nothing of them sent)', async () => {
    const applied = await kairos(['campaigns', 'apply', 'a.yaml'], { 'a.yaml': latin1 });
    expect({ code: applied.code, requests: applied.requests.length, err: applied.err }).toEqual({ code: ExitCode.failure, requests: 0, err: expect.stringMatching(/^a\.yaml:2:10 \(syntax\) byte 0xE9 is not UTF-8/) });
    const source = await kairos(['sources', 'apply', 's.json'], { 's.json': Buffer.concat([Buffer.from('{"key":"s'), Buffer.from([0xff]), Buffer.from('"}')]) });
    expect({ code: source.code, requests: source.requests.length, err: source.err }).toEqual({ code: ExitCode.failure, requests: 0, err: expect.stringMatching(/^s\.json:1:10 \(syntax\) byte 0xFF is not UTF-8/) });
    const codes = await kairos(['pools', 'top-up', 'p', '--codes-file', 'codes.txt'], { 'codes.txt': Buffer.concat([Buffer.from('A-1\nM'), Buffer.from([0xfc]), Buffer.from('LLER\n')]) });
    expect({ code: codes.code, requests: codes.requests.length, err: codes.err }).toEqual({ code: ExitCode.failure, requests: 0, err: expect.stringMatching(/^kairos: codes\.txt:2:2 byte 0xFC is not UTF-8/) });
  });
});

describe('a file whose key cannot be looked up (review 44, finding 11)', () => {
  it('campaigns apply: a key no URL can carry, or one too long, is that file\'s problem at its key; the other files are applied', async () => {
    const res = await kairos(['campaigns', 'apply', 'camps'], {
      'camps/a.yaml': 'key: "bad\\ud800"\nname: A\n',
      'camps/b.yaml': 'key: b\nname: B\n',
      'camps/c.yaml': `key: ${'x'.repeat(3000)}\nname: C\n`,
    });
    expect(res.code).toBe(ExitCode.failure);
    expect(res.err).toMatch(/^camps\/a\.yaml:1:6 key the key holds half of a surrogate pair alone/m);
    // Longer than Kairos's key rules take (100 characters): refused before it is looked up, as it stores none.
    expect(res.err).toMatch(/^camps\/c\.yaml:1:6 key Kairos takes no such key: Too big: /m);
    expect(res.out).toBe('b: created v1 from camps/b.yaml\n');
    expect(res.err).toMatch(/^2 of 3 file\(s\) not applied$/m);
    // diff says it of its one file, at its key, too.
    const diffed = await kairos(['campaigns', 'diff', 'a.yaml'], { 'a.yaml': 'key: "bad\\ud800"\nname: A\n' });
    expect({ code: diffed.code, err: diffed.err, requests: diffed.requests.length }).toEqual({ code: ExitCode.failure, err: expect.stringMatching(/^a\.yaml:1:6 key the key holds half/), requests: 0 });
  });

  it('sources apply: the same, under the item of a list', async () => {
    const res = await kairos(['sources', 'apply', 'srcs'], {
      'srcs/a.yaml': '- key: "bad\\udc00"\n  broker: nats\n- key: also-fine\n  broker: nats\n',
      'srcs/b.yaml': `key: ${'y'.repeat(3000)}\nbroker: nats\n`,
    });
    expect(res.code).toBe(ExitCode.failure);
    expect(res.err).toMatch(/^srcs\/a\.yaml:1:8 \[0\]\.key the key holds half of a surrogate pair alone/m);
    expect(res.err).toMatch(/^srcs\/b\.yaml:1:6 key Kairos takes no such key: Too big: /m);
    expect(res.out).toContain('also-fine: created v1 from srcs/a.yaml');
    expect(res.err).toMatch(/^2 of 3 source\(s\) not applied$/m);
  });
});

describe('symbolic links in a campaigns or sources folder (review 47, finding 5)', () => {
  /** A folder holding `files`, then `links` (link name to where it points), for `fn`. */
  async function withLinks<T>(files: Record<string, string>, links: Record<string, string>, fn: (dir: string) => T | Promise<T>): Promise<T> {
    return inFolder(files, async (dir) => {
      for (const [link, to] of Object.entries(links)) {
        mkdirSync(path.dirname(path.join(dir, link)), { recursive: true });
        symlinkSync(to, path.join(dir, link));
      }
      return fn(dir);
    });
  }

  it('walks a linked folder as its own, beside the other files', async () => {
    await withLinks({ 'real/a.yaml': 'key: a\n', 'c/spring.yaml': 'key: s\n' }, { 'c/shared': '../real' }, (dir) => {
      expect(campaignFiles('c', dir)).toEqual(['c/shared/a.yaml', 'c/spring.yaml']);
    });
  });

  it('takes a link to a folder named like a file as a folder, and a link to a file as the file', async () => {
    await withLinks({ 'real/a.yaml': 'key: a\n', 'other.yaml': 'key: o\n' }, { 'c/x.yaml': '../real', 'c/y.yaml': '../other.yaml' }, (dir) => {
      expect(campaignFiles('c', dir)).toEqual(['c/x.yaml/a.yaml', 'c/y.yaml']);
    });
  });

  it('takes each folder once: a link back up does not loop, and a second way into a folder adds nothing', async () => {
    await withLinks({ 'c/a.yaml': 'key: a\n', 'c/sub/b.yaml': 'key: b\n' }, { 'c/sub/up': '..', 'c/z-again': 'sub' }, (dir) => {
      expect(campaignFiles('c', dir)).toEqual(['c/a.yaml', 'c/sub/b.yaml']);
    });
  });

  it('refuses a broken link as a usage error naming it, rather than leaving it out', async () => {
    await withLinks({ 'c/a.yaml': 'key: a\n' }, { 'c/shared': '../gone' }, (dir) => {
      const walk = () => campaignFiles('c', dir);
      expect(walk).toThrow(CliError);
      expect(walk).toThrow('c/shared: a symbolic link to ../gone, which is not there: fix or remove the link');
    });
  });

  it('campaigns validate checks the campaigns of a linked folder', async () => {
    await withLinks({ 'real/a.yaml': 'key: a\nname: A\n', 'camps/b.yaml': 'key: b\nname: B\n' }, { 'camps/shared': '../real' }, async (dir) => {
      const res = await withStubServer(emptyKairos, async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', 'k', 'campaigns', 'validate', 'camps'], { cwd: dir })), requests }));
      expect({ code: res.code, validated: res.requests.map((r) => (JSON.parse(r.body) as { key: string }).key) }).toEqual({ code: ExitCode.ok, validated: ['b', 'a'] });
    });
  });
});
