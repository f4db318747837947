import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { journeySearchAttributes } from '../workflows/journey/contract';
import { CLI_TYPE_NAMES } from './search-attribute-types';
import { PortUnavailableError } from '../config/listen-error';
import { isPortOpen } from '../config/port-open';
import { KeptOutput } from './kept-output';

export interface DevServerOptions {
  binary: string;
  port: number;
  uiPort: number;
  /** SQLite file: journeys survive a restart. Omit for an in-memory server (tests). */
  dbFile?: string;
  namespace: string;
  /** More namespaces to create at start, with the same search attributes (tests that must not see each other's journeys). */
  extraNamespaces?: readonly string[];
  ui?: boolean;
  /** Register Kairos's search attributes at start (default); false gives a server as bare as a new cluster. */
  searchAttributes?: boolean;
  startTimeoutMs?: number;
  /** Dynamic config values (`--dynamic-config-value`), each a JSON value: tests that need a server tuned for them. */
  dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  log?: (line: string) => void;
  /** Told once when the server exits after it started and before stop() was asked (killed, crashed). */
  onUnexpectedExit?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

export class DevServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevServerStartError';
  }
}

/**
 * Starts `temporal server start-dev` with the web UI and Kairos' search
 * attributes, and resolves once its namespace answers. Never hangs: an early
 * exit or a deadline turns into DevServerStartError with the server's output;
 * a port already taken is a PortUnavailableError (configuration: exit code 2).
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(opts);
    } catch (err) {
      if (attempt < 3 && err instanceof DevServerStartError && lostPortItPicked(err.message, opts.port, opts.ui === false ? undefined : opts.uiPort)) continue;
      throw err;
    }
  }
}

/**
 * The CLI picks its HTTP API and metrics ports itself (free when it looked);
 * another process may bind one before it does. Worth another start, unlike
 * Kairos's own ports being taken: the gRPC port and the UI's
 * (TEMPORAL_DEV_PORT, TEMPORAL_UI_PORT), which another start would not free.
 */
export function lostPortItPicked(output: string, port: number, uiPort?: number): boolean {
  const taken = [...output.matchAll(/listen tcp [^\s]*?:(\d+): bind: address already in use/g)].map((m) => Number(m[1]));
  return taken.length > 0 && !taken.includes(port) && (uiPort === undefined || !taken.includes(uiPort));
}

async function startDevServerOnce(opts: DevServerOptions): Promise<DevServer> {
  if (await isPortOpen(opts.port)) {
    throw new PortUnavailableError(
      `Port ${opts.port} is already in use. Set TEMPORAL_ADDRESS=127.0.0.1:${opts.port} to use the server there, ` +
        'or TEMPORAL_DEV_PORT to start one on another port (and TEMPORAL_UI_PORT for its web UI, when that port is taken too).',
    );
  }
  // The CLI refuses a taken UI port ("can't set UI port"); said here with the variable that sets it.
  if (opts.ui !== false && (await isPortOpen(opts.uiPort))) {
    throw new PortUnavailableError(`port ${opts.uiPort} (TEMPORAL_UI_PORT) is already in use: stop what listens there, or set TEMPORAL_UI_PORT to a free port`);
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', opts.namespace, '--log-level', 'error'];
  for (const ns of opts.extraNamespaces ?? []) args.push('--namespace', ns);
  if (opts.ui === false) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort));
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (opts.searchAttributes !== false) for (const key of journeySearchAttributes) args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);

  // A process group of its own: a Ctrl-C at the terminal goes to the whole foreground group, and stopped the server
  // before Kairos had drained into it (the worker's last activities, the relay's last sends). Kairos stops it, last;
  // and kills it when this process exits any other way, so that it never outlives Kairos holding its ports.
  const child = spawn(opts.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const kept = new KeptOutput();
  const keep = (chunk: Buffer) => kept.add(chunk.toString());
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));

  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    const outcome = await Promise.race([
      exited.then((code) => ({ kind: 'exit' as const, code })),
      spawnFailed.then((err) => ({ kind: 'error' as const, err })),
      namespaceReady(address, opts.namespace).then((ready) => ({ kind: 'probe' as const, ready })),
    ]);
    if (outcome.kind === 'exit') {
      throw new DevServerStartError(`temporal server start-dev exited with code ${outcome.code}:\n${kept.text().trim()}`);
    }
    if (outcome.kind === 'error') throw new DevServerStartError(`could not run ${opts.binary}: ${outcome.err.message}`);
    if (outcome.ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new DevServerStartError(`temporal server start-dev did not answer within ${opts.startTimeoutMs ?? 60_000} ms:\n${kept.text().trim()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  opts.log?.(`Temporal dev server on ${address}`);
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const last = kept.text().trim().split('\n').slice(-3).join(' | ');
    opts.onUnexpectedExit?.(
      `The Temporal dev server on ${address} exited (${signal ? `signal ${signal}` : `code ${code}`}) and nothing restarts it: journeys wait, and accepted events stay in the outbox, until it is back. Stop Kairos and start it again (its journeys are kept in its data folder).${last ? ` Its last output: ${last}` : ''}`,
    );
  });
  return {
    address,
    uiUrl: opts.ui === false ? undefined : `http://127.0.0.1:${opts.uiPort}`,
    stop: () => {
      stopping = true;
      return stopChild(child, exited);
    },
  };
}

async function namespaceReady(address: string, namespace: string): Promise<boolean> {
  if (!(await isPortOpen(Number(address.split(':')[1])))) return false;
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
