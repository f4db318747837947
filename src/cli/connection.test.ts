import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConnection } from './connection';
import { CliError, ExitCode } from './exit-codes';
import { runKairos, withStubServer } from './test-support';

function setup(files: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), 'kairos-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return { home: path.join(root, 'home'), cwd: path.join(root, 'work') };
}

const profiles = `current: staging
profiles:
  staging: { url: "https://staging.example.test", apiKey: staging-key }
  prod: { url: "https://prod.example.test", apiKey: prod-key }
`;

describe('resolveConnection', () => {
  it('takes KAIROS_URL and KAIROS_API_KEY over the current profile', () => {
    const dirs = setup({ 'home/.config/kairos/config.yaml': profiles });
    expect(resolveConnection({}, { ...dirs, env: { KAIROS_URL: 'http://k:1', KAIROS_API_KEY: 'env-key' } })).toMatchObject({ url: 'http://k:1', apiKey: 'env-key' });
  });

  it('takes a named profile over the environment, and flags over everything', () => {
    const dirs = setup({ 'home/.config/kairos/config.yaml': profiles });
    const env = { KAIROS_URL: 'http://k:1', KAIROS_API_KEY: 'env-key' };
    expect(resolveConnection({ profile: 'prod' }, { ...dirs, env })).toMatchObject({ url: 'https://prod.example.test', apiKey: 'prod-key' });
    expect(resolveConnection({ profile: 'prod', apiKey: 'flag' }, { ...dirs, env })).toMatchObject({ url: 'https://prod.example.test', apiKey: 'flag' });
  });

  it('uses the current profile when nothing else is set', () => {
    const dirs = setup({ 'home/.config/kairos/config.yaml': profiles });
    expect(resolveConnection({}, { ...dirs, env: {} })).toMatchObject({ url: 'https://staging.example.test', apiKey: 'staging-key' });
  });

  it('falls back to the development admin key npm start keeps', () => {
    const dirs = setup({ 'work/.kairos/dev-api-keys.json': JSON.stringify({ keys: [{ key: 'i'.repeat(20), role: 'ingest' }, { key: 'a'.repeat(20), role: 'admin' }] }) });
    expect(resolveConnection({}, { ...dirs, env: {} })).toMatchObject({ url: 'http://127.0.0.1:3000', apiKey: 'a'.repeat(20) });
  });

  it("finds that key in the checkout npm start ran in when the CLI runs from another folder, the current folder's first", () => {
    const keys = (key: string) => JSON.stringify({ keys: [{ key, role: 'admin' }] });
    const dirs = setup({ 'checkout/.kairos/dev-api-keys.json': keys('c'.repeat(20)) });
    const checkout = path.join(path.dirname(dirs.cwd), 'checkout');
    expect(resolveConnection({}, { ...dirs, checkout, env: {} })).toMatchObject({ apiKey: 'c'.repeat(20), from: path.join(checkout, '.kairos', 'dev-api-keys.json') });
    // Without the checkout (another installation), only the current folder counts.
    expect(resolveConnection({}, { ...dirs, env: {} }).apiKey).toBeUndefined();
    const both = setup({ 'checkout/.kairos/dev-api-keys.json': keys('c'.repeat(20)), 'work/.kairos/dev-api-keys.json': keys('w'.repeat(20)) });
    expect(resolveConnection({}, { ...both, checkout: path.join(path.dirname(both.cwd), 'checkout'), env: {} }).apiKey).toBe('w'.repeat(20));
  });

  it('gives a URL without a key the development admin key', () => {
    const dirs = setup({ 'work/.kairos/dev-api-keys.json': JSON.stringify({ keys: [{ key: 'a'.repeat(20), role: 'admin' }] }) });
    expect(resolveConnection({}, { ...dirs, env: { KAIROS_URL: 'http://127.0.0.1:3710' } })).toMatchObject({ url: 'http://127.0.0.1:3710', apiKey: 'a'.repeat(20) });
  });

  it('never sends the development admin key to a URL on another machine', () => {
    const dirs = setup({
      'work/.kairos/dev-api-keys.json': JSON.stringify({ keys: [{ key: 'a'.repeat(20), role: 'admin' }] }),
      'home/.config/kairos/config.yaml': 'current: prod\nprofiles:\n  prod:\n    url: https://kairos.example.com\n',
    });
    expect(resolveConnection({}, { ...dirs, env: {} })).toEqual({ url: 'https://kairos.example.com', apiKey: undefined, from: expect.stringContaining('profile "prod"') });
    expect(resolveConnection({ url: 'http://10.0.0.5:3000' }, { ...dirs, env: {} }).apiKey).toBeUndefined();
    for (const local of ['http://localhost:3710', 'http://127.0.0.2:3000', 'http://[::1]:3000']) expect(resolveConnection({ url: local }, { ...dirs, env: {} }).apiKey).toBe('a'.repeat(20));
  });

  it("never sends a key found with one URL to another one given with --url (cli probe)", () => {
    const dirs = setup({
      'work/.kairos/dev-api-keys.json': JSON.stringify({ keys: [{ key: 'a'.repeat(20), role: 'admin' }] }),
      'home/.config/kairos/config.yaml': profiles,
    });
    const elsewhere = 'http://192.0.2.2:5399';
    // The current profile's, a named profile's, KAIROS_API_KEY beside KAIROS_URL: each stays with its URL.
    expect(resolveConnection({ url: elsewhere }, { ...dirs, env: {} }).apiKey).toBeUndefined();
    expect(resolveConnection({ url: elsewhere, profile: 'prod' }, { ...dirs, env: {} }).apiKey).toBeUndefined();
    expect(resolveConnection({ url: elsewhere }, { ...dirs, env: { KAIROS_URL: 'https://prod.example.test', KAIROS_API_KEY: 'env-key' } }).apiKey).toBeUndefined();
    // Without profiles, the development key goes to this machine only, whatever --url says.
    const devOnly = setup({ 'work/.kairos/dev-api-keys.json': JSON.stringify({ keys: [{ key: 'a'.repeat(20), role: 'admin' }] }) });
    expect(resolveConnection({ url: elsewhere }, { ...devOnly, env: {} }).apiKey).toBeUndefined();
    expect(resolveConnection({ url: 'http://127.0.0.1:3710' }, { ...devOnly, env: {} }).apiKey).toBe('a'.repeat(20));
    // The same URL as the profile's keeps its key; --api-key, or a KAIROS_API_KEY that names no URL, goes anywhere.
    expect(resolveConnection({ url: 'https://staging.example.test/' }, { ...dirs, env: {} }).apiKey).toBe('staging-key');
    expect(resolveConnection({ url: elsewhere, apiKey: 'flag' }, { ...dirs, env: {} }).apiKey).toBe('flag');
    expect(resolveConnection({ url: elsewhere }, { ...devOnly, env: { KAIROS_API_KEY: 'ci-key' } }).apiKey).toBe('ci-key');
  });

  it('refuses a current profile the file does not define, instead of falling back to the local server', () => {
    const dirs = setup({
      'work/.kairos/dev-api-keys.json': JSON.stringify({ keys: [{ key: 'a'.repeat(20), role: 'admin' }] }),
      'home/.config/kairos/config.yaml': 'current: prodd\nprofiles:\n  prod:\n    url: https://kairos.example.com\n',
    });
    const typo = () => resolveConnection({}, { ...dirs, env: {} });
    expect(typo).toThrow(CliError);
    expect(typo).toThrow(/names "prodd" as its current profile, but has no profile "prodd"/);
    // KAIROS_URL and --profile come first, so they still work.
    expect(resolveConnection({}, { ...dirs, env: { KAIROS_URL: 'http://127.0.0.1:3000' } }).url).toBe('http://127.0.0.1:3000');
    expect(resolveConnection({ profile: 'prod' }, { ...dirs, env: {} }).url).toBe('https://kairos.example.com');
  });

  it('refuses a setting that picks the target when it is set but empty, instead of going on to the current profile', () => {
    const dirs = setup({ 'home/.config/kairos/config.yaml': profiles });
    for (const [flags, env, name] of [
      [{ profile: '' }, {}, '--profile'],
      [{ url: ' ' }, {}, '--url'],
      [{}, { KAIROS_PROFILE: '' }, 'KAIROS_PROFILE'],
      [{}, { KAIROS_URL: '' }, 'KAIROS_URL'],
      [{}, { KAIROS_CONFIG: '' }, 'KAIROS_CONFIG'],
    ] as const) {
      const read = () => resolveConnection(flags, { ...dirs, env });
      expect(read).toThrow(CliError);
      expect(read).toThrow(`${name} is set but empty`);
    }
    // Unset is not empty: the current profile (staging) answers, as before.
    expect(resolveConnection({}, { ...dirs, env: { KAIROS_URL: undefined } }).url).toBe('https://staging.example.test');
  });

  it('reads a relative KAIROS_CONFIG in the folder the user is in, not the one the process runs in (review 63, finding 1)', () => {
    const dirs = setup({ 'work/profiles.yaml': profiles });
    expect(resolveConnection({}, { ...dirs, env: { KAIROS_CONFIG: 'profiles.yaml' } })).toMatchObject({ url: 'https://staging.example.test', apiKey: 'staging-key' });
    expect(resolveConnection({ profile: 'prod' }, { ...dirs, env: { KAIROS_CONFIG: 'profiles.yaml' } })).toMatchObject({ url: 'https://prod.example.test' });
  });

  it('refuses a KAIROS_CONFIG that is not there, instead of going on to the local server and its admin key (review 63, finding 1)', () => {
    const dirs = setup({ 'work/.kairos/dev-api-keys.json': JSON.stringify({ keys: [{ key: 'a'.repeat(20), role: 'admin' }] }) });
    const missing = path.join(dirs.cwd, 'nope.yaml');
    for (const [named, said] of [
      [missing, `KAIROS_CONFIG names ${missing}, which is not there`],
      ['nope.yaml', `KAIROS_CONFIG names nope.yaml (${missing}), which is not there`],
    ] as const) {
      const read = () => resolveConnection({}, { ...dirs, env: { KAIROS_CONFIG: named } });
      expect(read).toThrow(expect.objectContaining({ exitCode: ExitCode.usage }));
      expect(read).toThrow(said);
    }
    // Where the file decides nothing (KAIROS_URL, or --url with --api-key), it is not read, so not in the way.
    expect(resolveConnection({}, { ...dirs, env: { KAIROS_CONFIG: missing, KAIROS_URL: 'http://10.0.0.5:3000' } }).url).toBe('http://10.0.0.5:3000');
    // The default paths may be absent: the local server answers, as before.
    expect(resolveConnection({}, { ...dirs, env: {} })).toMatchObject({ url: 'http://127.0.0.1:3000', apiKey: 'a'.repeat(20) });
  });

  it('lets --url with --api-key win over KAIROS_PROFILE, but not over an explicit --profile', () => {
    const dirs = setup({ 'home/.config/kairos/config.yaml': profiles });
    const given = { url: 'http://10.0.0.5:3000', apiKey: 'k' };
    expect(resolveConnection(given, { ...dirs, env: { KAIROS_PROFILE: 'nope' } })).toMatchObject({ url: 'http://10.0.0.5:3000', apiKey: 'k' });
    expect(() => resolveConnection({ ...given, profile: 'nope' }, { ...dirs, env: {} })).toThrow(/no profile "nope"/);
    // With only one of the two flags, KAIROS_PROFILE still decides the rest.
    expect(() => resolveConnection({ url: given.url }, { ...dirs, env: { KAIROS_PROFILE: 'nope' } })).toThrow(/no profile "nope"/);
  });

  it('refuses an unknown profile and a bad URL as usage errors', () => {
    const dirs = setup({ 'home/.config/kairos/config.yaml': profiles });
    const unknown = () => resolveConnection({ profile: 'nope' }, { ...dirs, env: {} });
    expect(unknown).toThrow(CliError);
    expect(unknown).toThrow(/no profile "nope"/);
    expect(() => resolveConnection({ url: 'not a url' }, { ...dirs, env: {} })).toThrow(/not a URL/);
  });

  it('refuses a profile file that is not UTF-8 at its line and column, instead of sending a key with U+FFFD in it', () => {
    const dirs = setup({});
    mkdirSync(path.join(dirs.home, '.config', 'kairos'), { recursive: true });
    writeFileSync(
      path.join(dirs.home, '.config', 'kairos', 'config.yaml'),
      Buffer.concat([Buffer.from('current: prod\nprofiles:\n  prod: { url: "https://prod.example.test", apiKey: "k'), Buffer.from([0xe9]), Buffer.from('y" }\n')]),
    );
    const read = () => resolveConnection({}, { ...dirs, env: {} });
    expect(read).toThrow(CliError);
    expect(read).toThrow(/config\.yaml:3:55 byte 0xE9 is not UTF-8 .*\(the profile file: KAIROS_CONFIG, see docs\/cli\.md\)$/);
  });

  it('refuses a profile file that is not a mapping of profiles, instead of quietly using the local server', () => {
    for (const [content, said] of [
      ['- a\n- b\n', /config\.yaml: \(file\): a profile file is a mapping \(current: and profiles:\)/],
      ['just a string\n', /\(file\): a profile file is a mapping/],
      ['profiles:\n  prod: https://kairos.example.com\n', /config\.yaml: profiles\.prod: /],
    ] as const) {
      const dirs = setup({ 'home/.config/kairos/config.yaml': content });
      const read = () => resolveConnection({}, { ...dirs, env: {} });
      expect(read).toThrow(CliError);
      expect(read).toThrow(said);
    }
    // Where it cannot decide anything (--url with --api-key, or KAIROS_URL), a broken file is not in the way; with --profile it is.
    const broken = setup({ 'home/.config/kairos/config.yaml': 'profiles: 5\n' });
    expect(resolveConnection({ url: 'http://10.0.0.5:3000', apiKey: 'k' }, { ...broken, env: {} })).toMatchObject({ url: 'http://10.0.0.5:3000', apiKey: 'k' });
    expect(resolveConnection({}, { ...broken, env: { KAIROS_URL: 'http://10.0.0.5:3000', KAIROS_API_KEY: 'k' } })).toMatchObject({ url: 'http://10.0.0.5:3000', apiKey: 'k' });
    expect(() => resolveConnection({ url: 'http://10.0.0.5:3000', apiKey: 'k', profile: 'prod' }, { ...broken, env: {} })).toThrow(/profiles: /);
    expect(() => resolveConnection({ url: 'http://10.0.0.5:3000' }, { ...broken, env: {} })).toThrow(/profiles: /);
    // A YAML error says where, without the dangling colon before the snippet it leaves out.
    const unparsable = setup({ 'home/.config/kairos/config.yaml': 'current: [\n' });
    expect(() => resolveConnection({}, { ...unparsable, env: {} })).toThrow(/config\.yaml: .*line \d+, column \d+$/);
    // A folder named as the file is said in words (was Node's "EISDIR: illegal operation on a directory": cli probe).
    const folder = setup({ 'home/.config/kairos/config.yaml/inner': '' });
    expect(() => resolveConnection({}, { ...folder, env: {} })).toThrow(/config\.yaml: is a folder, not a file \(the profile file: KAIROS_CONFIG, see docs\/cli\.md\)$/);
    // An empty file is simply no profiles.
    const empty = setup({ 'home/.config/kairos/config.yaml': '' });
    expect(resolveConnection({ url: 'http://127.0.0.1:3000' }, { ...empty, env: {} }).url).toBe('http://127.0.0.1:3000');
  });
});

