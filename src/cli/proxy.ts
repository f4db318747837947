import { isLoopback, loginOf, withoutUserinfo } from './connection';
import { CliError, ExitCode } from './exit-codes';
import type { CliIo } from './io';

/** The proxy variables as undici's EnvHttpProxyAgent takes them: given in full, it reads none from process.env. */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  /**
   * Always empty: NO_PROXY is read by proxyFor alone, whose answer is the one
   * decision (no proxy there means no proxy agent at all). Given NO_PROXY,
   * the agent would apply its own reading of it, which an undici release may
   * change, and could go direct where the CLI's messages name the proxy.
   */
  noProxy: '';
}

/** The proxy requests to Kairos go through, and the settings to go through it with. */
export interface EgressProxy {
  settings: ProxySettings;
  /** The proxy's URL as messages show it (a user name or password in it left out). */
  shown: string;
  /** The variable it came from, as messages name it (`HTTPS_PROXY`). */
  variable: string;
}

/**
 * The proxy that requests to `kairosUrl` go through, as curl, npm and git read the
 * variables: `https_proxy`/`HTTPS_PROXY` for an https URL (`http_proxy`/
 * `HTTP_PROXY` when neither is set, as undici does), `http_proxy`/`HTTP_PROXY`
 * for an http one, none for a host `no_proxy`/`NO_PROXY` names. Never for a URL
 * on this machine: a proxy cannot reach the development server there, and a
 * CI runner's proxy variables must not break `npm start` beside it.
 */
export function proxyFor(kairosUrl: string, env: CliIo['env']): EgressProxy | undefined {
  if (isLoopback(kairosUrl)) return undefined;
  const url = new URL(kairosUrl);
  const http = proxyVariable(env, ['http_proxy', 'HTTP_PROXY']);
  const https = proxyVariable(env, ['https_proxy', 'HTTPS_PROXY']);
  const noProxy = env.no_proxy || env.NO_PROXY || '';
  const used = url.protocol === 'https:' ? (https ?? http) : http;
  if (!used || namedByNoProxy(url, noProxy)) return undefined;
  return { settings: { httpProxy: http?.url ?? '', httpsProxy: https?.url ?? '', noProxy: '' }, shown: withoutUserinfo(used.url), variable: used.variable };
}

/** The first of `names` set (not empty), as a proxy URL; one that is no http(s) URL is a usage error naming the variable. */
function proxyVariable(env: CliIo['env'], names: string[]): { url: string; variable: string } | undefined {
  const variable = names.find((name) => env[name]);
  if (variable === undefined) return undefined;
  const value = (env[variable] ?? '').trim();
  // curl takes `proxy.corp:3128` as an http proxy; so does this.
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  // A `/`, `?` or `#` in the password (unencoded) ends the login there for the URL parser, which would take the rest,
  // or a piece of the password, for the host: refused, shown without the login (everything up to the last `@`).
  if (/[/?#]/.test(loginOf(url).userInfo)) {
    throw new CliError(
      `${variable} (${withoutUserinfo(value)}): its user or password holds a \`/\`, \`?\` or \`#\` (an \`@\` comes after one), which ends them there: percent-encode the password (\`/\` is %2F, \`?\` is %3F, \`#\` is %23, \`@\` is %40)`,
      ExitCode.usage,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`${variable} is not a URL: ${withoutUserinfo(value)} (write it as http://host:port)`, ExitCode.usage);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`${variable} is not an http:// or https:// proxy: ${withoutUserinfo(value)}`, ExitCode.usage);
  }
  return { url, variable };
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * Whether NO_PROXY names the URL's host: entries split at commas and
 * blanks, `*` for every host, `host` or `.host` or `*.host` for it and
 * every host under it, `host:port` for that port only, an IPv6 address
 * bare or in brackets (`fd00::10`, `[fd00::10]:8443`); any other `*` is
 * no wildcard (`*corp.example` names no host). That is how undici 7 reads
 * it too, but the agent is not asked (ProxySettings.noProxy): this answer
 * alone decides, and the messages say it.
 */
function namedByNoProxy(url: URL, noProxy: string): boolean {
  const entries = noProxy.split(/[,\s]/).filter(Boolean);
  if (noProxy === '*') return true;
  // An IPv6 host without its brackets, as NO_PROXY entries are compared.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = Number.parseInt(url.port, 10) || DEFAULT_PORTS[url.protocol] || 0;
  return entries.some((entry) => {
    const { name, given } = entryParts(entry);
    if (given !== undefined && Number.parseInt(given, 10) !== port) return false;
    const named = name.includes(':') ? ipv6(name) : name.replace(/^\*?\./, '').toLowerCase();
    return host === named || host.endsWith(`.${named}`);
  });
}

/**
 * A NO_PROXY entry's name and port. A bare IPv6 address (`fd00::10`, as
 * curl takes it) holds colons of its own: a port is read only after `]`
 * (`[fd00::10]:8443`), or after the one colon of a name (`host:8443`).
 */
function entryParts(entry: string): { name: string; given?: string } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1], given: bracketed[2] };
  const named = /^([^:]+):(\d+)$/.exec(entry);
  return named ? { name: named[1], given: named[2] } : { name: entry };
}

/** An IPv6 address as the URL parser writes a host (`FD00:0::10` is `fd00::10`), to compare with one; as it is when it is none. */
function ipv6(address: string): string {
  try {
    return new URL(`http://[${address}]`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return address.toLowerCase();
  }
}
