import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ConfigError, type Config, type TemporalConnectionSettings } from '../config/config';
import { isTemporalListening, unreachableHint } from '../config/temporal-connection';
import { resolveTemporalCli } from './cli-binary';
import { startDevServer } from './dev-server';
import { journeySearchAttributes } from '../workflows/journey/contract';
import { CLI_TYPE_NAMES, INDEXED_VALUE_TYPES } from './search-attribute-types';
import { isConnectivityError, TemporalUnreachableError } from '../temporal/connectivity';
import { isOwnSearchAttributeUnknown } from '../temporal/refusals';

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNIMPLEMENTED = 12;

export interface TemporalEndpoint {
  address: string;
  namespace: string;
  /** Base URL of the Temporal web UI, when known. */
  uiUrl?: string;
  /** TLS and API key for a given cluster; none towards the own dev server. */
  connection: TemporalConnectionSettings;
  /** Stops the dev server this process started; a no-op for a given address. */
  stop(): Promise<void>;
  /** True for the own dev server, started with Kairos's search attributes; a given server's are registered at boot. */
  searchAttributesRegistered: boolean;
}

/**
 * TEMPORAL_ADDRESS when set; otherwise a dev server of our own, with its web
 * UI and a SQLite file under the data folder so journeys survive a restart.
 */
export async function provideTemporal(config: Config, log: (line: string) => void, error: (line: string) => void = log): Promise<TemporalEndpoint> {
  const { temporal } = config;
  if (temporal.address) {
    return { address: temporal.address, namespace: temporal.namespace, uiUrl: temporal.uiUrl, connection: temporal.connection, stop: async () => undefined, searchAttributesRegistered: false };
  }
  const binary = await resolveTemporalCli({ cliPath: temporal.cliPath, cacheDir: config.cacheDir, log });
  const server = await startDevServer({
    binary,
    port: temporal.devPort,
    uiPort: temporal.uiPort,
    dbFile: path.join(config.dataDir, 'temporal.sqlite'),
    namespace: temporal.namespace,
    log,
    onUnexpectedExit: error,
  });
  return { address: server.address, namespace: temporal.namespace, uiUrl: temporal.uiUrl ?? server.uiUrl, connection: {}, stop: () => server.stop(), searchAttributesRegistered: true };
}

/**
 * Nothing listening and a listener that speaks no gRPC fail alike from the
 * client's side (no connection before the deadline). A bare TCP connect tells
 * them apart, so the message says which to look at: the address, or the TLS
 * settings (the usual cause of the second).
 */
async function whyUnreachable(address: string, settings: TemporalConnectionSettings): Promise<string> {
  const listening = await isTemporalListening(address, 2_000);
  if (listening === null) return 'the address is not host:port';
  return listening ? `something accepts connections there but made no gRPC connection; ${unreachableHint(settings)}` : 'nothing accepts connections there';
}

/**
 * Temporal answered that this client may not manage search attributes: Temporal Cloud (they are created with tcld,
 * the Cloud UI or Terraform, never through the operator API), or a cluster whose authorizer gives Kairos's identity
 * less than admin rights. Not an outage, and no retry will change it.
 */
function isRefused(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === GRPC_PERMISSION_DENIED || code === GRPC_UNIMPLEMENTED;
}

type JourneySearchAttribute = (typeof journeySearchAttributes)[number];

/** `CampaignKey (Keyword), UserId (Keyword) and CampaignVersion (Int)`. */
function describeAttributes(attributes: readonly JourneySearchAttribute[]): string {
  const named = attributes.map((a) => `${a.name} (${CLI_TYPE_NAMES[a.type]})`);
  return named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named.join('');
}

/** The commands that create them, for Temporal Cloud and for a self-hosted cluster (as its admin). */
function howToCreate(namespace: string, attributes: readonly JourneySearchAttribute[]): string {
  const tcld = attributes.map((a) => ` --search-attribute "${a.name}=${CLI_TYPE_NAMES[a.type]}"`).join('');
  const cli = attributes.map((a) => `temporal operator search-attribute create --namespace ${namespace} --name ${a.name} --type ${CLI_TYPE_NAMES[a.type]}`).join('; ');
  return `Temporal Cloud: tcld namespace search-attributes add --namespace ${namespace}${tcld}, or the Cloud UI (the namespace's Search Attributes); a self-hosted cluster: as its admin, ${cli}`;
}

