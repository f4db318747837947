/**
 * resolveDestination against a DNS the test writes: `lookup` (getaddrinfo) runs
 * on a simulated libuv pool of 4 threads, as the real one does, where a lookup
 * whose DNS never answers keeps its thread; the c-ares Resolver needs no thread,
 * and a query cancelled with `cancel()` ends with ECANCELLED.
 */

type Answer = string[] | { code: string } | 'never';

interface Name {
  /** The system lookup's answer (getaddrinfo: /etc/hosts, then DNS). */
  lookup: Answer;
  /** The DNS servers' answer to A and AAAA queries (c-ares). */
  a: Answer;
  aaaa: Answer;
}

const notFound = { code: 'ENOTFOUND' };
const noData = { code: 'ENODATA' };

const NAMES: Record<string, Name> = {
  'good.example': { lookup: ['93.184.215.14'], a: ['93.184.215.14'], aaaa: ['2606:2800:21f:cb07:6820:80da:af6b:10c8'] },
  'slow.example': { lookup: 'never', a: 'never', aaaa: 'never' },
  'v4only.example': { lookup: ['93.184.215.15'], a: ['93.184.215.15'], aaaa: noData },
  'v6only.example': { lookup: ['2606:4700:4700::1111'], a: noData, aaaa: ['2606:4700:4700::1111'] },
  // Its DNS path drops AAAA queries (RFC 4074): the A answer comes, the AAAA one never does.
  'v6-silent.example': { lookup: ['93.184.215.18'], a: ['93.184.215.18'], aaaa: 'never' },
  'internal-aaaa.example': { lookup: ['93.184.215.16', 'fd00::7'], a: ['93.184.215.16'], aaaa: ['fd00::7'] },
  'internal-a.example': { lookup: ['10.0.0.7', '2606:4700:4700::1111'], a: ['10.0.0.7'], aaaa: ['2606:4700:4700::1111'] },
  // Known only to /etc/hosts: c-ares (which does not read it) finds nothing.
  'hosts-only.example': { lookup: ['93.184.215.17'], a: notFound, aaaa: notFound },
  'hosts-loopback.example': { lookup: ['127.0.0.1'], a: notFound, aaaa: notFound },
  'hosts-stuck.example': { lookup: 'never', a: notFound, aaaa: notFound },
  // The domain's DNS is broken: its servers fail; the system lookup would hang on it.
  'servfail.example': { lookup: 'never', a: { code: 'ESERVFAIL' }, aaaa: { code: 'ESERVFAIL' } },
  // The operator's internal host, listed in WEBHOOK_ALLOWED_HOSTS; resolvable through the search domains only.
  'internal.example': { lookup: ['10.0.0.5'], a: notFound, aaaa: notFound },
  // An IPv4-compatible AAAA (::808:808), printed the way Node's resolver prints it.
  'compat.example': { lookup: ['::8.8.8.8'], a: noData, aaaa: ['::8.8.8.8'] },
};

