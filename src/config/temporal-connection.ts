import { existsSync } from 'node:fs';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/client';
import { splitHostPort } from './host-port';
import { isPortOpen } from './port-open';

/** What every connection Kairos makes to a Temporal cluster carries (the API's client, the worker's, setup calls). */
export interface TemporalConnectionSettings {
  /** TLS with the given CA, client certificate and server name; `true`: TLS with system roots; absent: plaintext. */
  tls?: TLSConfig | boolean;
  /** Sent as `Authorization: Bearer <key>` (Temporal Cloud API keys); implies TLS. */
  apiKey?: string;
  /** Extra gRPC headers (TEMPORAL_GRPC_META_<NAME>). */
  metadata?: Record<string, string>;
}

export interface TemporalEndpointSettings {
  address?: string;
  namespace?: string;
  connection: TemporalConnectionSettings;
}

/**
 * Temporal's own client settings, read the way every Temporal SDK and the CLI
 * read them (@temporalio/envconfig): TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_SERVER_CA_CERT_PATH|_DATA,
 * TEMPORAL_TLS_CLIENT_CERT_PATH|_DATA, TEMPORAL_TLS_CLIENT_KEY_PATH|_DATA,
 * TEMPORAL_TLS_SERVER_NAME, TEMPORAL_GRPC_META_*, and a TOML profile
 * (TEMPORAL_PROFILE) from TEMPORAL_CONFIG_FILE, the variables winning over
 * the file. The file is read only when TEMPORAL_CONFIG_FILE names it: a
 * server does not pick up a profile from its user's home folder by surprise.
 * Certificates are read here, at boot; problems come back naming the variable.
 */
export function temporalEndpointFromEnv(env: Record<string, string>): { settings?: TemporalEndpointSettings; problems: string[] } {
  const file = env.TEMPORAL_CONFIG_FILE;
  if (file && !existsSync(file)) return { problems: [`TEMPORAL_CONFIG_FILE: no file at ${file}`] };
  // envconfig reads anything but "1" and "true" as false: TEMPORAL_TLS=yes (or TRUE) would send an API key in clear text.
  if (env.TEMPORAL_TLS && !['true', 'false', '1', '0'].includes(env.TEMPORAL_TLS)) {
    return { problems: [`TEMPORAL_TLS: "${env.TEMPORAL_TLS.slice(0, 40)}" is neither true nor false (1 and 0 are taken too)`] };
  }
  // envconfig reads it, but the SDK's connection has no such switch: it would turn TLS on and verify the host all the same.
  const skipVerify = env.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION;
  if (skipVerify && !['false', '0'].includes(skipVerify)) {
    return {
      problems: [
        "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: Kairos's Temporal client cannot skip host verification; set TEMPORAL_TLS_SERVER_NAME to a name in the server's certificate and TEMPORAL_TLS_SERVER_CA_CERT_PATH to the CA that signed it",
      ],
    };
  }
  // A header value with a line break or a control character makes every call fail, and the failure reads like an outage.
  const badHeader = Object.keys(env).find((name) => name.startsWith('TEMPORAL_GRPC_META_') && !/^[\t\x20-\x7e]*$/.test(env[name] ?? ''));
  if (badHeader) return { problems: [`${badHeader}: a gRPC header value must be printable ASCII (no line breaks or control characters)`] };
  try {
    const profile = loadClientConfigProfile({ overrideEnvVars: env, disableFile: !file, configFileStrict: true });
    const tls = profile.tls;
    if (tls && !tls.disabled && !!tls.clientCert !== !!tls.clientKey) {
      return { problems: ['TEMPORAL_TLS_CLIENT_CERT_PATH: a client certificate and its key (TEMPORAL_TLS_CLIENT_KEY_PATH) go together'] };
    }
    const { connectionOptions, namespace } = toClientOptions(profile);
    const addressProblem = connectionOptions.address === undefined ? null : temporalAddressProblem(connectionOptions.address);
    if (addressProblem) return { problems: [`TEMPORAL_ADDRESS: ${addressProblem}`] };
    return {
      settings: {
        address: connectionOptions.address,
        namespace,
        connection: {
          tls: asBuffers(connectionOptions.tls ?? undefined),
          apiKey: typeof connectionOptions.apiKey === 'string' ? connectionOptions.apiKey : undefined,
          metadata: profile.grpcMeta && Object.keys(profile.grpcMeta).length > 0 ? profile.grpcMeta : undefined,
        },
      },
      problems: [],
    };
  } catch (err) {
    const message = envconfigProblem(err);
    // A certificate or key file that cannot be read is named by the variable that points at it.
    const pathVariable = Object.keys(env).find((name) => /^TEMPORAL_TLS_\w+_PATH$/.test(name) && env[name] && message.includes(env[name]));
    return { problems: [`${pathVariable ?? (file ? 'TEMPORAL_CONFIG_FILE' : 'TEMPORAL_TLS')}: ${message}`] };
  }
}

