import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ExitCode } from './exit-codes';
import { proxyFor } from './proxy';
import { runKairos, withStubServer } from './test-support';

/**
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY, read from the CLI's environment
 * (review 52, finding 5): a CI runner whose only way out is its egress proxy
 * reaches Kairos through it, as curl, npm and git do.
 */

interface StubProxy {
  url: string;
  /** The CONNECT targets asked for (`kairos.invalid:80`). */
  tunnels: string[];
}

/**
 * Runs `fn` with a proxy on loopback that tunnels every CONNECT to `kairosPort`
 * on loopback, whatever host it names, or answers `refuse` when given.
 */
async function withProxy<T>(options: { kairosPort?: number; refuse?: number }, fn: (proxy: StubProxy) => Promise<T>): Promise<T> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(502).end());
  server.on('connect', (req: { url?: string }, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    sockets.add(client);
    if (options.refuse !== undefined || options.kairosPort === undefined) {
      client.end(`HTTP/1.1 ${options.refuse ?? 502} Refused\r\n\r\n`);
      return;
    }
    const upstream = connect(options.kairosPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, tunnels });
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => server.close(r));
  }
}

const noPools = () => ({ status: 200, body: { pools: [], total: 0 } });
const portOf = (url: string): number => Number(new URL(url).port);