const mockDns = {
  /** The libuv pool: 4 threads, one FIFO queue. */
  threads: 4,
  busy: 0,
  queue: [] as Array<() => void>,
  lookups: [] as string[],
  queries: [] as string[],
  cancels: 0,
  reset() {
    this.busy = 0;
    this.queue = [];
    this.lookups = [];
    this.queries = [];
    this.cancels = 0;
  },
  lookup(host: string): Promise<Array<{ address: string; family: number }>> {
    return new Promise((resolve, reject) => {
      const run = () => {
        this.busy += 1;
        this.lookups.push(host);
        const answer = NAMES[host]?.lookup ?? notFound;
        if (answer === 'never') return; // its thread stays taken
        setImmediate(() => {
          this.busy -= 1;
          this.queue.shift()?.();
          if (Array.isArray(answer)) resolve(answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
          else reject(Object.assign(new Error(answer.code), answer));
        });
      };
      if (this.busy < this.threads) run();
      else this.queue.push(run);
    });
  },
  resolver() {
    const pending: Array<(err: Error) => void> = [];
    const query = (host: string, type: 'a' | 'aaaa') =>
      new Promise<string[]>((resolve, reject) => {
        this.queries.push(`${type} ${host}`);
        const answer = NAMES[host]?.[type] ?? notFound;
        if (answer === 'never') pending.push(reject);
        else if (Array.isArray(answer)) setImmediate(() => resolve(answer));
        else setImmediate(() => reject(Object.assign(new Error(answer.code), answer)));
      });
    return {
      resolve4: (host: string) => query(host, 'a'),
      resolve6: (host: string) => query(host, 'aaaa'),
      cancel: () => {
        this.cancels += 1;
        for (const reject of pending.splice(0)) reject(Object.assign(new Error('cancelled'), { code: 'ECANCELLED' }));
      },
    };
  },
};

jest.mock('node:dns/promises', () => ({
  lookup: (host: string) => mockDns.lookup(host),
  Resolver: function Resolver() {
    return mockDns.resolver();
  },
}));

let resolveDestination: (typeof import('./destination'))['resolveDestination'];
beforeEach(async () => {
  // A fresh module each test: lookups left hanging by one test hold nothing in the next.
  jest.resetModules();
  mockDns.reset();
  ({ resolveDestination } = await import('./destination'));
});

const stuck = (host: string, n: number, ms = 50) => Promise.all(Array.from({ length: n }, () => resolveDestination(`https://${host}/x`, [], ms)));

describe('resolveDestination: one name whose DNS never answers does not stall the others', () => {
  it('20 resolutions of a never-answering name, then a good name resolves at once', async () => {
    const failed = await stuck('slow.example', 20);
    expect(failed).toEqual(Array.from({ length: 20 }, () => ({ ok: false, retryable: true, error: 'could not resolve slow.example within 50 ms' })));
    // A deadline no pause of a loaded CI machine reaches: a good name queued behind the stuck ones (on the pool their
    // lookups keep) would never resolve, and jest's timeout fails the test; the answers below show which path it took.
    const good = await resolveDestination('https://good.example/x', [], 30_000);
    expect(good.ok ? good.addresses : good.error).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:10c8', family: 6 },
    ]);
    // The stuck queries were called off at their deadline, and none took a thread.
    expect(mockDns.cancels).toBe(20);
    expect(mockDns.lookups).toEqual([]);
  });

  it('a domain whose DNS servers fail is not handed to the system lookup', async () => {
    // A deadline no pause of a loaded CI machine reaches: what is checked is how the failure reads (not a timeout), not how fast.
    expect(await stuck('servfail.example', 20, 5_000)).toEqual(Array.from({ length: 20 }, () => ({ ok: false, retryable: true, error: 'could not resolve servfail.example' })));
    expect(mockDns.lookups).toEqual([]);
    expect(await resolveDestination('https://good.example/x', [], 1_000)).toMatchObject({ ok: true });
  });

  it('names DNS does not know go to the system lookup one at a time: a stuck one holds one thread, never all four', async () => {
    const failed = await stuck('hosts-stuck.example', 20);
    expect(new Set(failed.map((f) => JSON.stringify(f)))).toEqual(new Set([JSON.stringify({ ok: false, retryable: true, error: 'could not resolve hosts-stuck.example within 50 ms' })]));
    expect(mockDns.lookups).toEqual(['hosts-stuck.example']);
    expect(mockDns.busy).toBe(1);
    // Names DNS knows, and the operator's listed hosts (which have their own slots), are not held up.
    expect(await resolveDestination('https://good.example/x', [], 1_000)).toMatchObject({ ok: true });
    expect(await resolveDestination('https://internal.example/x', [{ host: 'internal.example' }], 1_000)).toMatchObject({
      ok: true,
      addresses: [{ address: '10.0.0.5', family: 4 }],
    });
  });

  it("a listed host's stuck lookups hold one thread; its other lookups wait for a slot within their deadline", async () => {
    NAMES['listed-stuck.example'] = { lookup: 'never', a: 'never', aaaa: 'never' };
    try {
      const listed = [{ host: 'listed-stuck.example' }, { host: 'internal.example' }];
      const failed = await Promise.all(Array.from({ length: 10 }, () => resolveDestination('https://listed-stuck.example/x', listed, 50)));
      expect(failed.every((f) => !f.ok && f.retryable && f.error === 'could not resolve listed-stuck.example within 50 ms')).toBe(true);
      expect(mockDns.lookups).toEqual(['listed-stuck.example']);
      // Three threads are left: a name DNS does not know still reaches the system lookup.
      expect(await resolveDestination('https://hosts-only.example/x', [], 1_000)).toMatchObject({ ok: true, addresses: [{ address: '93.184.215.17', family: 4 }] });
      expect(mockDns.busy).toBe(1);
    } finally {
      delete NAMES['listed-stuck.example'];
    }
  });
});

