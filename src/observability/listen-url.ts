/**
 * The address a person can open for a server listening on `host`: a wildcard
 * bind (0.0.0.0, ::) is reached through localhost, an IPv6 address goes in
 * brackets, anything else is itself. The banners print it, so HOST=127.0.0.2
 * is not announced as localhost, where nothing answers.
 */
export function listenUrl(host: string, port: number): string {
  return `http://${clickableHost(host)}:${port}`;
}

function clickableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
