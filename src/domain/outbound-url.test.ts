import { hasUrlCredentials, withoutCredentials } from './outbound-url';

describe('URL credentials', () => {
  it('are found in any spelling the URL parser takes, and masked for showing', () => {
    expect(hasUrlCredentials('http://user:pass@127.0.0.1:5211/userinfo')).toBe(true);
    expect(hasUrlCredentials('https://token@hooks.example/x')).toBe(true);
    expect(hasUrlCredentials('https://:pw@hooks.example/x')).toBe(true);
    expect(hasUrlCredentials('https://hooks.example/x?user=a&password=b')).toBe(false);
    expect(hasUrlCredentials('not a url')).toBe(false);
    expect(withoutCredentials('http://user:pass@127.0.0.1:5211/userinfo')).toBe('http://***@127.0.0.1:5211/userinfo');
    expect(withoutCredentials('https://hooks.example/x')).toBe('https://hooks.example/x');
  });
});