describe("resolveDestination: the operator's configured gateway (review-54-diff-a, finding 1)", () => {
  // Deadlines no pause of a loaded CI machine reaches for the lookups that must succeed: what is checked is which
  // path and which slot a name took, not how fast.
  it('resolves its name by DNS, one DNS does not know by the system lookup (search domains, /etc/hosts), a listed one by the system lookup, and leaves its addresses unchecked', async () => {
    // Known only through the search domains: DNS says NXDOMAIN, the system lookup finds it.
    expect(await resolveDestination('https://internal.example/x', [], 2_000, { configured: true })).toMatchObject({ ok: true, addresses: [{ address: '10.0.0.5', family: 4 }] });
    // Known to DNS: no system lookup.
    expect(await resolveDestination('https://internal-a.example/x', [], 2_000, { configured: true })).toMatchObject({ ok: true, addresses: [{ address: '10.0.0.7', family: 4 }, { address: '2606:4700:4700::1111', family: 6 }] });
    // Listed: the system lookup only, as any listed host (an /etc/hosts entry comes first).
    expect(await resolveDestination('https://hosts-loopback.example/x', [{ host: 'hosts-loopback.example' }], 2_000, { configured: true })).toMatchObject({ ok: true, addresses: [{ address: '127.0.0.1', family: 4 }] });
    expect(mockDns.queries).toEqual(['a internal.example', 'aaaa internal.example', 'a internal-a.example', 'aaaa internal-a.example']);
    expect(mockDns.lookups).toEqual(['internal.example', 'hosts-loopback.example']);
  });

  it("is not delayed by a campaign webhook's hanging system lookup of a name DNS does not know", async () => {
    // A webhook step's name: NXDOMAIN from DNS, and a system lookup that never ends (a search domain or mDNS timing out).
    expect(await stuck('hosts-stuck.example', 5)).toEqual(Array.from({ length: 5 }, () => ({ ok: false, retryable: true, error: 'could not resolve hosts-stuck.example within 50 ms' })));
    expect(mockDns.busy).toBe(1);
    // Before, the gateway's name took the same path and waited for the one slot the stuck lookup keeps. Its system
    // lookup now runs on the gateways' own slot, beside the stuck one.
    expect(await resolveDestination('https://internal.example/x', [], 2_000, { configured: true })).toMatchObject({ ok: true, addresses: [{ address: '10.0.0.5', family: 4 }] });
    expect(mockDns.lookups).toEqual(['hosts-stuck.example', 'internal.example']);
    expect(mockDns.busy).toBe(1);
  });

  it("is not delayed by a campaign webhook's hanging lookups of a listed host, even when the gateway is listed too", async () => {
    NAMES['listed-stuck.example'] = { lookup: 'never', a: 'never', aaaa: 'never' };
    try {
      // A webhook step may name any listed host: the listed hosts' slots are campaigns' too.
      const listed = [{ host: 'listed-stuck.example' }, { host: 'internal.example' }];
      await Promise.all(Array.from({ length: 10 }, () => resolveDestination('https://listed-stuck.example/x', listed, 50)));
      expect(await resolveDestination('https://internal.example/x', listed, 2_000, { configured: true })).toMatchObject({ ok: true, addresses: [{ address: '10.0.0.5', family: 4 }] });
    } finally {
      delete NAMES['listed-stuck.example'];
    }
  });

  it("one channel's gateway whose system lookup hangs delays no other channel's gateway that DNS knows, and those resolve in parallel (review-54-diff-c, finding 1)", async () => {
    // The e-mail gateway: NXDOMAIN from DNS, and a system lookup that never ends; it keeps the gateways' slot.
    const email = await Promise.all(Array.from({ length: 5 }, () => resolveDestination('https://hosts-stuck.example/x', [], 50, { configured: true })));
    expect(email.every((f) => !f.ok && f.retryable && f.error === 'could not resolve hosts-stuck.example within 50 ms')).toBe(true);
    expect(mockDns.busy).toBe(1);
    // The push and sms gateways, known to DNS: a burst of their messages all resolve at once, none waits for that slot.
    // Before, every gateway name took the one slot in turn, and these failed at their deadline.
    const push = Array.from({ length: 20 }, () => resolveDestination('https://internal-a.example/x', [], 2_000, { configured: true }));
    const sms = Array.from({ length: 20 }, () => resolveDestination('https://good.example/x', [], 2_000, { configured: true }));
    const answers = await Promise.all([...push, ...sms]);
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    expect(answers[0]).toMatchObject({ addresses: [{ address: '10.0.0.7', family: 4 }, { address: '2606:4700:4700::1111', family: 6 }] });
    expect(mockDns.lookups).toEqual(['hosts-stuck.example']);
  });

  it("a gateway whose DNS never answers holds no slot: another channel's gateway DNS does not know still reaches the system lookup (review-54-diff-c, finding 1)", async () => {
    // The e-mail gateway's DNS stops answering: its queries are called off at the deadline, and no system lookup is left hanging.
    const email = await Promise.all(Array.from({ length: 5 }, () => resolveDestination('https://slow.example/x', [], 50, { configured: true })));
    expect(email).toEqual(Array.from({ length: 5 }, () => ({ ok: false, retryable: true, error: 'could not resolve slow.example within 50 ms' })));
    expect(mockDns.cancels).toBe(5);
    expect(mockDns.busy).toBe(0);
    // The push gateway, a short name only the search domains know. Before, it waited behind the e-mail gateway's hanging lookup.
    expect(await resolveDestination('https://internal.example/x', [], 2_000, { configured: true })).toMatchObject({ ok: true, addresses: [{ address: '10.0.0.5', family: 4 }] });
    expect(mockDns.lookups).toEqual(['internal.example']);
  });

  it("a gateway whose lookups hang holds one thread and delays no campaign's names; all three slots stuck leave a thread free", async () => {
    NAMES['listed-stuck.example'] = { lookup: 'never', a: 'never', aaaa: 'never' };
    try {
      const failed = await Promise.all(Array.from({ length: 10 }, () => resolveDestination('https://hosts-stuck.example/x', [], 50, { configured: true })));
      expect(failed.every((f) => !f.ok && f.retryable && f.error === 'could not resolve hosts-stuck.example within 50 ms')).toBe(true);
      expect(mockDns.lookups).toEqual(['hosts-stuck.example']);
      expect(await resolveDestination('https://hosts-only.example/x', [], 2_000)).toMatchObject({ ok: true, addresses: [{ address: '93.184.215.17', family: 4 }] });
      expect(await resolveDestination('https://internal.example/x', [{ host: 'internal.example' }], 2_000)).toMatchObject({ ok: true, addresses: [{ address: '10.0.0.5', family: 4 }] });
      // The listed hosts' and the other names' slots stuck as well: three of the pool's four threads, never the fourth.
      await resolveDestination('https://listed-stuck.example/x', [{ host: 'listed-stuck.example' }], 50);
      await stuck('hosts-stuck.example', 3);
      expect(mockDns.busy).toBe(3);
    } finally {
      delete NAMES['listed-stuck.example'];
    }
  });
});