describe('an egress proxy (review 52, finding 5)', () => {
  it.each([['HTTP_PROXY'], ['http_proxy']])('%s: a URL elsewhere is reached through it (exit 0)', async (variable) => {
    await withStubServer(noPools, async (kairos, requests) => {
      await withProxy({ kairosPort: portOf(kairos) }, async (proxy) => {
        const res = await runKairos(['--url', 'http://kairos.invalid', '--api-key', 'k', 'pools', 'list'], { env: { [variable]: proxy.url } });
        expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
        expect(proxy.tunnels).toEqual(['kairos.invalid:80']);
        expect(requests.map((r) => [r.path, r.headers.host, r.headers.authorization])).toEqual([['/v1/pools', 'kairos.invalid', 'Bearer k']]);
      });
    });
  });

  it('a URL on this machine never goes through it (the development server keeps working)', async () => {
    await withProxy({}, async (proxy) => {
      await withStubServer(noPools, async (kairos) => {
        const res = await runKairos(['--url', kairos, '--api-key', 'k', 'pools', 'list'], { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });
        expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.ok, err: '' });
      });
      expect(proxy.tunnels).toEqual([]);
    });
  });

  it('NO_PROXY names hosts reached directly', async () => {
    await withProxy({}, async (proxy) => {
      const res = await runKairos(['--url', 'http://kairos.invalid', '--api-key', 'k', 'pools', 'list'], { env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,.invalid' } });
      expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.unreachable, err: expect.stringMatching(/^kairos: cannot reach Kairos at http:\/\/kairos\.invalid: (ENOTFOUND|EAI_AGAIN) /) as string });
      expect(proxy.tunnels).toEqual([]);
    });
  });

  it('an https URL goes through HTTPS_PROXY; a proxy that refuses the tunnel is said as such: nothing reached Kairos (exit 3)', async () => {
    await withProxy({ refuse: 403 }, async (proxy) => {
      const res = await runKairos(['--url', 'https://kairos.invalid', '--api-key', 'k', 'pools', 'top-up', 'p', '--budget', '5'], { env: { HTTPS_PROXY: proxy.url } });
      expect(proxy.tunnels).toEqual(['kairos.invalid:443']);
      expect({ code: res.code, err: res.err }).toEqual({
        code: ExitCode.unreachable,
        err: `kairos: the proxy ${proxy.url} (HTTPS_PROXY) did not open a connection to Kairos at https://kairos.invalid: it answered 403 (does it let this host and port through? NO_PROXY names hosts reached without it); nothing was sent to Kairos\n`,
      });
    });
  });

  it('a proxy that cannot be reached is named, not Kairos', async () => {
    const closed = await withProxy({}, async (proxy) => proxy.url);
    const res = await runKairos(['--url', 'http://kairos.invalid', '--api-key', 'k', 'pools', 'list'], { env: { HTTP_PROXY: closed } });
    expect({ code: res.code, err: res.err }).toEqual({
      code: ExitCode.unreachable,
      err: `kairos: cannot reach Kairos at http://kairos.invalid through the proxy ${closed} (HTTP_PROXY): ECONNREFUSED (is the proxy running? NO_PROXY names hosts reached without it)\n`,
    });
  });

  it('a proxy variable that is no URL is a usage error naming it, never its password', async () => {
    const res = await runKairos(['--url', 'http://kairos.invalid', '--api-key', 'k', 'pools', 'list'], { env: { HTTPS_PROXY: 'http://u:s3cret@proxy corp:3128' } });
    expect({ code: res.code, leaked: res.err.includes('s3cret') }).toEqual({ code: ExitCode.usage, leaked: false });
    expect(res.err).toMatch(/^kairos: HTTPS_PROXY is not a URL: /);
  });

  // Review 55 (CLI), finding 1: everything up to the last `@` is the proxy's login, shown as ***@.
  it('a proxy password holding / ? or # is a usage error saying to percent-encode it, never printed', async () => {
    for (const [variable, value, secret] of [
      ['HTTPS_PROXY', 'http://u:s3/cret@proxy:3128', 'cret'],
      ['HTTPS_PROXY', 'http://u:s3#cret@proxy:3128', 'cret'],
      ['HTTP_PROXY', 'http://u:123?x@proxy:3128', '123'],
    ] as const) {
      const res = await runKairos(['--url', 'http://kairos.invalid', '--api-key', 'k', 'pools', 'list'], { env: { [variable]: value } });
      expect({ value, code: res.code, leaked: res.err.includes(secret) }).toEqual({ value, code: ExitCode.usage, leaked: false });
      expect(res.err).toContain(`kairos: ${variable} (http://***@proxy:3128): its user or password holds a \`/\`, \`?\` or \`#\``);
    }
    expect(proxyFor('http://kairos.invalid', { HTTP_PROXY: 'http://u:p%2Fw@proxy:3128' })).toMatchObject({ shown: 'http://***@proxy:3128' });
  });

  // Review 52 diff, finding 6: what proxyFor decides is what the request does; the agent is given no NO_PROXY to read its own way.
  describe('NO_PROXY is read once, by the CLI, and the request goes as it decided', () => {
    it('*corp.example names no host, so the request goes through the proxy, and the agent is given no NO_PROXY of its own', async () => {
      const env = { HTTP_PROXY: 'http://p.invalid:3128', NO_PROXY: '*corp.example' };
      expect(proxyFor('http://kairos.corp.example', env)).toMatchObject({ shown: 'http://p.invalid:3128', settings: { noProxy: '' } });
      await withStubServer(noPools, async (kairos, requests) => {
        await withProxy({ kairosPort: portOf(kairos) }, async (proxy) => {
          const res = await runKairos(['--url', 'http://kairos.corp.example', '--api-key', 'k', 'pools', 'list'], { env: { ...env, HTTP_PROXY: proxy.url } });
          expect({ code: res.code, err: res.err, tunnels: proxy.tunnels, reached: requests.length }).toEqual({ code: ExitCode.ok, err: '', tunnels: ['kairos.corp.example:80'], reached: 1 });
        });
      });
    });

    it('a bare corp.example names its subdomains too, so the request goes direct, with no proxy agent', async () => {
      const env = { HTTP_PROXY: 'http://p.invalid:3128', NO_PROXY: 'corp.example' };
      expect(proxyFor('http://kairos.corp.example', env)).toBeUndefined();
      await withProxy({}, async (proxy) => {
        const res = await runKairos(['--url', 'http://kairos.corp.example', '--api-key', 'k', 'pools', 'list'], { env: { ...env, HTTP_PROXY: proxy.url } });
        expect({ code: res.code, err: res.err }).toEqual({ code: ExitCode.unreachable, err: expect.stringMatching(/^kairos: cannot reach Kairos at http:\/\/kairos\.corp\.example: (ENOTFOUND|EAI_AGAIN) /) as string });
        expect(proxy.tunnels).toEqual([]);
      });
    });
  });
});

// Review 59 (CLI), finding 8: a bare IPv6 address in NO_PROXY was read as host:port, so the proxy was still used.
describe('NO_PROXY with IPv6 addresses', () => {
  const env = (noProxy: string) => ({ HTTPS_PROXY: 'http://proxy.invalid:3128', NO_PROXY: noProxy });

  it.each(['fd00::10', '[fd00::10]', '[fd00::10]:8443', 'FD00:0:0::10', 'example.com, fd00::10'])('%s names https://[fd00::10]:8443', (noProxy) => {
    expect(proxyFor('https://[fd00::10]:8443', env(noProxy))).toBeUndefined();
  });

  it.each(['[fd00::10]:443', 'fd00::11', 'fd00:'])('%s does not', (noProxy) => {
    expect(proxyFor('https://[fd00::10]:8443', env(noProxy))).toMatchObject({ variable: 'HTTPS_PROXY' });
  });

  it('a name with a port still takes the port', () => {
    expect(proxyFor('https://kairos.example:8443', env('kairos.example:8443'))).toBeUndefined();
    expect(proxyFor('https://kairos.example:8443', env('kairos.example:443'))).toMatchObject({ variable: 'HTTPS_PROXY' });
  });
});