describe('settings the CLI cannot send (review 47, finding 6)', () => {
  const dirs = () => setup({});
  const refusal = (flags: Parameters<typeof resolveConnection>[0], env: Record<string, string> = {}): CliError => {
    try {
      resolveConnection(flags, { ...dirs(), env });
    } catch (err) {
      if (err instanceof CliError) return err;
      throw err;
    }
    throw new Error('not refused');
  };

  it('refuses a URL without http:// or https:// (localhost:3000 parses as scheme "localhost:") as a usage error', () => {
    for (const [flags, env, from] of [
      [{ url: 'localhost:3000' }, {}, '--url'],
      [{}, { KAIROS_URL: 'kairos.internal:3000' }, 'KAIROS_URL'],
      [{ url: 'ftp://kairos.example.com' }, {}, '--url'],
    ] as const) {
      const err = refusal(flags, env);
      expect({ flags, env, code: err.exitCode, message: err.message }).toEqual({ flags, env, code: ExitCode.usage, message: expect.stringContaining(`(from ${from}) is not an http:// or https:// URL`) });
    }
    expect(refusal({ url: 'localhost:3000' }).message).toBe('localhost:3000 (from --url) is not an http:// or https:// URL, which Kairos answers at: write it in full, e.g. http://localhost:3000');
  });

  it('refuses a URL with a user name or password, and never prints the password', () => {
    for (const url of ['https://ci:s3cret@kairos.example.com', 'ci:s3cret@kairos.example.com:3000', 'https://ci:s3cret@kairos example.com']) {
      const err = refusal({ url });
      expect({ url, code: err.exitCode }).toEqual({ url, code: ExitCode.usage });
      expect(err.message).not.toContain('s3cret');
    }
    expect(refusal({ url: 'https://ci:s3cret@kairos.example.com' }).message).toBe(
      "the URL from --url (https://kairos.example.com) holds a user name or password, which the CLI never sends: remove them, and give the API key as KAIROS_API_KEY, a profile's apiKey or --api-key (an `@` in the URL's path is written %40)",
    );
  });

  // Review 55 (CLI), finding 1: the login is everything up to the last `@`, as the broker URLs are read at boot.
  it('never prints a password holding / ? or #, which the URL parser reads another way (or not at all)', () => {
    for (const url of ['https://ci:Zq9/Xw8@k.example.com', 'https://ci:Zq9@Xw8#Vy7@k.example.com', 'https://ci:Zq9?Xw8@k.example.com', 'https://ci/Zq9@k.example.com']) {
      for (const [flags, env] of [[{ url }, {}], [{}, { KAIROS_URL: url }]] as const) {
        const err = refusal(flags, env);
        expect({ url, code: err.exitCode, leaked: /Zq9|Xw8|Vy7/.test(err.message) }).toEqual({ url, code: ExitCode.usage, leaked: false });
        expect(err.message).toMatch(/^the URL from (--url|KAIROS_URL) \(https:\/\/k\.example\.com\) holds a user name or password/);
      }
    }
    const profile = setup({ 'home/.config/kairos/config.yaml': 'current: p\nprofiles:\n  p: { url: "https://ci:ab/cd@k.example.com", apiKey: "k" }\n' });
    expect(() => resolveConnection({}, { ...profile, env: {} })).toThrow(/^the URL from profile "p" \(.*\) \(https:\/\/k\.example\.com\) holds a user name or password/);
  });

  it('refuses a key no HTTP header can carry, naming where it came from and the character, never the key', () => {
    const err = refusal({ url: 'http://127.0.0.1:1' }, { KAIROS_API_KEY: 'kairos-admin-key\u2019s' });
    expect({ code: err.exitCode, message: err.message }).toEqual({
      code: ExitCode.usage,
      message:
        'the API key from KAIROS_API_KEY holds U+2019 at character 17, which an HTTP header cannot carry (pasted from a document or a chat, where a quote or a dash became another?): set it again, copied as it was issued',
    });
    expect(refusal({ url: 'http://127.0.0.1:1', apiKey: 'a\nb' }).message).toMatch(/^the API key from --api-key holds U\+000A at character 2/);
    const profile = setup({ 'home/.config/kairos/config.yaml': 'current: p\nprofiles:\n  p: { url: "http://127.0.0.1:1", apiKey: "k…" }\n' });
    expect(() => resolveConnection({}, { ...profile, env: {} })).toThrow(/^the API key from the apiKey of profile "p" \(.*config\.yaml\) holds U\+2026 at character 2/);
  });

  it('still takes a key with whitespace at its ends (fetch drops it), and any URL of http or https', () => {
    expect(resolveConnection({ url: 'https://kairos.example.com/' }, { ...dirs(), env: { KAIROS_API_KEY: 'key-from-a-secret\n' } })).toMatchObject({ apiKey: 'key-from-a-secret\n' });
    expect(resolveConnection({ url: 'http://[::1]:3000', apiKey: 'caf\u00e9' }, { ...dirs(), env: {} })).toMatchObject({ url: 'http://[::1]:3000' });
  });
});

