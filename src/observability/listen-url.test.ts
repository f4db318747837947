import { listenUrl } from './listen-url';

describe('listenUrl', () => {
  it('names localhost for a wildcard bind, which every local address reaches', () => {
    expect(listenUrl('0.0.0.0', 3000)).toBe('http://localhost:3000');
    expect(listenUrl('::', 3000)).toBe('http://localhost:3000');
  });

  it('names the one address a server bound to it answers on', () => {
    expect(listenUrl('127.0.0.2', 3000)).toBe('http://127.0.0.2:3000');
    expect(listenUrl('kairos.internal', 8080)).toBe('http://kairos.internal:8080');
  });

  it('puts an IPv6 address in brackets', () => {
    expect(listenUrl('::1', 9464)).toBe('http://[::1]:9464');
  });
});