describe('resolveDestination: every address of both families is checked', () => {
  it('refuses a name whose AAAA (or A) records are not public, though the other family is', async () => {
    expect(await resolveDestination('https://internal-aaaa.example/x', [], 1_000)).toEqual({
      ok: false,
      retryable: false,
      error: 'refused: internal-aaaa.example resolves to a uniqueLocal address; list it in WEBHOOK_ALLOWED_HOSTS to allow it',
    });
    expect(await resolveDestination('https://internal-a.example/x', [], 1_000)).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('a private address') });
  });

  it('takes a name with records of one family only (the other ENODATA)', async () => {
    expect(await resolveDestination('https://v4only.example/x', [], 1_000)).toEqual({ ok: true, url: new URL('https://v4only.example/x'), addresses: [{ address: '93.184.215.15', family: 4 }] });
    expect(await resolveDestination('https://v6only.example/x', [], 1_000)).toMatchObject({ ok: true, addresses: [{ address: '2606:4700:4700::1111', family: 6 }] });
  });

  it('goes on with the family that answered when the other never does (review-47-outbound, finding 4)', async () => {
    // Before, it waited for both until the deadline, and then threw the A answer away as well.
    expect(await resolveDestination('https://v6-silent.example/x', [], 200)).toEqual({ ok: true, url: new URL('https://v6-silent.example/x'), addresses: [{ address: '93.184.215.18', family: 4 }] });
    // The query still out was cancelled: it holds nothing once the delivery goes on.
    expect(mockDns.cancels).toBe(1);
  });

  it('asks the system lookup for a name only /etc/hosts knows, and checks its answer as strictly', async () => {
    expect(await resolveDestination('https://hosts-only.example/x', [], 1_000)).toMatchObject({ ok: true, addresses: [{ address: '93.184.215.17', family: 4 }] });
    expect(await resolveDestination('https://hosts-loopback.example/x', [], 1_000)).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringMatching(/^refused: hosts-loopback.example resolves to a loopback address/),
    });
    expect(await resolveDestination('https://nowhere.example/x', [], 1_000)).toEqual({ ok: false, retryable: true, error: 'could not resolve nowhere.example' });
  });

  it('refuses an IPv4-compatible AAAA in the dotted form resolvers print (::8.8.8.8), as its canonical ::808:808 is', async () => {
    expect(await resolveDestination('https://compat.example/x', [], 1_000)).toEqual({
      ok: false,
      retryable: false,
      error: 'refused: compat.example resolves to an IPv4-compatible IPv6 address (::a.b.c.d; deprecated); list it in WEBHOOK_ALLOWED_HOSTS to allow it',
    });
  });

  it('resolves a listed host with the system lookup (search domains, /etc/hosts), unchecked as before', async () => {
    expect(await resolveDestination('https://internal.example/x', [{ host: 'internal.example' }], 1_000)).toMatchObject({ ok: true, addresses: [{ address: '10.0.0.5', family: 4 }] });
    expect(mockDns.queries).toEqual([]);
    expect(await resolveDestination('https://internal.example/x', [], 1_000)).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('a private address') });
  });
});