describe('the URL as requests are sent to it (review 52, finding 4)', () => {
  const dirs = () => setup({});

  it('takes the URL as parsed: blanks at its ends (a pasted CI variable) dropped, one form for the same place', () => {
    for (const url of ['http://127.0.0.1:3000 ', ' http://127.0.0.1:3000', 'http://127.0.0.1:3000/', 'HTTP://127.0.0.1:3000\n']) {
      expect({ url, resolved: resolveConnection({ url, apiKey: 'k' }, { ...dirs(), env: {} }).url }).toEqual({ url, resolved: 'http://127.0.0.1:3000' });
    }
    expect(resolveConnection({}, { ...dirs(), env: { KAIROS_URL: 'https://gw.example.com/kairos/ ' } }).url).toBe('https://gw.example.com/kairos');
  });

  it('refuses a URL with a query or a fragment, which no path can be added to (exit 2)', () => {
    for (const url of ['https://kairos.example.com/?env=prod', 'https://kairos.example.com/#top', 'https://kairos.example.com/?']) {
      const read = () => resolveConnection({ url, apiKey: 'k' }, { ...dirs(), env: {} });
      expect(read).toThrow(CliError);
      expect(read).toThrow(`${url} (from --url) has a query or fragment (? or #): Kairos's routes are added to the URL's path, so give the server's root, e.g. https://kairos.example.com`);
    }
  });

  it("keeps a profile's key with its path too: another path on the same gateway does not get it", () => {
    const gateway = setup({ 'home/.config/kairos/config.yaml': 'profiles:\n  prod: { url: "https://gw.example.com/kairos-prod", apiKey: prod-key }\n' });
    expect(resolveConnection({ profile: 'prod', url: 'https://gw.example.com/kairos-staging' }, { ...gateway, env: {} }).apiKey).toBeUndefined();
    expect(resolveConnection({ profile: 'prod', url: 'https://gw.example.com/kairos-prod/' }, { ...gateway, env: {} }).apiKey).toBe('prod-key');
  });

  it('sends to a URL given with a blank at its end, rather than failing as not Kairos (exit 0)', async () => {
    const res = await withStubServer(
      () => ({ status: 200, body: { pools: [], total: 0 } }),
      (url) => runKairos(['--url', `${url} `, '--api-key', 'k', 'pools', 'list']),
    );
    expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
  });
});

