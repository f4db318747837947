/**
 * For the CLI's unit tests: a stub Kairos on loopback that records what it is
 * sent, and runCli with in-memory output. Not part of the build
 * (tsconfig.build.json leaves out test-support.ts files).
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from './program';

export interface StubRequest {
  method: string;
  /** The path and query, as sent (`/v1/campaigns/b/versions`). */
  path: string;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface StubAnswer {
  status: number;
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Kairos's error body, as the API answers every error. */
export const kairosError = (code: string, message: string, details: Array<{ path: string; message: string }> = []) => ({ error: { code, message, details } });

/**
 * Runs `fn` with the URL of a server on loopback that answers each request
 * with `answer` (never, for null: a Kairos that took the request and does
 * not answer), and the requests it got so far.
 */
export async function withStubServer<T>(answer: (req: StubRequest) => StubAnswer | null, fn: (url: string, requests: StubRequest[]) => Promise<T>): Promise<T> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      requests.push(request);
      const answered = answer(request);
      if (answered === null) return;
      const { status, body, headers = {} } = answered;
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const type: Record<string, string> = body === undefined || typeof body === 'string' ? {} : { 'content-type': 'application/json' };
      res.writeHead(status, { ...type, ...headers }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn(`http://127.0.0.1:${(server.address() as { port: number }).port}`, requests);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** `kairos <argv>` run in-process: its exit code and what it printed. */
export async function runKairos(
  argv: string[],
  options: { cwd?: string; stdin?: Buffer | string | Readable; env?: Record<string, string | undefined> } = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const cwd = options.cwd ?? process.cwd();
  const stdin = options.stdin instanceof Readable ? options.stdin : Readable.from([options.stdin ?? '']);
  const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t), stdin, env: options.env ?? {}, cwd, home: cwd };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/**
 * Runs src/cli/main.ts in a node of its own, as `kairos` runs: TypeScript is
 * compiled on require by swc (what jest uses here), so no build is needed.
 */
const RUN_TS = `
const { transformFileSync } = require('@swc/core');
require.extensions['.ts'] = (module, file) => {
  const { code } = transformFileSync(file, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  module._compile(code, file);
};
require(process.argv[1]);
`;

const ROOT = path.join(__dirname, '..', '..');

/**
 * `kairos <argv>` as a process of its own (for what only a process shows: a
 * signal, a closed pipe), with `home` as its HOME, so that no profile file of
 * the machine's is read and swc's cache is not written into the checkout,
 * and `env` added to its environment.
 */
export function spawnKairos(argv: string[], options: { home: string; env?: Record<string, string> }): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['-e', RUN_TS, path.join(ROOT, 'src/cli/main.ts'), ...argv], spawnOptions(options));
}

/** As spawnKairos, with its stdout the file open as `stdout` (a descriptor: /dev/full, say), its stderr piped. */
export function spawnKairosWithStdout(argv: string[], options: { home: string; stdout: number }): ChildProcess {
  return spawn(process.execPath, ['-e', RUN_TS, path.join(ROOT, 'src/cli/main.ts'), ...argv], { ...spawnOptions(options), stdio: ['ignore', options.stdout, 'pipe'] });
}

const spawnOptions = (options: { home: string; env?: Record<string, string> }) => ({
  cwd: ROOT,
  env: { PATH: process.env.PATH, HOME: options.home, XDG_CONFIG_HOME: options.home, ...options.env },
});
