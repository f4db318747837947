import { splitHostPort } from './host-port';

describe('splitHostPort', () => {
  it('reads a host, a host with its port, and IPv6 in brackets', () => {
    expect(splitHostPort('temporal')).toEqual({ host: 'temporal' });
    expect(splitHostPort('temporal.internal:7233')).toEqual({ host: 'temporal.internal', port: 7233 });
    expect(splitHostPort('10.0.0.5:1')).toEqual({ host: '10.0.0.5', port: 1 });
    expect(splitHostPort('[::1]')).toEqual({ host: '::1' });
    expect(splitHostPort('[fe80::1]:65535')).toEqual({ host: 'fe80::1', port: 65535 });
  });

  it('takes a bare IPv6 address only when asked, and then without a port', () => {
    expect(splitHostPort('::1')).toBe('form');
    expect(splitHostPort('::1', { bareIpv6: true })).toEqual({ host: '::1' });
    expect(splitHostPort('2001:db8::7:443', { bareIpv6: true })).toEqual({ host: '2001:db8::7:443' });
    expect(splitHostPort('a:b:c', { bareIpv6: true })).toEqual({ host: 'a:b:c' });
    expect(splitHostPort('host:name:80', { bareIpv6: true })).toBe('form');
  });

  it('refuses ports outside 1-65535 and anything that is not a number', () => {
    for (const port of ['0', '65536', '99999', '', '-1', '7233x', '1e3', ' 80']) expect(splitHostPort(`temporal:${port}`)).toBe('port');
  });

  it('refuses schemes, users, paths, spaces and unbalanced brackets', () => {
    for (const text of ['', 'http://temporal:7233', 'user@temporal', 'temporal:7233/ns', 'tem poral', '[::1', '::1]:80', '[not-v6]:80', '[::1]x']) {
      expect(splitHostPort(text, { bareIpv6: true })).toBe('form');
    }
  });
});