// Review 59 (CLI), finding 2: an empty key won over the profile's, so none was sent, and the 401 blamed a key that was set.
describe('an API key set but empty', () => {
  it('is a usage error naming where it was set, not a quiet fall back to sending no key', () => {
    const dirs = setup({ 'home/.config/kairos/config.yaml': profiles });
    for (const [flags, env, name] of [
      [{ profile: 'prod', apiKey: '' }, {}, '--api-key'],
      [{ url: 'https://k.example', apiKey: ' ' }, {}, '--api-key'],
      [{}, { KAIROS_URL: 'https://k.example', KAIROS_API_KEY: '' }, 'KAIROS_API_KEY'],
      [{ profile: 'prod' }, { KAIROS_API_KEY: '\t' }, 'KAIROS_API_KEY'],
    ] as const) {
      const read = () => resolveConnection(flags, { ...dirs, env });
      expect(read).toThrow(CliError);
      expect(read).toThrow(`${name} is set but empty`);
      try {
        read();
      } catch (err) {
        expect((err as CliError).exitCode).toBe(ExitCode.usage);
      }
    }
  });

  it("refuses a profile's apiKey that is empty, naming the profile file", () => {
    const dirs = setup({ 'home/.config/kairos/config.yaml': 'current: prod\nprofiles:\n  prod: { url: "https://prod.example.test", apiKey: "" }\n' });
    const file = path.join(dirs.home, '.config/kairos/config.yaml');
    expect(() => resolveConnection({}, { ...dirs, env: {} })).toThrow(`the apiKey of profile "prod" (${file}) is set but empty`);
    expect(() => resolveConnection({ profile: 'prod' }, { ...dirs, env: {} })).toThrow(`the apiKey of profile "prod" (${file}) is set but empty`);
  });

  it('--api-key "" sends nothing (exit 2)', async () => {
    const res = await withStubServer(
      () => ({ status: 200, body: { pools: [], total: 0 } }),
      async (url, requests) => ({ ...(await runKairos(['--url', url, '--api-key', '', 'pools', 'list'])), requests }),
    );
    expect({ code: res.code, requests: res.requests.length }).toEqual({ code: ExitCode.usage, requests: 0 });
    expect(res.err).toMatch(/^kairos: --api-key is set but empty/);
  });
});