/**
 * What envconfig threw, said in one line that holds nothing of the file. The
 * TOML parser's message goes on with the lines around the error, which may be
 * the API key's or an inline client key's, and the problem line goes to the
 * logs: its first line and the position say where the typo is without them.
 */
function envconfigProblem(err: unknown): string {
  const { message, line, column } = (typeof err === 'object' && err !== null ? err : {}) as { message?: unknown; line?: unknown; column?: unknown };
  const firstLine = String(message ?? err).split(/\r?\n/, 1)[0] ?? '';
  return typeof line === 'number' && typeof column === 'number' ? `${firstLine} (line ${line}, column ${column})` : firstLine;
}

/**
 * Why `address` is not a gRPC address the Temporal client can dial
 * (`host`, `host:port`, `[v6]:port`), or null. Checked at boot: the API
 * connects lazily and boots through an outage, so a mistyped port would
 * otherwise look like Temporal being away, with every event waiting in the
 * outbox.
 */
export function temporalAddressProblem(address: string): string | null {
  const parsed = splitHostPort(address);
  if (parsed === 'form') return `"${address}" is not host or host:port (e.g. temporal.internal:7233; no scheme, no path)`;
  if (parsed === 'port') return `"${address}" has no valid port (1-65535)`;
  return null;
}

/** The port the Temporal client dials when the address names none. */
const DEFAULT_TEMPORAL_PORT = 7233;

/**
 * Whether anything accepts a TCP connection at a Temporal address within
 * `timeoutMs`; null when the address is not host:port. Nothing listening and
 * a listener that makes no gRPC connection (TLS settings, another service)
 * look alike from the client's side: this tells them apart.
 */
export async function isTemporalListening(address: string, timeoutMs: number): Promise<boolean | null> {
  const parsed = splitHostPort(address);
  if (typeof parsed === 'string') return null;
  return isPortOpen(parsed.port ?? DEFAULT_TEMPORAL_PORT, parsed.host, timeoutMs);
}

/** envconfig reads files into Uint8Arrays; the client's TLS options want Buffers. */
function asBuffers(tls: TLSConfig | boolean | undefined): TLSConfig | boolean | undefined {
  if (tls === undefined || typeof tls === 'boolean') return tls;
  const buf = (b: Uint8Array | undefined) => (b ? Buffer.from(b) : undefined);
  return {
    serverNameOverride: tls.serverNameOverride,
    serverRootCACertificate: buf(tls.serverRootCACertificate),
    clientCertPair: tls.clientCertPair ? { crt: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : undefined,
  };
}

/**
 * What to check when something accepts connections at the address and still
 * no gRPC connection comes of it: a TLS mismatch looks exactly like that from
 * the client's side (the handshake fails until the deadline), so the message
 * says which way TLS was set.
 */
export function unreachableHint(settings: TemporalConnectionSettings): string {
  return settings.tls || settings.apiKey
    ? 'TLS is on (TEMPORAL_TLS_* or an API key): check that the server speaks TLS there and that its certificate and name match'
    : 'TLS is off: a server that requires TLS (Temporal Cloud, a TLS-terminating proxy) needs TEMPORAL_TLS_* (docs/operations.md)';
}
