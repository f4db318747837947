import { nonPublicReason, resolveDestination } from './destination';

describe('nonPublicReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['168.63.129.16', 'metadata'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    // IPv4-compatible (::/96): ipaddr.js reads these as unicast.
    ['::7f00:1', 'IPv4-compatible'],
    // The dotted form, as Node's resolver prints an IPv4-compatible AAAA: the same address as ::7f00:1, judged alike.
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::8.8.8.8', 'IPv4-compatible'],
    ['::0.0.0.2', 'IPv4-compatible'],
    ['::ffff:0:8.8.8.8', 'rfc6145'],
    ['fe80::1%eth0', 'linkLocal'],
    ['::a00:7', 'IPv4-compatible'],
    ['::a9fe:a9fe', 'IPv4-compatible'],
    ['::808:808', 'IPv4-compatible'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(nonPublicReason(address)).toContain(kind);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2606:4700:4700:0:0:0:0:1111', '::ffff:8.8.8.8', '::FFFF:8.8.8.8'])('lets the public address %s through', (address) => {
    expect(nonPublicReason(address)).toBeUndefined();
  });
});

describe('resolveDestination', () => {
  it('refuses a loopback literal unless its host (or host:port) is listed', async () => {
    expect(await resolveDestination('http://127.0.0.2:8080/x', [], 5_000)).toEqual({
      ok: false,
      retryable: false,
      error: 'refused: 127.0.0.2 resolves to a loopback address; list it in WEBHOOK_ALLOWED_HOSTS to allow it',
    });
    expect(await resolveDestination('http://127.0.0.2:8080/x', [{ host: '127.0.0.2' }], 5_000)).toMatchObject({ ok: true, addresses: [{ address: '127.0.0.2', family: 4 }] });
    expect(await resolveDestination('http://127.0.0.2:8080/x', [{ host: '127.0.0.2', port: 8080 }], 5_000)).toMatchObject({ ok: true });
    expect(await resolveDestination('http://127.0.0.2:8081/x', [{ host: '127.0.0.2', port: 8080 }], 5_000)).toMatchObject({ ok: false, retryable: false });
    expect(await resolveDestination('http://[::1]:80/', [{ host: '::1' }], 5_000)).toMatchObject({ ok: true, addresses: [{ address: '::1', family: 6 }] });
    expect(await resolveDestination('http://[::ffff:7f00:1]/', [], 5_000)).toMatchObject({ ok: false, retryable: false });
  });

  it("skips the address check for the operator's configured gateway (configured), and for nothing else", async () => {
    expect(await resolveDestination('http://127.0.0.2:8080/push', [], 5_000, { configured: true })).toMatchObject({ ok: true, addresses: [{ address: '127.0.0.2', family: 4 }] });
    expect(await resolveDestination('http://10.0.0.5:8080/push', [], 5_000, { configured: true })).toMatchObject({ ok: true });
    expect(await resolveDestination('http://127.0.0.2:8080/push', [], 5_000, { configured: false })).toMatchObject({ ok: false, retryable: false });
    expect(await resolveDestination('http://127.0.0.2:8080/push', [], 5_000)).toMatchObject({ ok: false, retryable: false });
    // Still an http(s) URL only.
    expect(await resolveDestination('ftp://127.0.0.2/push', [], 5_000, { configured: true })).toMatchObject({ ok: false, retryable: false });
  });

  it('checks what a name resolves to, not the name', async () => {
    const refused = await resolveDestination('http://localhost:9/x', [], 5_000);
    expect(refused).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^refused: localhost resolves to a loopback address/) });
    expect(await resolveDestination('http://localhost:9/x', [{ host: 'localhost' }], 5_000)).toMatchObject({ ok: true });
  });

  it('refuses URLs that are not http(s)', async () => {
    expect(await resolveDestination('file:///etc/passwd', [], 5_000)).toMatchObject({ ok: false, retryable: false });
    expect(await resolveDestination('gopher://1.1.1.1/', [], 5_000)).toMatchObject({ ok: false, retryable: false });
  });
});