/**
 * Said as configuration (exit 2) rather than an outage or a crash: the operator creates the attributes, or gives
 * Kairos's identity the right to, and starts again. A crash loop would rotate an API key that is fine.
 */
function refusedError(address: string, namespace: string, step: 'list' | 'add', attributes: readonly JourneySearchAttribute[], err: Error): ConfigError {
  if (step === 'add') {
    return new ConfigError([
      `TEMPORAL_NAMESPACE: Temporal at ${address} refused to register Kairos's search attributes (${err.message}): create ${describeAttributes(attributes)} in namespace "${namespace}" and start again (${howToCreate(namespace, attributes)})`,
    ]);
  }
  return new ConfigError([
    `TEMPORAL_NAMESPACE: Temporal at ${address} refused to list the search attributes of namespace "${namespace}" (${err.message}), which Kairos checks at boot: ` +
      `let its identity (TEMPORAL_API_KEY or client certificate) read that namespace, and make sure ${describeAttributes(attributes)} exist there (${howToCreate(namespace, attributes)})`,
  ]);
}

/**
 * How long a boot waits for the frontend to know the attributes (probe every `everyMs`, at most `withinMs`): a
 * SQL-visibility server learns ones just added at its namespace registry's next refresh, 10 s by default.
 */
export interface UsableWait {
  everyMs: number;
  withinMs: number;
}
const USABLE_WAIT: UsableWait = { everyMs: 1_000, withinMs: 30_000 };

/**
 * Registers Kairos' search attributes on a server we did not start (existing ones are fine), then waits until
 * its frontend knows them (untilUsable).
 */
export async function ensureSearchAttributes(address: string, namespace: string, settings: TemporalConnectionSettings = {}, wait: UsableWait = USABLE_WAIT): Promise<void> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, ...settings, connectTimeout: 10_000 });
  } catch (err) {
    // A server that answered and refused the call (an API key, say) is a misconfiguration, not an outage.
    const cause = (err as { cause?: { code?: unknown } }).cause;
    if (typeof cause?.code === 'number' && !isConnectivityError(cause)) throw err;
    throw new TemporalUnreachableError(`no Temporal server answered at ${address}: ${await whyUnreachable(address, settings)} (${(err as Error).message})`, { cause: err });
  }
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace }).catch((err: unknown) => {
      if (isRefused(err)) throw refusedError(address, namespace, 'list', journeySearchAttributes, err as Error);
      // The server's "Namespace x is not found." names neither the variable nor the fix.
      if ((err as { code?: number }).code !== GRPC_NOT_FOUND) throw err;
      throw new ConfigError([
        `TEMPORAL_NAMESPACE: Temporal at ${address} has no namespace "${namespace}"; create it (temporal operator namespace create --namespace ${namespace}) or name one it has`,
      ]);
    });
    const missing = journeySearchAttributes.filter((k) => !customAttributes?.[k.name]);
    if (missing.length > 0) {
      try {
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED_VALUE_TYPES[k.type]])),
        });
      } catch (err) {
        if (isRefused(err)) throw refusedError(address, namespace, 'add', missing, err as Error);
        if ((err as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw err;
      }
    }
    // Also when the listing had them all: another process (compose's API beside its worker) may have added them a
    // moment ago, and the listing shows them before the frontend's registry does.
    await untilUsable(connection, namespace, wait);
  } finally {
    await connection.close();
  }
}

/** A visibility count filtering on every one of Kairos's attributes: it names none Temporal does not know. */
const PROBE_QUERY = journeySearchAttributes.map((a) => (a.type === 'INT' ? `${a.name} = 0` : `${a.name} = 'kairos-probe'`)).join(' AND ');

/**
 * Waits until the frontend resolves Kairos's attribute names, asking with a harmless count that filters on them:
 * journey starts carrying them are refused until then. Any other answer ends the wait (a server that cannot count,
 * an outage: the outbox and batch entry retry those), and so does `withinMs`: a start still refused after it is
 * retried too (isRefusedForGood does not count it), so the boot does not hang on a frontend that is slow to learn.
 */
async function untilUsable(connection: Connection, namespace: string, wait: UsableWait): Promise<void> {
  const deadline = Date.now() + wait.withinMs;
  for (;;) {
    const unknown = await connection.workflowService.countWorkflowExecutions({ namespace, query: PROBE_QUERY }).then(
      () => false,
      (err: unknown) => isOwnSearchAttributeUnknown(err),
    );
    if (!unknown || Date.now() + wait.everyMs > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, wait.everyMs));
  }
}
